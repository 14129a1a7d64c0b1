import { fileURLToPath } from 'node:url';
import { beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expectNoAxeViolations, expectNoAxeViolationsIn } from './axe.js';
import {
  POLL,
  VIEWPORT,
  createTicketViaApi,
  describeWeb,
  signIn,
  useWebSession,
  visible,
  type TestServer,
} from './harness.js';

// 无障碍与适老化 (issue 14; GB/T 37668-2019, WCAG 2.1 AA): every page the citizens and each role's staff open has no
// axe-core violation of the A/AA rules, one <h1> and its own title; a queue row opens by keyboard with a visible
// focus ring; 添加图片 is a Tab stop; the portal's 长辈版 gives 18 px text and 44 px targets.

const SHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

/** The page as it is: no axe violation, exactly one <h1>, and the route's own title. */
async function checkPage(page: Page, label: string, title: string) {
  await expect.poll(() => page.title(), POLL).toBe(`${title} - 菏泽12345`);
  await expect.poll(() => page.locator('h1:visible').count(), POLL).toBe(1);
  await expectNoAxeViolations(page, label);
}

async function anonymousPage(browser: Browser, server: TestServer, viewport = VIEWPORT) {
  const context = await browser.newContext({
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    baseURL: server.url,
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(15_000);
  return { context, page: await context.newPage() };
}

/** Presses Tab until `predicate` holds for the focused element (at most `max` times); fails otherwise. */
async function tabUntil(page: Page, predicate: string, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate<boolean>(`(() => { const el = document.activeElement; return !!el && (${predicate}); })()`))
      return;
  }
  throw new Error(`no Tab stop matched ${predicate} within ${max} presses`);
}

/** The focused element's outline: a solid ring at least 2 px wide. */
const focusRing = (page: Page) =>
  page.evaluate<{ style: string; width: number; color: string }>(`(() => {
    const s = getComputedStyle(document.activeElement);
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor };
  })()`);

const PORTAL: Array<[path: string, title: string]> = [
  ['/portal', '网上服务首页'],
  ['/portal/submit', '我要留言'],
  ['/portal/track', '查询办理进度'],
  ['/portal/about', '热线须知'],
  ['/portal/knowledge', '查一查'],
  ['/portal/disclosure', '数据公开'],
  ['/login', '登录'],
];

describeWeb('无障碍 GB/T 37668-2019 / WCAG 2.1 AA：页面、键盘与长辈版', () => {
  const web = useWebSession();
  const { guard } = web;
  let ticket: { id: number; number: string };
  beforeAll(async () => {
    ticket = await createTicketViaApi(web.server);
  });

  it('公众服务与登录页：0 个 axe 违规，一个 h1，各有标题', async () => {
    const { page, context } = await anonymousPage(web.browser, web.server);
    guard.attach(page, 'citizen');
    for (const [path, title] of PORTAL) {
      await page.goto(path);
      await checkPage(page, path, title);
    }
    await context.close();
    guard.assertClean();
  });

  const STAFF: Record<string, Array<[path: string, title: string]>> = {
    agent: [
      ['/intake', '受理台'],
      ['/overview', '概览'],
      ['/tickets', '工单查询'],
      ['/tickets/:ticket', '工单详情'],
    ],
    dispatcher: [
      ['/dispatch', '待派单'],
      ['/reviews', '申请审核'],
    ],
    handler_md: [
      ['/unit/lead', '本单位工单'],
      ['/unit/assist', '协办任务'],
      ['/unit/supervision', '督办件'],
    ],
    callback: [['/callback', '待回访']],
    supervisor: [
      ['/supervision', '督办工作台'],
      ['/supervision/complaints', '工作人员投诉'],
      ['/presence', '坐席状态'],
      ['/matters', '专题治理'],
      ['/assessment', '考核结果'],
      ['/analytics', '热点分析'],
      ['/service-figures', '服务指标'],
      ['/disclosure', '信息公开'],
    ],
    admin: [
      ['/admin/users', '用户'],
      ['/admin/units', '单位与区划'],
      ['/admin/categories', '事项分类'],
      ['/admin/catalogue', '派单目录'],
      ['/admin/time-limits', '办理时限'],
      ['/admin/calendar', '工作日历'],
      ['/admin/security', '安全策略'],
    ],
    auditor: [
      ['/audit/pii', '个人信息访问审计'],
      ['/audit/access', '数据访问日志'],
      ['/audit/admin', '操作审计'],
    ],
    knowledge: [
      ['/knowledge/review', '知识审核'],
      ['/knowledge/all', '全部知识'],
    ],
  };
  for (const [user, pages] of Object.entries(STAFF)) {
    it(`工作人员（${user}）的页面：0 个 axe 违规，一个 h1，各有标题`, async () => {
      const { page, context } = await signIn(web.browser, web.server, guard, user);
      for (const [pattern, title] of pages) {
        const path = pattern.replace(':ticket', String(ticket.id));
        await page.goto(path);
        await checkPage(page, `${user} ${path}`, title);
      }
      await context.close();
      guard.assertClean();
    });
  }

  it('键盘：Tab 到待派单的第一行，焦点清晰可见，Enter 打开工单', async () => {
    const { page, context } = await signIn(web.browser, web.server, guard, 'dispatcher');
    await page.goto('/dispatch');
    await visible(page.locator(`tr[data-ticket-number="${ticket.number}"]`));
    await tabUntil(page, `el.matches('tr[data-row-open]')`);
    const ring = await focusRing(page);
    expect(ring.style).toBe('solid');
    expect(ring.width).toBeGreaterThanOrEqual(2);
    expect(ring.color).toBe('rgb(9, 88, 217)'); // #0958d9, 6.2:1 on white
    await page.screenshot({ path: `${SHOTS}keyboard-focus-dispatch.png` });
    await page.keyboard.press('Enter');
    await visible(page.locator('.ant-drawer-open').getByText(ticket.number));
    await expectNoAxeViolationsIn(page, '待派单 工单抽屉');
    await context.close();
    guard.assertClean();
  });

  it('键盘：网上留言的“添加图片”可以用 Tab 到达', async () => {
    const { page, context } = await anonymousPage(web.browser, web.server);
    guard.attach(page, 'citizen-keyboard');
    await page.goto('/portal/submit');
    await visible(page.getByText('添加图片'));
    await tabUntil(page, `!!el.closest('.ant-upload') && el.textContent.includes('添加图片')`);
    const ring = await focusRing(page);
    expect(ring.style).toBe('solid');
    expect(ring.width).toBeGreaterThanOrEqual(2);
    // Enter on it opens the file chooser: the upload clicks its hidden file input (recorded here, so the check does
    // not wait on the browser's native dialog)
    expect(await page.evaluate<string | null>(`document.activeElement.getAttribute('role')`)).toBe('button');
    await page.evaluate(`(() => {
      window.__fileInputClicked = false;
      document.querySelector('.ant-upload input[type=file]').addEventListener('click', (e) => {
        window.__fileInputClicked = true;
        e.preventDefault();
      });
    })()`);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate<boolean>('window.__fileInputClicked'), POLL).toBe(true);
    await context.close();
    guard.assertClean();
  });

  it('提交后焦点移到结果，屏幕阅读器播报（留言与查询进度）', async () => {
    const { page, context } = await anonymousPage(web.browser, web.server);
    guard.attach(page, 'citizen-result');
    const live = page.locator('#a11y-live');
    await page.goto('/portal/submit');
    await page.getByLabel('诉求内容').fill('和平路与中华路交叉口的井盖缺失好几天了，晚上很容易掉进去，请尽快处理。');
    await page.getByLabel('手机号码').fill('13605301111');
    await page.getByLabel('手机号码').press('Tab');
    await page.getByRole('button', { name: '提交留言' }).click();
    await visible(page.getByTestId('portal-reference'));
    const reference = (await page.getByTestId('portal-reference').innerText()).trim();
    await expect
      .poll(() => page.evaluate<string | null>(`document.activeElement?.getAttribute('data-testid') ?? null`), POLL)
      .toBe('result-focus');
    await expect.poll(() => live.textContent(), POLL).toContain(`留言已提交，留言编号 ${reference}`);
    await expect.poll(() => live.getAttribute('aria-live')).toBe('polite');
    await checkPage(page, '留言已提交', '我要留言');

    await page.getByRole('button', { name: '查询办理进度' }).click();
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await visible(page.getByTestId('tracking-stage'));
    await expect
      .poll(() => page.evaluate<string | null>(`document.activeElement?.getAttribute('data-testid') ?? null`), POLL)
      .toBe('result-focus');
    await expect.poll(() => live.textContent(), POLL).toContain(`已查到 ${reference} 的办理情况`);
    await checkPage(page, '查询结果', '查询办理进度');
    await context.close();
    guard.assertClean();
  });

  it('键盘：受理台“待处理”的来信用 Tab 到达，Enter 打开，受理表单 0 个 axe 违规', async () => {
    // a message from the portal waits in the agents' inbox
    const { page: citizen, context: cc } = await anonymousPage(web.browser, web.server);
    guard.attach(citizen, 'citizen-inbox');
    await citizen.goto('/portal/submit');
    await citizen.getByLabel('诉求内容').fill('人民路菜市场门口的下水道堵了，污水漫到路上，请派人疏通。');
    await citizen.getByRole('button', { name: '提交留言' }).click();
    await visible(citizen.getByTestId('portal-reference'));
    await cc.close();

    const { page, context } = await signIn(web.browser, web.server, guard, 'agent');
    await page.goto('/intake');
    await visible(page.getByTestId('inbox').getByText('人民路菜市场门口'));
    await tabUntil(
      page,
      `el.matches('[data-testid=inbox] li[data-row-open]') && el.textContent.includes('人民路菜市场')`,
    );
    expect((await focusRing(page)).style).toBe('solid');
    await page.keyboard.press('Enter');
    await visible(page.getByTestId('current-contact').getByText('人民路菜市场门口'));
    await expectNoAxeViolations(page, '受理台 with a contact open');
    await context.close();
    guard.assertClean();
  });

  it('适老化：长辈版字号 ≥ 18 px、按钮 ≥ 44 px，随浏览器字号变化，刷新后保持', async () => {
    const { page, context } = await anonymousPage(web.browser, web.server, { width: 390, height: 844 });
    guard.attach(page, 'elder');
    await page.goto('/portal');
    const call = page.getByRole('link', { name: /拨打 12345/ });
    await visible(call);
    const fontOf = (sel: string) =>
      page.evaluate<number>(`parseFloat(getComputedStyle(document.querySelector(${JSON.stringify(sel)})).fontSize)`);
    // the standard version is already ≥ 16 px
    expect(await fontOf('.portal-main .ant-typography')).toBeGreaterThanOrEqual(16);

    const toggle = page.getByTestId('portal-elder-toggle');
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-pressed'), POLL).toBe('true');
    await expect.poll(() => fontOf('.portal-main .ant-typography'), POLL).toBeGreaterThanOrEqual(18);
    const box = (await call.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    const navBox = (await page.locator('.portal-nav a').first().boundingBox())!;
    expect(navBox.height).toBeGreaterThanOrEqual(44);
    expect(navBox.width).toBeGreaterThanOrEqual(44);
    await checkPage(page, '长辈版 /portal', '网上服务首页');

    // kept on the device
    await page.reload();
    await expect.poll(() => page.getByTestId('portal-elder-toggle').getAttribute('aria-pressed'), POLL).toBe('true');
    await page.screenshot({ path: `${SHOTS}portal-elder-mode.png`, fullPage: true });

    // follows the browser's font size: with the browser's default text at 20 px (the reader's own setting, set here
    // through the DevTools protocol) the same page gives 22.5 px text
    const cdp = await context.newCDPSession(page);
    await cdp.send('Page.setFontSizes', { fontSizes: { standard: 20 } });
    await page.reload();
    await expect.poll(() => fontOf('.portal-main .ant-typography'), POLL).toBeGreaterThanOrEqual(22);
    await context.close();
    guard.assertClean();
  });
});
