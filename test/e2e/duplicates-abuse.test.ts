import { expect, it } from 'vitest';
import {
  attributeIs,
  containsText,
  countIs,
  createTicketViaApi,
  describeWeb,
  pathIs,
  signIn,
  toastShown,
  useWebSession,
  visible,
} from './harness.js';
import { expectNoAxeViolations } from './axe.js';

// 第十三条第三项 and 第十一、三十四条 on screen: the agent answers a repeat from the duplicates beside the contact,
// the dispatcher merges two tickets of one matter, the admin reviews an abuse flag.
describeWeb('web: duplicates, merge and abuse review', () => {
  const web = useWebSession();
  const { guard } = web;

  it('agent: a repeat contact is answered from the possible duplicates with the ticket’s progress', async () => {
    const first = await createTicketViaApi(web.server); // 张秀英, 13905301234: 和平路路灯
    const agentApi = await web.server.as('agent');
    const again = await agentApi.call('POST', '/api/contacts', {
      channel: 'sms',
      requester: { phone: '13905301234' },
      content: '和平路路灯还是不亮，什么时候修？',
    });

    const { page: a, context } = await signIn(web.browser, web.server, guard, 'agent');
    await a.getByTestId('inbox').locator(`[data-contact-id="${again.id}"]`).click();
    const dup = a.getByTestId('duplicates').locator(`[data-ticket-number="${first.number}"]`);
    await containsText(dup, '同一诉求人的未办结工单');
    await dup.getByRole('button', { name: '按此工单重复诉求处置' }).click();
    await attributeIs(a.locator('[data-disposition="repeat"]'), 'aria-checked', 'true');
    await containsText(a.getByTestId('disposition-panel'), first.number); // preselected
    await a.getByTestId('dispose-submit').click();
    await containsText(a.getByTestId('reply-text'), `您反映的事项已在办理（工单号 ${first.number}），目前待派单`);
    await context.close();
    guard.assertClean();
  });

  it('agent: the ticket number a caller reads out is found in the 重复诉求 picker (issue 14)', async () => {
    const first = await createTicketViaApi(web.server, {
      title: '八一路积水',
      content: '八一路与长江路口雨后积水很深，车辆无法通行。',
      requester: { name: '周敏', phone: '13605300011' },
    });
    const agentApi = await web.server.as('agent');
    // another person, other words: nothing links this contact to the ticket but the number the caller reads out
    const call = await agentApi.call('POST', '/api/contacts', {
      channel: 'phone',
      requester: { phone: '13605300012' },
      content: '我来问一下那个工单的进度。',
    });
    const { page: a, context } = await signIn(web.browser, web.server, guard, 'agent');
    await a.getByTestId('inbox').locator(`[data-contact-id="${call.id}"]`).click();
    await a.locator('[data-disposition="repeat"]').click();
    const picker = a.getByTestId('disposition-panel').locator('.ant-select').first();
    await picker.click();
    await a.keyboard.type(first.number.toLowerCase());
    const option = a.locator('.ant-select-item-option', { hasText: first.number });
    await visible(option);
    await option.click();
    await a.getByTestId('dispose-submit').click();
    await containsText(a.getByTestId('reply-text'), `您反映的事项已在办理（工单号 ${first.number}）`);
    await context.close();
    guard.assertClean();
  });

  it('dispatcher: 并单 by ticket number', async () => {
    const target = await createTicketViaApi(web.server, {
      title: '中华路井盖缺失',
      content: '中华路与八一路交叉口井盖缺失，夜间很危险。',
      requester: { name: '李强', phone: '13605300001' },
    });
    const source = await createTicketViaApi(web.server, {
      title: '中华路八一路口井盖丢了',
      content: '中华路八一路路口的井盖丢了，请尽快补上。',
      requester: { name: '赵丽', phone: '13605300002' },
    });
    const { page: d, context } = await signIn(web.browser, web.server, guard, 'dispatcher');
    await d.goto(`/tickets/${source.id}`);
    await d.getByTestId('merge-panel').getByRole('button', { name: '并单…' }).click();
    const modal = d.locator('.ant-modal-content');
    await visible(modal.getByText('可能重复的在办工单'));
    await modal.getByLabel('或按工单号指定').fill(target.number);
    await modal.getByRole('button', { name: '查找' }).click();
    await containsText(d.getByTestId('merge-target'), `将并入：${target.number} 中华路井盖缺失`);
    await modal.getByLabel('并单说明').fill('同一路口井盖缺失');
    await modal.getByRole('button', { name: '确认并单' }).click();
    // issue 14: asked first, saying what will happen
    const confirm = d.locator('.ant-modal-confirm');
    await containsText(confirm, `确认将 ${source.number} 并入 ${target.number}？`);
    await containsText(confirm, '其诉求人加入');
    await containsText(confirm, '24 小时内');
    await confirm.getByRole('button', { name: '并单', exact: true }).click();
    await toastShown(d, `工单 ${source.number} 已并入 ${target.number}`);
    await attributeIs(d.getByTestId('ticket-detail'), 'data-status', 'closed');
    await visible(d.getByTestId('merged-into'));
    await containsText(d.locator('[data-event-kind="merged_into"]'), target.number);
    await countIs(d.getByTestId('merge-panel'), 0); // no second merge

    // the success message offers 撤销, reachable from the keyboard; it calls 撤销并单
    const undo = d.getByTestId('undo-button');
    await visible(undo);
    await expectNoAxeViolations(d, '并单后的撤销提示');
    await undo.focus();
    await d.keyboard.press('Enter');
    await toastShown(d, `已撤销并单，工单 ${source.number} 恢复为「待派单」`);
    await attributeIs(d.getByTestId('ticket-detail'), 'data-status', 'pending_dispatch');
    await visible(d.locator('[data-event-kind="unmerged"]'));
    await countIs(d.getByTestId('merged-into'), 0);
    const requesters = () =>
      web.server.handle.db
        .selectFrom('ticket_requesters')
        .select('requester_id')
        .where('ticket_id', '=', target.id)
        .execute();
    expect(await requesters()).toHaveLength(1);

    // merged again, and undone later from the merged ticket's own 撤销并单 (asked first)
    await (
      await web.server.as('dispatcher')
    ).call('POST', `/api/tickets/${source.id}/merge`, {
      intoTicketId: target.id,
    });
    await d.reload();
    const panel = d.getByTestId('unmerge-panel');
    await containsText(panel, '24 小时内');
    await expectNoAxeViolations(d, '撤销并单');
    await panel.getByRole('button', { name: '撤销并单' }).click();
    const pop = d.locator('.ant-popconfirm');
    await containsText(pop, `${source.number} 将从 ${target.number} 中移出`);
    await pop.getByRole('button', { name: '撤销并单' }).click();
    await toastShown(d, '已撤销并单');
    await attributeIs(d.getByTestId('ticket-detail'), 'data-status', 'pending_dispatch');
    await countIs(panel, 0);
    expect(await requesters()).toHaveLength(1);
    await context.close();
    guard.assertClean();
  });

  it("agent: 工单查询 finds a ticket by its number, by the caller's phone and by words", async () => {
    const t = await createTicketViaApi(web.server, {
      title: '青年路幼儿园门口占道经营',
      content: '青年路幼儿园门口每天放学时段有流动摊贩占道经营，接孩子很不安全。',
      requester: { name: '周敏', phone: '13605307777' },
    });
    const { page: a, context } = await signIn(web.browser, web.server, guard, 'agent');
    await a.locator('.ant-layout-sider').getByText('工单查询').click();
    await pathIs(a, '/tickets');
    const box = a.getByLabel('工单查询');
    const rows = a.locator('.ant-table-tbody tr[data-ticket-number]');
    // the number as a citizen reads it out, in lower case
    await box.fill(t.number.toLowerCase());
    await box.press('Enter');
    await attributeIs(a.getByTestId('search-kind'), 'data-kind', 'number');
    await countIs(rows, 1);
    await containsText(rows.first(), '青年路幼儿园门口占道经营');
    await containsText(rows.first(), '流动摊贩占道经营'); // the excerpt under the title
    // the number they call from: audited
    await box.fill('136 0530 7777');
    await box.press('Enter');
    await attributeIs(a.getByTestId('search-kind'), 'data-kind', 'phone');
    await containsText(a.getByTestId('search-kind'), '已记入个人信息访问审计');
    await countIs(a.locator(`tr[data-ticket-number="${t.number}"]`), 1);
    // words of the matter, not adjacent in the text
    await box.fill('幼儿园 摊贩');
    await box.press('Enter');
    await attributeIs(a.getByTestId('search-kind'), 'data-kind', 'text');
    await a.locator(`tr[data-ticket-number="${t.number}"]`).click();
    await pathIs(a, `/tickets/${t.id}`);
    await context.close();
    const audit = await web.server.handle.db
      .selectFrom('pii_access_log')
      .select(['purpose'])
      .where('purpose', '=', '按来电号码查询工单')
      .execute();
    expect(audit).toHaveLength(1);
    guard.assertClean();
  });

  it('admin: an open abuse flag is confirmed with a warning', async () => {
    const agentApi = await web.server.as('agent');
    const rec = await agentApi.call('POST', '/api/contacts', {
      channel: 'phone',
      requester: { phone: '13800001111' },
      content: '来电人反映小区噪音',
    });
    const flag = await agentApi.call('POST', `/api/requesters/${rec.requesterId}/flags`, {
      kind: 'harassment',
      detail: '来电人多次辱骂并威胁话务员',
      contactId: rec.id,
    });
    const { page: ad, context } = await signIn(web.browser, web.server, guard, 'admin');
    await ad.locator('.ant-layout-sider').getByText('滥用标记审核').click();
    await pathIs(ad, '/admin/abuse-flags');
    const row = ad.locator(`tr[data-flag-id="${flag.id}"]`);
    await containsText(row, '来电人多次辱骂并威胁话务员');
    await containsText(row, '骚扰、侮辱、威胁工作人员');
    await containsText(row, '138****1111'); // the requester, masked
    await containsText(row, '来电人反映小区噪音'); // the contact that set it off
    await row.getByRole('button', { name: '警告' }).click();
    // the dialog shows the requester's contacts around the flag, the flagged one marked
    const evidence = ad.getByTestId('flag-evidence');
    await containsText(evidence, '来电人反映小区噪音');
    await containsText(evidence, '触发本标记');
    await ad.getByLabel('审核意见').fill('录音核实属实');
    await ad.getByRole('button', { name: '确认警告' }).click();
    await toastShown(ad, '已记录警告，并向诉求人发送警告短信');
    await countIs(row, 0);
    const saved = await web.server.handle.db
      .selectFrom('requester_flags')
      .select(['status', 'review_note'])
      .where('id', '=', flag.id)
      .executeTakeFirstOrThrow();
    expect(saved).toEqual({ status: 'warned', review_note: '录音核实属实' });
    // the reviewed flag stays readable under 已警告, with the note
    await ad.getByRole('tab', { name: '已警告' }).click();
    await containsText(ad.locator(`tr[data-flag-id="${flag.id}"]`), '录音核实属实');
    await context.close();
    guard.assertClean();
  });
});
