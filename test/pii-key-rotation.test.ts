import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DB } from '../src/server/db/schema.js';
import { encryptedJsonValues } from '../src/server/domain/pii-rotation.js';
import { buildApp } from '../src/server/http/app.js';
import { wechatSignature } from '../src/server/modules/channels/wechat.protocol.js';
import { runRotationBatch, runRotationPass } from '../src/server/modules/pii-keys/rotation.worker.js';
import { PiiCipher } from '../src/server/security/pii-cipher.js';
import { ApiClient, expectStatus } from './helpers/api.js';
import { createTicket, loginAll, tokenFor, type Clients } from './helpers/factories.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';
import { form as urlencoded, streetLamp } from './fixtures/open311/support.js';

// 第六条 (personal information protected) and 等保 2.0 数据保密性: the PII key is rotated on a populated database.
// The app restarts with a new current key (v2) and the old one kept for reading (v1); an admin starts the rotation;
// batches re-encrypt every personal field and recompute the keyed hashes; afterwards the old key is removed and
// what still needs it is exactly what the admin screen says: tracking codes never used since (their plaintext is
// not stored) and a WeChat id whose openid was never kept.

const PHONE_A = '13905301234'; // 张秀英: two tickets, and the Open311 request
const PHONE_B = '13705309876'; // 李建国: numbers in the words of the ticket
const PHONE_C = '13605306666'; // 王桂兰: a call recorded as a contact, then dispatched
const PHONE_D = '13805307777'; // 赵敏: the web form
const PHONE_E = '13505308888'; // 孙强: a partner system
const OPENID = 'oRotateTu6Hk3xL8yXz9AbCdEf';
const OLD_OPENID = 'oOldTu6Hk3xL8yXz9AbCdEfGh'; // a contact from before 0008 kept no openid
const WEIBO_UID = '5823461970';
const ACCOUNT = 'gh_3f1e2d4c5b6a';

/** Where personal data lives under the PII key: the test's own list, the spec the rotation must meet. */
const FIELDS = [
  { table: 'requesters', key: 'id', columns: ['name_enc', 'phone_enc'] },
  { table: 'tickets', key: 'id', columns: ['address_enc', 'original_enc'] },
  { table: 'contacts', key: 'id', columns: ['content_enc'], json: 'meta' },
  { table: 'unit_notify_phones', key: 'unit_id', columns: ['phone_enc'] },
  { table: 'outbound_messages', key: 'id', columns: ['to_enc'] },
  { table: 'webhook_subscriptions', key: 'id', columns: ['secret_enc', 'previous_secret_enc'] },
  { table: 'login_throttle_accounts', key: 'account_key', columns: ['last_failure_ip_enc'] },
  { table: 'users', key: 'id', columns: ['totp_secret_enc', 'totp_pending_secret_enc'] },
] as const;

interface Field {
  version: number | null;
  plain: string | null;
}

/** Every encrypted value of every row, decrypted with `cipher`: "table:key:column" → version and plaintext. */
async function snapshot(db: Kysely<DB>, cipher: PiiCipher) {
  const out = new Map<string, Field>();
  for (const f of FIELDS) {
    const cols = [f.key, ...f.columns, ...('json' in f ? [f.json] : [])];
    const { rows } = await sql<Record<string, any>>`SELECT ${sql.join(cols.map((c) => sql.ref(c)))} FROM ${sql.table(
      f.table,
    )}`.execute(db);
    for (const r of rows) {
      const values: Array<[string, string]> = f.columns
        .filter((c) => r[c] !== null)
        .map((c) => [c, r[c] as string] as [string, string]);
      if ('json' in f) encryptedJsonValues(r[f.json]).forEach((v, i) => values.push([`${f.json}#${i}`, v]));
      for (const [col, v] of values)
        out.set(`${f.table}:${r[f.key]}:${col}`, { version: cipher.versionOf(v), plain: cipher.decrypt(v) });
    }
  }
  return out;
}

/** Ciphertexts of a version anywhere in the database (every text and JSON column of every table), by column. */
async function ciphertextsOf(db: Kysely<DB>, version: number) {
  const { rows: columns } = await sql<{ table_name: string; column_name: string }>`
    SELECT c.table_name, c.column_name FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
      AND c.data_type IN ('text', 'character varying', 'json', 'jsonb')`.execute(db);
  const pattern = `v${version}\\.[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]{22}\\.`;
  const found: Record<string, number> = {};
  for (const c of columns) {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(c.table_name)}
      WHERE ${sql.ref(c.column_name)}::text ~ ${pattern}`.execute(db);
    if (rows[0]!.n > 0) found[`${c.table_name}.${c.column_name}`] = rows[0]!.n;
  }
  return found;
}

describeEachDb('第六条 个人信息加密 密钥轮换（PII key rotation on a populated database）', (env, kind) => {
  let e: TestEnv;
  let c: Clients;
  let gw: string;
  let partner: string;
  const key2 = randomBytes(32);
  let v2: PiiCipher;
  /** the app after a restart with PII_KEY_VERSION=2 and PII_KEYS_PREVIOUS=1:<old key> */
  let e2: TestEnv;
  let c2: Clients;
  const apps: TestEnv[] = [];
  const dirs: string[] = [];
  const tickets: Array<{ id: number; number: string; trackingCode: string }> = [];
  const requesterOf: Record<string, number> = {};
  let before: Map<string, Field>;
  let ip = 0;
  const from = () => `198.51.100.${(++ip % 250) + 1}`;

  /** The same database served by an app with another keyring (a restart with other PII_KEY settings). */
  async function appWith(cipher: PiiCipher): Promise<TestEnv> {
    const dir = mkdtempSync(join(tmpdir(), 'hz-rot-'));
    dirs.push(dir);
    const { app, services } = await buildApp({
      db: e.db,
      clock: e.clock,
      cipher,
      logLevel: 'silent',
      sessionTtlHours: 24 * 400,
      sessionIdleMinutes: 24 * 400 * 60,
      attachmentDir: dir,
    });
    await app.ready();
    const next = { ...e, app, services, cipher };
    apps.push(next);
    return next;
  }
  afterAll(async () => {
    for (const a of apps) await a.app.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const wechat = (x: TestEnv, openid: string, msgId: string, text: string) => {
    const q = new URLSearchParams({
      signature: wechatSignature(x.services.channels.settings.wechat.token!, '1740965401', '1598476320'),
      timestamp: '1740965401',
      nonce: '1598476320',
      openid,
    });
    return x.app.inject({
      method: 'POST',
      url: `/wechat?${q.toString()}`,
      headers: { 'content-type': 'text/xml' },
      payload: `<xml><ToUserName><![CDATA[${ACCOUNT}]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName>
        <CreateTime>1740965400</CreateTime><MsgType><![CDATA[text]]></MsgType>
        <Content><![CDATA[${text}]]></Content><MsgId>${msgId}</MsgId></xml>`,
    });
  };
  const weibo = (x: TestEnv, messageId: string, text: string) =>
    x.app.inject({
      method: 'POST',
      url: '/api/channels/weibo/messages',
      headers: { authorization: `Bearer ${gw}` },
      payload: {
        messageId,
        senderUid: WEIBO_UID,
        senderName: '菏泽市民',
        text,
        createdAt: '2025-03-03T09:10:00+08:00',
      },
    });
  const call = (x: TestEnv, callId: string, caller: string) =>
    x.app.inject({
      method: 'POST',
      url: '/api/channels/cti/events',
      headers: { authorization: `Bearer ${gw}` },
      payload: { type: 'call.offered', callId, caller, callee: '12345', at: '2025-03-03T09:30:00+08:00' },
    });
  const contactRequester = async (x: TestEnv, id: number) =>
    (await x.db.selectFrom('contacts').select('requester_id').where('id', '=', id).executeTakeFirstOrThrow())
      .requester_id;
  const dispatchContact = async (agent: ApiClient, contactId: number, title: string) => {
    const d = expectStatus(
      await agent.post(`/api/contacts/${contactId}/disposition`, {
        disposition: 'dispatched',
        requestType: 'complaint',
        categoryId: e.ids.categories['CX-SZ'],
        urgency: 'normal',
        regionCode: '371702001',
        address: '牡丹区东城街道丹阳路 18 号',
        title,
      }),
      200,
    );
    return { id: d.ticketId as number, number: d.ticketNumber as string, trackingCode: d.trackingCode as string };
  };
  const track = (x: TestEnv, t: { number: string; trackingCode: string }) =>
    x.app.inject({
      method: 'GET',
      url: `/api/public/tracking?number=${t.number}&code=${t.trackingCode}`,
      remoteAddress: from(),
    });
  const searchPhone = async (client: ApiClient, phone: string) =>
    expectStatus(await client.post('/api/tickets/search', { q: phone }), 200) as {
      kind: string;
      items: Array<{ id: number }>;
    };
  const requesterCount = async () =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM requesters`.execute(e.db)).rows[0]!.n;
  const finish = async (x: TestEnv) => {
    for (let i = 0; i < 1000; i++) {
      const r = await runRotationBatch(x.db, x.cipher, x.clock, 7);
      if (r.state !== 'batch') throw new Error(`rotation stopped: ${JSON.stringify(r)}`);
      if (r.completed) return;
    }
    throw new Error('rotation did not finish');
  };

  beforeAll(async () => {
    e = env();
    c = await loginAll(e);
    gw = await tokenFor(e, c.admin, 'gateway');
    partner = await tokenFor(e, c.admin, 'partner');

    // ---- populated through the API under the key the installation has had so far (version 1) ----
    // phone tickets, one with a number in its words (kept encrypted, shown masked)
    for (const over of [
      { requester: { name: '张秀英', phone: PHONE_A } },
      { requester: { name: '李建国', phone: PHONE_B }, content: '小区门口路灯坏了，请回电 13905305555，谢谢。' },
      { requester: null, address: '牡丹区中华路 66 号' },
      { requester: { name: '张秀英', phone: PHONE_A }, title: '和平路路灯又坏了' },
    ]) {
      const t = await createTicket(e, c.agent, over);
      tickets.push(t as any);
    }
    // a call recorded as a contact with numbers in the words, then dispatched
    const k = expectStatus(
      await c.agent.post('/api/contacts', {
        channel: 'phone',
        externalId: 'rot-call-1',
        requester: { name: '王桂兰', phone: PHONE_C },
        content: '丹阳路下水道堵了，我的电话 13605306666，家里座机 0530-5551234。',
      }),
      201,
    );
    tickets.push(await dispatchContact(c.agent, k.id, '丹阳路下水道堵塞'));
    // the web form (a token first, then the form a few seconds later)
    const tok = (await e.app.inject({ method: 'GET', url: '/api/public/form-token', remoteAddress: from() })).json()
      .token as string;
    e.clock.set(new Date(e.clock.now().getTime() + 10_000));
    const boundary = '----rotationBoundary';
    const fields = {
      formToken: tok,
      name: '赵敏',
      phone: PHONE_D,
      address: '牡丹区牡丹街道人民路 100 号 3 单元',
      content: '人民路人行道地砖松动，老人容易绊倒，请尽快修理。',
    };
    const web = await e.app.inject({
      method: 'POST',
      url: '/api/public/requests',
      remoteAddress: from(),
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload:
        Object.entries(fields)
          .map(([n, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`)
          .join('') + `--${boundary}--\r\n`,
    });
    expect(web.statusCode).toBe(201);
    const webId = Number((web.json().reference as string).slice(4));
    tickets.push(await dispatchContact(c.agent, webId, '人民路人行道地砖松动'));
    // WeChat and Weibo, each dispatched (the answer to them goes out through the outbox, to the encrypted id)
    expect((await wechat(e, OPENID, '7001', '您好，丹阳路井盖丢了，很危险。')).statusCode).toBe(200);
    const wx = await e.db
      .selectFrom('contacts')
      .select('id')
      .where('external_id', '=', '7001')
      .executeTakeFirstOrThrow();
    tickets.push(await dispatchContact(c.agent, wx.id, '丹阳路井盖丢失'));
    expect((await weibo(e, 'wb-rot-1', '人民路公交站牌被撞倒了')).statusCode).toBe(201);
    const wb = await e.db
      .selectFrom('contacts')
      .select('id')
      .where('external_id', '=', 'wb-rot-1')
      .executeTakeFirstOrThrow();
    tickets.push(await dispatchContact(c.agent, wb.id, '人民路公交站牌倒伏'));
    // a WeChat user from before 0008: the contact kept no openid, so the requester's hash cannot be remade
    expect((await wechat(e, OLD_OPENID, '7002', '咨询公积金提取')).statusCode).toBe(200);
    await sql`UPDATE contacts SET meta = meta - 'openIdEnc' WHERE external_id = '7002'`.execute(e.db);
    // a partner system's contact with an address; an Open311 request with the client's e-mail
    expect(
      (
        await e.app.inject({
          method: 'POST',
          url: '/api/channels/partner/contacts',
          headers: { authorization: `Bearer ${partner}` },
          payload: {
            externalId: 'P-ROT-1',
            receivedAt: '2025-03-03T09:20:00+08:00',
            requester: { name: '孙强', phone: PHONE_E },
            content: '县城青年路积水严重',
            address: '曹县青菏街道青年路 9 号',
          },
        })
      ).statusCode,
    ).toBe(201);
    const o311 = await e.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      payload: urlencoded({ ...streetLamp, api_key: partner }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(o311.statusCode).toBeLessThan(300);
    // a webhook subscription whose secret was rotated once (current and previous secret)
    const sub = expectStatus(
      await c.admin.post('/api/sharing/subscriptions', {
        unitId: e.ids.units['gov-md'],
        name: '牡丹区推送',
        url: 'https://127.0.0.1:1/hook',
        eventGroups: ['dispatch'],
      }),
      201,
    );
    expectStatus(await c.admin.post(`/api/sharing/subscriptions/${sub.id}/rotate-secret`, {}), 200);
    // a failed login keeps the client's address encrypted; an admin's pending second factor is encrypted too
    const failed = await e.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: '203.0.113.77',
      payload: { username: 'analyst', password: 'not-the-password-1' },
    });
    expect(failed.statusCode).toBe(401);
    await e.db
      .updateTable('users')
      .set({ totp_pending_secret_enc: e.cipher.encrypt('JBSWY3DPEHPK3PXPJBSWY3DP') })
      .where('username', '=', 'admin')
      .execute();

    // a unit's deadline-SMS phone (issue 14) is personal data under the key too
    expectStatus(await c.admin.put(`/api/units/${e.ids.units['gov-md']}/notify-phone`, { phone: '13905309876' }), 200);
    for (const [who, phone] of Object.entries({ A: PHONE_A, B: PHONE_B, C: PHONE_C, D: PHONE_D, E: PHONE_E }))
      requesterOf[who] = (
        await e.db
          .selectFrom('requesters')
          .select('id')
          .where('phone_hash', '=', e.cipher.phoneHash(phone))
          .executeTakeFirstOrThrow()
      ).id;
    for (const [who, purpose, id] of [
      ['wechat', 'wechat', OPENID],
      ['oldWechat', 'wechat', OLD_OPENID],
      ['weibo', 'weibo', WEIBO_UID],
    ] as const)
      requesterOf[who] = (
        await e.db
          .selectFrom('requesters')
          .select('id')
          .where(purpose === 'wechat' ? 'wechat_hash' : 'weibo_hash', '=', e.cipher.keyedHash(purpose, id))
          .executeTakeFirstOrThrow()
      ).id;
    before = await snapshot(e.db, e.cipher);
  });

  it('before: every personal field of every table is a "v1." ciphertext (data from before rotation is version 1)', async () => {
    expect(before.size).toBeGreaterThan(30);
    for (const f of FIELDS)
      expect(
        [...before.keys()].some((k) => k.startsWith(`${f.table}:`)),
        `${f.table} populated`,
      ).toBe(true);
    expect(new Set([...before.values()].map((f) => f.version))).toEqual(new Set([1]));
    for (const x of ['meta#', 'content_enc', 'original_enc', 'previous_secret_enc', 'to_enc', 'last_failure_ip_enc'])
      expect(
        [...before.keys()].some((k) => k.includes(x)),
        x,
      ).toBe(true);
    // the JSON fields of contacts' meta: address, WeChat openid, Weibo uid, the Open311 client's identity
    const plains = [...before.values()].map((f) => f.plain);
    expect(plains).toEqual(
      expect.arrayContaining([OPENID, WEIBO_UID, '牡丹区牡丹街道人民路 100 号 3 单元', '曹县青菏街道青年路 9 号']),
    );
    expect(plains.some((p) => p?.includes('zhang@example.com'))).toBe(true);
  });

  it('a process without the old key: a rotation fails at once, naming the missing version; nothing is half-written', async () => {
    const v2only = new PiiCipher(key2, 2);
    const x = await appWith(v2only);
    const admin = await ApiClient.login(x, 'admin');
    const started = expectStatus(await admin.post('/api/admin/pii-keys/rotations', {}), 201);
    expect(started).toMatchObject({ targetVersion: 2, status: 'running', percent: 0 });
    const r = await runRotationBatch(x.db, v2only, x.clock, 50);
    expect(r).toMatchObject({
      state: 'error',
      fatal: true,
      message: '存在以密钥版本 1 加密的数据，但未配置该版本的密钥（PII_KEYS_PREVIOUS）',
    });
    const s = expectStatus(await admin.get('/api/admin/pii-keys'), 200);
    expect(s.running).toBeNull();
    expect(s.history[0]).toMatchObject({ id: started.id, status: 'failed', statusLabel: '已失败' });
    expect(s.history[0].error).toContain('密钥版本 1');
    expect(await snapshot(e.db, e.cipher)).toEqual(before);
  });

  it('a restart with a new current key (v2, v1 kept for reading): new writes are v2, old rows still read', async () => {
    v2 = e.cipher.withNewCurrentKey(2, key2);
    e2 = await appWith(v2);
    c2 = await loginAll(e2);
    const t = await createTicket(e2, c2.agent, { requester: { name: '周新', phone: '13305301000' } });
    tickets.push(t as any);
    const row = await e.db
      .selectFrom('tickets')
      .select(['address_enc', 'tracking_key_version'])
      .where('id', '=', t.id)
      .executeTakeFirstOrThrow();
    expect(row.address_enc).toMatch(/^v2\./);
    expect(row.tracking_key_version).toBe(2);
    const clear = expectStatus(
      await c2.dispatcher.post(`/api/tickets/${tickets[1]!.id}/requester/reveal`, { purpose: '联系诉求人' }),
      200,
    );
    expect(clear).toMatchObject({ name: '李建国', phone: PHONE_B });
    expect(clear.originalText.content).toContain('13905305555');
    // the same caller before the rotation is the same requester (found by the v1 hash)
    const n = await requesterCount();
    const again = await createTicket(e2, c2.agent, { requester: { name: '张秀英', phone: PHONE_A } });
    tickets.push(again as any);
    expect(
      (await e.db.selectFrom('tickets').select('requester_id').where('id', '=', again.id).executeTakeFirstOrThrow())
        .requester_id,
    ).toBe(requesterOf.A);
    expect(await requesterCount()).toBe(n);
    const s = expectStatus(await c2.admin.get('/api/admin/pii-keys'), 200);
    expect(s).toMatchObject({ currentVersion: 2, previousVersions: [1], running: null, canStart: true });
    expect(s.keys[1]).toMatchObject({ version: 1, removable: false });
    expect(s.keys[1].reason).toContain('尚未完成到版本 2 的轮换');
  });

  it('only an admin starts a rotation (audited); a second one while it runs is a 409 with a clear message', async () => {
    expect((await c2.agent.post('/api/admin/pii-keys/rotations', {})).status).toBe(403);
    expect((await c2.auditor.get('/api/admin/pii-keys')).status).toBe(403);
    expect((await e2.app.inject({ method: 'POST', url: '/api/admin/pii-keys/rotations' })).statusCode).toBe(401);
    // two admins press the button at the same moment: one rotation
    const [a, b] = await Promise.all([
      c2.admin.post('/api/admin/pii-keys/rotations', {}),
      c2.admin.post('/api/admin/pii-keys/rotations', {}),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const started = (a.status === 201 ? a : b).body;
    const refused = (a.status === 201 ? b : a).body;
    expect(refused.error).toMatchObject({ code: 'conflict' });
    expect(refused.error.message).toMatch(
      /^已有一次密钥轮换正在进行（目标密钥版本 2，已完成 \d+%），请待其完成后再开始新的轮换$/,
    );
    const again = await c2.admin.post('/api/admin/pii-keys/rotations', {});
    expect(again.status).toBe(409);
    expect(again.body.error.details).toEqual({ rotationId: started.id, targetVersion: 2 });
    const audit = await e.db
      .selectFrom('admin_audit')
      .selectAll()
      .where('entity', '=', 'pii_key_rotation')
      .where('entity_id', '=', String(started.id))
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ user_id: e.ids.users.admin, action: 'start' });
    expect(audit[0]!.after).toMatchObject({ targetVersion: 2, previousVersions: [1] });
    expect(started.tables.map((t: any) => t.table)).toEqual([
      'requesters',
      'tickets',
      'contacts',
      'unit_notify_phones',
      'outbound_messages',
      'webhook_subscriptions',
      'login_throttle_accounts',
      'users',
    ]);
    expect(started.tables[0].estimate).toBeGreaterThan(0);
  });

  it('mid-rotation, with rows on both versions: every look-up and reveal works, and writes go on', async () => {
    // one requester row per batch, until 张秀英's is on v2; 李建国's (a later id) is not yet
    for (let i = 0; i < 200; i++) {
      const kv = await e.db
        .selectFrom('requesters')
        .select('key_version')
        .where('id', '=', requesterOf.A!)
        .executeTakeFirstOrThrow();
      if (kv.key_version === 2) break;
      expect(await runRotationBatch(e.db, v2, e.clock, 1)).toMatchObject({ state: 'batch', table: 'requesters' });
    }
    const rows = await e.db
      .selectFrom('requesters')
      .select(['id', 'phone_enc', 'phone_hash', 'key_version'])
      .where('id', 'in', [requesterOf.A!, requesterOf.B!])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.phone_enc!.slice(0, 3), r.key_version])).toEqual([
      ['v2.', 2],
      ['v1.', 1],
    ]);
    expect(rows[0]!.phone_hash).toBe(v2.phoneHash(PHONE_A));
    expect(rows[1]!.phone_hash).toBe(e.cipher.phoneHash(PHONE_B));
    // 工单查询 by number, for a rotated and a not yet rotated requester
    expect((await searchPhone(c2.agent, PHONE_A)).items.map((t) => t.id)).toEqual(
      expect.arrayContaining([tickets[0]!.id, tickets[3]!.id]),
    );
    expect((await searchPhone(c2.agent, PHONE_B)).items.map((t) => t.id)).toEqual([tickets[1]!.id]);
    // reveals of both
    for (const [t, name, phone] of [
      [tickets[0]!, '张秀英', PHONE_A],
      [tickets[1]!, '李建国', PHONE_B],
    ] as const)
      expect(
        expectStatus(await c2.dispatcher.post(`/api/tickets/${t.id}/requester/reveal`, { purpose: '核实' }), 200),
      ).toMatchObject({ name, phone });
    // the screen pop of a call from each finds the requester
    const n = await requesterCount();
    for (const [callId, phone, who] of [
      ['rot-mid-a', PHONE_A, 'A'],
      ['rot-mid-b', PHONE_B, 'B'],
    ] as const) {
      const res = await call(e2, callId, phone);
      expect(res.statusCode).toBe(201);
      expect(await contactRequester(e2, res.json().contactId)).toBe(requesterOf[who]);
    }
    expect(await requesterCount()).toBe(n);
    const s = expectStatus(await c2.admin.get('/api/admin/pii-keys'), 200);
    expect(s.running).toMatchObject({ status: 'running', targetVersion: 2 });
    expect(s.running.percent).toBeGreaterThan(0);
    expect(s.running.percent).toBeLessThan(100);
    expect(s.running.tables[0]).toMatchObject({ table: 'requesters', done: false });
    expect(s.running.tables[0].scanned).toBeGreaterThan(0);
    expect(s.canStart).toBe(false);
  });

  it('runs to completion: every personal field decrypts to its original value and carries the new version', async () => {
    await finish(e2);
    const s = expectStatus(await c2.admin.get('/api/admin/pii-keys'), 200);
    expect(s.running).toBeNull();
    expect(s.history[0]).toMatchObject({ status: 'completed', percent: 100, targetVersion: 2 });
    expect(s.history[0].tables.every((t: any) => t.done && t.percent === 100 && t.unreadable === 0)).toBe(true);
    // every row was read exactly once
    for (const t of s.history[0].tables as Array<{ table: string; scanned: number }>) {
      if (t.table === 'login_throttle_accounts') continue; // old windows may be dropped meanwhile
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(t.table)}`.execute(e.db);
      expect(t.scanned, t.table).toBe(rows[0]!.n);
    }
    // with the new key alone: everything there was, as it was, now "v2."
    const after = await snapshot(e.db, v2.withoutVersion(1));
    for (const [k, f] of before) {
      expect(after.get(k), k).toEqual({ version: 2, plain: f.plain });
    }
    expect(new Set([...after.values()].map((f) => f.version))).toEqual(new Set([2]));
    // and nothing anywhere in the database is still a v1 ciphertext (whatever table or column it would be in)
    expect(await ciphertextsOf(e.db, 1)).toEqual({});
    const hashes = await e.db
      .selectFrom('requesters')
      .select(['id', 'phone_hash', 'wechat_hash', 'weibo_hash', 'key_version'])
      .where('id', 'in', Object.values(requesterOf))
      .execute();
    const byId = new Map(hashes.map((h) => [h.id, h]));
    expect(byId.get(requesterOf.A!)!.phone_hash).toBe(v2.phoneHash(PHONE_A));
    expect(byId.get(requesterOf.wechat!)).toMatchObject({
      wechat_hash: v2.keyedHash('wechat', OPENID),
      key_version: 2,
    });
    expect(byId.get(requesterOf.weibo!)).toMatchObject({
      weibo_hash: v2.keyedHash('weibo', WEIBO_UID),
      key_version: 2,
    });
    // the one whose openid was never kept stays on the v1 hash, and says so
    expect(byId.get(requesterOf.oldWechat!)).toMatchObject({
      wechat_hash: e.cipher.keyedHash('wechat', OLD_OPENID),
      key_version: 1,
    });
  });

  it('after the rotation, every phone look-up finds its requester (with the new key alone) and tracking codes work', async () => {
    // a tracking code used now (old key still configured) moves to the new key
    expect((await track(e2, tickets[0]!)).statusCode).toBe(200);
    expect(
      (
        await e.db
          .selectFrom('tickets')
          .select('tracking_key_version')
          .where('id', '=', tickets[0]!.id)
          .executeTakeFirstOrThrow()
      ).tracking_key_version,
    ).toBe(2);
    expect((await track(e2, tickets[1]!)).statusCode).toBe(200);
    await e.db
      .updateTable('tickets')
      .set({ tracking_key_version: 1, tracking_code_hash: e.cipher.keyedHash('tracking', tickets[1]!.trackingCode) })
      .where('id', '=', tickets[1]!.id)
      .execute(); // back as it was: this one stands for the codes nobody used since

    // the operator removes version 1 (PII_KEYS_PREVIOUS emptied) and restarts
    const v2only = v2.withoutVersion(1);
    const e3 = await appWith(v2only);
    const c3 = await loginAll(e3);
    const n = await requesterCount();
    // 工单查询 by phone, in any format
    expect((await searchPhone(c3.agent, PHONE_A)).items.map((t) => t.id)).toEqual(
      expect.arrayContaining([tickets[0]!.id, tickets[3]!.id]),
    );
    expect((await searchPhone(c3.agent, '+86 137-0530-9876')).items.map((t) => t.id)).toEqual([tickets[1]!.id]);
    expect((await searchPhone(c3.agent, PHONE_C)).items.map((t) => t.id)).toEqual([tickets[4]!.id]);
    // the screen pop of a new call shows the caller's history
    const pop = await call(e3, 'rot-after-c', PHONE_C);
    expect(pop.statusCode).toBe(201);
    const contactId = pop.json().contactId as number;
    expect(await contactRequester(e3, contactId)).toBe(requesterOf.C);
    const screen = expectStatus(await c3.agent.get(`/api/contacts/${contactId}/screen-pop`), 200);
    expect(screen.requester).toMatchObject({ id: requesterOf.C, phone: '136****6666' });
    expect(screen.history.tickets.map((t: any) => t.id)).toContain(tickets[4]!.id);
    // the requester's history by number: contacts and tickets of each phone requester
    for (const who of ['A', 'B', 'D', 'E'] as const) {
      const h = expectStatus(await c3.agent.get(`/api/requesters/${requesterOf[who]}/history`), 200);
      expect(h.contacts.length + h.tickets.length, who).toBeGreaterThan(0);
    }
    // new contacts from the same people on every channel join their records
    for (const [who, phone] of [
      ['D', PHONE_D],
      ['E', PHONE_E],
      ['B', PHONE_B],
    ] as const) {
      const k = expectStatus(
        await c3.agent.post('/api/contacts', { channel: 'phone', requester: { phone }, content: '再次来电催办' }),
        201,
      );
      expect(k.requesterId, who).toBe(requesterOf[who]);
    }
    expect((await wechat(e3, OPENID, '7003', '井盖还没有补上')).statusCode).toBe(200);
    expect(
      (
        await e.db
          .selectFrom('contacts')
          .select('requester_id')
          .where('external_id', '=', '7003')
          .executeTakeFirstOrThrow()
      ).requester_id,
    ).toBe(requesterOf.wechat);
    expect((await weibo(e3, 'wb-rot-2', '站牌还没修')).statusCode).toBe(201);
    expect(
      (
        await e.db
          .selectFrom('contacts')
          .select('requester_id')
          .where('external_id', '=', 'wb-rot-2')
          .executeTakeFirstOrThrow()
      ).requester_id,
    ).toBe(requesterOf.weibo);
    expect(await requesterCount()).toBe(n);
    // reveals read with the new key alone
    expect(
      expectStatus(
        await c3.dispatcher.post(`/api/tickets/${tickets[1]!.id}/requester/reveal`, { purpose: '核实' }),
        200,
      ),
    ).toMatchObject({ name: '李建国', phone: PHONE_B, address: '牡丹区东城街道和平路与中华路交叉口东50米' });
    // tracking codes: moved to v2, or made under v2, work; one never used since the rotation needs v1
    expect((await track(e3, tickets[0]!)).statusCode).toBe(200);
    expect((await track(e3, tickets[8]!)).statusCode).toBe(200);
    const stale = await track(e3, tickets[1]!);
    expect(stale.statusCode).toBe(404);
    expect(stale.json().error.message).toBe('工单号或查询码不正确');
    // and the one WeChat user whose openid was never kept is not recognised without v1: a new record
    expect((await wechat(e3, OLD_OPENID, '7004', '再问一次公积金')).statusCode).toBe(200);
    expect(
      (
        await e.db
          .selectFrom('contacts')
          .select('requester_id')
          .where('external_id', '=', '7004')
          .executeTakeFirstOrThrow()
      ).requester_id,
    ).not.toBe(requesterOf.oldWechat);
  });

  it('the remaining dependencies on the old key are exactly what the admin screen says they are', async () => {
    // counted by the rotation as it went: the tickets whose tracking code was hashed with v1 (all made before the
    // rotation reached the tickets table, none used yet then) and the WeChat id never kept
    const rotation = await e.db
      .selectFrom('pii_key_rotations')
      .selectAll()
      .where('status', '=', 'completed')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM tickets
      WHERE tracking_code_hash IS NOT NULL AND coalesce(tracking_key_version, 1) = 1`.execute(e.db);
    expect(rows[0]!.n).toBeGreaterThan(5);
    // tickets[0] was moved to v2 after the rotation counted it
    expect(rotation.dependencies).toEqual({ tracking_code: { '1': rows[0]!.n + 1 }, wechat: { '1': 1 } });
    const s = expectStatus(await c2.admin.get('/api/admin/pii-keys'), 200);
    expect(s.keys[1]).toMatchObject({
      version: 1,
      removable: false,
      dependents: [
        { kind: 'tracking_code', label: '工单查询码', rows: rows[0]!.n + 1 },
        { kind: 'wechat', label: '微信用户标识', rows: 1 },
      ],
    });
    expect(s.missingVersions).toEqual([]);
    const v2only = await appWith(v2.withoutVersion(1));
    const s3 = expectStatus(await (await ApiClient.login(v2only, 'admin')).get('/api/admin/pii-keys'), 200);
    expect(s3).toMatchObject({ currentVersion: 2, previousVersions: [], missingVersions: [1] });
  });

  it.runIf(kind === 'postgres')(
    'kill -9 of a scheduler process in the middle of a batch: the rotation resumes and loses nothing',
    async () => {
      // a restart with v3 (v2 kept): everything is v2 now, so the next rotation rewrites every personal field
      const key3 = randomBytes(32);
      const v3 = v2.withNewCurrentKey(3, key3);
      const e4 = await appWith(v3);
      const admin = await ApiClient.login(e4, 'admin');
      const start = expectStatus(await admin.post('/api/admin/pii-keys/rotations', {}), 201);
      const originals = await snapshot(e.db, v2);

      // The child runs batches freely until its first batch of contacts, which this connection makes wait (a SHARE
      // lock lets the batch read and lock rows but not update them): the child is then killed inside its open
      // transaction, with requesters and tickets committed before.
      const holder = new pg.Client({ connectionString: e.databaseUrl! });
      // pg_stat_activity is read outside the holder's transaction, which would keep showing its first snapshot
      const watcher = new pg.Client({ connectionString: e.databaseUrl! });
      await holder.connect();
      await watcher.connect();
      const url = new URL(e.databaseUrl!);
      url.searchParams.set('application_name', 'pii-rotation-worker');
      let out = '';
      let backend: number | undefined;
      try {
        await holder.query('BEGIN');
        await holder.query('LOCK TABLE contacts IN SHARE MODE');
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', resolve('test/fixtures/pii-rotation-worker.ts'), url.toString(), '3'],
          {
            stdio: ['ignore', 'pipe', 'inherit'],
            env: {
              ...process.env,
              PII_KEY: key3.toString('base64'),
              PII_KEY_VERSION: '3',
              PII_KEYS_PREVIOUS: `2:${key2.toString('base64')}`,
            },
          },
        );
        child.stdout.on('data', (b: Buffer) => (out += b.toString()));
        const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
        try {
          for (let i = 0; i < 600 && backend === undefined; i++) {
            const r = await watcher.query<{ pid: number }>(
              `SELECT pid FROM pg_stat_activity WHERE application_name = 'pii-rotation-worker'
                 AND wait_event_type = 'Lock' AND query LIKE '%UPDATE "contacts"%'`,
            );
            backend = r.rows[0]?.pid;
            if (backend === undefined) await new Promise((ok) => setTimeout(ok, 50));
          }
          expect(backend, `worker blocked in its contacts batch (output: ${out})`).toBeDefined();
        } finally {
          child.kill('SIGKILL');
          await exited;
        }
        await holder.query('COMMIT');
        // the server ends the dead client's session (and rolls its transaction back) once it can run again
        for (let i = 0; i < 200; i++) {
          const r = await watcher.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [backend]);
          if (r.rowCount === 0) break;
          await new Promise((ok) => setTimeout(ok, 50));
        }
      } finally {
        await holder.end();
        await watcher.end();
      }

      const committed = out.split('\n').filter((l) => l.startsWith('batch ')).length;
      expect(out).toMatch(/batch \d+ tickets/);
      expect(out).not.toMatch(/contacts/);
      const mid = await e.db
        .selectFrom('pii_key_rotations')
        .selectAll()
        .where('id', '=', start.id)
        .executeTakeFirstOrThrow();
      expect(mid).toMatchObject({ status: 'running', batches: committed, error: null });
      expect(mid.progress.requesters!.done).toBe(true);
      expect(mid.progress.tickets!.done).toBe(true);
      expect(mid.progress.contacts).toMatchObject({ cursor: null, scanned: 0, done: false });
      // the killed batch wrote nothing: contacts are all still v2, requesters all v3
      const now = await snapshot(e.db, v3);
      for (const [k, f] of now)
        expect(f.version, k).toBe(k.startsWith('requesters:') || k.startsWith('tickets:') ? 3 : 2);

      // resumed by two scheduler processes at once (this one and a second connection pool): one batch at a time
      const second = await e.openSecondHandle();
      const passes = async (db: Kysely<DB>) => {
        for (let i = 0; i < 500; i++) {
          const r = await runRotationPass(db, v3, e.clock, { batchSize: 4, budgetMs: 50 });
          const row = await db
            .selectFrom('pii_key_rotations')
            .select('status')
            .where('id', '=', start.id)
            .executeTakeFirstOrThrow();
          if (row.status !== 'running') return;
          if (r.batches === 0) await new Promise((ok) => setTimeout(ok, 5));
        }
      };
      await Promise.all([passes(e.db), passes(second.db)]);
      const done = expectStatus(await admin.get('/api/admin/pii-keys'), 200).history[0];
      expect(done).toMatchObject({ id: start.id, status: 'completed', percent: 100 });
      for (const t of done.tables as Array<{ table: string; scanned: number }>) {
        if (t.table === 'login_throttle_accounts') continue;
        const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(t.table)}`.execute(e.db);
        expect(t.scanned, t.table).toBe(rows[0]!.n);
      }
      const after = await snapshot(e.db, v3.withoutVersion(2).withoutVersion(1));
      expect(after.size).toBe(originals.size);
      for (const [k, f] of originals) expect(after.get(k), k).toEqual({ version: 3, plain: f.plain });
      expect(await ciphertextsOf(e.db, 2)).toEqual({});
    },
    120_000,
  );
});
