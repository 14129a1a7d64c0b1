import { beforeAll, expect, it } from 'vitest';
import { expectStatus } from './helpers/api.js';
import { createTicket, loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';

describeEachDb('第十三条(三) duplicates and 并单', (env) => {
  let c: Clients;
  beforeAll(async () => {
    c = await loginAll(env());
  });

  it('suggests open tickets of the same category, nearby, with similar text — and not unrelated ones', async () => {
    const e = env();
    e.clock.set('2025-05-06T09:00:00+08:00');
    const cat = e.ids.categories['HB-ZS'];
    const same = await createTicket(e, c.agent, {
      categoryId: cat,
      regionCode: '371702003',
      title: '南城街道工地夜间施工噪音扰民',
      content: '南城街道青年路一处工地每天晚上十一点以后还在施工，噪音很大，影响休息',
      requester: { phone: '13600000001' },
    });
    await createTicket(e, c.agent, {
      categoryId: cat,
      regionCode: '371702003',
      title: '广场舞音响声音太大',
      content: '小区广场舞音响声音太大，晚上九点后还在跳',
      requester: { phone: '13600000002' },
    });
    await createTicket(e, c.agent, {
      categoryId: e.ids.categories['LD-QX'],
      regionCode: '371702003',
      title: '工地拖欠工资',
      content: '南城街道青年路工地拖欠工人工资',
      requester: { phone: '13600000003' },
    });
    const far = await createTicket(e, c.agent, {
      categoryId: cat,
      regionCode: '371721001',
      title: '工地夜间施工噪音',
      content: '倪集街道工地夜间施工噪音很大',
      requester: { phone: '13600000004' },
    });

    const hits = expectStatus(
      await c.agent.post('/api/duplicates/search', {
        text: '青年路工地晚上施工噪音太大，吵得睡不着',
        categoryId: cat,
        regionCode: '371702003',
      }),
      200,
    );
    expect(hits[0].id).toBe(same.id);
    expect(hits[0].reasons.join(' ')).toMatch(/内容相似度 \d+%/);
    expect(hits[0].reasons).toContain('同一事项分类');
    expect(hits[0]).toHaveProperty('excerpt');
    expect(hits.map((h: any) => h.id)).not.toContain(far.id); // another county is not "nearby"
    expect(JSON.stringify(hits)).not.toContain('13600000001');
  });

  it('merging keeps every requester informed and counted, and closes the duplicate into the main ticket', async () => {
    const e = env();
    e.clock.set('2025-05-07T09:00:00+08:00');
    const main = await createTicket(e, c.agent, { requester: { name: '甲', phone: '13700000001' } });
    const dup = await createTicket(e, c.agent, { requester: { name: '乙', phone: '13700000002' } });
    expect((await c.agent.post(`/api/tickets/${dup.id}/merge`, { intoTicketId: main.id })).status).toBe(403);
    expect((await c.dispatcher.post(`/api/tickets/${dup.id}/merge`, { intoTicketId: dup.id })).status).toBe(400);
    const merged = expectStatus(
      await c.dispatcher.post(`/api/tickets/${dup.id}/merge`, { intoTicketId: main.id, note: '同一路段路灯' }),
      200,
    );
    expect(merged.status).toBe('closed');
    expect(merged.mergedIntoId).toBe(main.id);
    expect((await c.dispatcher.post(`/api/tickets/${dup.id}/merge`, { intoTicketId: main.id })).status).toBe(409);

    const counted = await e.db
      .selectFrom('ticket_requesters')
      .select('requester_id')
      .where('ticket_id', '=', main.id)
      .execute();
    expect(counted).toHaveLength(2);
    const mv = expectStatus(await c.dispatcher.get(`/api/tickets/${main.id}`), 200);
    expect(mv.events.at(-1)).toMatchObject({ kind: 'merged_from', data: { fromTicketId: dup.id, requestersAdded: 1 } });

    // the reply on the main ticket reaches both requesters
    expectStatus(
      await c.dispatcher.post(`/api/tickets/${main.id}/dispatch`, { leadUnitId: e.ids.units['gov-md'] }),
      200,
    );
    expectStatus(await c.handlerMd.post(`/api/tickets/${main.id}/accept`, {}), 200);
    expectStatus(
      await c.handlerMd.post(`/api/tickets/${main.id}/contacts`, { method: 'phone', reached: true, note: '已联系' }),
      200,
    );
    expectStatus(await c.handlerMd.post(`/api/tickets/${main.id}/reply`, { result: '路灯已修复', solved: true }), 200);
    const notices = await e.db
      .selectFrom('outbound_messages')
      .select(['to_enc'])
      .where('ticket_id', '=', main.id)
      .where('purpose', '=', 'reply_notice')
      .execute();
    const phones = notices.map((n) => e.cipher.decrypt(n.to_enc)).sort();
    expect(phones).toEqual(['13700000001', '13700000002']);
  });

  it('第十七条 the callback agent sees every requester of a merged ticket, masked, and reveals one with an audit', async () => {
    const e = env();
    e.clock.set('2025-05-08T09:00:00+08:00');
    const main = await createTicket(e, c.agent, { requester: { name: '丙某', phone: '13700000003' } });
    const dup = await createTicket(e, c.agent, { requester: { name: '丁某某', phone: '13700000004' } });
    const other = await createTicket(e, c.agent, { requester: { name: '戊', phone: '13700000005' } });
    expectStatus(await c.dispatcher.post(`/api/tickets/${dup.id}/merge`, { intoTicketId: main.id }), 200);
    const v = expectStatus(await c.callback.get(`/api/tickets/${main.id}`), 200);
    expect(v.requester).toMatchObject({ name: '丙*', phone: '137****0003' });
    expect(v.coRequesters).toHaveLength(1);
    expect(v.coRequesters[0]).toMatchObject({ name: '丁**', phone: '137****0004', sourceTicketNumber: dup.number });
    expect(JSON.stringify(v)).not.toContain('13700000004');
    const coId = v.coRequesters[0].id;
    const clear = expectStatus(
      await c.callback.post(`/api/tickets/${main.id}/requester/reveal`, {
        purpose: '回访并单诉求人',
        requesterId: coId,
      }),
      200,
    );
    expect(clear).toMatchObject({ name: '丁某某', phone: '13700000004', address: null });
    const log = await e.db
      .selectFrom('pii_access_log')
      .select(['requester_id', 'purpose'])
      .where('ticket_id', '=', main.id)
      .execute();
    expect(log).toEqual([{ requester_id: coId, purpose: '回访并单诉求人' }]);
    // a requester who is not on this ticket: 404, nothing revealed
    const ov = expectStatus(await c.dispatcher.get(`/api/tickets/${other.id}`), 200);
    const wrong = await c.callback.post(`/api/tickets/${main.id}/requester/reveal`, {
      purpose: '回访',
      requesterId: ov.requester.id,
    });
    expect(wrong.status).toBe(404);
    expect(JSON.stringify(wrong.body)).not.toContain('13700000005');
    // a ticket without a merge lists none
    expect(expectStatus(await c.callback.get(`/api/tickets/${other.id}`), 200).coRequesters).toEqual([]);
  });

  it('a replied ticket cannot be merged away', async () => {
    const e = env();
    const a = await createTicket(e, c.agent);
    const b = await createTicket(e, c.agent);
    expectStatus(await c.dispatcher.post(`/api/tickets/${a.id}/dispatch`, { leadUnitId: e.ids.units['gov-md'] }), 200);
    expectStatus(await c.handlerMd.post(`/api/tickets/${a.id}/accept`, {}), 200);
    expectStatus(
      await c.handlerMd.post(`/api/tickets/${a.id}/contacts`, { method: 'phone', reached: true, note: '已联系' }),
      200,
    );
    expectStatus(await c.handlerMd.post(`/api/tickets/${a.id}/reply`, { result: '已修复', solved: true }), 200);
    expect((await c.dispatcher.post(`/api/tickets/${a.id}/merge`, { intoTicketId: b.id })).status).toBe(409);
  });

  it('among a caller’s own open tickets the similar one comes first', async () => {
    const e = env();
    const phone = '13600000099';
    for (const title of [
      '咨询公积金提取',
      '孩子入学材料',
      '小区停车收费',
      '广场舞噪音',
      '物业不开发票',
      '电动车充电桩',
    ]) {
      await createTicket(e, c.agent, { title, content: `${title}，请处理`, requester: { phone } });
    }
    const target = await createTicket(e, c.agent, {
      title: '丹阳路井盖破损',
      content: '丹阳路菜市场门口井盖破损塌陷，有人摔倒',
      requester: { phone },
    });
    const k = expectStatus(
      await c.agent.post('/api/contacts', {
        channel: 'phone',
        externalId: `dup-${Date.now()}`,
        requester: { phone },
        content: '丹阳路菜市场门口那个井盖还是塌的',
      }),
      201,
    );
    const hits = expectStatus(await c.agent.get(`/api/contacts/${k.id}/duplicates`), 200);
    expect(hits[0].id).toBe(target.id);
    expect(hits[0].reasons).toContain('同一诉求人的未办结工单');
  });
});
