import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  attributeIs,
  containsText,
  countIs,
  createTicketViaApi,
  describeWeb,
  signIn,
  toastShown,
  useWebSession,
  visible,
} from './harness.js';

// Journeys (b) and (c): the lead unit accepts, contacts the requester and replies; the callback agent finds
// the requester unsatisfied with a reasonable request and sends it back; the unit replies again and the
// second callback closes it satisfied.
describeWeb('web: unit handling and callback', () => {
  const web = useWebSession();
  const { guard } = web;
  let ticket: { id: number; number: string };
  let handler: Page;
  beforeAll(async () => {
    ticket = await createTicketViaApi(web.server, {
      categoryId: web.server.ids.categories['CX-WJ'],
      title: '小区内有人私搭乱建',
      regionCode: '371702',
    });
    const dispatcher = await web.server.as('dispatcher');
    await dispatcher.call('POST', `/api/tickets/${ticket.id}/dispatch`, { leadUnitId: web.server.ids.units['gov-md'] });
  });

  async function reply(page: Page, text: string) {
    await page.getByRole('button', { name: '办结答复' }).click();
    await page.getByLabel('办理结果').fill(text);
    await page.locator('.ant-modal').getByRole('button', { name: '提交' }).click();
    await toastShown(page, '已答复，等待中心回访');
    await attributeIs(page.getByTestId('ticket-detail'), 'data-status', 'replied');
  }

  it('(b) handler accepts, records contact and replies', async () => {
    ({ page: handler } = await signIn(web.browser, web.server, guard, 'handler_md'));
    const h = handler;
    expect(new URL(h.url()).pathname).toBe('/unit/lead');
    const row = h.locator(`tr[data-ticket-number="${ticket.number}"]`);
    await visible(row);
    // Freshly dispatched: its accept deadline is shown as 正常 (green).
    await attributeIs(row.locator('[data-deadline-state]'), 'data-deadline-state', 'ok');
    await row.click();
    await attributeIs(h.getByTestId('ticket-detail'), 'data-status', 'dispatched');
    // Before accepting, only accept and the applications allowed in this state are offered.
    const actions = h.getByTestId('unit-actions');
    expect(await actions.getByRole('button', { name: '办结答复' }).count()).toBe(0);

    await actions.getByRole('button', { name: '签收' }).click();
    await h.locator('.ant-popconfirm').getByRole('button', { name: '签收' }).click();
    await toastShown(h, '已签收，请及时联系诉求人');
    await attributeIs(h.getByTestId('ticket-detail'), 'data-status', 'in_progress');
    // Reply waits for the first contact (第十五条第一项).
    await attributeIs(actions.getByRole('button', { name: '办结答复' }), 'disabled', '');

    await actions.getByRole('button', { name: '联系诉求人' }).click();
    await h.getByLabel('联系情况').fill('已电话联系诉求人，约定明日上午现场查看');
    await h.locator('.ant-modal').getByRole('button', { name: '提交' }).click();
    await toastShown(h, '已记录联系情况');
    await containsText(h.locator('[data-event-kind="requester_contacted"]'), '约定明日上午现场查看');

    await reply(h, '经现场查看，违建已责令当事人于三日内自行拆除，社区跟踪落实。');
    const timeline = h.getByTestId('ticket-detail');
    for (const label of ['受理登记', '派单', '签收', '联系诉求人', '办结答复']) await containsText(timeline, label);
    await containsText(h.locator('[data-deadline-kind="callback"]'), '回访时限');
  });

  it('(c) unsatisfied + reasonable → rework → reply again → closed satisfied', async () => {
    // The requester answers the reply notice's survey SMS with "3" through the SMS gateway (短信回访).
    const admin = await web.server.as('admin');
    const { token } = await admin.call('POST', '/api/auth/tokens', {
      userId: web.server.ids.users.gateway,
      name: 'e2e gateway',
    });
    const sms = await web.server.app.inject({
      method: 'POST',
      url: '/api/channels/sms/inbound',
      headers: { authorization: `Bearer ${token}` },
      payload: {
        messageId: 'e2e-survey-1',
        from: '13905301234',
        to: '106512345',
        text: '3',
        receivedAt: web.server.clock.now().toISOString(),
      },
    });
    expect(sms.json().survey).toEqual({ ticketNumber: ticket.number, satisfaction: 'unsatisfied' });

    const { page: c } = await signIn(web.browser, web.server, guard, 'callback');
    expect(new URL(c.url()).pathname).toBe('/callback');
    const row = c.locator(`tr[data-ticket-number="${ticket.number}"]`);
    await row.click();
    // The reply is shown beside the callback form.
    await containsText(c.getByTestId('callback-reply'), '违建已责令当事人于三日内自行拆除');
    const form = c.getByTestId('callback-form');
    // the agent starts from the requester's own answer
    await containsText(form.getByTestId('requester-evaluation'), '诉求人已评价：不满意（回复回访短信');
    await containsText(form.locator('.ant-radio-button-wrapper-checked'), '不满意');
    await form.getByText('不满意', { exact: true }).click();
    await form.getByText('未解决').click();
    await form.getByText('合理', { exact: true }).click();
    await form.getByText('退回重办').click();
    await c.getByLabel('回访记录').fill('诉求人反映违建至今未拆');
    await form.getByRole('button', { name: '提交回访结果' }).click();
    // a consequential step asks first (issue 14)
    await c.locator('.ant-modal-confirm').getByRole('button', { name: '退回重办' }).click();
    await toastShown(c, `工单 ${ticket.number} 已退回承办单位重办`);
    await c.locator('.ant-drawer-close').click();
    await countIs(row, 0);

    // The unit sees it back in progress with a rework deadline and replies again.
    const h = handler;
    await h.reload();
    await attributeIs(h.getByTestId('ticket-detail'), 'data-status', 'in_progress');
    await containsText(h.locator('[data-event-kind="rework"]'), '诉求人反映违建至今未拆');
    await containsText(h.locator('[data-deadline-kind="rework"]'), '重办时限');
    await reply(h, '已联合城管执法拆除违建，现场已恢复原状。');

    await c.reload();
    await row.click();
    await containsText(c.getByTestId('callback-reply'), '已联合城管执法拆除违建');
    await containsText(c.getByTestId('callback-reply'), '已重办 1 次');
    // the requester's "3" answered the first reply, so it is shown but no longer preselected
    await containsText(form.getByTestId('requester-evaluation'), '该评价针对重办前的答复');
    expect(await form.locator('.ant-radio-button-wrapper-checked').count()).toBe(0);
    await form.getByText('满意', { exact: true }).click();
    await form.getByText('已解决').click();
    await form.getByText('办结', { exact: true }).click();
    await form.getByRole('button', { name: '提交回访结果' }).click();
    await toastShown(c, `工单 ${ticket.number} 已办结`);

    await h.reload();
    await attributeIs(h.getByTestId('ticket-detail'), 'data-status', 'closed');
    await containsText(h.getByTestId('ticket-detail'), '回访办结');
    await h.getByRole('tab', { name: /回访/ }).click();
    await countIs(h.locator('.ant-tabs-tabpane-active tbody tr.ant-table-row'), 2);
    guard.assertClean();
  });
});
