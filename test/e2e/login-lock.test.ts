import { expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/server/seed/heze-organisation.js';
import { containsText, countIs, describeWeb, signIn, toastShown, useWebSession, VIEWPORT } from './harness.js';

// 第六、三十条: an account locked by failed logins cannot sign in even with the right password; the admin sees it
// at 登录锁定 (and as 已锁定 on the users page) and unlocks it, after which the user signs in at once.
describeWeb('web: login lock and unlock', () => {
  const web = useWebSession();
  const { guard } = web;

  it('a locked account is refused with the wait in Chinese; the admin unlocks it', async () => {
    const s = web.server;
    for (let i = 0; i < 10; i++) {
      s.clock.set(new Date(s.clock.now().getTime() + 61_000));
      const r = await s.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'analyst', password: `wrong-${i}` },
      });
      expect(r.statusCode).toBe(401);
    }

    const context = await web.browser.newContext({
      viewport: VIEWPORT,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      baseURL: s.url,
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    guard.attach(page, 'analyst');
    guard.expect(/status of 429/);
    await page.goto('/');
    await page.getByLabel('用户名').fill('analyst');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await containsText(page.getByRole('alert'), '该账号因连续登录失败已被临时锁定');
    await countIs(page.getByTestId('current-user'), 0);

    const { page: a } = await signIn(web.browser, s, guard, 'admin');
    await a.locator('.ant-layout-sider').getByText('用户', { exact: true }).click();
    await containsText(a.locator('tr', { hasText: 'analyst' }), '已锁定');
    await a.locator('.ant-layout-sider').getByText('登录锁定').click();
    const row = a.locator('tr', { hasText: 'analyst' });
    await containsText(row, '已锁定');
    await containsText(row, '127.0.0.1');
    await row.getByRole('button', { name: '解锁' }).click();
    await a.locator('.ant-popconfirm').getByRole('button', { name: '解锁' }).click();
    await toastShown(a, '已解锁');
    await countIs(row, 0);

    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('current-user').waitFor();
    await context.close();
    guard.assertClean();
  });
});
