import { beforeAll, expect, it } from 'vitest';
import {
  attributeIs,
  containsText,
  createTicketViaApi,
  describeWeb,
  signIn,
  toastShown,
  useWebSession,
} from './harness.js';

// 第十五条 when the requester cannot be reached: the handler records failed attempts; once they meet the policy
// (3 attempts on 2 different days) the reply goes with an explanation, which the callback agent sees in the queue
// and beside the callback form.
describeWeb('web: reply when the requester cannot be reached (第十五条)', () => {
  const web = useWebSession();
  const { guard } = web;
  let ticket: { id: number; number: string };
  beforeAll(async () => {
    ticket = await createTicketViaApi(web.server, { title: '和平路井盖缺失' });
    const dispatcher = await web.server.as('dispatcher');
    await dispatcher.call('POST', `/api/tickets/${ticket.id}/dispatch`, { leadUnitId: web.server.ids.units['gov-md'] });
    const handler = await web.server.as('handler_md');
    await handler.call('POST', `/api/tickets/${ticket.id}/accept`, {});
    // Monday: two calls, nobody answers
    for (const note of ['09:30 致电无人接听', '15:00 致电无人接听'])
      await handler.call('POST', `/api/tickets/${ticket.id}/contacts`, { method: 'phone', reached: false, note });
    web.server.clock.set('2025-03-04T10:00:00+08:00'); // Tuesday
  });

  it('the handler records the third failed attempt on another day and replies with the explanation; the callback agent sees it', async () => {
    const { page: h } = await signIn(web.browser, web.server, guard, 'handler_md');
    await h.goto(`/tickets/${ticket.id}`);
    const actions = h.getByTestId('unit-actions');
    await containsText(actions.getByTestId('contact-attempts'), '已尝试联系 2 次（1 个日期）');
    await containsText(actions.getByTestId('reply-blocked'), '还须在另一个日期再尝试联系');
    await attributeIs(actions.getByRole('button', { name: '办结答复' }), 'disabled', '');

    await actions.getByRole('button', { name: '联系诉求人' }).click();
    await h.locator('.ant-modal').getByRole('switch').click(); // 已联系上 → 未联系上
    await h.getByLabel('联系情况').fill('再次致电仍无人接听，已发短信');
    await h.locator('.ant-modal').getByRole('button', { name: '提交' }).click();
    await toastShown(h, '已记录联系情况');
    await containsText(actions.getByTestId('contact-attempts'), '已尝试联系 3 次（2 个日期）');

    await actions.getByRole('button', { name: '办结答复' }).click();
    const modal = h.locator('.ant-modal');
    await containsText(
      modal.getByTestId('reply-unreachable'),
      '诉求人无法联系：3 次尝试（电话 3 次），3月3日至3月4日共 2 天',
    );
    await h.getByLabel('办理结果').fill('井盖已补装，现场已恢复安全通行。');
    await modal.getByRole('button', { name: '提交' }).click();
    await containsText(modal, '请说明未能联系上诉求人的情况'); // the explanation is required
    await h.getByLabel('无法联系情况说明').fill('3月3日、4日三次致电无人接听，已发短信告知办理结果');
    await modal.getByRole('button', { name: '提交' }).click();
    await toastShown(h, '已答复，等待中心回访');
    await attributeIs(h.getByTestId('ticket-detail'), 'data-status', 'replied');
    await containsText(h.locator('[data-event-kind="replied"]'), '诉求人无法联系：3 次尝试');

    const { page: c } = await signIn(web.browser, web.server, guard, 'callback');
    const row = c.locator(`tr[data-ticket-number="${ticket.number}"]`);
    await containsText(row.getByTestId('ticket-unreachable'), '诉求人无法联系：3 次尝试');
    await row.click();
    const alert = c.getByTestId('callback-form').getByTestId('callback-unreachable');
    await containsText(alert, '诉求人无法联系：3 次尝试（电话 3 次），3月3日至3月4日共 2 天');
    await containsText(alert, '承办单位说明：3月3日、4日三次致电无人接听，已发短信告知办理结果');
    await containsText(c.getByTestId('callback-reply'), '已发短信告知办理结果');
    guard.assertClean();
  });

  it('the admin sets the policy on the 办理时限 page', async () => {
    const { page: a } = await signIn(web.browser, web.server, guard, 'admin');
    await a.goto('/admin/time-limits');
    const card = a.getByTestId('unreachable-policy');
    await containsText(card, '在 2 个不同日期共尝试联系 3 次仍未联系上的，可说明情况后答复');
    await card.getByRole('button', { name: '修改' }).click();
    await a.getByLabel('至少尝试次数').fill('4');
    await a.locator('.ant-modal').getByRole('button', { name: '保存' }).click();
    await toastShown(a, '已保存：2 个日期共 4 次');
    await containsText(card, '共尝试联系 4 次');
    const admin = await web.server.as('admin');
    expect(await admin.call('GET', '/api/unreachable-reply-policy')).toEqual({ minAttempts: 4, minDistinctDays: 2 });
    guard.assertClean();
  });
});
