import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../src/server/http/app.js';
import { openDatabase, type DatabaseHandle } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { startRecurringJob } from '../src/server/jobs/scheduler.js';
import { sweepDeadlines } from '../src/server/jobs/deadline-sweeper.js';
import { startMetricsServer } from '../src/server/modules/health/metrics-server.js';
import { recordHeartbeat } from '../src/server/modules/health/health.repository.js';
import { ManualClock } from '../src/server/clock.js';
import { PiiCipher } from '../src/server/security/pii-cipher.js';
import { ApiClient } from './helpers/api.js';
import { createTicket } from './helpers/factories.js';
import { describeEachDb, TEST_START, type TestEnv } from './helpers/test-env.js';

// 等保 2.0 (安全审计, 可用性) / 第八条: the platform's health for operators — /metrics in Prometheus text behind a token
// (or on an address of its own), and /readyz naming what is degraded. docs/operations.md lists the alerts.

const TOKEN = 'metrics-test-token-0123456789abcdef';

/** The value of one sample in Prometheus text, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (
      Object.entries(labels).every(([k, v]) => have[k] === v) &&
      Object.keys(have).length === Object.keys(labels).length
    )
      return Number(m[3]);
  }
  return undefined;
}

/** Every label value of `name`'s series for label `label`. */
function labelValues(text: string, name: string, label: string): string[] {
  const re = new RegExp(`^${name}\\{[^}]*\\b${label}="([^"]*)"`, 'gm');
  return [...text.matchAll(re)].map((m) => m[1]!);
}

describeEachDb('等保 2.0 / 第八条 metrics and readiness', (env, kind) => {
  let app: FastifyInstance;
  let attachmentDir: string;
  beforeAll(async () => {
    attachmentDir = mkdtempSync(join(tmpdir(), 'hz-att-'));
    const built = await buildApp({
      db: env().db,
      clock: env().clock,
      cipher: env().cipher,
      logLevel: 'silent',
      attachmentDir,
      metrics: { collect: true, token: TOKEN },
    });
    app = built.app;
    expect(built.metrics).not.toBeNull();
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    rmSync(attachmentDir, { recursive: true, force: true });
  });

  const scrape = async () => {
    const res = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(200);
    return res.body;
  };
  const ready = async (a: FastifyInstance = app) => {
    const res = await a.inject({ method: 'GET', url: '/readyz' });
    return { code: res.statusCode, body: res.json() as { status: string; degraded: string[]; checks: any } };
  };

  it('without METRICS_TOKEN /metrics does not exist (404, not the web app); with it a Bearer of the token is required', async () => {
    const off = await env().app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(off.statusCode).toBe(404);
    expect(off.json().error.code).toBe('not_found');

    for (const authorization of [undefined, 'Bearer wrong-token', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`, 'Bearer ']) {
      const res = await app.inject({
        method: 'GET',
        url: '/metrics',
        headers: authorization === undefined ? {} : { authorization },
      });
      expect(res.statusCode, String(authorization)).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      expect(res.body).not.toContain('http_requests_total');
    }
    const ok = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(ok.body).toContain('# TYPE http_requests_total counter');
    // the default process metrics of prom-client, on this app's own registry
    expect(sample(ok.body, 'process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(0);
    expect(ok.body).toContain('nodejs_eventloop_lag_seconds');
  });

  it('requests are counted and timed by method, route pattern and status class — never by the raw URL', async () => {
    const agent = await ApiClient.login({ ...env(), app } as TestEnv, 'agent');
    await agent.get('/api/tickets/987654');
    await agent.get('/api/tickets/987655');
    await app.inject({ method: 'GET', url: '/healthz' });
    await app.inject({ method: 'GET', url: '/no/such/987654.png' });
    await app.inject({ method: 'DELETE', url: '/nothing/987654' });
    const text = await scrape();
    const byId = { method: 'GET', route: '/api/tickets/:id', status_class: '4xx' };
    expect(sample(text, 'http_requests_total', byId)).toBe(2);
    expect(sample(text, 'http_request_duration_seconds_count', byId)).toBe(2);
    expect(sample(text, 'http_request_duration_seconds_bucket', { ...byId, le: '+Inf' })).toBe(2);
    expect(sample(text, 'http_requests_total', { method: 'GET', route: '/healthz', status_class: '2xx' })).toBe(1);
    expect(sample(text, 'http_requests_total', { method: 'POST', route: '/api/auth/login', status_class: '2xx' })).toBe(
      1,
    );
    expect(sample(text, 'http_requests_total', { method: 'DELETE', route: 'unmatched', status_class: '4xx' })).toBe(1);
    expect(labelValues(text, 'http_requests_total', 'route').join(' ')).not.toMatch(/987654|\.png/);
  });

  it('database pool use: PGlite reports its one connection; PostgreSQL its pool', async () => {
    const text = await scrape();
    const total = sample(text, 'db_pool_connections', { state: 'total' })!;
    const idle = sample(text, 'db_pool_connections', { state: 'idle' })!;
    if (kind === 'pglite') {
      expect([total, idle, sample(text, 'db_pool_max_connections')]).toEqual([1, 1, 1]);
    } else {
      expect(total).toBeGreaterThanOrEqual(1);
      expect(idle).toBeLessThanOrEqual(total);
      expect(sample(text, 'db_pool_max_connections')).toBe(10);
    }
    expect(sample(text, 'db_pool_waiting_clients')).toBe(0);
  });

  it('/readyz: ready with every check ok; a stale scheduler heartbeat or an unknown migration degrades', async () => {
    const e = env();
    // no scheduler has ever swept this database: unknown, not degraded (a deployment may start its scheduler later)
    let r = await ready();
    expect(r).toMatchObject({ code: 200, body: { status: 'ready', degraded: [] } });
    expect(r.body.checks).toMatchObject({
      database: { status: 'ok' },
      migrations: { status: 'ok' },
      scheduler: { status: 'unknown', lastSweepAt: null },
      outbox: { status: 'ok' },
      deadlineSweeper: { status: 'ok' },
    });

    const now = e.clock.now();
    await recordHeartbeat(e.db, 'deadline-sweep', new Date(now.getTime() - 30_000), 15_000);
    r = await ready();
    expect(r.body.status).toBe('ready');
    expect(r.body.checks.scheduler).toEqual({
      status: 'ok',
      lastSweepAt: new Date(now.getTime() - 30_000).toISOString(),
      ageSeconds: 30,
    });
    expect(sample(await scrape(), 'scheduler_heartbeat_age_seconds', { job: 'deadline-sweep' })).toBe(30);

    // three intervals (at least a minute) without a completed sweep
    e.clock.set(new Date(now.getTime() + 60_000));
    r = await ready();
    expect(r.body).toMatchObject({ status: 'degraded', degraded: ['scheduler'] });
    expect(r.body.checks.scheduler.ageSeconds).toBe(90);
    await recordHeartbeat(e.db, 'deadline-sweep', e.clock.now(), 15_000);
    expect((await ready()).body.status).toBe('ready');

    // a migration this code does not know: the database is newer than the release (a rolled-back deployment)
    await sql`INSERT INTO kysely_migration (name, timestamp) VALUES ('9999-from-the-future', now()::text)`.execute(
      e.db,
    );
    r = await ready();
    expect(r.body).toMatchObject({ status: 'degraded', degraded: ['migrations'] });
    expect(r.body.checks.migrations).toEqual({ status: 'degraded', pending: [], unknown: ['9999-from-the-future'] });
    await sql`DELETE FROM kysely_migration WHERE name = '9999-from-the-future'`.execute(e.db);
    expect((await ready()).body.status).toBe('ready');
  });

  it('the outbox backlog and its oldest pending age per channel reflect an undelivered message', async () => {
    const e = env();
    const before = await scrape();
    for (const channel of ['sms', 'wechat', 'weibo'])
      expect(sample(before, 'outbox_backlog_messages', { channel }), channel).toBeGreaterThanOrEqual(0);
    expect(sample(before, 'outbox_backlog_messages', { channel: 'weibo' })).toBe(0);
    expect(sample(before, 'outbox_oldest_pending_age_seconds', { channel: 'weibo' })).toBe(0);
    const sms = sample(before, 'outbox_backlog_messages', { channel: 'sms' })!;

    const now = e.clock.now();
    const { id } = await e.db
      .insertInto('outbound_messages')
      .values({
        channel: 'weibo',
        to_enc: e.cipher.encrypt('weibo-uid-1')!,
        purpose: 'reply_notice',
        body: '您的诉求已办结',
        created_at: new Date(now.getTime() - 3_600_000),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await e.db
      .insertInto('outbound_messages')
      .values({
        channel: 'weibo',
        to_enc: e.cipher.encrypt('weibo-uid-2')!,
        purpose: 'reply_notice',
        body: '您的诉求已受理',
        status: 'sent',
        created_at: new Date(now.getTime() - 7_200_000),
      } as never)
      .execute();
    const after = await scrape();
    expect(sample(after, 'outbox_backlog_messages', { channel: 'weibo' })).toBe(1); // the sent one is not waiting
    expect(sample(after, 'outbox_oldest_pending_age_seconds', { channel: 'weibo' })).toBe(3600);
    expect(sample(after, 'outbox_backlog_messages', { channel: 'sms' })).toBe(sms);

    // and /readyz: an undelivered message older than READY_OUTBOX_MAX_AGE_SECONDS (900) degrades, still 200
    const r = await ready();
    expect(r.code).toBe(200);
    expect(r.body.status).toBe('degraded');
    expect(r.body.degraded).toContain('outbox');
    expect(r.body.checks.outbox).toMatchObject({ status: 'degraded', lateChannels: ['weibo'] });
    expect(r.body.checks.outbox.oldestPendingSeconds.weibo).toBe(3600);

    await e.db.updateTable('outbound_messages').set({ status: 'sent' }).where('id', '=', id).execute();
    expect(sample(await scrape(), 'outbox_backlog_messages', { channel: 'weibo' })).toBe(0);
    expect((await ready()).body.checks.outbox.status).toBe('ok');
  });

  it('the webhook delivery backlog and its oldest age', async () => {
    const e = env();
    const before = sample(await scrape(), 'webhook_backlog_deliveries')!;
    const now = e.clock.now();
    const sub = await e.db
      .insertInto('webhook_subscriptions')
      .values({
        unit_id: e.ids.units['centre']!,
        name: 'metrics test',
        url: 'https://unit.example.cn/hook',
        event_groups: sql`ARRAY['lifecycle']::text[]`,
        secret_enc: e.cipher.encrypt('secret')!,
        status: 'paused',
        created_at: now,
        updated_at: now,
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    await e.db
      .insertInto('webhook_deliveries')
      .values({
        subscription_id: sub.id,
        kind: 'ping',
        status: 'pending',
        next_attempt_at: now,
        created_at: new Date(now.getTime() - 120_000),
      } as never)
      .execute();
    const text = await scrape();
    expect(sample(text, 'webhook_backlog_deliveries')).toBe(before + 1);
    expect(sample(text, 'webhook_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(120);
  });

  it('scheduler job passes and failures are counted per job', async () => {
    let fail = false;
    const pass = async () => {
      if (fail) throw new Error('gateway down');
      return { done: 1 };
    };
    // a job's first pass starts at once; stop() waits for it, so each start-stop is exactly one pass
    await startRecurringJob('metrics-test-job', 3_600_000, app.log, pass).stop();
    await startRecurringJob('metrics-test-job', 3_600_000, app.log, pass).stop();
    fail = true;
    await startRecurringJob('metrics-test-job', 3_600_000, app.log, pass).stop();
    const text = await scrape();
    expect(sample(text, 'scheduler_job_runs_total', { job: 'metrics-test-job' })).toBe(3);
    expect(sample(text, 'scheduler_job_failures_total', { job: 'metrics-test-job' })).toBe(1);
    expect(sample(text, 'scheduler_job_duration_seconds_count', { job: 'metrics-test-job' })).toBe(3);
  });

  it('login failures and the lock they lead to are counted (第六、三十条)', async () => {
    const e = env();
    const before = await scrape();
    const failures0 = sample(before, 'login_failures_total')!;
    const locks0 = sample(before, 'login_locks_total')!;
    // ten wrong passwords a minute apart (past the growing delays) lock the account
    for (let i = 0; i < 10; i++) {
      e.clock.set(new Date(e.clock.now().getTime() + 61_000));
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'auditor', password: `wrong-${i}` },
      });
      expect(res.statusCode).toBe(401);
    }
    const refused = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'auditor', password: 'wrong-again' },
    });
    expect(refused.statusCode).toBe(429); // refused at the gate: not a checked failure
    const after = await scrape();
    expect(sample(after, 'login_failures_total')).toBe(failures0 + 10);
    expect(sample(after, 'login_locks_total')).toBe(locks0 + 1);
  });

  it('the deadline sweeper lag grows while due deadlines stay unmarked and falls to 0 after a sweep', async () => {
    const e = env();
    expect(sample(await scrape(), 'deadline_sweeper_lag_seconds')).toBe(0);
    const agent = await ApiClient.login({ ...e, app } as TestEnv, 'agent');
    const ticket = await createTicket(e, agent);
    const dispatcher = await ApiClient.login({ ...e, app } as TestEnv, 'dispatcher');
    const leadUnitId = e.ids.units['gov-md'];
    expect((await dispatcher.post(`/api/tickets/${ticket.id}/dispatch`, { leadUnitId })).status).toBe(200);
    const due = await e.db
      .selectFrom('deadlines')
      .select((eb) => eb.fn.min('due_at').as('due'))
      .where('ticket_id', '=', ticket.id)
      .executeTakeFirstOrThrow();
    expect(due.due).not.toBeNull();
    e.clock.set(new Date(new Date(due.due!).getTime() + 600_000));
    expect(sample(await scrape(), 'deadline_sweeper_lag_seconds')).toBe(600);
    const r = await ready();
    expect(r.body.checks.deadlineSweeper).toEqual({ status: 'degraded', lagSeconds: 600 });
    expect(r.body.degraded).toContain('deadlineSweeper');

    await sweepDeadlines(e.db, e.clock);
    expect(sample(await scrape(), 'deadline_sweeper_lag_seconds')).toBe(0);
    expect((await ready()).body.checks.deadlineSweeper).toEqual({ status: 'ok', lagSeconds: 0 });
  });

  it('/readyz answers 503 only when the database does not answer', async () => {
    // a database that refuses connections
    const gone = await openDatabase({ url: 'postgres://postgres@127.0.0.1:1/nothing' });
    const { app: a } = await buildApp({
      db: gone.db,
      clock: new ManualClock(TEST_START),
      cipher: new PiiCipher(randomBytes(32)),
      logLevel: 'silent',
      attachmentDir,
    });
    try {
      const r = await ready(a);
      expect(r).toEqual({
        code: 503,
        body: {
          status: 'unavailable',
          degraded: ['database'],
          checks: { database: { status: 'unavailable', error: 'error' } },
        },
      });
      expect((await a.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200); // liveness stays
    } finally {
      await a.close();
      await gone.close();
    }
  });
});

describeEachDb(
  '等保 2.0: /readyz gives up on a database that does not answer in time, and metrics on an address of their own',
  (env) => {
    let held: DatabaseHandle;
    beforeAll(async () => {
      held = await openDatabase({ dataDir: null });
      await migrateToLatest(held.db);
    });
    afterAll(async () => held?.close());

    it('a probe past its time limit is "unavailable" (503), e.g. PGlite’s one connection held by a transaction', async () => {
      const { app: a } = await buildApp({
        db: held.db,
        clock: new ManualClock(TEST_START),
        cipher: new PiiCipher(randomBytes(32)),
        logLevel: 'silent',
        attachmentDir: tmpdir(),
        readiness: { probeTimeoutMs: 200 },
      });
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      const trx = held.db.transaction().execute(async (t) => {
        await sql`SELECT 1`.execute(t);
        await released;
      });
      try {
        const res = await a.inject({ method: 'GET', url: '/readyz' });
        expect(res.statusCode).toBe(503);
        expect(res.json().checks.database).toEqual({ status: 'unavailable', error: 'timeout' });
      } finally {
        release();
        await trx;
        await a.close();
      }
    });

    it('METRICS_PORT: a listener serving only /metrics, with the token when one is set', async () => {
      const { app: a, metrics } = await buildApp({
        db: env().db,
        clock: env().clock,
        cipher: env().cipher,
        logLevel: 'silent',
        attachmentDir: tmpdir(),
        metrics: { collect: true },
      });
      const open = await startMetricsServer(metrics!, { host: '127.0.0.1', port: 0 });
      const guarded = await startMetricsServer(metrics!, { host: '127.0.0.1', port: 0, token: TOKEN });
      try {
        const r1 = await fetch(open.url);
        expect(r1.status).toBe(200);
        expect(await r1.text()).toContain('outbox_backlog_messages{channel="sms"}');
        expect((await fetch(open.url.replace('/metrics', '/readyz'))).status).toBe(404);
        expect((await fetch(guarded.url)).status).toBe(401);
        const r2 = await fetch(guarded.url, { headers: { authorization: `Bearer ${TOKEN}` } });
        expect(r2.status).toBe(200);
        // the app's own address does not serve them without a token
        expect((await a.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
      } finally {
        await open.close();
        await guarded.close();
        await a.close();
      }
    });
  },
  { kinds: ['pglite'] },
);
