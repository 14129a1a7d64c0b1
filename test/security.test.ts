import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { ApiClient, expectStatus } from './helpers/api.js';
import { createTicket, dispatchedTicket, loginAll, PHONE, type Clients } from './helpers/factories.js';
import { describeEachDb } from './helpers/test-env.js';

describeEachDb('第六、三十条 access control and personal data', (env) => {
  let c: Clients;
  beforeAll(async () => {
    c = await loginAll(env());
  });

  it('a handler of one unit gets 404 for another unit’s ticket, on reads and on actions', async () => {
    env().clock.set('2025-03-03T09:00:00+08:00');
    const id = await dispatchedTicket(env(), c, 'gov-md');
    expect((await c.handlerMd.get(`/api/tickets/${id}`)).status).toBe(200);
    for (const other of [c.handlerDc, c.handlerWater, c.handlerCx]) {
      const res = await other.get(`/api/tickets/${id}`);
      expect(res.status).toBe(404);
      expect(res.body.error.message).toContain('无权查看');
      expect((await other.post(`/api/tickets/${id}/accept`, {})).status).toBe(404);
      expect((await other.post(`/api/tickets/${id}/requester/reveal`, { purpose: '核实' })).status).toBe(404);
      const queue = expectStatus(await other.get('/api/tickets?view=lead'), 200);
      expect(queue.items.map((t: any) => t.id)).not.toContain(id);
    }
    // a unit's staff cannot read the centre-wide queue
    expect((await c.handlerMd.get('/api/tickets?view=centre')).status).toBe(403);
  });

  it('a county centre sees only its own county', async () => {
    env().clock.set('2025-03-03T09:00:00+08:00');
    const md = await createTicket(env(), c.agent);
    const cx = await createTicket(env(), c.agent, { regionCode: '371721001' });
    expect((await c.agentCx.get(`/api/tickets/${md.id}`)).status).toBe(404);
    expect((await c.agentCx.get(`/api/tickets/${cx.id}`)).status).toBe(200);
    const q = expectStatus(await c.agentCx.get('/api/tickets?view=centre&status=pending_dispatch&limit=200'), 200);
    expect(q.items.every((t: any) => t.regionCode.startsWith('371721'))).toBe(true);
  });

  it('the requester’s phone, name and address are not readable in the database in clear', async () => {
    const e = env();
    const t = await createTicket(e, c.agent);
    const row = await sql<Record<string, unknown>>`
      SELECT r.*, t.address_enc FROM tickets t JOIN requesters r ON r.id = t.requester_id WHERE t.id = ${t.id}`.execute(
      e.db,
    );
    const dump = JSON.stringify(row.rows[0]);
    expect(dump).not.toContain(PHONE);
    expect(dump).not.toContain('5301234');
    expect(dump).not.toContain('张秀英');
    expect(dump).not.toContain('和平路与中华路');
    expect(String(row.rows[0]!.phone_enc)).toMatch(/^v1\./);
    // the keyed hash finds every ticket of a caller without the number in clear
    const hits = await e.db
      .selectFrom('requesters')
      .select('id')
      .where('phone_hash', '=', e.cipher.phoneHash('139-0530-1234'))
      .execute();
    expect(hits.map((h) => h.id)).toContain(row.rows[0]!.id);
  });

  it('responses mask personal data; a reveal returns it and is written to the access audit', async () => {
    const e = env();
    const t = await createTicket(e, c.agent);
    const v = expectStatus(await c.agent.get(`/api/tickets/${t.id}`), 200);
    expect(v.requester.phone).toBe('139****1234');
    expect(v.requester.name).toBe('张**');
    expect(v.address).not.toContain('交叉口');
    expect(JSON.stringify(v)).not.toContain(PHONE);

    expect((await c.auditor.post(`/api/tickets/${t.id}/requester/reveal`, { purpose: '审计' })).status).toBe(403);
    expect((await c.agent.post(`/api/tickets/${t.id}/requester/reveal`, {})).status).toBe(400);
    const clear = expectStatus(
      await c.agent.post(`/api/tickets/${t.id}/requester/reveal`, { purpose: '回拨诉求人核实地址' }),
      200,
    );
    expect(clear).toEqual({
      name: '张秀英',
      phone: PHONE,
      address: '牡丹区东城街道和平路与中华路交叉口东50米',
      originalText: null,
      originalMessage: null,
    });

    const log = expectStatus(await c.auditor.get('/api/audit/pii-access?limit=5'), 200);
    // the person's name and the ticket's number, not a login id and an internal id (issue 14)
    expect(log[0]).toMatchObject({
      userName: '王话务',
      ticketNumber: t.number,
      ticket_id: t.id,
      purpose: '回拨诉求人核实地址',
    });
    expect(log[0]).not.toHaveProperty('username');
    // filtered by ticket number, person and local days; a bad filter is a 400
    const byTicket = expectStatus(
      await c.auditor.get(`/api/audit/pii-access?ticketNumber=${t.number.toLowerCase()}`),
      200,
    );
    expect(byTicket.length).toBeGreaterThan(0);
    expect(byTicket.every((r: { ticket_id: number }) => r.ticket_id === t.id)).toBe(true);
    const byUser = expectStatus(await c.auditor.get(`/api/audit/pii-access?userId=${e.ids.users.dispatcher}`), 200);
    expect(byUser.some((r: { ticket_id: number }) => r.ticket_id === t.id)).toBe(false);
    const day = new Date(e.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    expect(
      expectStatus(await c.auditor.get(`/api/audit/pii-access?from=${day}&to=${day}`), 200).length,
    ).toBeGreaterThan(0);
    expect(expectStatus(await c.auditor.get('/api/audit/pii-access?from=2001-01-01&to=2001-01-02'), 200)).toEqual([]);
    expect(expectStatus(await c.auditor.get('/api/audit/pii-access?ticketNumber=HZ19990101-000001'), 200)).toEqual([]);
    for (const q of ['ticketNumber=abc', 'from=2025-13-01', 'userId=-1', 'userId=99999999999'])
      expect((await c.auditor.get(`/api/audit/pii-access?${q}`)).status).toBe(400);
    expect((await c.agent.get('/api/audit/pii-access')).status).toBe(403);
    // the audit is append-only
    await expect(sql`DELETE FROM pii_access_log`.execute(e.db)).rejects.toThrow(/append-only/);
  });

  it('the event history is append-only', async () => {
    const e = env();
    const t = await createTicket(e, c.agent);
    await expect(sql`UPDATE ticket_events SET kind = 'x' WHERE ticket_id = ${t.id}`.execute(e.db)).rejects.toThrow(
      /append-only/,
    );
  });

  it('login: wrong passwords are refused, sessions are httpOnly cookies, logout ends them', async () => {
    const e = env();
    const bad = await e.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'agent', password: 'wrong' },
    });
    expect(bad.statusCode).toBe(401);
    expect(JSON.parse(bad.body).error.message).toBe('用户名或密码错误');
    const unknown = await e.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'nobody', password: 'wrong' },
    });
    expect(unknown.statusCode).toBe(401);
    expect((await e.app.inject({ method: 'GET', url: '/api/tickets' })).statusCode).toBe(401);

    const ok = await e.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'agent', password: 'Heze12345!' },
    });
    const cookie = String(ok.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const sid = cookie.split(';')[0]!;
    expect((await e.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: sid } })).statusCode).toBe(200);
    await e.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: sid } });
    expect((await e.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: sid } })).statusCode).toBe(401);
    // the session token itself is never stored
    const stored = await e.db.selectFrom('sessions').select('token_hash').execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(sid.split('=')[1]);
  });

  it('machine clients use API tokens issued by an admin', async () => {
    const e = env();
    expect((await c.agent.post('/api/auth/tokens', { userId: e.ids.users['partner'], name: 'x' })).status).toBe(403);
    // never for a person: a token would sign them in without password and second factor (test/api-tokens.test.ts)
    expect(
      (await c.admin.post('/api/auth/tokens', { userId: e.ids.users['handler_md'], name: '牡丹区政务系统对接' }))
        .status,
    ).toBe(400);
    const { token } = expectStatus(
      await c.admin.post('/api/auth/tokens', { userId: e.ids.users['partner'], name: '合作系统对接' }),
      201,
    );
    const me = await e.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(JSON.parse(me.body).username).toBe('partner');
    const bad = await e.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: 'Bearer hz_invalid' },
    });
    expect(bad.statusCode).toBe(401);
  });

  it('roles are enforced on every step', async () => {
    const e = env();
    const t = await createTicket(e, c.agent);
    expect((await c.handlerMd.post('/api/tickets', {})).status).toBe(400); // validation first…
    const asHandler = await c.handlerMd.post('/api/tickets', {
      requestType: 'help',
      categoryId: e.ids.categories['QT-QT'],
      regionCode: '371702',
      title: 't',
      content: 'c',
    });
    expect(asHandler.status).toBe(403); // …then the role
    expect((await c.agent.post(`/api/tickets/${t.id}/dispatch`, {})).status).toBe(403);
    const viewer = await ApiClient.login(e, 'analyst');
    expect((await viewer.post(`/api/tickets/${t.id}/dispatch`, {})).status).toBe(403);
    expect((await viewer.get(`/api/tickets/${t.id}`)).status).toBe(200);
  });
});
