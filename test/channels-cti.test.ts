import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { ApiClient, expectStatus } from './helpers/api.js';
import { createTicket, loginAll, type Clients, tokenFor } from './helpers/factories.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';
import { DEMO_PASSWORD } from '../src/server/seed/heze-organisation.js';

const CALLER = '13705309876';

async function counts(e: TestEnv) {
  const r = await sql<{ contacts: number; attachments: number; requesters: number; flags: number }>`
    SELECT (SELECT count(*)::int FROM contacts) AS contacts, (SELECT count(*)::int FROM attachments) AS attachments,
           (SELECT count(*)::int FROM requesters) AS requesters, (SELECT count(*)::int FROM requester_flags) AS flags`.execute(
    e.db,
  );
  return r.rows[0]!;
}
async function sessionCookie(e: TestEnv, username: string): Promise<string> {
  const res = await e.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: DEMO_PASSWORD },
  });
  const set = res.headers['set-cookie'];
  return (Array.isArray(set) ? set[0]! : set!).split(';')[0]!;
}

/** Reads Server-Sent Events from a real socket until `want` events of the given name arrived or time runs out. */
async function openStream(base: string, cookie: string) {
  const ctrl = new AbortController();
  const res = await fetch(`${base}/api/channels/cti/stream`, { headers: { cookie }, signal: ctrl.signal });
  const events: Array<{ event: string; data: any }> = [];
  let buf = '';
  const done = (async () => {
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += dec.decode(value, { stream: true });
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const ev = /^event: (.+)$/m.exec(frame)?.[1];
          const data = /^data: (.+)$/m.exec(frame)?.[1];
          if (ev && data) events.push({ event: ev, data: JSON.parse(data) });
        }
      }
    } catch {
      /* aborted */
    }
  })();
  const waitFor = async (pred: (e: { event: string; data: any }) => boolean, ms = 3000) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const hit = events.find(pred);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 20));
    }
    return undefined;
  };
  return {
    status: res.status,
    events,
    waitFor,
    close: async () => {
      ctrl.abort();
      await done;
    },
  };
}

describeEachDb('第二条 多渠道受理 — 12345 热线电话（CTI 事件与来电弹屏）', (env) => {
  let c: Clients;
  let gw: string;
  const cti = (payload: unknown, token = gw) =>
    env().app.inject({
      method: 'POST',
      url: '/api/channels/cti/events',
      headers: { authorization: `Bearer ${token}` },
      payload: payload as object,
    });
  const offered = (callId: string, over: Record<string, unknown> = {}) =>
    cti({ type: 'call.offered', callId, caller: CALLER, callee: '12345', at: '2025-03-03T09:30:00+08:00', ...over });

  beforeAll(async () => {
    c = await loginAll(env());
    gw = await tokenFor(env(), c.admin, 'gateway');
  });

  it('call.offered records one phone contact while the phone rings; a redelivery changes nothing', async () => {
    const e = env();
    const before = await counts(e);
    const first = await offered('call-0001');
    expect(first.statusCode).toBe(201);
    const body = first.json();
    expect(body).toMatchObject({ applied: true });
    const again = await offered('call-0001');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ contactId: body.contactId, applied: false });
    expect((await counts(e)).contacts).toBe(before.contacts + 1);
    const row = await e.db
      .selectFrom('contacts')
      .selectAll()
      .where('id', '=', body.contactId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      channel: 'phone',
      external_id: 'call-0001',
      content: '',
      agent_id: null,
      centre_unit_id: e.ids.units.centre,
    });
    expect(row.received_at.toISOString()).toBe('2025-03-03T01:30:00.000Z');
    const r = await e.db
      .selectFrom('requesters')
      .select('phone_hash')
      .where('id', '=', row.requester_id!)
      .executeTakeFirstOrThrow();
    expect(r.phone_hash).toBe(e.cipher.phoneHash(CALLER));
  });

  it('第十二条: what the agent writes down of a call becomes its text, whatever the disposition', async () => {
    const e = env();
    const dispose = (id: number, body: object) => c.agent.post(`/api/contacts/${id}/disposition`, body);
    const text = async (id: number) =>
      await e.db
        .selectFrom('contacts')
        .select(['content', 'disposition_data'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    // a disposition without a note of its own keeps the record too
    const a = (await offered('call-rec-1', { caller: '13805300101' })).json().contactId;
    expectStatus(
      await dispose(a, {
        disposition: 'not_accepted',
        reason: '不属于热线受理范围',
        callRecord: '  来电人要求热线帮其追讨私人借款  ',
      }),
      200,
    );
    const rowA = await text(a);
    expect(rowA.content).toBe('来电人要求热线帮其追讨私人借款');
    expect(rowA.disposition_data).not.toHaveProperty('callRecord');
    // dispatched: the record is the contact's text and, unless the agent wrote a summary of its own, the ticket's
    const b = (await offered('call-rec-2', { caller: '13805300102' })).json().contactId;
    const d = expectStatus(
      await dispose(b, {
        disposition: 'dispatched',
        requestType: 'complaint',
        categoryId: e.ids.categories['CX-SZ'],
        regionCode: '371702001',
        title: '路灯不亮',
        callRecord: '和平路路灯一周不亮',
      }),
      200,
    );
    expect((await text(b)).content).toBe('和平路路灯一周不亮');
    expect(
      (await e.db.selectFrom('tickets').select('content').where('id', '=', d.ticketId).executeTakeFirstOrThrow())
        .content,
    ).toBe('和平路路灯一周不亮');
    // a message's own words are never rewritten: the record is refused and nothing changes
    const sms = expectStatus(
      await c.agent.post('/api/contacts', {
        channel: 'sms',
        externalId: 'sms-rec-1',
        content: '短信原文：小区停水',
        requester: { phone: '13805300103' },
      }),
      201,
    );
    const refused = await dispose(sms.id, {
      disposition: 'answered',
      answer: '已告知供水公司抢修电话',
      callRecord: '改写的内容',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'bad_request', details: { field: 'callRecord' } });
    expect(await text(sms.id)).toMatchObject({ content: '短信原文：小区停水', disposition_data: null });
    expect((await dispose(a, { disposition: 'answered', answer: 'x', callRecord: 'x'.repeat(10_001) })).status).toBe(
      400,
    );
  });

  it('第十一条: a caller phoning again and again about the same thing is flagged once the calls are written down', async () => {
    const e = env();
    const caller = '13805300199';
    const same = '反映楼上邻居每天夜里在家里唱歌声音太大影响休息';
    const flags = async () =>
      e.db
        .selectFrom('requester_flags')
        .innerJoin('requesters', 'requesters.id', 'requester_flags.requester_id')
        .select(['requester_flags.kind'])
        .where('requesters.phone_hash', '=', e.cipher.phoneHash(caller))
        .execute();
    for (let i = 1; i <= 4; i++) {
      const id = (await offered(`call-rep-${i}`, { caller, at: `2025-03-03T1${i}:00:00+08:00` })).json().contactId;
      expect(await flags()).toEqual([]); // a ringing call has no words to compare
      expectStatus(
        await c.agent.post(`/api/contacts/${id}/disposition`, {
          disposition: 'answered',
          answer: '已告知可向所在社区或派出所反映',
          callRecord: same,
        }),
        200,
      );
    }
    expect(await flags()).toEqual([{ kind: 'repeated_contacts' }]);
    // an emergency transfer never runs the check, and is never held up by a flag
    const fire = (await offered('call-rep-5', { caller, at: '2025-03-03T16:00:00+08:00' })).json().contactId;
    expectStatus(
      await c.agent.post(`/api/contacts/${fire}/disposition`, {
        disposition: 'transferred',
        hotline: '119',
        callRecord: same,
      }),
      200,
    );
    expect(await flags()).toHaveLength(1);
  });

  it('call.answered sets the agent who took the call, once; call.ended stores duration and recording', async () => {
    const e = env();
    const { contactId } = (await offered('call-0002')).json();
    const ans = await cti({
      type: 'call.answered',
      callId: 'call-0002',
      agentUsername: 'agent',
      at: '2025-03-03T09:30:08+08:00',
    });
    expect(ans.statusCode).toBe(200);
    expect(ans.json()).toMatchObject({ contactId, applied: true });
    // redelivered, or a later transfer to another agent: the agent who took the call stays
    expect(
      (
        await cti({
          type: 'call.answered',
          callId: 'call-0002',
          agentUsername: 'agent',
          at: '2025-03-03T09:30:08+08:00',
        })
      ).json().applied,
    ).toBe(false);
    expect(
      (
        await cti({
          type: 'call.answered',
          callId: 'call-0002',
          agentUsername: 'agent_cx',
          at: '2025-03-03T09:31:00+08:00',
        })
      ).json().applied,
    ).toBe(false);
    const end = {
      type: 'call.ended',
      callId: 'call-0002',
      at: '2025-03-03T09:34:08+08:00',
      durationSeconds: 240,
      recordingRef: 'rec/2025/03/03/call-0002.wav',
    };
    expect((await cti(end)).json()).toMatchObject({ contactId, applied: true });
    expect((await cti({ ...end, durationSeconds: 999 })).json().applied).toBe(false);
    const row = await e.db
      .selectFrom('contacts')
      .select(['agent_id', 'meta'])
      .where('id', '=', contactId)
      .executeTakeFirstOrThrow();
    expect(row.agent_id).toBe(e.ids.users.agent);
    expect(row.meta).toMatchObject({
      callee: '12345',
      answeredBy: 'agent',
      durationSeconds: 240,
      recordingRef: 'rec/2025/03/03/call-0002.wav',
      endedAt: '2025-03-03T01:34:08.000Z',
    });
  });

  it('第十一条: a call over 30 minutes raises one long-occupation flag, not one per redelivery', async () => {
    const e = env();
    const { contactId } = (await offered('call-0003', { caller: '13805300003' })).json();
    const end = {
      type: 'call.ended',
      callId: 'call-0003',
      at: '2025-03-03T10:15:00+08:00',
      durationSeconds: 45 * 60,
      recordingRef: 'rec-3',
    };
    await cti(end);
    await cti(end);
    const flags = await e.db
      .selectFrom('requester_flags')
      .select(['kind', 'contact_id', 'source'])
      .where('contact_id', '=', contactId)
      .execute();
    expect(flags).toEqual([{ kind: 'long_occupation', contact_id: contactId, source: 'automatic' }]);
  });

  it('a withheld number is an anonymous call, still recorded', async () => {
    const e = env();
    const { contactId } = (await offered('call-0004', { caller: 'anonymous' })).json();
    const row = await e.db
      .selectFrom('contacts')
      .select(['requester_id', 'meta'])
      .where('id', '=', contactId)
      .executeTakeFirstOrThrow();
    expect(row.requester_id).toBeNull();
    expect(row.meta).toMatchObject({ callerWithheld: true });
  });

  it('bad events answer a clear error and write nothing', async () => {
    const e = env();
    const before = await counts(e);
    const cases: Array<[unknown, number]> = [
      [{ type: 'call.offered', caller: CALLER, callee: '12345', at: '2025-03-03T09:30:00+08:00' }, 400], // no callId
      [{ type: 'call.offered', callId: 'x1', caller: CALLER, callee: '12345', at: '昨天上午' }, 400],
      [{ type: 'call.offered', callId: 'x2', caller: CALLER, callee: '12345', at: '2025-03-03T09:30:00' }, 400], // no zone
      [{ type: 'call.parked', callId: 'x3', at: '2025-03-03T09:30:00+08:00' }, 400],
      [{ type: 'call.ended', callId: 'x4', at: '2025-03-03T09:30:00+08:00', durationSeconds: -1 }, 400],
      [
        { type: 'call.answered', callId: 'never-offered', agentUsername: 'agent', at: '2025-03-03T09:30:00+08:00' },
        404,
      ],
      [{ type: 'call.ended', callId: 'never-offered', at: '2025-03-03T09:30:00+08:00', durationSeconds: 5 }, 404],
    ];
    for (const [payload, status] of cases) {
      const res = await cti(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(res.json().error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    const bad = await e.app.inject({
      method: 'POST',
      url: '/api/channels/cti/events',
      headers: { authorization: `Bearer ${gw}`, 'content-type': 'application/json' },
      payload: '{"type":"call.offered",',
    });
    expect(bad.statusCode).toBe(400);
    await offered('call-0005');
    const unknownAgent = await cti({
      type: 'call.answered',
      callId: 'call-0005',
      agentUsername: 'nobody',
      at: '2025-03-03T09:30:00+08:00',
    });
    expect(unknownAgent.statusCode).toBe(422);
    expect(unknownAgent.json().error.message).toContain('话务员账号');
    const after = await counts(e);
    expect(after.contacts).toBe(before.contacts + 1); // only call-0005
  });

  it('only a gateway token may post CTI events', async () => {
    const e = env();
    const partner = await tokenFor(e, c.admin, 'partner');
    const before = await counts(e);
    expect(
      (
        await e.app.inject({
          method: 'POST',
          url: '/api/channels/cti/events',
          payload: {
            type: 'call.offered',
            callId: 'y',
            caller: CALLER,
            callee: '12345',
            at: '2025-03-03T09:30:00+08:00',
          },
        })
      ).statusCode,
    ).toBe(401);
    expect(
      (
        await cti(
          { type: 'call.offered', callId: 'y', caller: CALLER, callee: '12345', at: '2025-03-03T09:30:00+08:00' },
          partner,
        )
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await cti(
          { type: 'call.offered', callId: 'y', caller: CALLER, callee: '12345', at: '2025-03-03T09:30:00+08:00' },
          'hz_forged',
        )
      ).statusCode,
    ).toBe(401);
    expect(
      (
        await c.agent.post('/api/channels/cti/events', {
          type: 'call.offered',
          callId: 'y',
          caller: CALLER,
          callee: '12345',
          at: '2025-03-03T09:30:00+08:00',
        })
      ).status,
    ).toBe(403);
    expect((await counts(e)).contacts).toBe(before.contacts);
  });

  describeStream(env, () => gw);
});

/** The screen pop over a real socket: agents' browsers hold an SSE stream open. */
function describeStream(env: () => TestEnv, gw: () => string) {
  let base: string;
  beforeAll(async () => {
    base = (await env().app.listen({ host: '127.0.0.1', port: 0 })).replace('localhost', '127.0.0.1');
  });
  // no afterAll: the environment closes the app, and the preClose hook ends any stream still open

  it('第十条 来电弹屏: the routed agent sees the masked caller and their history while it rings', async () => {
    const e = env();
    const agent = await ApiClient.login(e, 'agent');
    // an earlier ticket from the same caller
    const t = await createTicket(e, agent, { requester: { name: '刘洪', phone: '13905307777' } });
    const [mine, county] = [
      await openStream(base, await sessionCookie(e, 'agent')),
      await openStream(base, await sessionCookie(e, 'agent_cx')),
    ];
    try {
      expect(mine.status).toBe(200);
      expect(await mine.waitFor((x) => x.event === 'ready')).toBeTruthy();
      await county.waitFor((x) => x.event === 'ready');
      const res = await e.app.inject({
        method: 'POST',
        url: '/api/channels/cti/events',
        headers: { authorization: `Bearer ${gw()}` },
        payload: {
          type: 'call.offered',
          callId: 'pop-1',
          caller: '139-0530-7777',
          callee: '12345',
          at: '2025-03-03T11:00:00+08:00',
          agent: 'agent',
        },
      });
      expect(res.json().delivered).toBe(1);
      const pop = await mine.waitFor((x) => x.event === 'call.offered' && x.data.callId === 'pop-1');
      expect(pop!.data).toMatchObject({ contactId: res.json().contactId, caller: '139****7777', callee: '12345' });
      expect(pop!.data.history.tickets[0]).toMatchObject({ id: t.id, number: t.number });
      expect(JSON.stringify(pop!.data)).not.toContain('13905307777');
      // a call not yet routed goes to every agent of the gateway's centre, not to another county's centre
      await e.app.inject({
        method: 'POST',
        url: '/api/channels/cti/events',
        headers: { authorization: `Bearer ${gw()}` },
        payload: {
          type: 'call.offered',
          callId: 'pop-2',
          caller: '13905300002',
          callee: '12345',
          at: '2025-03-03T11:01:00+08:00',
        },
      });
      expect(await mine.waitFor((x) => x.data.callId === 'pop-2')).toBeTruthy();
      expect(await county.waitFor((x) => x.data.callId === 'pop-2', 300)).toBeUndefined();
      // when someone answers, the other screens learn it
      await e.app.inject({
        method: 'POST',
        url: '/api/channels/cti/events',
        headers: { authorization: `Bearer ${gw()}` },
        payload: { type: 'call.answered', callId: 'pop-2', agentUsername: 'agent', at: '2025-03-03T11:01:05+08:00' },
      });
      expect(await mine.waitFor((x) => x.event === 'call.answered' && x.data.callId === 'pop-2')).toBeTruthy();
    } finally {
      await mine.close();
      await county.close();
    }
  });

  it('the stream is for agents with a session only', async () => {
    const e = env();
    const anon = await fetch(`${base}/api/channels/cti/stream`);
    expect(anon.status).toBe(401);
    const handler = await fetch(`${base}/api/channels/cti/stream`, {
      headers: { cookie: await sessionCookie(e, 'handler_md') },
    });
    expect(handler.status).toBe(403);
    expect(((await handler.json()) as { error: { message: string } }).error.message).toContain('话务员');
  });
}
