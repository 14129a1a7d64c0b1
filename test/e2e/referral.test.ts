import { fileURLToPath } from 'node:url';
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  chooseOption,
  containsText,
  createTicketViaApi,
  describeWeb,
  pathIs,
  signIn,
  toastShown,
  useWebSession,
  visible,
} from './harness.js';

// 第九条 → 第二十三条: a requester complains about a staff member; the supervisor investigates, finds it
// substantiated and escalates it to a misconduct referral (pre-filled from the complaint); the referral's evidence
// pack is shown and its PDF downloads; the list filters and exports. The unit it is about never sees it.

const SHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
/** A screenshot once the toasts have gone (they would cover the page's header). */
const shot = async (p: Page, name: string) => {
  await p
    .locator('.ant-message-notice')
    .last()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined);
  await p.screenshot({ path: `${SHOTS}referral-${name}.png` });
};

describeWeb('web: 第九条 complaint handling and 第二十三条 misconduct referral', () => {
  const web = useWebSession();
  const { guard } = web;
  let ticket: { id: number; number: string };
  beforeAll(async () => {
    const t = await createTicketViaApi(web.server, { title: '小区门口污水外溢多日无人处理' });
    ticket = t;
    const dispatcher = await web.server.as('dispatcher');
    await dispatcher.call('POST', `/api/tickets/${t.id}/dispatch`, { leadUnitId: web.server.ids.units['gov-md'] });
    const handler = await web.server.as('handler_md');
    await handler.call('POST', `/api/tickets/${t.id}/accept`, {});
    // a return the centre found unfounded: part of the evidence
    const ret = await handler.call('POST', `/api/tickets/${t.id}/return-applications`, {
      reason: '污水管网不归区政府管',
      materials: [{ name: '说明.pdf' }],
    });
    await dispatcher.call('POST', `/api/applications/${ret.id}/review`, { decision: 'reject', note: '属于属地职责' });
    const res = await web.server.app.inject({
      method: 'POST',
      url: '/api/public/tracking/complaint',
      payload: {
        number: t.number,
        code: (t as unknown as { trackingCode: string }).trackingCode,
        content: '承办人员电话里态度粗暴，说“这事别再打了”就挂断电话',
        againstStaff: '自称姓王的工作人员',
      },
    });
    expect(res.statusCode).toBe(201);
  });

  it('a complaint is investigated, escalated to a referral, and its evidence PDF downloads', async () => {
    const { page: s } = await signIn(web.browser, web.server, guard, 'supervisor');
    await s.locator('.ant-layout-sider').getByText('工作人员投诉').click();
    const row = s.locator('tr', { hasText: ticket.number });
    await containsText(row, '待处理');
    await row.getByRole('button', { name: '办理' }).click();
    const drawer = s.locator('.ant-drawer');
    await visible(drawer.getByText('139****1234'));

    await drawer.getByRole('button', { name: '转入调查' }).click();
    await s.getByLabel('调查安排').fill('调取通话录音，约谈承办人');
    await s.locator('.ant-modal').getByRole('button', { name: '提交' }).click();
    await toastShown(s, '已转入调查');
    await drawer.getByRole('button', { name: '调查结论' }).click();
    await s.locator('.ant-modal').getByText('属实', { exact: true }).click();
    await s.getByLabel('查明情况').fill('通话录音显示承办人语气生硬并主动挂断电话，属实');
    await s.locator('.ant-modal').getByRole('button', { name: '提交' }).click();
    await toastShown(s, '调查结论已保存');
    await containsText(drawer, '通话录音显示承办人语气生硬');
    await shot(s, 'complaint-drawer');

    // escalate: the form comes pre-filled from the complaint
    await drawer.getByRole('button', { name: '移送纪检监察机关' }).click();
    const modal = s.locator('.ant-modal');
    await visible(modal.getByText('投诉升级'));
    expect(await s.getByLabel('工作人员（姓名或岗位）').inputValue()).toBe('自称姓王的工作人员');
    expect(await s.getByLabel('接收机关').inputValue()).toBe('菏泽市纪委监委');
    expect(await s.getByLabel('问题事实').inputValue()).toContain('调查查明');
    await chooseOption(s, s.getByRole('combobox', { name: '问题情形' }), { title: '工作作风粗暴' });
    await modal.locator('.ant-modal-title').click(); // closes the dropdown, not the dialog
    await shot(s, 'create');
    await modal.getByRole('button', { name: '移交' }).click();
    await toastShown(s, '已移交纪检监察机关');
    await expect.poll(() => new URL(s.url()).pathname, { timeout: 15_000 }).toMatch(/^\/supervision\/referrals\/\d+$/);
    await containsText(s.locator('.ant-steps'), '移交');
    await visible(s.getByText(ticket.number));
    await shot(s, 'detail');

    await s.getByRole('tab', { name: '证据材料' }).click();
    await visible(s.getByText('办理过程').first());
    await visible(s.getByText('张**').first());
    await shot(s, 'evidence');

    // a server without a CJK font refuses the PDF in Chinese on the page, not with a page of JSON or a 500
    const font = process.env.PDF_FONT;
    process.env.PDF_FONT = '/nonexistent/font-for-this-test.ttf';
    try {
      const here = new URL(s.url()).pathname;
      guard.expect(/422/);
      await s.getByTestId('referral-pdf').click();
      await toastShown(s, '服务器未安装中文字体');
      await pathIs(s, here);
    } finally {
      if (font === undefined) delete process.env.PDF_FONT;
      else process.env.PDF_FONT = font;
    }
    const [download] = await Promise.all([s.waitForEvent('download'), s.getByTestId('referral-pdf').click()]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(path).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // 受理 is recorded on the detail page
    await s.getByRole('button', { name: '记录受理' }).click();
    await s.getByLabel('说明（如受理文号）').fill('菏纪受〔2025〕12号');
    await s.locator('.ant-modal').getByRole('button', { name: '提交' }).click();
    await toastShown(s, '已记录受理');
    await visible(s.getByRole('button', { name: '记录处理结果' }));

    await s.locator('.ant-layout-sider').getByText('问责移送').click();
    await pathIs(s, '/supervision/referrals');
    await containsText(s.locator('.ant-table-tbody'), '牡丹区人民政府');
    await containsText(s.locator('.ant-table-tbody'), '已受理');
    await shot(s, 'list');
    guard.assertClean();
  });

  it('第二十三条 a supervisor refers the lead unit from the ticket page, the ticket and unit filled in', async () => {
    const { page: s } = await signIn(web.browser, web.server, guard, 'supervisor');
    await s.goto(`/tickets/${ticket.id}`);
    await s.getByRole('button', { name: '移送纪检' }).click();
    const modal = s.locator('.ant-modal');
    await visible(modal.getByText('问题线索移送纪检监察机关'));
    expect(await s.getByLabel('涉及工单（工单号，可多个，用空格分隔）').inputValue()).toBe(ticket.number);
    await containsText(modal.locator('.ant-select-selection-item').first(), '牡丹区人民政府');
    await chooseOption(s, s.getByRole('combobox', { name: '问题情形' }), { title: '推诿扯皮' });
    await modal.locator('.ant-modal-title').click();
    await s.getByLabel('问题事实').fill('属地职责明确，仍以不归区政府管为由申请退单，经审核不成立');
    await modal.getByRole('button', { name: '移交' }).click();
    await toastShown(s, '已移交纪检监察机关');
    await expect.poll(() => new URL(s.url()).pathname, { timeout: 15_000 }).toMatch(/^\/supervision\/referrals\/\d+$/);
    await visible(s.getByText(ticket.number));
    guard.assertClean();
  });

  it('the unit the referral is about has no such screen', async () => {
    const { page: m } = await signIn(web.browser, web.server, guard, 'manager_md');
    expect(await m.locator('.ant-layout-sider').getByText('问责移送').count()).toBe(0);
    guard.assertClean();
  });
});
