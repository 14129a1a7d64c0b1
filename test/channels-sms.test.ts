import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { expectStatus } from './helpers/api.js';
import { createTicket, loginAll, PHONE, type Clients, tokenFor } from './helpers/factories.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';
import { OutboxWorker } from '../src/server/jobs/outbox.js';
import { LoggingSmsSender, type SmsSender } from '../src/server/modules/channels/sms-sender.js';
import { channelRoutes } from '../src/server/modules/channels/channels.routes.js';
import { registerAuth } from '../src/server/http/auth-plugin.js';
import { registerErrorHandler } from '../src/server/http/error-handler.js';
import { wechatSignature } from '../src/server/modules/channels/wechat.protocol.js';

const FROM = '13705301234';
const quiet = { info() {}, warn() {}, error() {} };

async function countContacts(e: TestEnv) {
  return (await sql<{ n: number }>`SELECT count(*)::int AS n FROM contacts`.execute(e.db)).rows[0]!.n;
}

/** A sender that records what it was given and fails when told to. */
class FakeSender implements SmsSender {
  readonly name = 'fake';
  readonly calls: Array<{ to: string; body: string }> = [];
  constructor(
    private readonly fails: (body: string, attempt: number) => boolean = () => false,
    private readonly delayMs = 0,
  ) {}
  async send(to: string, body: string) {
    this.calls.push({ to, body });
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.fails(body, this.calls.filter((c) => c.body === body).length))
      throw new Error(`gateway 503: number ${to} unreachable`);
    return { providerId: `fake-${this.calls.length}` };
  }
}

async function enqueue(e: TestEnv, body: string) {
  return (
    await e.db
      .insertInto('outbound_messages')
      .values({ channel: 'sms', to_enc: e.cipher.encrypt(FROM), purpose: 'test', body, created_at: e.clock.now() })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}
const row = (e: TestEnv, id: number) =>
  e.db.selectFrom('outbound_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describeEachDb('第二条 多渠道受理 — 短信（上行网关与下行发件箱）', (env, kind) => {
  let c: Clients;
  let gw: string;
  const inbound = (payload: unknown, token = gw) =>
    env().app.inject({
      method: 'POST',
      url: '/api/channels/sms/inbound',
      headers: { authorization: `Bearer ${token}` },
      payload: payload as object,
    });
  const sms = (messageId: string, over: Record<string, unknown> = {}) => ({
    messageId,
    from: FROM,
    to: '106512345',
    text: '我们小区门口的路灯坏了一个星期了，晚上很黑。',
    receivedAt: '2025-03-03T20:15:00+08:00',
    ...over,
  });

  beforeAll(async () => {
    c = await loginAll(env());
    gw = await tokenFor(env(), c.admin, 'gateway');
  });

  it('an inbound SMS is one contact of the sender; the gateway’s redelivery is a no-op', async () => {
    const e = env();
    const before = await countContacts(e);
    const first = await inbound(sms('sms-1'));
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ duplicate: false, emergencySuggestion: null });
    const again = await inbound(sms('sms-1'));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ contactId: first.json().contactId, duplicate: true });
    expect(await countContacts(e)).toBe(before + 1);
    const contact = await e.db
      .selectFrom('contacts')
      .innerJoin('requesters', 'requesters.id', 'contacts.requester_id')
      .select(['channel', 'external_id', 'content', 'meta', 'received_at', 'phone_hash'])
      .where('contacts.id', '=', first.json().contactId)
      .executeTakeFirstOrThrow();
    expect(contact).toMatchObject({
      channel: 'sms',
      external_id: 'sms-1',
      content: '我们小区门口的路灯坏了一个星期了，晚上很黑。',
      meta: { to: '106512345' },
      phone_hash: e.cipher.phoneHash(FROM),
    });
    expect(contact.received_at.toISOString()).toBe('2025-03-03T12:15:00.000Z');
    // the agent's inbox shows it
    const inbox = expectStatus(await c.agent.get('/api/contacts?limit=200'), 200);
    expect(inbox.items.map((i: any) => i.id)).toContain(first.json().contactId);
  });

  it('第十三条: an SMS that reads like an emergency is flagged for the agent', async () => {
    expect((await inbound(sms('sms-fire', { text: '三楼楼道着火了，好多烟' }))).json().emergencySuggestion).toBe('119');
  });

  it('bad input answers 400 in Chinese and writes nothing', async () => {
    const e = env();
    const before = await countContacts(e);
    for (const bad of [
      { ...sms('x'), messageId: undefined },
      sms('x', { from: '不是号码' }),
      sms('x', { text: '   ' }),
      sms('x', { text: 42 }),
      sms('x', { receivedAt: '03/03/2025 20:15' }),
      { text: 'only text' },
    ]) {
      const res = await inbound(bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().error.code).toBe('bad_request');
    }
    expect(await countContacts(e)).toBe(before);
    expect((await c.agent.post('/api/channels/sms/inbound', sms('y'))).status).toBe(403);
    expect(
      (await e.app.inject({ method: 'POST', url: '/api/channels/sms/inbound', payload: sms('y') })).statusCode,
    ).toBe(401);
    expect(await countContacts(e)).toBe(before);
  });

  it('the outbox delivers a ticket receipt (number and tracking code) once, to the clear number, via the sender', async () => {
    const e = env();
    const t = await createTicket(e, c.agent);
    const fake = new FakeSender();
    const worker = new OutboxWorker(e.db, e.clock, e.cipher, fake, quiet, { maxAttempts: 3 });
    const pass = await worker.runOnce();
    expect(pass.sent).toBeGreaterThanOrEqual(1);
    const receipt = await e.db
      .selectFrom('outbound_messages')
      .selectAll()
      .where('ticket_id', '=', t.id)
      .where('purpose', '=', 'receipt')
      .executeTakeFirstOrThrow();
    expect(receipt).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
    const call = fake.calls.find((x) => x.body === receipt.body)!;
    expect(call.to).toBe(PHONE);
    expect(call.body).toContain(t.number);
    expect(call.body).toMatch(/查询码[A-Za-z0-9]{6,}/);
    await worker.runOnce();
    expect(fake.calls.filter((x) => x.body === receipt.body)).toHaveLength(1);
  });

  it('a failing gateway is retried with growing delays; the stored error has no phone number', async () => {
    const e = env();
    const id = await enqueue(e, 'retry me');
    const fake = new FakeSender((body, attempt) => body === 'retry me' && attempt <= 2);
    const worker = new OutboxWorker(e.db, e.clock, e.cipher, fake, quiet, { maxAttempts: 5, baseBackoffMs: 60_000 });
    await worker.runOnce();
    let r = await row(e, id);
    expect(r).toMatchObject({ status: 'pending', attempts: 1 });
    expect(r.last_error).toContain('503');
    expect(r.last_error).not.toContain(FROM);
    await worker.runOnce(); // within the back-off: not tried again
    expect(fake.calls.filter((x) => x.body === 'retry me')).toHaveLength(1);
    e.clock.set(new Date(e.clock.now().getTime() + 61_000));
    await worker.runOnce();
    expect(await row(e, id)).toMatchObject({ status: 'pending', attempts: 2 });
    e.clock.set(new Date(e.clock.now().getTime() + 121_000));
    await worker.runOnce();
    r = await row(e, id);
    expect(r).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
    expect(r.sent_at).not.toBeNull();
  });

  it('after the last attempt a message is marked failed and left alone; a sender that hangs is an attempt too', async () => {
    const e = env();
    const id = await enqueue(e, 'never works');
    const hang = await enqueue(e, 'hangs');
    const fake: SmsSender = {
      name: 'bad',
      send: (_to, body) =>
        body === 'hangs'
          ? new Promise(() => {})
          : body === 'never works'
            ? Promise.reject(new Error('rejected by carrier'))
            : Promise.resolve({ providerId: 'ok' }),
    };
    const worker = new OutboxWorker(e.db, e.clock, e.cipher, fake, quiet, {
      maxAttempts: 2,
      baseBackoffMs: 1000,
      sendTimeoutMs: 50,
    });
    await worker.runOnce();
    expect(await row(e, hang)).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: 'sender did not answer within 50 ms',
    });
    e.clock.set(new Date(e.clock.now().getTime() + 5_000));
    const pass = await worker.runOnce();
    expect(pass.failed).toBe(2);
    expect(await row(e, id)).toMatchObject({ status: 'failed', attempts: 2, last_error: 'rejected by carrier' });
    e.clock.set(new Date(e.clock.now().getTime() + 3_600_000));
    await worker.runOnce();
    expect((await row(e, id)).attempts).toBe(2);
  });

  if (kind === 'postgres') {
    it('two delivering processes never send one message twice (FOR UPDATE SKIP LOCKED)', async () => {
      const e = env();
      const ids: number[] = [];
      for (let i = 0; i < 40; i++) ids.push(await enqueue(e, `parallel ${i}`));
      const [a, b] = [await e.openSecondHandle(), await e.openSecondHandle()];
      const [fa, fb] = [new FakeSender(() => false, 5), new FakeSender(() => false, 5)];
      await Promise.all([
        new OutboxWorker(a.db, e.clock, e.cipher, fa, quiet, { maxAttempts: 3 }).runOnce(),
        new OutboxWorker(b.db, e.clock, e.cipher, fb, quiet, { maxAttempts: 3 }).runOnce(),
      ]);
      const bodies = [...fa.calls, ...fb.calls].map((x) => x.body).filter((x) => x.startsWith('parallel '));
      expect(bodies).toHaveLength(40);
      expect(new Set(bodies).size).toBe(40);
      expect(fa.calls.length).toBeGreaterThan(0);
      expect(fb.calls.length).toBeGreaterThan(0);
      const sent = await e.db.selectFrom('outbound_messages').select('status').where('id', 'in', ids).execute();
      expect(sent.every((s) => s.status === 'sent')).toBe(true);
    });
  }

  it('第六条: no log line of any channel or of the SMS sender carries a clear phone number', async () => {
    const e = env();
    // The same routes and services on an app whose logger writes into memory at the most verbose level.
    const lines: string[] = [];
    const app = Fastify({ logger: { level: 'trace', stream: { write: (s: string) => void lines.push(s) } } });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorHandler(app);
    await app.register(cookie);
    registerAuth(app, e.services.auth);
    channelRoutes(app, e.services);
    await app.ready();
    try {
      const h = { authorization: `Bearer ${gw}` };
      const partner = await tokenFor(e, c.admin, 'partner');
      await app.inject({ method: 'POST', url: '/api/channels/sms/inbound', headers: h, payload: sms('log-1') });
      await app.inject({
        method: 'POST',
        url: '/api/channels/sms/inbound',
        headers: h,
        payload: sms('log-2', { from: `+86 ${FROM}`, receivedAt: 'bad' }),
      });
      await app.inject({
        method: 'POST',
        url: '/api/channels/cti/events',
        headers: h,
        payload: {
          type: 'call.offered',
          callId: 'log-call',
          caller: FROM,
          callee: '12345',
          at: '2025-03-03T09:00:00+08:00',
        },
      });
      await app.inject({
        method: 'POST',
        url: '/api/channels/partner/contacts',
        headers: { authorization: `Bearer ${partner}` },
        payload: { externalId: 'log-p', content: `请回电 ${FROM}`, requester: { phone: FROM } },
      });
      const q = { timestamp: '1741000000', nonce: 'n1' };
      const xml = `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[oLOG]]></FromUserName><CreateTime>1741000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[我的电话${FROM}]]></Content><MsgId>777</MsgId></xml>`;
      await app.inject({
        method: 'POST',
        url: `/wechat?signature=${wechatSignature(e.services.channels.settings.wechat.token!, q.timestamp, q.nonce)}&timestamp=${q.timestamp}&nonce=${q.nonce}&openid=oLOG`,
        headers: { 'content-type': 'text/xml' },
        payload: xml,
      });
      await enqueue(e, `您的来电已记录 ${FROM}`);
      const worker = new OutboxWorker(e.db, e.clock, e.cipher, new LoggingSmsSender(app.log), app.log, {
        maxAttempts: 3,
      });
      expect((await worker.runOnce()).sent).toBeGreaterThan(0);
      const failing = new OutboxWorker(e.db, e.clock, e.cipher, new FakeSender(() => true), app.log, {
        maxAttempts: 3,
      });
      await enqueue(e, 'fails');
      await failing.runOnce();
      expect(lines.length).toBeGreaterThan(10);
      expect(lines.some((l) => l.includes('137****1234'))).toBe(true); // the logging sender did log, masked
      expect(lines.some((l) => l.includes('oLOG'))).toBe(false); // nor the WeChat openid
      for (const l of lines) expect(l).not.toMatch(/13705301234|3705301234|0530-?1234/);
    } finally {
      await app.close();
    }
  });
});
