import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fanOut } from '../src/server/jobs/unit-feed.js';
import { WebhookDeliveryWorker, type WebhookOptions } from '../src/server/jobs/webhook-delivery.js';
import { verifyAccessChain } from '../src/server/modules/sharing/access-log.service.js';
import { appendAccess } from '../src/server/modules/sharing/access-log.repository.js';
import { encodeFeedCursor } from '../src/server/domain/feed-cursor.js';
import { parseSignatureHeader } from '../src/server/domain/webhook-signature.js';
import { feedPageSchema, pingSchema, sharedEventSchema, backfillLineSchema } from '../src/shared/contracts/sharing.js';
import { expectStatus } from './helpers/api.js';
import { createTicket, loginAll, PHONE, tokenFor, type Clients } from './helpers/factories.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';
import { WebhookReceiver } from './helpers/webhook-receiver.js';

const quiet = { info() {}, warn() {}, error() {} };
const TEST_POLICY = { baseMs: 1_000, maxMs: 60_000, maxAttempts: 4 };

describeEachDb('第三十条 data sharing: units receive their data, every access is accounted for', (env) => {
  let e: TestEnv;
  let c: Clients;
  const tokens: Record<string, string> = {};
  const receivers: WebhookReceiver[] = [];

  const unit = (code: string) => e.ids.units[code]!;
  const worker = (over: Partial<WebhookOptions> = {}) =>
    new WebhookDeliveryWorker(e.db, e.clock, e.cipher, quiet, {
      timeoutMs: 400,
      random: () => 0.5,
      policy: TEST_POLICY,
      ...over,
    });
  const advance = (ms: number) => e.clock.set(new Date(e.clock.now().getTime() + ms));
  const bearer = async (token: string, url: string) => {
    const res = await e.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    const json = String(res.headers['content-type'] ?? '').startsWith('application/json');
    return { status: res.statusCode, body: json ? res.json() : res.body, text: res.body };
  };
  const receiver = async () => {
    const r = new WebhookReceiver([], () => Math.floor(e.clock.now().getTime() / 1000));
    await r.start();
    receivers.push(r);
    return r;
  };
  const subscribe = async (
    r: WebhookReceiver,
    unitCode: string,
    groups = ['dispatch', 'accept', 'handling', 'reply'],
  ) => {
    const s = expectStatus<{ id: number; secret: string; version: number }>(
      await c.admin.post('/api/sharing/subscriptions', {
        unitId: unit(unitCode),
        name: `${unitCode} 接收系统`,
        url: r.url,
        eventGroups: groups,
      }),
      201,
    );
    r.secrets = [s.secret];
    return s;
  };
  async function lifecycle(lead: string, assist: string[] = [], over: Record<string, unknown> = {}) {
    const t = await createTicket(e, c.agent, over);
    expectStatus(
      await c.dispatcher.post(`/api/tickets/${t.id}/dispatch`, {
        leadUnitId: unit(lead),
        assistUnitIds: assist.map(unit),
      }),
      200,
    );
    return t;
  }
  const accept = async (id: number) => expectStatus(await c.handlerMd.post(`/api/tickets/${id}/accept`, {}), 200);
  const progress = async (id: number, content: string) =>
    expectStatus(await c.handlerMd.post(`/api/tickets/${id}/progress-reports`, { content }), 200);
  /** every message a receiver processed is a valid payload of the documented schema */
  const validate = (r: WebhookReceiver) => {
    for (const m of r.requests) {
      const json = JSON.parse(m.body);
      if (json.type === 'ping') pingSchema.parse(json);
      else sharedEventSchema.parse(json);
    }
  };

  beforeAll(async () => {
    e = env();
    c = await loginAll(e);
    for (const code of ['gov-md', 'cgj', 'gov-cx']) {
      tokens[code] = expectStatus<{ token: string }>(
        await c.admin.post('/api/admin/api-tokens', {
          unitId: unit(code),
          name: `对接 ${code}`,
          scopes: ['feed:read'],
        }),
        201,
      ).token;
    }
    tokens.partner = await tokenFor(e, c.admin, 'partner');
    // what happened before these tests is not theirs
    await fanOut(e.db, e.clock);
  });
  afterAll(async () => {
    for (const r of receivers) await r.stop();
  });

  it('第三十条 scope: a unit receives only its tickets; the assisting unit masked; a 举报 never carries its requester to the unit it concerns', async () => {
    e.clock.set('2025-03-10T09:00:00+08:00');
    const start = {
      md: expectStatus<{ next: string }>(await bearer(tokens['gov-md']!, '/api/units/feed?limit=500'), 200).next,
      cg: expectStatus<{ next: string }>(await bearer(tokens.cgj!, '/api/units/feed?limit=500'), 200).next,
    };
    const t1 = await lifecycle('gov-md', ['cgj']);
    await accept(t1.id);
    await progress(t1.id, '已安排施工队');
    const report = await lifecycle('gov-md', ['cgj'], {
      requestType: 'report',
      categoryId: e.ids.categories['QT-QT'],
      regionCode: '371702',
      title: '我叫欧阳明，举报区政府窗口吃拿卡要',
      content: '我叫欧阳明，电话15800000009，举报区政府某窗口工作人员吃拿卡要。',
      reportedUnitId: unit('gov-md'),
      unitText: '反映区政府某窗口工作人员办事时吃拿卡要',
      requester: { name: '欧阳明', phone: '15800000009' },
    });
    const other = await lifecycle('gov-cx', [], { regionCode: '371721' });
    await fanOut(e.db, e.clock);

    const md = expectStatus<any>(await bearer(tokens['gov-md']!, `/api/units/feed?after=${start.md}&limit=500`), 200);
    feedPageSchema.parse(md);
    const mdTickets = new Set(md.items.map((i: any) => i.ticket.id));
    expect(mdTickets).toEqual(new Set([t1.id, report.id]));
    const t1Events = md.items.filter((i: any) => i.ticket.id === t1.id);
    expect(t1Events.map((i: any) => i.type)).toEqual(['dispatched', 'accepted', 'progress_reported']);
    expect(t1Events[0].unit.role).toBe('lead');
    expect(t1Events[0].ticket.requester).toEqual({
      name: '张**',
      phone: '139****1234',
      revealPath: `/api/tickets/${t1.id}/requester/reveal`,
    });
    const asReported = md.items.find((i: any) => i.ticket.id === report.id);
    expect(asReported.ticket.requester).toBeNull();
    expect(asReported.ticket.identityWithheld).toBe(true);
    expect(asReported.ticket.content).toBe('反映区政府某窗口工作人员办事时吃拿卡要');
    expect(asReported.event.data).toEqual({});
    const mdText = JSON.stringify(md);
    for (const secret of ['欧阳', '0009', PHONE]) expect(mdText).not.toContain(secret);

    const cg = expectStatus<any>(await bearer(tokens.cgj!, `/api/units/feed?after=${start.cg}&limit=500`), 200);
    feedPageSchema.parse(cg);
    expect(new Set(cg.items.map((i: any) => i.ticket.id))).toEqual(new Set([t1.id, report.id]));
    const assisting = cg.items.find((i: any) => i.ticket.id === t1.id);
    expect(assisting.unit.role).toBe('assist');
    expect(assisting.ticket.requester).toEqual({ name: '张**', phone: null, revealPath: null });
    // the assisting unit of a 举报 about someone else: the requester masked, as for any assisting unit
    expect(cg.items.find((i: any) => i.ticket.id === report.id).ticket.requester).toEqual({
      name: '欧**',
      phone: null,
      revealPath: null,
    });
    expect(JSON.stringify(cg)).not.toContain(PHONE);

    const cx = expectStatus<any>(await bearer(tokens['gov-cx']!, '/api/units/feed?limit=500'), 200);
    expect(cx.items.map((i: any) => i.ticket.id)).toContain(other.id);
    expect(cx.items.map((i: any) => i.ticket.id)).not.toContain(t1.id);

    // the backfill: the unit's tickets as its payload, streamed
    const nd = await bearer(tokens['gov-md']!, '/api/units/feed/tickets.ndjson');
    expect(nd.status).toBe(200);
    const lines = nd.text
      .trim()
      .split('\n')
      .map((l) => backfillLineSchema.parse(JSON.parse(l)));
    expect(lines.map((l) => l.ticket.id)).toEqual(expect.arrayContaining([t1.id, report.id]));
    expect(lines.map((l) => l.ticket.id)).not.toContain(other.id);
    expect(nd.text).not.toContain('欧阳');
    const csv = await bearer(tokens['gov-md']!, '/api/units/feed/tickets.csv');
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('工单编号');
    expect(csv.text).toContain(t1.number);
    expect(csv.text).not.toContain(PHONE);
  });

  it('第三十条 pull cursors: keyset pages, another unit’s cursor 400, a token without the scope 403', async () => {
    const all = expectStatus<any>(await bearer(tokens['gov-md']!, '/api/units/feed?limit=500'), 200);
    const ids: string[] = [];
    let after = '';
    for (let i = 0; i < 100; i++) {
      const p = expectStatus<any>(
        await bearer(tokens['gov-md']!, `/api/units/feed?limit=2${after ? `&after=${after}` : ''}`),
        200,
      );
      ids.push(...p.items.map((x: any) => x.id));
      after = p.next;
      if (!p.more) break;
    }
    expect(ids).toEqual(all.items.map((x: any) => x.id));
    expect(new Set(ids).size).toBe(ids.length);
    // nothing new: the same cursor comes back, stable across calls (and restarts: it is only unit and position)
    const again = expectStatus<any>(await bearer(tokens['gov-md']!, `/api/units/feed?after=${after}`), 200);
    expect(again.items).toEqual([]);
    expect(again.next).toBe(after);

    const foreign = encodeFeedCursor(unit('cgj'), 1);
    const r400 = await bearer(tokens['gov-md']!, `/api/units/feed?after=${foreign}`);
    expect(r400.status).toBe(400);
    expect(r400.body.error.message).toContain('游标不属于本单位');
    expect((await bearer(tokens['gov-md']!, '/api/units/feed?after=not-a-cursor!')).status).toBe(400);
    expect((await bearer(tokens['gov-md']!, '/api/units/feed?after=Zm9v')).status).toBe(400);
    // the centre's partner token has no scope: 403; a person of the unit who is not its manager: 403
    const noScope = await bearer(tokens.partner!, '/api/units/feed');
    expect(noScope.status).toBe(403);
    expect(noScope.body.error.message).toContain('feed:read');
    expect((await c.handlerMd.get('/api/units/feed')).status).toBe(403);
    expect((await c.managerMd.get('/api/units/feed')).status).toBe(200);
    expect((await bearer(tokens.partner!, '/api/units/feed/tickets.ndjson')).status).toBe(403);
    // a revoked token is no token
    const issued = expectStatus<any>(
      await c.admin.post('/api/admin/api-tokens', { unitId: unit('gov-md'), name: '临时', scopes: ['feed:read'] }),
      201,
    );
    expect((await bearer(issued.token, '/api/units/feed')).status).toBe(200);
    const list = expectStatus<any>(await c.admin.get('/api/admin/api-tokens'), 200);
    expect(list.items.find((t: any) => t.id === issued.id)).toMatchObject({ scopes: ['feed:read'], revokedAt: null });
    expectStatus(await c.admin.post(`/api/admin/api-tokens/${issued.id}/revoke`), 200);
    expect((await bearer(issued.token, '/api/units/feed')).status).toBe(401);
  });

  it('第三十条 subscriptions: https only (loopback http in development), secret shown once, unit managers for their own unit', async () => {
    const bad = await c.admin.post('/api/sharing/subscriptions', {
      unitId: unit('gov-md'),
      name: '明文',
      url: 'http://example.gov.cn/hook',
      eventGroups: ['reply'],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('https');
    for (const url of ['ftp://example.gov.cn/x', 'https://user:pw@example.gov.cn/x', 'not a url'])
      expect(
        (
          await c.admin.post('/api/sharing/subscriptions', {
            unitId: unit('gov-md'),
            name: 'x',
            url,
            eventGroups: ['reply'],
          })
        ).status,
      ).toBe(400);
    const ok = expectStatus<any>(
      await c.managerMd.post('/api/sharing/subscriptions', {
        unitId: unit('gov-md'),
        name: '区政府业务系统',
        url: 'https://md.example.gov.cn/12345/hook',
        eventGroups: ['reply'],
      }),
      201,
    );
    expect(ok.secret).toMatch(/^whsec_/);
    // another unit's manager may not register for this unit, nor see its subscriptions
    const mine = expectStatus<any>(await c.managerMd.get('/api/sharing/subscriptions'), 200);
    expect(mine.items.every((s: any) => s.unitId === unit('gov-md'))).toBe(true);
    expect(JSON.stringify(mine)).not.toContain(ok.secret);
    expect(
      (
        await c.managerMd.post('/api/sharing/subscriptions', {
          unitId: unit('cgj'),
          name: 'x',
          url: 'https://x.example/h',
          eventGroups: ['reply'],
        })
      ).status,
    ).toBe(404);
    expect((await c.handlerMd.get('/api/sharing/subscriptions')).status).toBe(403);
    // the stored secret is encrypted
    const row = await e.db
      .selectFrom('webhook_subscriptions')
      .select('secret_enc')
      .where('id', '=', ok.id)
      .executeTakeFirstOrThrow();
    expect(row.secret_enc).not.toContain(ok.secret);
    // paused: optimistic version
    expectStatus(
      await c.managerMd.request('PATCH', `/api/sharing/subscriptions/${ok.id}`, {
        status: 'paused',
        version: ok.version,
      }),
      200,
    );
    expect(
      (
        await c.managerMd.request('PATCH', `/api/sharing/subscriptions/${ok.id}`, {
          status: 'active',
          version: ok.version,
        })
      ).status,
    ).toBe(409);
  });

  it('第三十条 signatures, order per ticket, exactly once for a receiver honouring the idempotency key', async () => {
    e.clock.set('2025-03-11T09:00:00+08:00');
    const r = await receiver();
    const s = await subscribe(r, 'gov-md');
    const t1 = await lifecycle('gov-md');
    const t2 = await lifecycle('gov-md');
    await accept(t1.id);
    await accept(t2.id);
    for (let i = 1; i <= 3; i++) {
      await progress(t1.id, `第${i}次反馈`);
      await progress(t2.id, `第${i}次反馈`);
    }
    await fanOut(e.db, e.clock);
    // the first attempts are processed but their acknowledgements lost: everything is sent again
    r.mode = 'ack-lost';
    const w = worker();
    const first = await w.runOnce();
    expect(first.retried).toBe(1); // the subscription backs off after the failure
    r.mode = 'ok';
    advance(60_000);
    const p = await w.drain();
    expect(p.dead).toBe(0);
    expect(r.requests.every((m) => m.signatureOk)).toBe(true);
    expect(r.requests.some((m) => m.duplicate)).toBe(true);
    const processed = r.processed.map((m) => JSON.parse(m.body));
    // each event exactly once
    expect(new Set(processed.map((m) => m.id)).size).toBe(processed.length);
    expect(processed).toHaveLength(2 * (1 + 1 + 3)); // dispatched, accepted, 3 progress each
    // in order per ticket
    for (const t of [t1, t2]) {
      const ev = processed.filter((m) => m.ticket.id === t.id).map((m) => m.event.id);
      expect(ev).toEqual([...ev].sort((a, b) => a - b));
    }
    validate(r);
    // headers as documented
    const m = r.requests[0]!;
    expect(parseSignatureHeader(m.signature)).toHaveLength(1);
    expect(Number(m.timestamp)).toBe(Math.floor(e.clock.now().getTime() / 1000) - 60);
    // a wrong secret is refused by the receiver (401 is final: dead letter, replayable)
    r.secrets = ['whsec_wrong'];
    await progress(t1.id, '错误密钥期间的反馈');
    await fanOut(e.db, e.clock);
    const bad = await w.drain();
    expect(bad.dead).toBe(1);
    const dead = expectStatus<any>(await c.admin.get(`/api/sharing/subscriptions/${s.id}/deliveries?status=dead`), 200);
    expect(dead.items).toHaveLength(1);
    expect(dead.items[0].lastStatusCode).toBe(401);
    r.secrets = [s.secret];
    expectStatus(await c.admin.post(`/api/sharing/deliveries/${dead.items[0].id}/replay`), 200);
    expect((await c.admin.post(`/api/sharing/deliveries/${dead.items[0].id}/replay`)).status).toBe(409);
    expect((await w.drain()).delivered).toBe(1);
    expect(r.processed.at(-1)!.eventId).toBe(dead.items[0].eventId);
    // paused: queued, not sent; resumed: sent
    const cur = expectStatus<any>(
      await c.admin.get(`/api/sharing/subscriptions?unitId=${unit('gov-md')}`),
      200,
    ).items.find((x: any) => x.id === s.id);
    expectStatus(
      await c.admin.request('PATCH', `/api/sharing/subscriptions/${s.id}`, { status: 'paused', version: cur.version }),
      200,
    );
    await progress(t2.id, '暂停期间的反馈');
    await fanOut(e.db, e.clock);
    expect((await w.drain()).delivered).toBe(0);
    expectStatus(
      await c.admin.request('PATCH', `/api/sharing/subscriptions/${s.id}`, {
        status: 'active',
        version: cur.version + 1,
      }),
      200,
    );
    expect((await w.drain()).delivered).toBe(1);
    // the test delivery from the screen
    const ping = expectStatus<any>(await c.admin.post(`/api/sharing/subscriptions/${s.id}/test`), 200);
    expect(ping).toMatchObject({ ok: true, httpStatus: 200 });
    validate(r);
    expectStatus(
      await c.admin.request('PATCH', `/api/sharing/subscriptions/${s.id}`, {
        status: 'paused',
        version: cur.version + 2,
      }),
      200,
    );
  });

  it('第三十条 retries and dead letters: 500s, timeouts, a receiver killed and restarted — nothing lost, order kept', async () => {
    e.clock.set('2025-03-12T09:00:00+08:00');
    const r = await receiver();
    const s = await subscribe(r, 'gov-md');
    const t = await lifecycle('gov-md');
    await fanOut(e.db, e.clock);
    const w = worker();
    // 500: retried with backoff, the next event of the ticket waits behind it
    r.mode = 'fail';
    await accept(t.id);
    await fanOut(e.db, e.clock);
    expect(await w.runOnce()).toMatchObject({ retried: 1, delivered: 0 });
    const sub = await e.db
      .selectFrom('webhook_subscriptions')
      .selectAll()
      .where('id', '=', s.id)
      .executeTakeFirstOrThrow();
    expect(sub.backoff_until!.getTime()).toBeGreaterThan(e.clock.now().getTime());
    expect(sub.last_status_code).toBe(500);
    expect((await w.runOnce()).retried).toBe(0); // backing off: not even tried
    // a hanging receiver: the timeout ends the attempt
    r.mode = 'hang';
    advance(3_600_000);
    const hung = await w.runOnce();
    expect(hung.retried).toBe(1);
    const afterHang = await e.db
      .selectFrom('webhook_subscriptions')
      .select('last_error')
      .where('id', '=', s.id)
      .executeTakeFirstOrThrow();
    expect(afterHang.last_error).toContain('未应答');
    // killed: connection refused
    await r.stop();
    advance(3_600_000);
    expect((await w.runOnce()).retried).toBe(1);
    const conn = await e.db
      .selectFrom('webhook_subscriptions')
      .select('last_error')
      .where('id', '=', s.id)
      .executeTakeFirstOrThrow();
    expect(conn.last_error).toContain('无法连接');
    // restarted on the same address, and everything arrives, in order
    await r.start(r.port);
    r.mode = 'ok';
    advance(3_600_000);
    const back = await w.drain();
    expect(back.delivered).toBe(2);
    const bodies = r.processed.map((m) => JSON.parse(m.body));
    expect(bodies.map((b) => b.type)).toEqual(['dispatched', 'accepted']);
    // a receiver that keeps failing: after maxAttempts the message is a dead letter; later events go on
    r.mode = 'fail';
    await progress(t.id, '一直失败的反馈');
    await fanOut(e.db, e.clock);
    for (let i = 0; i < TEST_POLICY.maxAttempts; i++) {
      advance(3_600_000);
      await w.runOnce();
    }
    const dead = expectStatus<any>(
      await c.managerMd.get(`/api/sharing/subscriptions/${s.id}/deliveries?status=dead`),
      200,
    );
    expect(dead.items).toHaveLength(1);
    expect(dead.items[0]).toMatchObject({ kind: 'progress_reported', attempts: TEST_POLICY.maxAttempts });
    // the subscription list shows it: failures, the dead letter, the last error
    const listed = expectStatus<any>(await c.managerMd.get('/api/sharing/subscriptions'), 200).items.find(
      (x: any) => x.id === s.id,
    );
    expect(listed).toMatchObject({ dead: 1, lastStatusCode: 500, status: 'active' });
    expect(listed.consecutiveFailures).toBeGreaterThan(0);
    r.mode = 'ok';
    await progress(t.id, '之后的反馈');
    await fanOut(e.db, e.clock);
    advance(3_600_000);
    expect((await w.drain()).delivered).toBe(1);
    // the unit's manager replays the dead letters
    expectStatus(await c.managerMd.post(`/api/sharing/subscriptions/${s.id}/replay-dead`), 200);
    expect((await w.drain()).delivered).toBe(1);
    expect(new Set(r.processed.map((m) => m.eventId)).size).toBe(r.processed.length);
    expect(r.processed).toHaveLength(4);
    validate(r);
    expectStatus(
      await c.admin.request('PATCH', `/api/sharing/subscriptions/${s.id}`, { status: 'paused', version: 1 }),
      200,
    );
  });

  it('第三十条 a slow receiver never delays another subscription', async () => {
    e.clock.set('2025-03-13T09:00:00+08:00');
    const slow = await receiver();
    const fast = await receiver();
    const ss = await subscribe(slow, 'gov-md');
    const sf = await subscribe(fast, 'cgj');
    slow.mode = 'hang';
    for (let i = 0; i < 3; i++) await lifecycle('gov-md', ['cgj']);
    await fanOut(e.db, e.clock);
    const started = Date.now();
    const pass = await worker({ timeoutMs: 1_500 }).runOnce();
    expect(pass.delivered).toBe(3);
    expect(fast.processed).toHaveLength(3);
    expect(slow.processed).toHaveLength(0);
    // the slow one cost one timeout (then backed off as a whole), not one per message
    expect(Date.now() - started).toBeLessThan(4_000);
    for (const [s, v] of [
      [ss, 1],
      [sf, 1],
    ] as const)
      expectStatus(
        await c.admin.request('PATCH', `/api/sharing/subscriptions/${s.id}`, { status: 'paused', version: v }),
        200,
      );
  });

  it('第三十条 several processes: fan-out and delivery from two connection pools at once send each event once', async () => {
    if (e.kind !== 'postgres') return; // PGlite is one process by construction
    e.clock.set('2025-03-13T15:00:00+08:00');
    const r = await receiver();
    const s = await subscribe(r, 'zjj'); // 住建局: a unit of its own (at most 5 subscriptions a unit)
    const other = await e.openSecondHandle();
    for (let i = 0; i < 12; i++) await lifecycle('zjj');
    // two schedulers fan out at the same time: one does the work, the other skips its pass
    await Promise.all([fanOut(e.db, e.clock), fanOut(other.db, e.clock)]);
    const feed = await sql<{ n: number; d: number }>`
      SELECT count(*)::int AS n, count(DISTINCT (unit_id, event_id))::int AS d FROM unit_feed`.execute(e.db);
    expect(feed.rows[0]!.n).toBe(feed.rows[0]!.d);
    const a = worker({ batchSize: 3, concurrency: 2 });
    const b = new WebhookDeliveryWorker(other.db, e.clock, e.cipher, quiet, {
      timeoutMs: 400,
      random: () => 0.5,
      policy: TEST_POLICY,
      batchSize: 3,
      concurrency: 2,
    });
    const [pa, pb] = await Promise.all([a.drain(), b.drain()]);
    expect(pa.delivered + pb.delivered).toBe(12);
    expect(r.processed).toHaveLength(12);
    // nothing was sent twice: the leases kept the two workers apart
    expect(r.requests).toHaveLength(12);
    validate(r);
    expectStatus(
      await c.admin.request('PATCH', `/api/sharing/subscriptions/${s.id}`, { status: 'paused', version: 1 }),
      200,
    );
  });

  it('第三十条 rotating the secret mid-flight: both signatures during the grace period, then only the new one', async () => {
    e.clock.set('2025-03-14T09:00:00+08:00');
    const r = await receiver();
    const s = await subscribe(r, 'gov-md');
    await lifecycle('gov-md');
    await fanOut(e.db, e.clock);
    const rotated = expectStatus<any>(await c.admin.post(`/api/sharing/subscriptions/${s.id}/rotate-secret`), 200);
    expect(rotated.secret).not.toBe(s.secret);
    // the receiver has not been told yet: the old secret still verifies
    expect((await worker().drain()).delivered).toBe(1);
    expect(parseSignatureHeader(r.requests.at(-1)!.signature)).toHaveLength(2);
    expect(r.requests.at(-1)!.signatureOk).toBe(true);
    r.secrets = [rotated.secret];
    advance(25 * 3_600_000);
    await lifecycle('gov-md');
    await fanOut(e.db, e.clock);
    expect((await worker().drain()).delivered).toBe(1);
    expect(parseSignatureHeader(r.requests.at(-1)!.signature)).toHaveLength(1);
    expect(r.requests.at(-1)!.signatureOk).toBe(true);
    validate(r);
    expectStatus(
      await c.admin.request('PATCH', `/api/sharing/subscriptions/${s.id}`, { status: 'paused', version: 2 }),
      200,
    );
  });

  it('第三十条第二款 access log: searches, reveals, feed pages, exports and deliveries are written; the auditor filters and exports', async () => {
    e.clock.set('2025-03-15T09:00:00+08:00');
    const t = await lifecycle('gov-md');
    expectStatus(await c.agent.post('/api/tickets/search', { q: t.number }), 200);
    expectStatus(await c.agent.post('/api/tickets/search', { q: PHONE }), 200);
    expectStatus(await c.handlerMd.post(`/api/tickets/${t.id}/requester/reveal`, { purpose: '联系诉求人' }), 200);
    // the existing reveal audit stays
    const pii = await e.db.selectFrom('pii_access_log').select('id').where('ticket_id', '=', t.id).execute();
    expect(pii.length).toBeGreaterThan(0);
    const byTicket = await c.auditor.get(`/api/audit/access?ticketId=${t.id}`);
    expect(byTicket.status).toBe(200);
    const kinds = byTicket.body.items.map((i: any) => i.kind);
    expect(kinds).toEqual(expect.arrayContaining(['search', 'reveal']));
    const search = byTicket.body.items.find((i: any) => i.kind === 'search' && i.filter.searchKind === 'number');
    expect(search).toMatchObject({ actorKind: 'person', userName: expect.any(String), rowCount: 1 });
    expect(search.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    // the number searched for is kept masked
    const all = expectStatus<any>(await c.auditor.get('/api/audit/access?kind=search&limit=10'), 200);
    expect(JSON.stringify(all)).not.toContain(PHONE);
    expect(JSON.stringify(all)).toContain('139****1234');
    // feed pages and webhook deliveries are there, by unit
    const feed = expectStatus<any>(
      await c.auditor.get(`/api/audit/access?unitId=${unit('gov-md')}&kind=feed&limit=5`),
      200,
    );
    expect(feed.items.length).toBeGreaterThan(0);
    expect(feed.items[0].actorKind).toBe('system');
    const hooks = expectStatus<any>(await c.auditor.get(`/api/audit/access?kind=webhook_delivery&limit=200`), 200);
    expect(hooks.items.some((i: any) => i.filter.outcome === 'failed')).toBe(true);
    expect(hooks.items.some((i: any) => i.filter.outcome === 'delivered')).toBe(true);
    // person and date filters; keyset paging
    const mine = expectStatus<any>(
      await c.auditor.get(`/api/audit/access?userId=${e.ids.users.agent}&from=2025-03-15&to=2025-03-15&limit=1`),
      200,
    );
    expect(mine.items).toHaveLength(1);
    expect(mine.next).not.toBeNull();
    const page2 = expectStatus<any>(
      await c.auditor.get(
        `/api/audit/access?userId=${e.ids.users.agent}&from=2025-03-15&to=2025-03-15&limit=1&before=${mine.next}`,
      ),
      200,
    );
    expect(page2.items[0].id).toBeLessThan(mine.items[0].id);
    expect((await c.auditor.get('/api/audit/access?from=2025-13-01')).status).toBe(400);
    // CSV export, itself logged
    const csv = await c.auditor.bytes(`/api/audit/access.csv?ticketId=${t.id}`);
    expect(csv.status).toBe(200);
    expect(csv.data.toString('utf8')).toContain('查看个人信息');
    const exports = expectStatus<any>(await c.auditor.get('/api/audit/access?kind=audit_export&limit=1'), 200);
    expect(exports.items[0]).toMatchObject({ userId: e.ids.users.auditor, rowCount: byTicket.body.items.length });
    // separation of duties: the admin does not read it
    expect((await c.admin.get('/api/audit/access')).status).toBe(403);
  });

  it('第三十条第二款 retention: never shorter than 180 days; a purge keeps the chain verifiable', async () => {
    expect((await c.admin.put('/api/audit/access/retention', { days: 90 })).status).toBe(400);
    expect((await c.auditor.put('/api/audit/access/retention', { days: 200 })).status).toBe(403);
    expectStatus(await c.admin.put('/api/audit/access/retention', { days: 200 }), 200);
    expect(expectStatus<any>(await c.auditor.get('/api/audit/access/retention'), 200).days).toBe(200);
    // the database refuses it too
    await expect(sql`UPDATE access_log_settings SET retention_days = 30`.execute(e.db)).rejects.toThrow();
    // rows written long ago, then a purge 200 days later
    e.clock.set('2024-01-01T09:00:00+08:00');
    for (let i = 0; i < 3; i++)
      await appendAccess(e.db, {
        at: e.clock.now(),
        userId: null,
        unitId: null,
        actorKind: 'system',
        actorLabel: '历史',
        kind: 'export',
        filter: {},
        rowCount: i,
        contentSha256: null,
        requestId: null,
      });
    e.clock.set('2025-03-16T09:00:00+08:00');
    const before = await verifyAccessChain(e.db);
    expect(before.ok).toBe(true);
    // the rows are not in id order of time here (written "in the past" after newer ones): only a leading run goes
    const purged = await e.services.sharing.access.purge();
    const after = await verifyAccessChain(e.db);
    expect(after).toMatchObject({ ok: true, firstBroken: null });
    expect(after.checked + purged.purged).toBe(before.checked);
    // nobody deletes without the purge
    await expect(sql`DELETE FROM access_log`.execute(e.db)).rejects.toThrow(/append-only/);
    await expect(sql`UPDATE access_log SET row_count = 0`.execute(e.db)).rejects.toThrow(/append-only/);
  });

  it('第三十条第二款 the chain: concurrent writers never fork it; a tampered row is found by audit:verify', async () => {
    const writes = Array.from({ length: 25 }, (_, i) =>
      appendAccess(e.db, {
        at: e.clock.now(),
        userId: e.ids.users.auditor!,
        unitId: null,
        actorKind: 'person',
        actorLabel: '并发',
        kind: 'export',
        filter: { i },
        rowCount: i,
        contentSha256: null,
        requestId: `r-${i}`,
      }),
    );
    await Promise.all(writes);
    if (e.kind === 'postgres') {
      // a second pool (another process) writing at the same time
      const h = await e.openSecondHandle();
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          appendAccess(i % 2 ? h.db : e.db, {
            at: e.clock.now(),
            userId: null,
            unitId: null,
            actorKind: 'system',
            actorLabel: '另一进程',
            kind: 'export',
            filter: { j: i },
            rowCount: 1,
            contentSha256: null,
            requestId: null,
          }),
        ),
      );
    }
    const forks = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM (SELECT prev_hash FROM access_log GROUP BY prev_hash HAVING count(*) > 1) x`.execute(
      e.db,
    );
    expect(forks.rows[0]!.n).toBe(0);
    const ok = await expectStatus<any>(await c.auditor.get('/api/audit/access/verify'), 200);
    expect(ok).toMatchObject({ ok: true, firstBroken: null });
    // tamper with one row behind the trigger's back
    const victim = await e.db
      .selectFrom('access_log')
      .select(['id', 'row_count'])
      .where('actor_label', '=', '并发')
      .orderBy('id')
      .limit(1)
      .offset(3)
      .executeTakeFirstOrThrow();
    await sql`ALTER TABLE access_log DISABLE TRIGGER access_log_append_only`.execute(e.db);
    await sql`UPDATE access_log SET row_count = row_count + 100 WHERE id = ${victim.id}`.execute(e.db);
    const report = await verifyAccessChain(e.db);
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toEqual({ id: victim.id, reason: 'hash' });
    // put it back (so the rest of the database verifies again) and re-enable the guard
    await sql`UPDATE access_log SET row_count = ${victim.row_count} WHERE id = ${victim.id}`.execute(e.db);
    await sql`ALTER TABLE access_log ENABLE TRIGGER access_log_append_only`.execute(e.db);
    expect((await verifyAccessChain(e.db)).ok).toBe(true);
  });
});
