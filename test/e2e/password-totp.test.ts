import { fileURLToPath } from 'node:url';
import { generate } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/server/seed/heze-organisation.js';
import {
  chooseOption,
  containsText,
  describeWeb,
  hidden,
  pathIs,
  recordToasts,
  signIn,
  toastShown,
  type ConsoleGuard,
  type TestServer,
  useWebSession,
  VIEWPORT,
  visible,
} from './harness.js';

// 第六条, 等保 2.0 身份鉴别 in the browser: the admin resets a user's password at 用户; the user signs in with it and is
// held at 请修改密码 until they set their own; the admin binds an authenticator at 账户安全 (QR code and key) and then
// signs in with password and the code the test computes like a phone would; the admin requires a second factor for
// auditors at 安全策略 and an auditor is held at 请绑定二次验证.

const SHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const shot = (p: Page, name: string) => p.screenshot({ path: `${SHOTS}${name}.png` });

/** The code an authenticator shows for this secret now, by the server's clock. */
const codeNow = (s: TestServer, secret: string) =>
  generate({ secret, epoch: Math.floor(s.clock.now().getTime() / 1000) });

/** A fresh browser context at the login page, signing in with the given password (no second step expected). */
async function loginPage(browser: Browser, s: TestServer, guard: ConsoleGuard, username: string, password: string) {
  const context = await browser.newContext({
    viewport: VIEWPORT,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    baseURL: s.url,
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(15_000);
  await recordToasts(context);
  const page = await context.newPage();
  guard.attach(page, username);
  await page.goto('/');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  return page;
}

describeWeb('web: 等保 2.0 身份鉴别 (forced password change, TOTP second factor)', () => {
  const web = useWebSession();
  const { guard } = web;
  afterAll(() => guard.assertClean());

  it('the admin resets a password; the user must change it at sign-in, then works normally', async () => {
    const s = web.server;
    const { page: a } = await signIn(web.browser, s, guard, 'admin');
    await a.locator('.ant-layout-sider').getByText('用户', { exact: true }).click();
    const row = a.locator('tr', { hasText: 'analyst' });
    await row.getByRole('button', { name: '重置密码' }).click();
    const dialog = a.locator('.ant-modal', { hasText: '重置密码：周分析' });
    await dialog.getByLabel('新密码', { exact: true }).fill('Temporary2025!');
    await dialog.getByLabel('确认新密码').fill('Temporary2025!');
    await dialog.getByRole('button', { name: '重置' }).click();
    await toastShown(a, '该用户登录后须先修改密码');
    await containsText(row, '待改密');

    // the user signs in with the password the admin gave them: only 修改密码 is open
    const u = await loginPage(web.browser, s, guard, 'analyst', 'Temporary2025!');
    const step = u.getByTestId('required-step');
    await containsText(step, '请修改密码');
    await containsText(step, '临时密码');
    expect(await u.getByTestId('current-user').count()).toBe(0);
    await step.getByLabel('当前密码').fill('Temporary2025!');
    // the same rules as the server, as the user types
    await step.getByLabel('新密码', { exact: true }).fill('analyst2025X');
    await step.getByLabel('确认新密码').fill('analyst2025X');
    await step.getByRole('button', { name: '修改密码' }).click();
    await containsText(step, '密码不能包含用户名');
    await step.getByLabel('新密码', { exact: true }).fill('Mudan-Flower-2025');
    await step.getByLabel('确认新密码').fill('Mudan-Flower-2025');
    await hidden(step.locator('.ant-form-item-explain-error'));
    await shot(u, 'security-password-change');
    await step.getByRole('button', { name: '修改密码' }).click();
    await toastShown(u, '密码已修改');
    await visible(u.getByTestId('current-user'));
    await containsText(u.locator('.ant-layout-sider'), '概览');

    // 修改密码 stays in the user menu
    await u.getByTestId('user-menu').click();
    await visible(u.getByRole('menuitem', { name: '修改密码' }));
    await u.getByRole('menuitem', { name: '修改密码' }).click();
    await pathIs(u, '/account/password');
    await visible(u.getByLabel('当前密码'));
    await u.context().close();
    await a.context().close();
  });

  it('the admin binds an authenticator at 账户安全 and signs in with password and code; auditors can be required to', async () => {
    const s = web.server;
    const { page: a } = await signIn(web.browser, s, guard, 'admin');
    await a.getByTestId('user-menu').click();
    await a.getByRole('menuitem', { name: '账户安全' }).click();
    await pathIs(a, '/account/security');
    await a.getByRole('button', { name: '绑定验证器' }).click();
    await visible(a.getByTestId('totp-qr'));
    const secret = (await a.getByTestId('totp-secret').innerText()).replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await shot(a, 'security-totp');
    await a.getByLabel('动态验证码').fill(await codeNow(s, secret));
    await a.getByRole('button', { name: '确认绑定' }).click();
    await toastShown(a, '已启用二次验证');
    await visible(a.getByTestId('totp-enabled'));

    // 安全策略: auditors must use a second factor from now on
    await a.locator('.ant-layout-sider').getByText('安全策略').click();
    await pathIs(a, '/admin/security');
    await containsText(a.locator('.ant-card', { hasText: '会话时限' }), 'SESSION_IDLE_MINUTES');
    await chooseOption(a, a.getByLabel('须使用二次验证（动态验证码）登录的角色'), { text: /^审计员$/ });
    await a.keyboard.press('Escape');
    await containsText(a.locator('.ant-select-selection-overflow'), '审计员');
    await a.getByRole('button', { name: '保存' }).click();
    await toastShown(a, '安全策略已保存');

    // signing in again: the password, then the code (a step later: a code is accepted only once)
    await a.getByRole('button', { name: '退出' }).click();
    await pathIs(a, '/login');
    await a.getByLabel('用户名').fill('admin');
    await a.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD);
    await a.getByRole('button', { name: '登录' }).click();
    await visible(a.getByLabel('动态验证码'));
    expect(await a.getByTestId('current-user').count()).toBe(0);
    s.clock.set(new Date(s.clock.now().getTime() + 30_000));
    await a.getByLabel('动态验证码').fill(await codeNow(s, secret));
    await a.getByRole('button', { name: '验证并登录' }).click();
    await visible(a.getByTestId('current-user'));

    // an auditor without a second factor is held at 请绑定二次验证
    const au = await loginPage(web.browser, s, guard, 'auditor', DEMO_PASSWORD);
    const step = au.getByTestId('required-step');
    await containsText(step, '请绑定二次验证');
    await containsText(step, '您的角色须使用二次验证');
    await step.getByRole('button', { name: '绑定验证器' }).click();
    await visible(step.getByTestId('totp-qr'));
    const auditorSecret = (await step.getByTestId('totp-secret').innerText()).replace(/\s/g, '');
    await step.getByLabel('动态验证码').fill(await codeNow(s, auditorSecret));
    await step.getByRole('button', { name: '确认绑定' }).click();
    await visible(au.getByTestId('current-user'));
    await containsText(au.locator('.ant-layout-sider'), '个人信息访问审计');
    await au.context().close();
    await a.context().close();
  });
});
