import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { rollupAssessment } from '../../src/server/jobs/assessment-rollup.js';
import {
  containsText,
  createTicketViaApi,
  describeWeb,
  pathIs,
  POLL,
  signIn,
  toastShown,
  VIEWPORT,
  useWebSession,
} from './harness.js';

const SHOTS = 'docs/screenshots/disclosure-';
const shot = (p: Page, name: string) =>
  p.screenshot({ path: `${SHOTS}${name}.png`, fullPage: name.startsWith('portal') });

// 第二十一条 信息公开: the analyst drafts March and picks a 典型案例, the supervisor (a second person) publishes it, and
// the anonymous portal shows the month with its charts, rankings and open data — and nothing personal.
describeWeb('web: the centre publishes a month and the portal shows it (第二十一条)', () => {
  const web = useWebSession();
  const { guard } = web;
  let example: { id: number; number: string };

  async function lifecycle(unit: string, handlerName: string, satisfaction: string, over: Record<string, unknown>) {
    const s = web.server;
    s.clock.set('2025-03-03T09:00:00+08:00');
    const t = await createTicketViaApi(s, over);
    await (await s.as('dispatcher')).call('POST', `/api/tickets/${t.id}/dispatch`, { leadUnitId: s.ids.units[unit] });
    const h = await s.as(handlerName);
    await h.call('POST', `/api/tickets/${t.id}/accept`, {});
    await h.call('POST', `/api/tickets/${t.id}/contacts`, { method: 'phone', reached: true, note: '已电话联系' });
    s.clock.set('2025-03-04T10:00:00+08:00');
    await h.call('POST', `/api/tickets/${t.id}/reply`, { result: '已处理完毕，现场已恢复', solved: true });
    s.clock.set('2025-03-05T10:00:00+08:00');
    await (
      await s.as('callback')
    ).call('POST', `/api/tickets/${t.id}/callback`, {
      satisfaction,
      resolved: satisfaction !== 'unsatisfied',
      reasonable: satisfaction === 'unsatisfied' ? false : undefined,
      outcome: 'close',
    });
    return t;
  }

  beforeAll(async () => {
    const s = web.server;
    example = await lifecycle('gov-md', 'handler_md', 'satisfied', { title: '和平路路灯不亮' });
    for (let i = 0; i < 5; i++)
      await lifecycle('gov-md', 'handler_md', i === 4 ? 'unsatisfied' : 'satisfied', { title: `东城街道路面破损${i}` });
    for (let i = 0; i < 6; i++)
      await lifecycle('gov-cx', 'handler_cx', i === 5 ? 'basically_satisfied' : 'satisfied', {
        title: `倪集街道道路破损${i}`,
        requestType: i < 5 ? 'help' : 'complaint',
        regionCode: '371721001',
        address: '曹县倪集街道',
      });
    s.clock.set('2025-04-01T09:00:00+08:00');
    await rollupAssessment(s.handle.db, s.clock.now(), { lagMs: 0 });
  });

  it('the analyst drafts, the supervisor publishes, the public reads it on the portal', async () => {
    const { page: analyst } = await signIn(web.browser, web.server, guard, 'analyst');
    await analyst.goto('/disclosure');
    await analyst.getByRole('button', { name: /生成报告草稿/ }).click();
    await toastShown(analyst, '已生成 2025 年 3 月 报告草稿');
    await containsText(analyst.locator('body'), '公开预览');
    await analyst.getByLabel('报告说明').fill('3 月份热线运行平稳，各承办单位按期办理群众诉求。');
    await analyst.getByRole('button', { name: '保存说明' }).click();
    await toastShown(analyst, '已保存');
    await analyst.getByLabel('案例工单号').fill(example.number);
    await analyst.getByLabel('案例标题').fill('路灯维修及时');
    await analyst.getByLabel('案例摘要').fill('城管部门接单后当日现场核实，次日修复路灯，回访中群众表示满意。');
    await analyst.getByRole('button', { name: /添加案例/ }).click();
    await containsText(analyst.getByTestId('disclosure-report'), '路灯维修及时');
    await analyst.locator('canvas').first().waitFor();
    await shot(analyst, 'draft');
    await analyst.getByRole('button', { name: '提交审核' }).click();
    await toastShown(analyst, '已提交审核');
    await containsText(analyst.locator('body'), '须由起草人以外的督办员或系统管理员审核发布');
    const reportPath = new URL(analyst.url()).pathname;

    const { page: sup } = await signIn(web.browser, web.server, guard, 'supervisor');
    await sup.goto('/disclosure');
    await containsText(sup.locator('.ant-table'), '待审核');
    await shot(sup, 'list');
    await sup.goto(reportPath);
    await sup.getByRole('button', { name: '审核发布' }).click();
    await containsText(sup.locator('.ant-modal'), '发布后报告在门户公开并不可修改');
    await shot(sup, 'publish');
    await sup.locator('.ant-modal').getByRole('button', { name: '确认发布' }).click();
    await toastShown(sup, '已发布，门户已可查阅');
    await containsText(sup.locator('body'), '已发布');
    // a published month is corrected only by a new version
    await sup.getByRole('button', { name: '发布更正' }).waitFor();

    // the public: no login
    const context = await web.browser.newContext({
      viewport: VIEWPORT,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      baseURL: web.server.url,
      reducedMotion: 'reduce',
    });
    const pub = await context.newPage();
    guard.attach(pub, 'public');
    await pub.goto('/portal');
    await pub.getByRole('navigation', { name: '公众服务' }).getByRole('link', { name: '数据公开' }).click();
    await pathIs(pub, '/portal/disclosure');
    await pub.getByRole('link', { name: /2025 年 3 月/ }).click();
    await pathIs(pub, '/portal/disclosure/2025-03');
    const report = pub.getByTestId('disclosure-report');
    await containsText(report, '热点事项');
    await containsText(report, '牡丹区人民政府');
    await containsText(report, '路灯维修及时');
    await expect.poll(() => pub.locator('canvas').count(), POLL).toBeGreaterThanOrEqual(3);
    const text = await pub.locator('body').innerText();
    for (const secret of ['张秀英', '13905301234', '和平路与中华路', example.number])
      expect(text).not.toContain(secret);
    await expect
      .poll(async () => pub.getByRole('link', { name: /CSV 数据/ }).getAttribute('href'), POLL)
      .toBe('/api/public/disclosure/data/2025-03.csv');
    await shot(pub, 'portal-month');
    await pub.goto('/portal/disclosure');
    await containsText(pub.locator('body'), '2025 年 3 月');
    await shot(pub, 'portal-list');
    await context.close();
    guard.assertClean();
  });
});
