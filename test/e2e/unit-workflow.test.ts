import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import {
  attributeIs,
  chooseOption,
  containsText,
  countIs,
  createTicketViaApi,
  describeWeb,
  pickSelect,
  signIn,
  toastShown,
  useWebSession,
  visible,
} from './harness.js';

const SHOTS = 'docs/screenshots/unit-workflow-';
const shot = (p: Page, name: string) => p.screenshot({ path: `${SHOTS}${name}.png` });

// Issue 14, the dispatcher's and the unit's day. 第十四条: the dispatcher batch-dispatches two tickets of the queue by
// the catalogue, confirms a one-click dispatch, then reassigns one before the unit accepts and recalls it to the
// queue. 第十七条: a reworked ticket is marked in the unit's queue and its page opens with the rework reason.
describeWeb('web: batch dispatch, recall and reassign before acceptance, rework marked (第十四条)', () => {
  const web = useWebSession();
  const { guard } = web;

  it('第十四条 dispatcher batch-dispatches, confirms a one-click dispatch, reassigns and recalls', async () => {
    const s = web.server;
    const a = await createTicketViaApi(s, { title: '和平路路灯连续一周不亮' });
    const b = await createTicketViaApi(s, { title: '中华路井盖缺失' });
    const c = await createTicketViaApi(s, { title: '人民路窨井冒水' });

    const { page: d } = await signIn(web.browser, web.server, guard, 'dispatcher');
    await d.goto('/dispatch');
    const rowA = d.locator(`tr[data-ticket-number="${a.number}"]`);
    const rowB = d.locator(`tr[data-ticket-number="${b.number}"]`);
    await visible(rowA);
    await rowA.locator('.ant-checkbox-input').check();
    await rowB.locator('.ant-checkbox-input').check();
    await containsText(d.getByTestId('batch-dispatch'), '批量派单（2）');
    await d.getByTestId('batch-dispatch').click();
    const list = d.getByTestId('batch-dispatch-list');
    await containsText(list, a.number);
    await containsText(list, b.number);
    await containsText(list.locator(`tr[data-ticket-number="${a.number}"]`), '牡丹区东城街道办事处'); // the suggestion
    await shot(d, 'batch-confirm');
    await d.getByTestId('batch-confirm').click();
    await containsText(d.locator('.ant-modal'), '派出 2 件，未派出 0 件');
    await containsText(list.locator(`tr[data-ticket-number="${b.number}"]`), '已派至 牡丹区东城街道办事处');
    await shot(d, 'batch-result');
    await d.locator('.ant-modal').getByRole('button', { name: '关闭' }).click();
    await countIs(rowA, 0);
    await countIs(rowB, 0);

    // the one-click dispatch asks first, naming the unit
    await d.locator(`tr[data-ticket-number="${c.number}"]`).click();
    await d.getByTestId('dispatch-suggestion').getByRole('button', { name: '按派单目录派单' }).click();
    const confirm = d.locator('.ant-popconfirm');
    await containsText(confirm, '派至 牡丹区东城街道办事处');
    await shot(d, 'one-click-confirm');
    await confirm.getByRole('button', { name: '确认派单' }).click();
    await toastShown(d, `工单 ${c.number} 已派至 牡丹区东城街道办事处`);
    await attributeIs(d.getByTestId('ticket-detail'), 'data-status', 'dispatched');
    await d.locator('.ant-drawer-close').click();

    // 改派 before the unit accepted
    await d.goto(`/tickets/${a.id}`);
    const panel = d.getByTestId('recall-panel');
    await containsText(panel, '尚未签收');
    await panel.getByRole('button', { name: '改派' }).click();
    await pickSelect(d, '改派至主办单位', '菏泽市城市管理局');
    await d.getByLabel('改派理由').fill('井盖、路灯属城管局直管设施');
    await shot(d, 'reassign');
    await d.locator('.ant-modal').getByRole('button', { name: '确认改派' }).click();
    await toastShown(d, `工单 ${a.number} 已改派至 菏泽市城市管理局`);
    await containsText(d.locator('[data-event-kind="reassigned"]'), '井盖、路灯属城管局直管设施');
    // issue 14: the message offers 撤销 — a reassignment back to the unit before (its time limits start again)
    await d.getByTestId('undo-button').click();
    await toastShown(d, '已撤销：工单改回');
    await containsText(d.locator('[data-event-kind="reassigned"]').last(), '撤销改派');
    await attributeIs(d.getByTestId('ticket-detail'), 'data-status', 'dispatched');

    // 撤回 to 待派单
    await d.getByTestId('recall-panel').getByRole('button', { name: '撤回至待派单' }).click();
    await d.getByLabel('撤回理由').fill('需核实具体位置后再派');
    await d.locator('.ant-modal').getByRole('button', { name: '确认撤回' }).click();
    await toastShown(d, `工单 ${a.number} 已撤回至待派单`);
    // the pointer on 撤销 keeps the message open (UndoToast) while the recall is checked
    await d.getByTestId('undo-button').hover();
    await attributeIs(d.getByTestId('ticket-detail'), 'data-status', 'pending_dispatch');
    await containsText(d.locator('[data-event-kind="dispatch_recalled"]'), '需核实具体位置后再派');
    await countIs(d.getByTestId('recall-panel'), 0);
    await shot(d, 'recalled');
    // issue 14: 撤销 dispatches it again to the unit it was recalled from — a new dispatch (第十四条: its time limits
    // start again), so the unit can still be recalled from before it accepts
    await d.getByTestId('undo-button').click();
    await toastShown(d, '已撤销：工单重新派至');
    await attributeIs(d.getByTestId('ticket-detail'), 'data-status', 'dispatched');
    await countIs(d.locator('[data-event-kind="dispatched"]'), 2);
    await containsText(d.getByTestId('recall-panel'), '尚未签收');

    // once the unit accepted, there is nothing to recall
    await (await s.as('handler_dc')).call('POST', `/api/tickets/${b.id}/accept`, {});
    await d.goto(`/tickets/${b.id}`);
    await attributeIs(d.getByTestId('ticket-detail'), 'data-status', 'in_progress');
    await countIs(d.getByTestId('recall-panel'), 0);

    guard.assertClean();
  });

  it('第十七条 a reworked ticket is tagged 重办 in the unit queue and its page shows the reason first', async () => {
    const s = web.server;
    const t = await createTicketViaApi(s, { title: '东城街道垃圾清运不及时' });
    await (
      await s.as('dispatcher')
    ).call('POST', `/api/tickets/${t.id}/dispatch`, { leadUnitId: s.ids.units['gov-md'] });
    const h = await s.as('handler_md');
    await h.call('POST', `/api/tickets/${t.id}/accept`, {});
    await h.call('POST', `/api/tickets/${t.id}/contacts`, { method: 'phone', reached: true, note: '已电话联系' });
    await h.call('POST', `/api/tickets/${t.id}/reply`, { result: '已安排清运', solved: true });
    await (
      await s.as('callback')
    ).call('POST', `/api/tickets/${t.id}/callback`, {
      satisfaction: 'unsatisfied',
      resolved: false,
      reasonable: true,
      outcome: 'rework',
      note: '诉求人称垃圾仍未清运，小区门口堆放三天',
    });

    const { page: u } = await signIn(web.browser, web.server, guard, 'handler_md');
    await u.goto('/unit/lead');
    const row = u.locator(`tr[data-ticket-number="${t.number}"]`);
    await visible(row);
    await containsText(row.getByTestId('rework-tag'), '重办');
    await shot(u, 'rework-queue');
    await row.click();
    const banner = u.getByTestId('rework-banner');
    await containsText(banner, '第 1 次重办');
    await containsText(banner, '诉求人称垃圾仍未清运，小区门口堆放三天');
    await containsText(banner, '诉求人不满意');
    expect(await banner.isVisible()).toBe(true);
    await shot(u, 'rework-banner');

    guard.assertClean();
  });

  it('第十五条 the admin requires sign-off; the handler submits, the manager sees 待审核 and approves', async () => {
    const s = web.server;
    // the admin switches it on for 牡丹区人民政府 in 单位与区划
    const { page: adm } = await signIn(web.browser, web.server, guard, 'admin');
    await adm.goto('/admin/units');
    const sw = adm.getByTestId('signoff-switch-gov-md');
    await visible(adm.locator('.ant-table-row'));
    for (let i = 0; i < 8 && (await sw.count()) === 0; i++) {
      await adm.locator('.ant-pagination-next').first().click();
      await visible(adm.locator('.ant-table-row'));
    }
    await sw.click();
    await toastShown(adm, '牡丹区人民政府的答复须经单位负责人审核');
    await attributeIs(sw, 'aria-checked', 'true');
    await shot(adm, 'signoff-setting');

    const t = await createTicketViaApi(s, { title: '牡丹路路面坑洼' });
    await (
      await s.as('dispatcher')
    ).call('POST', `/api/tickets/${t.id}/dispatch`, { leadUnitId: s.ids.units['gov-md'] });
    const api = await s.as('handler_md');
    await api.call('POST', `/api/tickets/${t.id}/accept`, {});
    await api.call('POST', `/api/tickets/${t.id}/contacts`, { method: 'phone', reached: true, note: '已电话联系' });

    // the handler's reply goes to the manager
    const { page: h } = await signIn(web.browser, web.server, guard, 'handler_md');
    await h.goto(`/tickets/${t.id}`);
    await visible(h.getByTestId('signoff-required'));
    await h.getByRole('button', { name: '办结答复（提交审核）' }).click();
    await h.getByLabel('办理结果').fill('已组织施工队修补路面坑洼，3月4日完工');
    await h.locator('.ant-modal').getByRole('button', { name: '提交审核' }).click();
    await toastShown(h, '已提交单位负责人审核');
    await attributeIs(h.getByTestId('signoff-panel'), 'data-signoff-status', 'pending');
    await attributeIs(h.getByTestId('ticket-detail'), 'data-status', 'in_progress');
    await shot(h, 'signoff-submitted');

    // the manager's 待审核答复
    const { page: m } = await signIn(web.browser, web.server, guard, 'manager_md');
    await m.goto('/unit/lead');
    await m.getByText('待审核答复').click();
    const row = m.getByTestId('signoff-queue').locator(`tr[data-ticket-number="${t.number}"]`);
    await containsText(row, '已组织施工队修补路面坑洼');
    await containsText(row, '陈承办');
    await shot(m, 'signoff-queue');
    await row.getByRole('link', { name: t.number }).click();
    const panel = m.getByTestId('signoff-panel');
    await containsText(panel, '已组织施工队修补路面坑洼');
    await shot(m, 'signoff-review');
    await panel.getByTestId('signoff-approve').click();
    await toastShown(m, `工单 ${t.number} 已审核通过，答复已送出`);
    await attributeIs(m.getByTestId('ticket-detail'), 'data-status', 'replied');
    await containsText(m.locator('[data-event-kind="reply_signed_off"]'), '单位负责人审核通过');
    await visible(m.locator('[data-event-kind="replied"]'));

    await (
      await s.as('admin')
    ).call('PUT', `/api/units/${s.ids.units['gov-md']}/reply-signoff`, { replySignoff: false });
    guard.assertClean();
  });

  it('the manager names a handler; the handler sees 「我的」 first; the extension form shows the limit', async () => {
    const s = web.server;
    const t = await createTicketViaApi(s, { title: '和平路人行道地砖松动' });
    await (
      await s.as('dispatcher')
    ).call('POST', `/api/tickets/${t.id}/dispatch`, { leadUnitId: s.ids.units['gov-md'] });
    await (await s.as('handler_md')).call('POST', `/api/tickets/${t.id}/accept`, {});

    const { page: m } = await signIn(web.browser, web.server, guard, 'manager_md');
    await m.goto(`/tickets/${t.id}`);
    const panel = m.getByTestId('handler-panel');
    await containsText(panel, '尚未指定承办人');
    await chooseOption(m, m.getByRole('combobox', { name: '指定承办人' }), { title: '陈承办' });
    await panel.getByRole('button', { name: '指定' }).click();
    await toastShown(m, '已指定承办人：陈承办');
    await containsText(m.getByTestId('current-handler'), '陈承办');
    await shot(m, 'handler-assign');

    const { page: h } = await signIn(web.browser, web.server, guard, 'handler_md');
    await h.goto('/unit/lead');
    // the handler's 「我的」 is chosen first, with the ticket the manager named them for
    await containsText(h.locator('.ant-segmented-item-selected'), '我的');
    const row = h.locator(`tr[data-ticket-number="${t.number}"]`);
    await visible(row);
    await shot(h, 'mine');
    await row.click();
    await containsText(h.getByTestId('current-handler'), '本人承办');
    await h.getByRole('button', { name: '申请延期' }).click();
    await containsText(h.getByTestId('extension-limit'), '延期累计不得超过 10 个工作日：已延期 0 个工作日');
    await shot(h, 'extension-limit');

    guard.assertClean();
  });
});
