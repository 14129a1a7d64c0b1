import { expect, it } from 'vitest';
import { attributeIs, containsText, describeWeb, signIn, useWebSession, visible } from './harness.js';
import { ctiGateway } from './intake-helpers.js';

// 第十三条第一项 on the agent console: text that reads like an emergency shows the system's 119/120 suggestion in
// red and transfers in one click — before anything else is filled in, whatever the caller's flags say. The second
// case arrives as a ringing call from the telephone system (SSE screen pop) from a caller with history and a flag.
describeWeb('web: emergency transfer and screen pop', () => {
  const web = useWebSession();
  const { guard } = web;

  it('an emergency typed into a new contact is transferred to 119 in one click, even with an invalid phone', async () => {
    const { page: a, context } = await signIn(web.browser, web.server, guard, 'agent');
    await visible(a.getByTestId('emergency-bar')); // the four lines are always one click away
    await a.getByLabel('联系电话').fill('不是号码');
    await a.getByLabel('诉求内容').fill('我家楼下饭店着火了，浓烟很大');
    const alert = a.getByTestId('emergency-alert');
    await attributeIs(alert, 'data-line', '119');
    await containsText(alert, '建议立即转接 119火警');
    await containsText(alert, '着火');
    await a.getByTestId('transfer-suggested').click(); // the only click
    const result = a.getByTestId('disposition-result');
    await containsText(result, '已处置：转接紧急热线');
    await containsText(a.getByTestId('reply-text'), '现为您转接119火警，请保持电话畅通');
    const row = await web.server.handle.db
      .selectFrom('contacts')
      .select(['disposition', 'disposition_data', 'emergency_suggestion', 'requester_id'])
      .where('disposition', '=', 'transferred')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ emergency_suggestion: '119', requester_id: null });
    expect(row.disposition_data).toMatchObject({ hotline: '119', followedSuggestion: true });
    await context.close(); // its screen-pop stream closes with it
    guard.assertClean();
  });

  it('a ringing call pops up with the caller’s history and flag; the 120 transfer is one click', async () => {
    // The caller has an open ticket and a harassment flag from before.
    const agentApi = await web.server.as('agent');
    const earlier = await agentApi.call('POST', '/api/contacts', {
      channel: 'phone',
      requester: { name: '王建军', phone: '13705301234' },
      content: '小区门口下水道堵塞，污水外溢',
    });
    const t = await agentApi.call('POST', `/api/contacts/${earlier.id}/disposition`, {
      disposition: 'dispatched',
      requestType: 'complaint',
      categoryId: web.server.ids.categories['CX-SZ'],
      regionCode: '371702001',
      title: '小区门口下水道堵塞',
    });
    await agentApi.call('POST', `/api/requesters/${earlier.requesterId}/flags`, {
      kind: 'harassment',
      detail: '上次来电辱骂话务员',
    });
    const cti = await ctiGateway(web.server);

    const { page: a } = await signIn(web.browser, web.server, guard, 'agent');
    await visible(a.getByTestId('inbox').getByText('弹屏')); // the SSE stream is connected
    const offered = await cti({
      type: 'call.offered',
      callId: 'c-e2e-0001',
      caller: '13705301234',
      callee: '12345',
      at: new Date(web.server.clock.now()).toISOString(),
      agent: 'agent',
    });
    expect(offered.delivered).toBe(1); // this agent's one open console

    const banner = a.getByTestId('call-banner');
    await containsText(banner, '来电 137****1234');
    await containsText(banner, '在办工单 1 件');
    await containsText(banner, '待审核标记 1 个');
    await containsText(banner, t.ticketNumber);
    await banner.getByRole('button', { name: '接听并打开' }).click();

    const history = a.getByTestId('requester-history');
    await containsText(history, t.ticketNumber);
    await containsText(a.getByTestId('requester-flags'), '上次来电辱骂话务员'); // informational only
    await containsText(a.getByTestId('duplicates'), t.ticketNumber); // the same requester's open ticket
    await a.getByLabel('通话记录').fill('家里老人突然晕倒了，呼吸困难');
    const alert = a.getByTestId('emergency-alert');
    await attributeIs(alert, 'data-line', '120');
    await a.getByTestId('transfer-suggested').click();
    await containsText(a.getByTestId('reply-text'), '现为您转接120急救中心');
    const c = await web.server.handle.db
      .selectFrom('contacts')
      .select(['disposition', 'disposition_data', 'content'])
      .where('id', '=', offered.contactId)
      .executeTakeFirstOrThrow();
    expect(c.disposition).toBe('transferred');
    expect(c.disposition_data).toMatchObject({ hotline: '120' });
    expect(c.content).toBe('家里老人突然晕倒了，呼吸困难'); // what the agent wrote down is the call's record (第十二条)
    guard.assertClean();
  });
});
