import { expect, it } from 'vitest';
import {
  attributeIs,
  containsText,
  createTicketViaApi,
  describeWeb,
  pickSelect,
  signIn,
  toastShown,
  useWebSession,
  visible,
} from './harness.js';
import { expectNoAxeViolations, expectNoAxeViolationsIn } from './axe.js';

// 二级派单 (issue 14, 第十四至十六条): 牡丹区人民政府 has accepted a ticket of 东城街道's area and passes it to 东城街道,
// which signs for it and replies up; 牡丹区 reviews the reply and answers the centre as the lead unit.
describeWeb('web: district government passing to a street (二级派单, 第十四至十六条)', () => {
  const web = useWebSession();
  const { guard } = web;

  it('第十四条 牡丹区 passes a ticket to 东城街道, which accepts and replies; 牡丹区 reviews and replies to the centre', async () => {
    const s = web.server;
    const t = await createTicketViaApi(s, { title: '和平路路灯连续一周不亮' });
    await (
      await s.as('dispatcher')
    ).call('POST', `/api/tickets/${t.id}/dispatch`, { leadUnitId: s.ids.units['gov-md'] });
    const md = await s.as('handler_md');
    await md.call('POST', `/api/tickets/${t.id}/accept`, {});
    await md.call('POST', `/api/tickets/${t.id}/contacts`, {
      method: 'phone',
      reached: true,
      note: '已电话联系诉求人',
    });

    // 牡丹区 passes it down
    const { page: m } = await signIn(web.browser, s, guard, 'handler_md');
    await m.goto(`/tickets/${t.id}`);
    const panel = m.getByTestId('sub-dispatch-panel');
    await panel.getByRole('button', { name: '转派下级单位' }).click();
    await containsText(m.locator('.ant-modal'), '本单位仍为主办单位');
    await pickSelect(m, '下级单位', '牡丹区东城街道办事处');
    await m.getByLabel('转派要求').fill('请东城街道核实现场，组织维修并答复');
    await expectNoAxeViolationsIn(m, '转派下级单位');
    await m.locator('.ant-modal').getByRole('button', { name: '确认转派' }).click();
    await toastShown(m, '已转派牡丹区东城街道办事处');
    await containsText(panel, '待签收');

    // 东城街道 finds it in its queue, signs for it and replies up
    const { page: d } = await signIn(web.browser, s, guard, 'handler_dc');
    await d.goto('/unit/sub-dispatches');
    const row = d.getByTestId('sub-dispatch-table-received').locator('tr', { hasText: t.number });
    await visible(row);
    await containsText(row, '牡丹区人民政府');
    await d.screenshot({ path: 'docs/screenshots/second-level-dispatch-queue.png' });
    await expectNoAxeViolations(d, '转派工单');
    await row.click();
    const dpanel = d.getByTestId('sub-dispatch-panel');
    await dpanel.getByRole('button', { name: '签收' }).click();
    await toastShown(d, '已签收');
    await dpanel.getByRole('button', { name: '答复上级单位' }).click();
    await d.getByLabel('办理结果', { exact: true }).fill('已更换损坏灯具，经夜间巡查恢复照明');
    await expectNoAxeViolationsIn(d, '答复上级单位');
    await d.locator('.ant-modal').getByRole('button', { name: '提交答复' }).click();
    await toastShown(d, '答复已提交上级单位审核');
    await containsText(dpanel, '已答复待审核');

    // 牡丹区 sees its sub-unit's progress on its queue, reviews the reply and answers the centre
    await m.goto('/unit/lead');
    await m.getByText('转派下级', { exact: true }).click();
    const sent = m.getByTestId('sub-dispatch-table-sent').locator('tr', { hasText: t.number });
    await containsText(sent, '已答复待审核');
    await containsText(sent, '牡丹区东城街道办事处');
    await sent.click();
    await m.getByTestId('sub-dispatch-panel').getByRole('button', { name: '审核下级答复' }).click();
    await m
      .locator('.ant-modal')
      .getByRole('button', { name: '确 定' })
      .or(m.locator('.ant-modal').getByRole('button', { name: '确定' }))
      .click();
    await toastShown(m, '已采纳下级答复');
    await containsText(m.getByTestId('sub-dispatch-panel'), '答复已采纳');
    await m.screenshot({ path: 'docs/screenshots/second-level-dispatch.png' });
    await expectNoAxeViolations(m, '工单详情 转派下级');
    await m.getByRole('button', { name: '办结答复' }).click();
    await m.getByLabel('办理结果', { exact: true }).fill('经东城街道核实，已更换损坏灯具，恢复照明');
    await m
      .locator('.ant-modal')
      .getByRole('button', { name: '提 交' })
      .or(m.locator('.ant-modal').getByRole('button', { name: '提交' }))
      .click();
    await attributeIs(m.getByTestId('ticket-detail'), 'data-status', 'replied');

    // the centre sees the chain on the ticket page
    const { page: c } = await signIn(web.browser, s, guard, 'dispatcher');
    await c.goto(`/tickets/${t.id}`);
    await containsText(c.getByTestId('sub-dispatch-panel'), '牡丹区东城街道办事处');
    await containsText(c.getByTestId('sub-dispatch-panel'), '答复已采纳');
    expect(guard.errors).toEqual([]);
  }, 120_000); // three users' screens with six axe checks
});
