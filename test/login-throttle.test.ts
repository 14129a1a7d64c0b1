import { beforeAll, expect, it } from 'vitest';
import { ApiClient, expectStatus } from './helpers/api.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';
import { DEMO_PASSWORD } from '../src/server/seed/heze-organisation.js';
import { AuthService } from '../src/server/modules/auth/auth.service.js';
import { LOGIN_THROTTLE } from '../src/server/domain/login-throttle.js';

/** One login attempt through the real route, from the given client address. */
async function attempt(e: TestEnv, username: string, password: string, ip: string) {
  const res = await e.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password },
    remoteAddress: ip,
  });
  return {
    status: res.statusCode,
    body: JSON.parse(res.body),
    retryAfter: res.headers['retry-after'],
    cookie: res.headers['set-cookie'],
  };
}

const advanceMs = (e: TestEnv, ms: number) => e.clock.set(new Date(e.clock.now().getTime() + ms));

/** A fresh stretch of time per test: address windows and delays of earlier tests are over. */
const freshTime = (e: TestEnv, day: number) => e.clock.set(`2025-04-${String(day).padStart(2, '0')}T09:00:00+08:00`);

async function throttleRow(e: TestEnv, username: string) {
  return e.db
    .selectFrom('login_throttle_accounts')
    .selectAll()
    .where('account_key', '=', e.cipher.keyedHash('login-account', username))
    .executeTakeFirst();
}

/** Ten failures a minute apart: the tenth locks the account. */
async function lockAccount(e: TestEnv, username: string, ip: string) {
  for (let i = 0; i < LOGIN_THROTTLE.accountLockFailures; i++) {
    advanceMs(e, 61_000);
    expect((await attempt(e, username, 'wrong-password', ip)).status).toBe(401);
  }
}

describeEachDb('第六、三十条 登录限速与锁定', (env, kind) => {
  let admin: ApiClient;
  beforeAll(async () => {
    admin = await ApiClient.login(env(), 'admin');
  });

  it('20 wrong passwords lock the account: the right one is then refused with 429 without being checked, until the lock expires', async () => {
    const e = env();
    freshTime(e, 1);
    const ip = '10.20.1.1';
    // twenty wrong passwords in a row, at once: five are checked, the rest wait
    const burst = [];
    for (let i = 0; i < 20; i++) burst.push((await attempt(e, 'analyst', `wrong-${i}`, ip)).status);
    expect(burst.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(burst.slice(5).every((s) => s === 429)).toBe(true);
    const delayed = await attempt(e, 'analyst', DEMO_PASSWORD, ip);
    expect(delayed.status).toBe(429);
    expect(delayed.cookie).toBeUndefined();
    expect(delayed.body.error).toMatchObject({
      code: 'too_many_requests',
      details: { reason: 'account_delay', retryAfterSeconds: 1 },
    });
    expect(delayed.body.error.message).toContain('请 1 秒后再试');
    expect(delayed.retryAfter).toBe('1');

    // an attacker who waits out each delay: the 10th consecutive failure locks for 15 minutes
    for (let i = 5; i < 10; i++) {
      advanceMs(e, 61_000);
      expect((await attempt(e, 'analyst', `wrong-${i}`, ip)).status).toBe(401);
    }
    const lockedAt = e.clock.now().getTime();
    for (let i = 0; i < 10; i++) {
      advanceMs(e, 30_000);
      expect((await attempt(e, 'analyst', `wrong-again-${i}`, ip)).status).toBe(429);
    }
    const refused = await attempt(e, 'analyst', DEMO_PASSWORD, ip);
    expect(refused.status).toBe(429);
    expect(refused.cookie).toBeUndefined();
    expect(refused.body.error.details).toMatchObject({ reason: 'account_locked', retryAfterSeconds: 10 * 60 });
    expect(refused.body.error.message).toBe('该账号因连续登录失败已被临时锁定，请 10 分钟后再试，或联系系统管理员解锁');
    expect(refused.retryAfter).toBe('600');
    expect((await throttleRow(e, 'analyst'))!.failures).toBe(10);

    // the lock ends on its own: the right password works again and the count starts afresh
    e.clock.set(new Date(lockedAt + LOGIN_THROTTLE.accountLockMs));
    const ok = await attempt(e, 'analyst', DEMO_PASSWORD, ip);
    expect(ok.status).toBe(200);
    expect(ok.cookie).toBeDefined();
    expect(await throttleRow(e, 'analyst')).toMatchObject({
      failures: 0,
      locked_until: null,
      last_failure_ip_enc: null,
    });

    // the failure that locked it and the lock's end are in the audit (system events: no acting user)
    const audit = await e.db
      .selectFrom('admin_audit')
      .selectAll()
      .where('entity', '=', 'user')
      .where('entity_id', '=', String(e.ids.users['analyst']))
      .where('action', 'in', ['login_lock', 'login_lock_expired', 'login_unlock'])
      .orderBy('id')
      .execute();
    expect(audit.map((a) => [a.action, a.user_id])).toEqual([
      ['login_lock', null],
      ['login_lock_expired', null],
    ]);
    // every checked wrong password is in the audit too; the refusals while locked were never checked
    const failures = await e.db
      .selectFrom('admin_audit')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('entity', '=', 'user')
      .where('entity_id', '=', String(e.ids.users['analyst']))
      .where('action', '=', 'login_failed')
      .executeTakeFirstOrThrow();
    expect(Number(failures.n)).toBe(10);
    expect(JSON.stringify(audit)).not.toContain(ip);
  });

  it('a successful login resets the account’s count', async () => {
    const e = env();
    freshTime(e, 2);
    const ip = '10.20.2.2';
    for (let i = 0; i < 4; i++) expect((await attempt(e, 'supervisor', 'wrong-password', ip)).status).toBe(401);
    expect((await attempt(e, 'supervisor', DEMO_PASSWORD, ip)).status).toBe(200);
    // five more free failures, as for a fresh account; the sixth at the same moment waits
    for (let i = 0; i < 5; i++) expect((await attempt(e, 'supervisor', 'wrong-password', ip)).status).toBe(401);
    expect((await attempt(e, 'supervisor', 'wrong-password', ip)).status).toBe(429);
    advanceMs(e, 1000);
    expect((await attempt(e, 'supervisor', DEMO_PASSWORD, ip)).status).toBe(200);
    expect((await throttleRow(e, 'supervisor'))!.failures).toBe(0);
  });

  it('a flood against one account does not touch another account, from the same address or any other', async () => {
    const e = env();
    freshTime(e, 3);
    const ip = '10.20.3.3';
    await lockAccount(e, 'callback', ip);
    expect((await attempt(e, 'callback', DEMO_PASSWORD, ip)).status).toBe(429);
    expect((await attempt(e, 'dispatcher', DEMO_PASSWORD, ip)).status).toBe(200);
    expect((await attempt(e, 'agent', DEMO_PASSWORD, '10.99.0.1')).status).toBe(200);
    // and the locked account is locked from every address
    expect((await attempt(e, 'callback', DEMO_PASSWORD, '10.99.0.2')).status).toBe(429);
  });

  it('unknown usernames are throttled exactly like real ones (no enumeration) and the typed text is not stored', async () => {
    const e = env();
    freshTime(e, 4);
    await lockAccount(e, 'no_such_person', '10.20.4.4');
    const r = await attempt(e, 'no_such_person', 'whatever', '10.20.4.5');
    expect(r.status).toBe(429);
    expect(r.body.error.details.reason).toBe('account_locked');
    const rows = await e.db.selectFrom('login_throttle_accounts').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain('no_such_person');
    const audit = await e.db
      .selectFrom('admin_audit')
      .selectAll()
      .where('entity', '=', 'login_account')
      .where('action', '!=', 'login_failed')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['login_lock']);
    expect(JSON.stringify(audit)).not.toContain('no_such_person');
  });

  it('per address: 30 failures across accounts in 15 minutes space out further attempts by a short, capped delay — never a lock', async () => {
    const e = env();
    freshTime(e, 5);
    const nat = '10.20.5.5';
    for (let i = 0; i < LOGIN_THROTTLE.addressFreeFailures; i++) {
      advanceMs(e, 1000);
      expect((await attempt(e, `sprayed_${i}`, 'Spring2025!', nat)).status).toBe(401);
    }
    // a colleague behind the same office NAT, right password, at the same moment: asked to wait a second
    const waited = await attempt(e, 'agent_cx', DEMO_PASSWORD, nat);
    expect(waited.status).toBe(429);
    expect(waited.body.error.details).toMatchObject({ reason: 'address_delay', retryAfterSeconds: 1 });
    expect(waited.body.error.message).toBe('本机所在网络登录失败次数过多，请 1 秒后再试');
    // from another address nothing is slowed
    expect((await attempt(e, 'handler_md', DEMO_PASSWORD, '10.99.5.5')).status).toBe(200);
    // after the short delay the colleague gets in
    advanceMs(e, 1000);
    expect((await attempt(e, 'agent_cx', DEMO_PASSWORD, nat)).status).toBe(200);
    // the sprayer keeps going, each attempt waiting out the delay: the wait never exceeds the short cap
    let worst = 0;
    for (let i = 0; i < 10; i++) {
      const r = await attempt(e, `sprayed_more_${i}`, 'Spring2025!', nat);
      if (r.status === 429) {
        worst = Math.max(worst, r.body.error.details.retryAfterSeconds);
        advanceMs(e, r.body.error.details.retryAfterSeconds * 1000);
        expect((await attempt(e, `sprayed_more_${i}`, 'Spring2025!', nat)).status).toBe(401);
      }
    }
    expect(worst).toBeGreaterThan(1);
    expect(worst).toBeLessThanOrEqual(LOGIN_THROTTLE.addressMaxDelayMs / 1000);
    advanceMs(e, LOGIN_THROTTLE.addressMaxDelayMs);
    expect((await attempt(e, 'handler_dc', DEMO_PASSWORD, nat)).status).toBe(200);
    // the window ends by itself: 15 minutes later the address is not slowed at all
    advanceMs(e, LOGIN_THROTTLE.addressWindowMs);
    expect((await attempt(e, 'sprayed_late', 'x', nat)).status).toBe(401);
    expect((await attempt(e, 'sprayed_late2', 'x', nat)).status).toBe(401);
    // the address is kept only as a keyed hash
    const addrs = await e.db.selectFrom('login_throttle_addresses').selectAll().execute();
    expect(JSON.stringify(addrs)).not.toContain(nat);
  });

  it('the admin sees locked and throttled accounts and unlocks one at once; the unlock is audited', async () => {
    const e = env();
    freshTime(e, 6);
    await lockAccount(e, 'handler_zj', '10.20.6.6');
    for (let i = 0; i < 6; i++) await attempt(e, 'handler_cg', 'wrong-password', '10.20.6.7');
    const list = expectStatus(await admin.get('/api/admin/login-locks'), 200) as Array<Record<string, unknown>>;
    const zj = list.find((r) => r.username === 'handler_zj');
    expect(zj).toMatchObject({
      userId: e.ids.users['handler_zj'],
      failures: 10,
      status: 'locked',
      lastFailureIp: '10.20.6.6',
      lockedUntil: new Date(e.clock.now().getTime() + LOGIN_THROTTLE.accountLockMs).toISOString(),
    });
    expect(typeof zj!.displayName).toBe('string');
    expect(list.find((r) => r.username === 'handler_cg')).toMatchObject({
      failures: 5,
      status: 'throttled',
      lockedUntil: null,
      lastFailureIp: '10.20.6.7',
    });

    const res = expectStatus(await admin.post(`/api/admin/users/${e.ids.users['handler_zj']}/unlock`), 200);
    expect(res).toMatchObject({ userId: e.ids.users['handler_zj'], unlocked: true });
    expect((await attempt(e, 'handler_zj', DEMO_PASSWORD, '10.20.6.6')).status).toBe(200);
    const after = expectStatus(await admin.get('/api/admin/login-locks'), 200) as Array<Record<string, unknown>>;
    expect(after.find((r) => r.username === 'handler_zj')).toBeUndefined();
    // unlocking an account that is not locked changes nothing
    expect(expectStatus(await admin.post(`/api/admin/users/${e.ids.users['handler_zj']}/unlock`), 200)).toMatchObject({
      unlocked: false,
    });
    expect((await admin.post('/api/admin/users/999999/unlock')).status).toBe(404);
    expect((await admin.post('/api/admin/users/abc/unlock')).status).toBe(400);

    const audit = await e.db
      .selectFrom('admin_audit')
      .selectAll()
      .where('entity', '=', 'user')
      .where('entity_id', '=', String(e.ids.users['handler_zj']))
      .where('action', 'in', ['login_lock', 'login_lock_expired', 'login_unlock'])
      .orderBy('id')
      .execute();
    expect(audit.map((a) => [a.action, a.user_id])).toEqual([
      ['login_lock', null],
      ['login_unlock', e.ids.users['admin']],
    ]);
  });

  it('only the admin may list and unlock (403 for every other role, 401 without a session)', async () => {
    const e = env();
    freshTime(e, 7);
    const target = e.ids.users['handler_cg'];
    for (const u of [
      'agent',
      'dispatcher',
      'callback',
      'supervisor',
      'analyst',
      'auditor',
      'handler_md',
      'manager_md',
    ]) {
      const c = await ApiClient.login(e, u);
      expect((await c.get('/api/admin/login-locks')).status, u).toBe(403);
      expect((await c.post(`/api/admin/users/${target}/unlock`)).status, u).toBe(403);
    }
    expect((await e.app.inject({ method: 'GET', url: '/api/admin/login-locks' })).statusCode).toBe(401);
    expect((await e.app.inject({ method: 'POST', url: `/api/admin/users/${target}/unlock` })).statusCode).toBe(401);
  });

  it('parallel wrong attempts lose no count and cannot slip past the delay together (two app instances on PostgreSQL)', async () => {
    const e = env();
    freshTime(e, 8);
    const second = kind === 'postgres' ? new AuthService((await e.openSecondHandle()).db, e.clock, 24, e.cipher) : null;
    const tries = Array.from({ length: 10 }, (_, i) => {
      if (second && i % 2) {
        return second.login('handler_water', `wrong-${i}`, '10.20.8.8').then(
          () => 200,
          (err: { status?: number }) => err.status ?? 500,
        );
      }
      return attempt(e, 'handler_water', `wrong-${i}`, '10.20.8.8').then((r) => r.status);
    });
    const statuses = await Promise.all(tries);
    // exactly as if they had come one by one: five checked and counted, five asked to wait
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    expect((await throttleRow(e, 'handler_water'))!.failures).toBe(5);
    // waiting out each delay, ten parallel rounds of two reach the lock with the count intact
    for (let round = 0; round < 5; round++) {
      advanceMs(e, 61_000);
      await Promise.all([attempt(e, 'handler_water', 'a', '10.20.8.8'), attempt(e, 'handler_water', 'b', '10.20.8.9')]);
    }
    const row = await throttleRow(e, 'handler_water');
    expect(row!.failures).toBe(10);
    expect(row!.locked_until).not.toBeNull();
    const locks = await e.db
      .selectFrom('admin_audit')
      .select('action')
      .where('entity_id', '=', String(e.ids.users['handler_water']))
      .where('action', '=', 'login_lock')
      .execute();
    expect(locks).toHaveLength(1);
  });
});
