import { expect, it } from 'vitest';
import {
  attributeIs,
  containsText,
  createTicketViaApi,
  describeWeb,
  signIn,
  useWebSession,
  visible,
} from './harness.js';

// 第十七条 回访未果 on screen (issue 14): the callback agent records that the requester declined the callback and
// closes the ticket without an evaluation; three unanswered calls on two days would do the same.
describeWeb('web: callback not reached', () => {
  const web = useWebSession();
  const { guard } = web;

  it('the callback agent records 未接通, sees the next try, then a refusal and closes without satisfaction', async () => {
    const t = await createTicketViaApi(web.server, { title: '丹阳路路灯不亮', content: '丹阳路路灯连续三晚不亮。' });
    await (await web.server.as('dispatcher')).call('POST', `/api/tickets/${t.id}/dispatch`, {});
    const unit = await web.server.as('handler_dc');
    await unit.call('POST', `/api/tickets/${t.id}/accept`, {});
    await unit.call('POST', `/api/tickets/${t.id}/contacts`, { method: 'phone', reached: true, note: '已联系' });
    await unit.call('POST', `/api/tickets/${t.id}/reply`, { result: '已更换灯具。', solved: true });

    const { page: c, context } = await signIn(web.browser, web.server, guard, 'callback');
    await c.getByText(t.number).click();
    const card = c.getByTestId('callback-attempts');
    await visible(card);
    await attributeIs(c.getByTestId('callback-close-unreached'), 'disabled', '');
    await card.getByLabel('回访未果说明').fill('无人接听');
    await card.getByRole('button', { name: '未接通' }).click();
    await containsText(c.getByTestId('callback-next-try'), '已未接通 1 次');
    await containsText(card, '未接通');
    await card.getByRole('button', { name: '拒绝回访' }).click();
    await c.locator('[data-testid="callback-close-unreached"]:not([disabled])').waitFor();
    await c.screenshot({ path: 'docs/screenshots/callback-attempts.png' });
    await c.getByTestId('callback-close-unreached').click();
    await c.locator('.ant-popconfirm').getByRole('button', { name: '办结' }).click();
    await containsText(c.locator('.ant-drawer'), '该工单已回访（已办结）');
    const row = await web.server.handle.db
      .selectFrom('tickets')
      .select(['status', 'satisfaction'])
      .where('id', '=', t.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'closed', satisfaction: null });
    await context.close();
    guard.assertClean();
  });
});
