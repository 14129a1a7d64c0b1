import { beforeAll, expect, it } from 'vitest';
import {
  attributeIs,
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

// Journeys (d) and (e): the street office applies to return a ticket that is not its duty; the dispatcher
// approves and redispatches it to the district government, after which the street office no longer sees it.
// A unit never sees another unit's ticket: the page says so in Chinese.
describeWeb('web: return application and access control', () => {
  const web = useWebSession();
  const { guard } = web;
  let ticket: { id: number; number: string };
  beforeAll(async () => {
    ticket = await createTicketViaApi(web.server); // CX-SZ at 东城街道 → the catalogue sends it to the street office
    const dispatcher = await web.server.as('dispatcher');
    await dispatcher.call('POST', `/api/tickets/${ticket.id}/dispatch`, {});
  });

  it('(d) handler applies for return, dispatcher approves and redispatches, the first handler no longer sees it', async () => {
    const { page: h } = await signIn(web.browser, web.server, guard, 'handler_dc');
    const row = h.locator(`tr[data-ticket-number="${ticket.number}"]`);
    await row.click();
    await attributeIs(h.getByTestId('ticket-detail'), 'data-status', 'dispatched');
    await h.getByTestId('unit-actions').getByRole('button', { name: '申请退单' }).click();
    const modal = h.locator('.ant-modal');
    // Materials are required for a return (第十四条): the form says so before anything is sent.
    await modal.getByRole('button', { name: '提交' }).click();
    await visible(modal.getByText('请填写退单理由'));
    await visible(modal.getByText('申请退单须按规定提供材料'));
    await h.getByLabel('退单理由').fill('该路段照明设施由区政府统一管护，不属街道职责');
    // 第十四条: the material is an uploaded file (sent when picked, named in the application)
    await modal.locator('input[type=file]').setInputFiles({
      name: '区政府照明设施管护文件.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'),
    });
    await visible(modal.locator('.ant-upload-list-item-done', { hasText: '区政府照明设施管护文件.pdf' }));
    await modal.getByRole('button', { name: '提交' }).click();
    await toastShown(h, '退单申请已提交，等待中心审核');
    await containsText(h.locator('[data-event-kind="return_applied"]'), '区政府照明设施管护文件.pdf');
    // One pending return at a time: the action is no longer offered.
    await countIs(h.getByTestId('unit-actions').getByRole('button', { name: '申请退单' }), 0);

    const { page: d } = await signIn(web.browser, web.server, guard, 'dispatcher');
    await d.locator('.ant-layout-sider').getByText('申请审核').click();
    const app = d.locator(`tr[data-ticket-number="${ticket.number}"][data-application-kind="return"]`);
    await containsText(app, '不属街道职责');
    await containsText(app, '区政府照明设施管护文件.pdf');
    await app.getByRole('button', { name: '审核' }).click();
    await pickSelect(d, '改派主办单位', '牡丹区人民政府');
    await d.getByLabel('审核意见').fill('材料充分，同意改派区政府');
    await d.locator('.ant-modal').getByRole('button', { name: '提交审核意见' }).click();
    await toastShown(d, `已同意退单，工单 ${ticket.number} 已改派`);
    await countIs(app, 0);

    // The street office's queue no longer lists it, and opening it directly is refused in Chinese.
    await h.goto('/unit/lead');
    await visible(h.getByText('本单位暂无在办工单'));
    await countIs(row, 0);
    guard.expect(/status of 404/);
    await h.goto(`/tickets/${ticket.id}`);
    await containsText(h.getByTestId('ticket-not-found'), '工单不存在或无权查看');

    // The district government has it, waiting to be accepted.
    const { page: m } = await signIn(web.browser, web.server, guard, 'handler_md');
    await m.locator(`tr[data-ticket-number="${ticket.number}"]`).click();
    await attributeIs(m.getByTestId('ticket-detail'), 'data-status', 'dispatched');
    await containsText(m.locator('[data-event-kind="return_approved"]'), '改派至 牡丹区人民政府');
    guard.assertClean();
  });

  it("(e) a handler cannot open another unit's ticket", async () => {
    const { page: x } = await signIn(web.browser, web.server, guard, 'handler_cx');
    await visible(x.getByText('本单位暂无在办工单'));
    guard.expect(/status of 404/);
    await x.goto(`/tickets/${ticket.id}`);
    await containsText(x.getByTestId('ticket-not-found'), '工单不存在或无权查看');
    await countIs(x.getByTestId('ticket-detail'), 0);
    // Centre-only screens are not offered, and opening one by address says it is not allowed.
    expect(await x.locator('.ant-layout-sider').getByText('待派单').count()).toBe(0);
    await x.goto('/dispatch');
    await visible(x.getByText('无权访问'));
    guard.assertClean();
  });
});
