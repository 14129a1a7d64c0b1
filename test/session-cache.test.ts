import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../src/server/http/app.js';
import type { Services } from '../src/server/http/services.js';
import { DEMO_PASSWORD } from '../src/server/seed/heze-organisation.js';
import { describeEachDb } from './helpers/test-env.js';

// Issue 8: a second app process that keeps sessions (SESSION_CACHE_SECONDS, here a minute so that only the
// database's announcements — migration 0049 — can end an entry) must still refuse a logged-out session, a
// deactivated user, and show a changed user, whoever made the change: another process, or SQL behind the app's back.
// On PostgreSQL the second app has its own connection pool and listener, as another process would.
describeEachDb('第六条 session cache across app processes (issue 8)', (env) => {
  let b: FastifyInstance;
  let bServices: Services;
  let attachmentDir: string;

  beforeAll(async () => {
    const e = env();
    const db = e.kind === 'postgres' ? (await e.openSecondHandle()).db : e.db;
    attachmentDir = mkdtempSync(join(tmpdir(), 'hz-att-'));
    ({ app: b, services: bServices } = await buildApp({
      db,
      clock: e.clock,
      cipher: e.cipher,
      logLevel: 'silent',
      sessionTtlHours: 24 * 400,
      sessionIdleMinutes: 24 * 400 * 60,
      sessionCacheSeconds: 60,
      attachmentDir,
    }));
    await b.ready();
    await until(() => bServices.auth.sessionCacheStats()?.listening === true, 'the listener to start');
  });
  afterAll(async () => {
    await b?.close();
    if (attachmentDir) rmSync(attachmentDir, { recursive: true, force: true });
  });

  async function login(username: string): Promise<string> {
    const res = await env().app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: DEMO_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const set = res.headers['set-cookie'];
    return (Array.isArray(set) ? set[0]! : set!).split(';')[0]!;
  }
  const meOnB = async (cookie: string) => {
    const res = await b.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    return { status: res.statusCode, body: res.statusCode === 200 ? res.json() : null };
  };
  const stats = () => bServices.auth.sessionCacheStats()!;

  it('serves a session from the cache after the first look-up', async () => {
    const cookie = await login('analyst');
    expect((await meOnB(cookie)).status).toBe(200);
    const hits = stats().hits;
    expect((await meOnB(cookie)).status).toBe(200);
    expect(stats().hits).toBe(hits + 1);
  });

  it('a logout in another process ends the session here too', async () => {
    const cookie = await login('agent');
    expect((await meOnB(cookie)).status).toBe(200);
    expect((await meOnB(cookie)).status).toBe(200); // cached now
    const out = await env().app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect(out.statusCode).toBeLessThan(300);
    await until(async () => (await meOnB(cookie)).status === 401, 'the logged-out session to be refused');
  });

  it('a user deactivated by SQL is refused, and a renamed one shows the new name', async () => {
    const cookie = await login('callback');
    expect((await meOnB(cookie)).status).toBe(200);
    const db = env().db;
    await sql`UPDATE users SET display_name = '回访员（改名）' WHERE username = 'callback'`.execute(db);
    await until(async () => (await meOnB(cookie)).body?.displayName === '回访员（改名）', 'the new name');
    await sql`UPDATE users SET active = false WHERE username = 'callback'`.execute(db);
    try {
      await until(async () => (await meOnB(cookie)).status === 401, 'the deactivated user to be refused');
    } finally {
      await sql`UPDATE users SET active = true WHERE username = 'callback'`.execute(db);
    }
  });

  it('a refreshed last_seen_at is no announcement; a unit-region change drops everything', async () => {
    const cookie = await login('dispatcher');
    expect((await meOnB(cookie)).status).toBe(200);
    const db = env().db;
    const before = stats().invalidations;
    // announcements arrive in commit order: if the touch announced anything, the count would pass before + 1
    await sql`UPDATE sessions SET last_seen_at = last_seen_at + interval '1 second'`.execute(db);
    await sql`UPDATE users SET display_name = display_name WHERE username = 'admin'`.execute(db);
    await until(() => stats().invalidations >= before + 1, 'the user announcement');
    expect(stats().invalidations).toBe(before + 1);
    expect(stats().size).toBeGreaterThan(0);
    await sql`UPDATE unit_regions SET region_code = region_code WHERE false`.execute(db);
    await until(() => stats().size === 0, 'the cache to be emptied');
    expect((await meOnB(cookie)).status).toBe(200);
  });
});

/** Waits for an announcement to arrive (milliseconds normally; ten seconds allowed on a loaded machine). */
async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}
