// Regenerates docs/screenshots/*.png: every main screen at 1366×768 (the public portal also on a 375×812
// phone), on an in-memory server filled with a realistic week of tickets (test/e2e/demo-scenario.ts) and this
// afternoon's inbox. Run: npm run screenshots (needs the web build and Chromium at /usr/bin/chromium or CHROMIUM_PATH).
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import {
  ConsoleGuard,
  launchBrowser,
  pickCascader,
  pickSelect,
  signIn,
  startServer,
  type TestServer,
} from '../test/e2e/harness.js';
import { buildDemoScenario, SCENARIO_NOW } from '../test/e2e/demo-scenario.js';
import { ctiGateway, PHONE, picture } from '../test/e2e/intake-helpers.js';

const OUT = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
mkdirSync(OUT, { recursive: true });

const server: TestServer = await startServer('2025-03-05T09:00:00+08:00');
const browser: Browser = await launchBrowser();
const guard = new ConsoleGuard();
const shots: string[] = [];

async function settle(page: Page) {
  // The agent console keeps its screen-pop stream open, so the network never goes idle there.
  await page.waitForLoadState('networkidle', { timeout: 3000 }).catch(() => {});
  await page
    .locator('.ant-spin-spinning, .ant-skeleton')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => {});
  await page.waitForTimeout(400); // animations (drawers, modals, charts)
}
async function shot(page: Page, name: string, fullPage = false) {
  await settle(page);
  await page.screenshot({ path: `${OUT}${name}.png`, fullPage });
  shots.push(name);
  console.log(`  ${name}.png`);
}

try {
  const t = await buildDemoScenario(server);
  server.clock.set(SCENARIO_NOW);

  // Login
  {
    const ctx = await browser.newContext({
      viewport: { width: 1366, height: 768 },
      locale: 'zh-CN',
      baseURL: server.url,
    });
    const page = await ctx.newPage();
    guard.attach(page, 'anonymous');
    await page.goto('/login');
    await shot(page, '01-login');
    await ctx.close();
  }

  // 话务员 受理台: this afternoon's inbox from other channels, an earlier long call (an automatic flag), then a
  // ringing call from a requester with history (李建国, whose elevator ticket was closed last week) while the
  // agent is writing up another contact.
  const cti = await ctiGateway(server);
  const agentApi = await server.as('agent');
  let consoleTicket = { id: 0, number: '' };
  {
    const rec = (
      channel: 'wechat' | 'sms' | 'web',
      id: string,
      at: string,
      content: string,
      requester: object | null,
      meta?: object,
      pictures: Array<ReturnType<typeof picture>> = [],
    ) =>
      server.services.contacts.record({
        channel,
        externalId: id,
        receivedAt: new Date(at),
        requester,
        content,
        meta: meta as never,
        centreUnitId: server.ids.units['centre'],
        files: pictures.map((p) => ({ data: p.buffer, name: p.name })),
      });
    await rec(
      'wechat',
      'wx-shot-1',
      '2025-03-12T14:21:00+08:00',
      '丹阳路菜市场门口占道经营严重，早晚高峰车辆无法通行，希望城管管一管。',
      { wechatOpenId: 'o6_shot_1' },
    );
    await rec('sms', 'sms-shot-1', '2025-03-12T14:48:00+08:00', '请问灵活就业人员的医保在哪里缴纳？每年什么时候交？', {
      phone: '15853001234',
    });
    await rec(
      'web',
      'form:shot-1',
      '2025-03-12T15:05:00+08:00',
      '长江路北城段路面坑洼还没修，雨天积水很深，电动车经过很危险。',
      null,
      { address: '北城街道长江路****' },
      [picture('坑洼路面.png', [110, 100, 90]), picture('积水.png', [80, 110, 150])],
    );
    // an earlier call that occupied the line for 42 minutes: 第十一条's automatic flag
    const long = await cti({
      type: 'call.offered',
      callId: 'c-shot-0',
      caller: '13853001122',
      callee: '12345',
      at: '2025-03-12T09:02:00+08:00',
      agent: 'agent',
    });
    await cti({ type: 'call.ended', callId: 'c-shot-0', at: '2025-03-12T09:44:00+08:00', durationSeconds: 2520 });
    await agentApi.call('POST', `/api/contacts/${long.contactId}/disposition`, {
      disposition: 'answered',
      answer: '已告知电梯维修工单的办理结果',
      callRecord: '来电人反复询问电梯维修工单进度，已多次告知结果，仍不挂机，持续抱怨物业',
    });
    const rude = await agentApi.call<{ id: number; requesterId: number }>('POST', '/api/contacts', {
      channel: 'phone',
      requester: { phone: '13800001111' },
      content: '来电人反映楼上噪音，通话中辱骂话务员',
    });
    await agentApi.call('POST', `/api/requesters/${rude.requesterId}/flags`, {
      kind: 'harassment',
      detail: '来电人多次辱骂话务员并威胁“找人收拾你”',
      contactId: rude.id,
    });
    await agentApi.call('POST', `/api/contacts/${rude.id}/disposition`, {
      disposition: 'admonished',
      violation: '《菏泽市12345政务服务便民热线条例》第十一条',
    });

    const { page, context } = await signIn(browser, server, guard, 'agent');
    await page.getByTestId('inbox').getByText('弹屏').waitFor();
    await page.getByLabel('诉求人姓名').fill('刘芳');
    await page.getByLabel('联系电话').fill('13705301234');
    await page.getByLabel('详细地址').fill('牡丹区西城街道桂陵路88号');
    await page.getByLabel('诉求内容').fill('小区门口的污水井盖破损塌陷，已经有电动车摔倒，希望尽快修复。');
    await page
      .getByTestId('contact-form')
      .locator('input[type="file"]')
      .setInputFiles([picture('井盖破损.png', [120, 110, 100]), picture('现场全景.png', [90, 140, 90])]);
    await cti({
      type: 'call.offered',
      callId: 'c-shot-1',
      caller: '13853001122',
      callee: '12345',
      at: '2025-03-12T15:29:40+08:00',
      agent: 'agent',
    });
    await page.getByTestId('call-banner').waitFor();
    await shot(page, '02-agent-console');

    await page.getByTestId('call-banner').getByRole('button', { name: '接听并打开' }).click();
    await page
      .getByLabel('通话记录')
      .fill('和平路与中华路交叉口往东一段路灯晚上不亮，已经十来天了，孩子放学走这段路很不安全。');
    await pickCascader(page, '事项分类', ['城乡建设', '市政设施']);
    await pickCascader(page, '行政区划', ['菏泽市', '牡丹区', '东城街道']);
    await page.getByLabel('标题').fill('和平路路灯仍不亮');
    await page.getByTestId('duplicates').locator('.ant-tag', { hasText: '同一区域' }).first().waitFor();
    await page.locator('.ant-layout-content').evaluate('(e) => e.scrollTo(0, 0)');
    await shot(page, '29-agent-console-call');
    await page.getByTestId('dispose-submit').click();
    await page.getByTestId('disposition-result').waitFor();
    consoleTicket = { id: 0, number: (await page.getByTestId('result-ticket-number').innerText()).trim() };
    await shot(page, '30-agent-disposition-phrase');

    await page.getByRole('button', { name: /受理下一个/ }).click();
    await page.getByLabel('诉求内容').fill('我们小区3号楼有人被困电梯，里面还有一位老人，物业电话打不通！');
    await page.getByTestId('emergency-alert').waitFor();
    await shot(page, '31-agent-emergency');
    // a web-form message with two pictures, opened from the inbox: the pictures are on screen (第九条)
    await page.getByTestId('inbox').getByText('长江路北城段路面坑洼').click();
    await page.getByTestId('current-contact').getByTestId('attachments').locator('img').nth(1).waitFor();
    await shot(page, '44-agent-contact-pictures');
    await context.close();
  }

  // 派单员
  {
    const { page, context } = await signIn(browser, server, guard, 'dispatcher');
    await shot(page, '03-dispatcher-queue');
    await page.locator(`tr[data-ticket-number="${t.pending.number}"]`).click();
    await page.getByTestId('dispatch-suggestion').waitFor();
    await shot(page, '04-dispatcher-suggestion');
    await page.locator('.ant-drawer-close').click();
    await page.locator('.ant-layout-sider').getByText('申请审核').click();
    await shot(page, '05-dispatcher-reviews');
    await page.locator(`tr[data-ticket-number="${t.returned.number}"]`).getByRole('button', { name: '审核' }).click();
    await pickSelect(page, '改派主办单位', '菏泽市城市管理局');
    await shot(page, '06-dispatcher-review-return');
    await page.keyboard.press('Escape');
    await page.locator(`tr[data-ticket-number="${t.dispute.number}"]`).getByRole('button', { name: '处理' }).click();
    await page.getByRole('tab', { name: '组织会商' }).click();
    await shot(page, '07-dispatcher-consultation');
    await page.keyboard.press('Escape');
    // 并单: the console's new ticket is the returned ticket's matter
    const row = await server.handle.db
      .selectFrom('tickets')
      .select('id')
      .where('number', '=', consoleTicket.number)
      .executeTakeFirstOrThrow();
    await page.goto(`/tickets/${row.id}`);
    await page.getByTestId('merge-panel').getByRole('button', { name: '并单…' }).click();
    await page.locator(`.ant-modal-content [data-ticket-number="${t.returned.number}"]`).click();
    await page.getByLabel('并单说明').fill('同一路段路灯故障，多人反映');
    await shot(page, '32-dispatcher-merge');
    await page.keyboard.press('Escape');
    await context.close();
  }

  // 承办单位
  {
    const { page, context } = await signIn(browser, server, guard, 'handler_md');
    await shot(page, '08-unit-lead-queue');
    await page.goto(`/tickets/${t.extension.id}`);
    await shot(page, '09-unit-ticket-in-progress');
    await page.goto(`/tickets/${t.overdue.id}`);
    await page.getByRole('button', { name: '联系诉求人' }).waitFor();
    await page.getByRole('button', { name: '联系诉求人' }).click();
    await shot(page, '10-unit-contact-dialog');
    await page.keyboard.press('Escape');
    await page.goto('/unit/assist');
    await shot(page, '11-unit-assist-queue');
    await page.goto(`/tickets/${t.toAccept.id}`);
    await shot(page, '12-unit-ticket-to-accept');
    await context.close();
  }

  // 督办员: overview and a full ticket with history, requester revealed
  {
    const { page, context } = await signIn(browser, server, guard, 'supervisor');
    await page.locator('[data-testid="chart-status"] canvas').waitFor();
    await shot(page, '15-overview');
    await page.goto(`/tickets/${t.closed.id}`);
    await page.getByTestId('requester').getByRole('button', { name: '显示' }).click();
    await page.getByLabel('查看事由').fill('督办核查回访情况');
    await page.getByLabel('查看事由').press('Enter');
    await page.getByText('（明文，已审计）').waitFor();
    await shot(page, '16-ticket-full-history');
    await page.getByRole('tab', { name: /回访/ }).click();
    await shot(page, '17-ticket-callbacks');
    await page.goto('/tickets');
    await shot(page, '18-centre-ticket-search');
    await page.getByLabel('工单查询').fill('电梯');
    await page.getByLabel('工单查询').press('Enter');
    await page.getByTestId('search-kind').waitFor();
    await shot(page, '42-centre-ticket-search-words');
    await server.app.inject({
      method: 'POST',
      url: '/api/public/tracking/complaint',
      payload: {
        number: t.closed.number,
        code: t.closed.trackingCode,
        content: '第一次答复前承办人员电话里态度很不耐烦，说电梯的事别找他们。',
        againstStaff: '东城街道承办人员',
      },
    });
    await page.goto('/supervision/complaints');
    await shot(page, '34-supervisor-staff-complaints');
    await context.close();
  }

  // 系统管理员
  {
    const { page, context } = await signIn(browser, server, guard, 'admin');
    for (const [path, name] of [
      ['/admin/users', '19-admin-users'],
      ['/admin/units', '20-admin-units'],
      ['/admin/categories', '21-admin-categories'],
      ['/admin/catalogue', '22-admin-catalogue'],
      ['/admin/time-limits', '23-admin-time-limits'],
      ['/admin/calendar', '24-admin-calendar'],
    ] as const) {
      await page.goto(path);
      await shot(page, name);
    }
    await page.goto('/admin/catalogue');
    await page.getByRole('button', { name: '新增规则' }).click();
    await shot(page, '25-admin-catalogue-new-rule');
    await page.keyboard.press('Escape');
    await page.goto('/admin/calendar');
    await page.locator('button[data-date="2025-05-01"]').click();
    await shot(page, '26-admin-calendar-day');
    await page.keyboard.press('Escape');
    await page.goto('/admin/abuse-flags');
    await shot(page, '33-admin-abuse-flags');
    await page.locator('tr[data-flag-id]').first().getByRole('button', { name: '警告' }).click();
    await page.getByTestId('flag-evidence').waitFor();
    await shot(page, '43-admin-abuse-flag-review');
    await page.keyboard.press('Escape');
    await context.close();
  }

  // 审计员, and a unit that opens another unit's ticket
  {
    const { page, context } = await signIn(browser, server, guard, 'auditor');
    await page.goto('/audit/pii');
    await shot(page, '27-auditor-pii-access');
    await context.close();
    const other = await signIn(browser, server, guard, 'handler_cx');
    guard.expect(/status of 404/);
    await other.page.goto(`/tickets/${t.extension.id}`);
    await shot(other.page, '28-unit-not-found');
    await other.context.close();
  }

  // 公众服务 on a phone, then tracking on a desktop
  {
    const ctx = await browser.newContext({
      ...PHONE,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      baseURL: server.url,
    });
    const page = await ctx.newPage();
    guard.attach(page, 'citizen');
    await page.goto('/portal');
    await shot(page, '35-portal-home', true);
    await page.goto('/portal/submit');
    await page
      .getByLabel('诉求内容')
      .fill('丹阳路与双河路交叉口的红绿灯坏了两天了，一直黄灯闪烁，上下班高峰很容易出事故，请尽快修复。');
    await page.getByLabel('地址').fill('牡丹区丹阳路与双河路交叉口');
    await page.getByLabel('手机号码').fill('13605301111');
    await page
      .locator('input[type="file"]')
      .setInputFiles([picture('红绿灯.png', [200, 160, 40]), picture('路口.png', [80, 120, 160])]);
    await page.locator('.ant-upload-list-item').nth(1).waitFor();
    await shot(page, '36-portal-submit', true);
    await page.getByRole('button', { name: '提交留言' }).click();
    await page.getByTestId('portal-reference').waitFor();
    await shot(page, '37-portal-submitted');
    await page.goto(`/portal/track?number=${t.replied.number}`);
    await page.getByLabel('查询码').fill(t.replied.trackingCode);
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByTestId('evaluate-form').getByText('满意', { exact: true }).click();
    await page.getByTestId('evaluate-form').getByLabel('意见（可选）').fill('抢修很及时，希望以后停水提前通知。');
    await shot(page, '38-portal-track', true);
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByTestId('portal-evaluation').waitFor();
    await page.getByTestId('portal-evaluation').scrollIntoViewIfNeeded();
    await shot(page, '39-portal-evaluated');
    await page.goto('/portal/about');
    await shot(page, '40-portal-about', true);
    await ctx.close();

    const desk = await browser.newContext({
      viewport: { width: 1366, height: 768 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      baseURL: server.url,
    });
    const dp = await desk.newPage();
    guard.attach(dp, 'citizen-desktop');
    await dp.goto(`/portal/track?number=${t.replied.number}`);
    await dp.getByLabel('查询码').fill(t.replied.trackingCode);
    await dp.getByRole('button', { name: '查询' }).click();
    await dp.getByTestId('tracking-result').waitFor();
    await shot(dp, '41-portal-track-desktop');
    await desk.close();
  }

  // 回访员, after the citizen evaluated the water ticket on the portal above: the form starts from that evaluation
  {
    const { page, context } = await signIn(browser, server, guard, 'callback');
    await shot(page, '13-callback-queue');
    await page.locator(`tr[data-ticket-number="${t.replied.number}"]`).click();
    await page.getByTestId('requester-evaluation').waitFor();
    await page.getByTestId('callback-form').getByText('已解决').click();
    await page.locator('.ant-drawer-body').evaluate('(el) => { el.scrollTop = 0; }');
    await shot(page, '14-callback-form');
    await context.close();
  }

  guard.assertClean();
  console.log(`${shots.length} screenshots written to docs/screenshots/`);
} finally {
  await browser.close();
  await server.close();
}
