import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { ApiClient } from './helpers/api.js';
import { createTicket } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';

// POST /api/tickets writes the requester and the ticket with one statement (issue 8); what that statement refuses
// goes the transactional way. The outcome is the same either way: one requester per phone, a name learned, the
// same errors, nothing written on a refusal.

describeEachDb('ticket intake in one statement', (env) => {
  const rows = async (e: ReturnType<typeof env>) =>
    Number(
      (
        await sql<{ n: string }>`
    SELECT (SELECT count(*) FROM tickets) + (SELECT count(*) FROM ticket_events) + (SELECT count(*) FROM requesters)
      + (SELECT count(*) FROM ticket_requesters) + (SELECT count(*) FROM outbound_messages)
      + (SELECT count(*) FROM warnings) + (SELECT count(*) FROM warning_events) AS n`.execute(e.db)
      ).rows[0]!.n,
    );
  const requesterOf = (e: ReturnType<typeof env>, ticketId: number) =>
    e.db
      .selectFrom('tickets')
      .innerJoin('requesters', 'requesters.id', 'tickets.requester_id')
      .select(['requesters.id', 'requesters.name_enc'])
      .where('tickets.id', '=', ticketId)
      .executeTakeFirstOrThrow();

  it('finds the requester by phone, learns a name given later, and keeps anonymous tickets without one', async () => {
    const e = env();
    const agent = await ApiClient.login(e, 'agent');
    const a = await createTicket(e, agent, { requester: { phone: '13912340001' } });
    const first = await requesterOf(e, a.id);
    expect(first.name_enc).toBeNull();
    const b = await createTicket(e, agent, { requester: { name: '李娜', phone: '139-1234-0001' } });
    const second = await requesterOf(e, b.id);
    expect(second.id).toBe(first.id);
    expect(e.cipher.decrypt(second.name_enc)).toBe('李娜');
    const c = await createTicket(e, agent, { requester: { phone: '13912340001' } });
    expect((await requesterOf(e, c.id)).id).toBe(first.id);
    for (const t of [a, b, c]) {
      expect(
        await e.db.selectFrom('ticket_requesters').select('requester_id').where('ticket_id', '=', t.id).execute(),
      ).toEqual([{ requester_id: first.id }]);
      const receipt = await e.db
        .selectFrom('outbound_messages')
        .select(['body', 'to_enc'])
        .where('ticket_id', '=', t.id)
        .where('purpose', '=', 'receipt')
        .executeTakeFirstOrThrow();
      expect(receipt.body).toContain(`工单号${t.number}`);
      expect(e.cipher.decrypt(receipt.to_enc)).toBe('13912340001');
    }
    const anonymous = await createTicket(e, agent, { requester: null });
    const t = await e.db
      .selectFrom('tickets')
      .select('requester_id')
      .where('id', '=', anonymous.id)
      .executeTakeFirstOrThrow();
    expect(t.requester_id).toBeNull();
    expect(
      await e.db.selectFrom('outbound_messages').select('id').where('ticket_id', '=', anonymous.id).execute(),
    ).toHaveLength(0);
    const nameOnly = await createTicket(e, agent, { requester: { name: '王先生' } });
    expect(e.cipher.decrypt((await requesterOf(e, nameOnly.id)).name_enc)).toBe('王先生');
  });

  it('a refused creation writes no requester either, and names what it refused', async () => {
    const e = env();
    const agent = await ApiClient.login(e, 'agent');
    const before = await rows(e);
    const body = {
      requestType: 'complaint',
      categoryId: e.ids.categories['CX-SZ'],
      urgency: 'normal',
      regionCode: '371702001',
      title: '路灯不亮',
      content: '和平路路灯不亮',
      requester: { name: '赵强', phone: '13912340002' },
    };
    const badCategory = await agent.post('/api/tickets', { ...body, categoryId: 999999 });
    expect(badCategory.status).toBe(400);
    expect(badCategory.body.error).toMatchObject({ message: '事项分类不存在', details: { field: 'categoryId' } });
    const badRegion = await agent.post('/api/tickets', { ...body, regionCode: '371702999' });
    expect(badRegion.status).toBe(400);
    expect(badRegion.body.error).toMatchObject({ message: '行政区划不存在', details: { field: 'regionCode' } });
    // 第三十三条: a 举报 about a unit that does not exist
    const badUnit = await agent.post('/api/tickets', {
      ...body,
      requestType: 'report',
      reportedUnitId: 999999,
      unitText: '事项转述：和平路路灯不亮，请核查。',
    });
    expect(badUnit.status).toBe(400);
    expect(badUnit.body.error).toMatchObject({ message: '被举报单位不存在', details: { field: 'reportedUnitId' } });
    // 第二十七条: a text with a sensitive-risk word writes its warning in the same statement — refused, neither is written
    const sensitive = await agent.post('/api/tickets', {
      ...body,
      categoryId: 999999,
      content: '拖欠工资，明天去讨薪',
    });
    expect(sensitive.status).toBe(400);
    expect(sensitive.body.error).toMatchObject({ details: { field: 'categoryId' } });
    expect(await rows(e)).toBe(before);
  });

  it('concurrent first tickets from one new number end on one requester', async () => {
    const e = env();
    const agent = await ApiClient.login(e, 'agent');
    const made = await Promise.all(
      Array.from({ length: 6 }, () => createTicket(e, agent, { requester: { name: '孙敏', phone: '13912340003' } })),
    );
    const ids = await Promise.all(made.map(async (t) => (await requesterOf(e, t.id)).id));
    expect(new Set(ids).size).toBe(1);
    expect(new Set(made.map((t) => t.number)).size).toBe(6);
  });
});
