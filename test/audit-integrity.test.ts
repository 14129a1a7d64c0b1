import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { ApiClient, expectStatus } from './helpers/api.js';
import { describeEachDb } from './helpers/test-env.js';
import { loadConfig, trustProxyOption } from '../src/server/config.js';
import { buildApp } from '../src/server/http/app.js';

// 等保 2.0 安全审计 (and 第六、三十条): administrators' changes, logins and their failures, token issue and revoke and
// every export are in the append-only audit with who, when, what and from where; no application role can change
// or delete an audit record (the database refuses), and records are kept at least six months.
describeEachDb('等保 2.0 安全审计 操作审计', (env) => {
  let admin: ApiClient;
  let auditor: ApiClient;
  let agent: ApiClient;

  beforeAll(async () => {
    admin = await ApiClient.login(env(), 'admin');
    auditor = await ApiClient.login(env(), 'auditor');
    agent = await ApiClient.login(env(), 'agent');
  });

  const audit = async (q: string) => expectStatus<any>(await auditor.get(`/api/audit/admin?${q}`), 200);

  it("an administrator's change is recorded with who, what (before → after) and from where", async () => {
    const e = env();
    const res = await e.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: (admin as any).cookie, 'x-request-id': 'req-audit-create-1' },
      payload: {
        username: 'audit_new',
        displayName: '新用户',
        password: 'Abcdefg123!x',
        unitId: e.ids.units['gov-md'],
        roles: ['handler'],
        scope: 'unit',
      },
    });
    expect(res.statusCode).toBe(201);
    const id = JSON.parse(res.body).id as number;
    const page = await audit(`entity=user&entityId=${id}`);
    expect(page.items[0]).toMatchObject({
      entity: 'user',
      entityLabel: '用户',
      entityId: String(id),
      targetName: '新用户',
      action: 'create',
      actionLabel: '新建',
      username: 'admin',
      sourceIp: '127.0.0.1',
      requestId: 'req-audit-create-1',
    });
    expect(page.items[0].after).toMatchObject({ username: 'audit_new' });
    expect(JSON.stringify(page.items[0])).not.toMatch(/password_hash|Abcdefg123/);

    // deactivation: before and after
    expectStatus(await admin.request('PATCH', `/api/users/${id}`, { active: false }), 200);
    const upd = await audit(`entity=user&entityId=${id}&action=deactivate`);
    expect(upd.items).toHaveLength(1);
    expect(upd.items[0].before).toMatchObject({ active: true });
    expect(upd.items[0].after).toMatchObject({ active: false });
  });

  it('logins and failed logins are recorded with the address; an unknown name only as its keyed hash', async () => {
    const e = env();
    await ApiClient.login(e, 'dispatcher');
    const bad = await e.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'dispatcher', password: 'wrong-password' },
    });
    expect(bad.statusCode).toBe(401);
    const ghost = await e.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'Heze12345!typo', password: 'x' },
    });
    expect(ghost.statusCode).toBe(401);
    const dispatcherId = e.ids.users['dispatcher']!;
    const ok = await audit(`entity=user&entityId=${dispatcherId}&action=login`);
    expect(ok.items[0]).toMatchObject({ userId: dispatcherId, sourceIp: '127.0.0.1', actionLabel: '登录成功' });
    const failed = await audit(`entity=user&entityId=${dispatcherId}&action=login_failed`);
    expect(failed.items[0]).toMatchObject({ userId: null, sourceIp: '127.0.0.1', actionLabel: '登录失败' });
    const unknown = await audit('entity=login_account&action=login_failed');
    expect(unknown.items.length).toBeGreaterThan(0);
    // what may be a mistyped password is never stored in clear
    expect(JSON.stringify(unknown.items)).not.toContain('Heze12345!typo');
  });

  it('behind a trusted reverse proxy (TRUST_PROXY) the client address comes from X-Forwarded-For, else never', async () => {
    const e = env();
    expect(trustProxyOption(loadConfig({ TRUST_PROXY: '10.0.0.1, 127.0.0.1/8' }).TRUST_PROXY)).toBe(
      '10.0.0.1, 127.0.0.1/8',
    );
    expect(trustProxyOption(loadConfig({}).TRUST_PROXY)).toBe(false);
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY/);
    const proxied = await buildApp({
      db: e.db,
      clock: e.clock,
      cipher: e.cipher,
      logLevel: 'silent',
      trustProxy: trustProxyOption('127.0.0.1'),
    });
    try {
      for (const [app, expected] of [
        [proxied.app, '203.0.113.7'],
        [e.app, '127.0.0.1'],
      ] as const) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          headers: { 'x-forwarded-for': '203.0.113.7' },
          payload: { username: 'callback', password: 'not-the-password' },
        });
        expect(res.statusCode).toBe(401);
        const row = await audit(`entity=user&entityId=${e.ids.users['callback']}&action=login_failed&limit=1`);
        expect(row.items[0].sourceIp).toBe(expected);
      }
    } finally {
      await proxied.app.close();
    }
  });

  it('token issue and revoke, and settings changes, are recorded', async () => {
    const e = env();
    const t = expectStatus<any>(
      await admin.post('/api/admin/api-tokens', {
        unitId: e.ids.units['gov-md'],
        name: '审计测试',
        scopes: ['feed:read'],
      }),
      201,
    );
    expectStatus(await admin.post(`/api/admin/api-tokens/${t.id}/revoke`), 200);
    const tok = await audit(`entity=api_token&entityId=${t.id}`);
    expect(tok.items.map((i: any) => i.action).sort()).toEqual(['issue', 'revoke']);
    expect(JSON.stringify(tok.items)).not.toContain(t.token);

    const before = expectStatus<any>(await admin.get('/api/knowledge/settings'), 200);
    expectStatus(
      await admin.put('/api/knowledge/settings', {
        expiryNoticeDays: before.expiryNoticeDays + 1,
        defaultReviewCycleDays: before.defaultReviewCycleDays,
        staleGraceDays: before.staleGraceDays,
      }),
      200,
    );
    const s = await audit('entity=knowledge_settings');
    expect(s.items[0].before.expiryNoticeDays).toBe(before.expiryNoticeDays);
    expect(s.items[0].after.expiryNoticeDays).toBe(before.expiryNoticeDays + 1);
  });

  it('the auditor alone reads it, pages by keyset and filters by person and day', async () => {
    expect((await admin.get('/api/audit/admin')).status).toBe(403);
    expect((await agent.get('/api/audit/admin')).status).toBe(403);
    const first = await audit('limit=2');
    expect(first.items).toHaveLength(2);
    expect(first.next).toBe(first.items[1].id);
    const second = await audit(`limit=2&before=${first.next}`);
    expect(second.items[0].id).toBeLessThan(first.items[1].id);
    const adminId = env().ids.users['admin']!;
    const mine = await audit(`userId=${adminId}&limit=500`);
    expect(mine.items.every((i: any) => i.userId === adminId)).toBe(true);
    // the test clock's day (2025-03-03, China time) holds them all; the day before holds none of today's
    const today = await audit('from=2025-03-03&to=2025-03-03&limit=500');
    expect(today.items.length).toBeGreaterThan(3);
    const yesterday = await audit('from=2025-03-02&to=2025-03-02&action=login');
    expect(yesterday.items).toHaveLength(0);
    expect((await auditor.get('/api/audit/admin?from=2025-02-30')).status).toBe(400);
    expect((await auditor.get('/api/audit/admin?entity=DROP%20TABLE')).status).toBe(400);
  });

  it('the export is CSV of the filtered audit and is itself written to the access log', async () => {
    const e = env();
    const res = await e.app.inject({
      method: 'GET',
      url: '/api/audit/admin.csv?entity=user',
      headers: { cookie: (auditor as any).cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toContain('来源地址');
    expect(lines.length).toBeGreaterThan(2);
    const log = expectStatus<any>(await auditor.get('/api/audit/access?kind=audit_export&limit=1'), 200);
    expect(log.items[0]).toMatchObject({ kind: 'audit_export', rowCount: lines.length - 1 });
    expect(log.items[0].filter).toMatchObject({ log: 'admin_audit', entity: 'user' });
  });

  it('every screen export is recorded before the file is made (第三十条第二款)', async () => {
    const r = expectStatus<any>(
      await agent.post('/api/audit/exports', { screen: '全部知识', filter: { status: 'published' }, rows: 42 }),
      201,
    );
    expect(r.id).toBeGreaterThan(0);
    const log = expectStatus<any>(await auditor.get('/api/audit/access?kind=export&limit=1'), 200);
    expect(log.items[0]).toMatchObject({ kind: 'export', rowCount: 42, actorKind: 'person' });
    expect(log.items[0].filter).toMatchObject({ screen: '全部知识', status: 'published', format: 'csv' });
    for (const body of [
      { screen: '', rows: 1 },
      { screen: 'x', rows: -1 },
      { screen: 'x', rows: 1.5 },
      { screen: 'x\u0000', rows: 1 },
      { screen: 'x', rows: 1, filter: { a: { deep: 1 } } },
      { screen: 'x', rows: 1, format: 'pdf' },
    ])
      expect((await agent.post('/api/audit/exports', body)).status).toBe(400);
  });

  it('no application role can change or remove an audit record: the database refuses', async () => {
    const db = env().db;
    await expect(sql`UPDATE admin_audit SET action = 'x'`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM admin_audit`.execute(db)).rejects.toThrow(/append-only/);
    for (const table of ['admin_audit', 'ticket_events', 'pii_access_log', 'access_log'])
      await expect(sql`TRUNCATE ${sql.table(table)} CASCADE`.execute(db)).rejects.toThrow(/append-only/);
    // even a retention purge cannot take a record younger than six months (the guard reads the database's clock,
    // so this row is written at the database's now, not the test clock's 2025)
    await sql`INSERT INTO admin_audit (user_id, entity, entity_id, action, at)
              VALUES (NULL, 'system', 'recent', 'update', now() - interval '179 days')`.execute(db);
    await expect(
      db.transaction().execute(async (trx) => {
        await sql`SELECT set_config('hz.audit_purge', 'on', true)`.execute(trx);
        await sql`DELETE FROM admin_audit WHERE entity_id = 'recent'`.execute(trx);
      }),
    ).rejects.toThrow(/append-only/);
    // …but may remove one older than 180 days, and only inside a purge
    await sql`INSERT INTO admin_audit (user_id, entity, entity_id, action, at)
              VALUES (NULL, 'system', 'old', 'update', now() - interval '200 days')`.execute(db);
    await expect(sql`DELETE FROM admin_audit WHERE entity_id = 'old'`.execute(db)).rejects.toThrow(/append-only/);
    await db.transaction().execute(async (trx) => {
      await sql`SELECT set_config('hz.audit_purge', 'on', true)`.execute(trx);
      await sql`DELETE FROM admin_audit WHERE entity_id = 'old'`.execute(trx);
    });
    const left = await sql<{ n: number }>`SELECT count(*)::int AS n FROM admin_audit WHERE entity_id = 'old'`.execute(
      db,
    );
    expect(left.rows[0]!.n).toBe(0);
  });
});
