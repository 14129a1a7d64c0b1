import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../src/server/seed/heze-organisation.js';
import { ApiClient, expectStatus } from './helpers/api.js';
import { loginAll, type Clients } from './helpers/factories.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** Everything a path could have written: personal-data reveals, flags, tickets, events, messages, dispositions. */
async function written(e: TestEnv) {
  return (
    await sql<Record<string, number>>`SELECT
    (SELECT count(*)::int FROM pii_access_log) AS reveals, (SELECT count(*)::int FROM requester_flags) AS flags,
    (SELECT count(*)::int FROM tickets) AS tickets, (SELECT count(*)::int FROM ticket_events) AS events,
    (SELECT count(*)::int FROM outbound_messages) AS messages, (SELECT count(*)::int FROM contacts WHERE status = 'disposed') AS disposed`.execute(
      e.db,
    )
  ).rows[0]!;
}

// 第六、三十条: a county centre (曹县, agent_cx) sees the contacts that reached it or concern its region, exactly as
// it sees tickets; everything else — the city centre's calls, unrouted web and WeChat messages — is answered 404
// on every path, so not even their existence is revealed.
describeEachDb('第六、三十条 来电来信、诉求人与附件按热线工作机构的范围查看', (env) => {
  let c: Clients;
  let n = 0;
  const extId = (p: string) => `${p}-${++n}`;
  beforeAll(async () => {
    c = await loginAll(env());
  });

  async function contactBy(agent: ApiClient, phone: string, content: string) {
    const k = expectStatus(
      await agent.post<{ id: number; requesterId: number }>('/api/contacts', {
        channel: 'phone',
        externalId: extId('scope'),
        requester: { name: '刘城市', phone },
        content,
        files: [{ name: '现场.png', dataBase64: PNG }],
      }),
      201,
    );
    const pop = expectStatus(await agent.get(`/api/contacts/${k.id}/screen-pop`), 200);
    return { ...k, attachmentId: pop.contact.attachments[0].id as number };
  }
  const dispatchedBody = (e: TestEnv, regionCode: string) => ({
    disposition: 'dispatched',
    requestType: 'complaint',
    categoryId: e.ids.categories['CX-SZ'],
    urgency: 'normal',
    regionCode,
    title: '路灯不亮',
  });

  /** Every contact, requester and attachment path, as one actor on one contact. */
  async function probe(
    who: ApiClient,
    k: { id: number; requesterId: number; attachmentId: number },
    e: TestEnv,
    region: string,
  ) {
    return {
      reveal: (await who.post(`/api/contacts/${k.id}/reveal`, { purpose: '核实诉求人身份' })).status,
      screenPop: (await who.get(`/api/contacts/${k.id}/screen-pop`)).status,
      duplicates: (await who.get(`/api/contacts/${k.id}/duplicates`)).status,
      history: (await who.get(`/api/requesters/${k.requesterId}/history`)).status,
      attachment: (await who.bytes(`/api/attachments/${k.attachmentId}`)).status,
      flag: (
        await who.post(`/api/requesters/${k.requesterId}/flags`, {
          kind: 'harassment',
          detail: '来电辱骂话务员',
          contactId: k.id,
        })
      ).status,
      disposition: (await who.post(`/api/contacts/${k.id}/disposition`, dispatchedBody(e, region))).status,
    };
  }
  const NOT_FOUND = {
    reveal: 404,
    screenPop: 404,
    duplicates: 404,
    history: 404,
    attachment: 404,
    flag: 404,
    disposition: 404,
  };

  it('a county centre gets 404 on every path for a city-centre contact that is not yet a ticket, and nothing is written', async () => {
    const e = env();
    const city = await contactBy(c.agent, '13905300001', '和平路路灯不亮，晚上很黑');
    const before = await written(e);
    // even dispatching it into a 牡丹区 ticket, or into its own county
    expect(await probe(c.agentCx, city, e, '371702001')).toEqual(NOT_FOUND);
    expect((await c.agentCx.post(`/api/contacts/${city.id}/disposition`, dispatchedBody(e, '371721001'))).status).toBe(
      404,
    );
    expect(
      (await c.agentCx.post(`/api/contacts/${city.id}/disposition`, { disposition: 'answered', answer: '已答复' }))
        .status,
    ).toBe(404);
    expect(
      (
        await c.agentCx.post(`/api/requesters/${city.requesterId}/flags`, {
          kind: 'repeated_contacts',
          detail: '反复来电',
        })
      ).status,
    ).toBe(404);
    // a ticket for another county's region (or the city's) is refused outright
    const foreign = await c.agentCx.post('/api/tickets', {
      requestType: 'complaint',
      categoryId: e.ids.categories['CX-SZ'],
      regionCode: '371702001',
      title: '路灯不亮',
      content: '和平路路灯不亮',
      requester: { phone: '13905300001' },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.details.field).toBe('regionCode');
    expect(await written(e)).toEqual(before);
    const row = await e.db
      .selectFrom('contacts')
      .select(['status', 'ticket_id'])
      .where('id', '=', city.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'new', ticket_id: null });
    // and the inbox never listed it
    const inbox = expectStatus(await c.agentCx.get('/api/contacts?limit=200'), 200);
    expect(inbox.items.map((x: any) => x.id)).not.toContain(city.id);
  });

  it('a message no centre was named for (web form, WeChat) reached the city centre: the county does not see it', async () => {
    const e = env();
    const web = await e.services.contacts.record({
      channel: 'web',
      content: '网站留言：丹阳路污水外溢',
      requester: { name: '赵敏', phone: '13905300003' },
      files: [{ data: Buffer.from(PNG, 'base64'), name: 'water.png' }],
    });
    const att = await e.db
      .selectFrom('attachments')
      .select('id')
      .where('contact_id', '=', web.id)
      .executeTakeFirstOrThrow();
    const k = { id: web.id, requesterId: web.requesterId!, attachmentId: att.id };
    const before = await written(e);
    expect(await probe(c.agentCx, k, e, '371721001')).toEqual(NOT_FOUND);
    expect(await written(e)).toEqual(before);
    expect(expectStatus(await c.agentCx.get('/api/contacts?limit=200'), 200).items.map((x: any) => x.id)).not.toContain(
      web.id,
    );
    // the city centre has it in its inbox and may work on it
    expect(expectStatus(await c.agent.get('/api/contacts?limit=200'), 200).items.map((x: any) => x.id)).toContain(
      web.id,
    );
    expect((await c.agent.get(`/api/contacts/${web.id}/screen-pop`)).status).toBe(200);
    expect((await c.agent.bytes(`/api/attachments/${att.id}`)).status).toBe(200);
  });

  it('the county centre works on its own contacts as before; a ticket outside its regions is refused and nothing is written', async () => {
    const e = env();
    const own = await contactBy(c.agentCx, '13905300002', '曹县倪集街道路灯不亮');
    const reveal = expectStatus(
      await c.agentCx.post(`/api/contacts/${own.id}/reveal`, { purpose: '核实诉求人身份' }),
      200,
    );
    expect(reveal).toMatchObject({ name: '刘城市', phone: '13905300002' });
    const pop = expectStatus(await c.agentCx.get(`/api/contacts/${own.id}/screen-pop`), 200);
    expect(pop.requester.phone).toBe('139****0002');
    expect((await c.agentCx.get(`/api/contacts/${own.id}/duplicates`)).status).toBe(200);
    expect((await c.agentCx.bytes(`/api/attachments/${own.attachmentId}`)).status).toBe(200);
    expect(
      (
        await c.agentCx.post(`/api/requesters/${own.requesterId}/flags`, {
          kind: 'harassment',
          detail: '来电辱骂话务员',
          contactId: own.id,
        })
      ).status,
    ).toBe(201);
    const before = await written(e);
    const out = await c.agentCx.post(`/api/contacts/${own.id}/disposition`, dispatchedBody(e, '371702001'));
    expect(out.status).toBe(403);
    expect(await written(e)).toEqual(before);
    const done = expectStatus(
      await c.agentCx.post(`/api/contacts/${own.id}/disposition`, dispatchedBody(e, '371721001')),
      200,
    );
    expect(expectStatus(await c.agentCx.get(`/api/tickets/${done.ticketId}`), 200).regionCode).toBe('371721001');
    expect((await c.agentCx.bytes(`/api/attachments/${own.attachmentId}`)).status).toBe(200);
    expectStatus(
      await c.agentCx.post('/api/tickets', {
        requestType: 'complaint',
        categoryId: e.ids.categories['CX-SZ'],
        regionCode: '371721002',
        title: '磐石街道路灯',
        content: '磐石街道路灯不亮',
      }),
      201,
    );
    // the city centre, whose regions include 曹县, sees the county's contact too
    expect((await c.agent.get(`/api/contacts/${own.id}/screen-pop`)).status).toBe(200);
    expect((await c.dispatcher.post(`/api/contacts/${own.id}/reveal`, { purpose: '督办核实' })).status).toBe(200);
  });

  it('a city contact that became a 曹县 ticket concerns the county; the requester’s history shows it only what it may see', async () => {
    const e = env();
    const phone = '13905300004';
    const other = await contactBy(c.agent, phone, '咨询公积金贷款额度');
    expectStatus(
      await c.agent.post(`/api/contacts/${other.id}/disposition`, {
        disposition: 'answered',
        answer: '按缴存余额核定',
      }),
      200,
    );
    const about = await contactBy(c.agent, phone, '曹县磐石街道路灯不亮');
    const t = expectStatus(
      await c.agent.post(`/api/contacts/${about.id}/disposition`, dispatchedBody(e, '371721002')),
      200,
    );
    // now the county may look at it (its ticket is in 曹县), and at the requester's history — without the city's contact
    expect((await c.agentCx.get(`/api/contacts/${about.id}/screen-pop`)).status).toBe(200);
    expect((await c.agentCx.bytes(`/api/attachments/${about.attachmentId}`)).status).toBe(200);
    const h = expectStatus(await c.agentCx.get(`/api/requesters/${about.requesterId}/history`), 200);
    expect(h.contacts.map((x: any) => x.id)).toEqual([about.id]);
    expect(h.tickets.map((x: any) => x.id)).toEqual([t.ticketId]);
    const pop = expectStatus(await c.agentCx.get(`/api/contacts/${about.id}/screen-pop`), 200);
    expect(pop.history.contacts.map((x: any) => x.id)).not.toContain(other.id);
    // the city contact that stayed with the city centre is still 404 for the county
    expect((await c.agentCx.get(`/api/contacts/${other.id}/screen-pop`)).status).toBe(404);
    expect((await c.agentCx.bytes(`/api/attachments/${other.attachmentId}`)).status).toBe(404);
    // the city centre sees the whole history
    const all = expectStatus(await c.agent.get(`/api/requesters/${about.requesterId}/history`), 200);
    expect(all.contacts.map((x: any) => x.id).sort()).toEqual([other.id, about.id].sort());
  });

  it('a county dispatcher (an account the admin creates for 曹县) cannot merge into, or see, a ticket outside 曹县', async () => {
    const e = env();
    expectStatus(
      await c.admin.post('/api/users', {
        username: 'dispatcher_cx',
        displayName: '曹县派单',
        password: DEMO_PASSWORD,
        unitId: e.ids.units['centre-cx'],
        roles: ['dispatcher'],
        scope: 'region',
      }),
      201,
    );
    const dcx = await ApiClient.login(e, 'dispatcher_cx');
    const base = {
      requestType: 'complaint',
      categoryId: e.ids.categories['CX-SZ'],
      title: '路灯不亮',
      content: '路灯不亮',
    };
    const own = expectStatus(await c.agentCx.post('/api/tickets', { ...base, regionCode: '371721001' }), 201);
    const city = expectStatus(await c.agent.post('/api/tickets', { ...base, regionCode: '371702001' }), 201);
    const merge = await dcx.post(`/api/tickets/${own.id}/merge`, { intoTicketId: city.id });
    expect(merge.status).toBe(400);
    expect(merge.body.error.details.field).toBe('intoTicketId');
    expect((await dcx.post(`/api/tickets/${city.id}/dispatch`, { leadUnitId: e.ids.units['gov-md'] })).status).toBe(
      404,
    );
    const rows = await e.db
      .selectFrom('tickets')
      .select(['id', 'status', 'merged_into_id'])
      .where('id', 'in', [own.id, city.id])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.status, r.merged_into_id])).toEqual([
      ['pending_dispatch', null],
      ['pending_dispatch', null],
    ]);
    // a 曹县 contact's screen pop is its work; the city's is not
    const cityContact = await contactBy(c.agent, '13905300006', '城区来电');
    expect((await dcx.get(`/api/contacts/${cityContact.id}/screen-pop`)).status).toBe(404);
  });

  it('a city ticket’s contact stays hidden from units and from the county; a handler only reaches attachments through its ticket', async () => {
    const e = env();
    const k = await contactBy(c.agent, '13905300005', '牡丹区东城街道路灯不亮');
    const t = expectStatus(
      await c.agent.post(`/api/contacts/${k.id}/disposition`, dispatchedBody(e, '371702001')),
      200,
    );
    expect((await c.agentCx.get(`/api/contacts/${k.id}/screen-pop`)).status).toBe(404);
    expect((await c.agentCx.bytes(`/api/attachments/${k.attachmentId}`)).status).toBe(404);
    expect((await c.agentCx.get(`/api/tickets/${t.ticketId}`)).status).toBe(404);
    expect((await c.handlerMd.bytes(`/api/attachments/${k.attachmentId}`)).status).toBe(404);
    expectStatus(
      await c.dispatcher.post(`/api/tickets/${t.ticketId}/dispatch`, { leadUnitId: e.ids.units['gov-md'] }),
      200,
    );
    expect((await c.handlerMd.bytes(`/api/attachments/${k.attachmentId}`)).status).toBe(200);
    expect((await c.handlerCg.bytes(`/api/attachments/${k.attachmentId}`)).status).toBe(404);
    // units never reach the contact paths themselves
    expect((await c.handlerMd.post(`/api/contacts/${k.id}/reveal`, { purpose: '联系诉求人' })).status).toBe(403);
    expect((await c.handlerMd.get(`/api/requesters/${k.requesterId}/history`)).status).toBe(403);
  });
});
