import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'otplib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/http/app.js';
import {
  createAdministrator,
  OperatorError,
  resetPasswordFromConsole,
} from '../src/server/modules/auth/operator-accounts.js';
import { accountsWithPassword, demoPasswordProblem } from '../src/server/security/production-checks.js';
import { DEMO_PASSWORD } from '../src/server/seed/heze-organisation.js';
import { ApiClient, expectStatus } from './helpers/api.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';

// 第六条 and 等保 2.0 身份鉴别 (identification and authentication at level 3): password complexity and history,
// a forced change of a password an admin set, session idle timeout and absolute lifetime, an optional TOTP second
// factor that a setting can require per role, and the console's one-time passwords (the production defaults are in
// security-production-defaults.test.ts).

interface Res {
  status: number;
  body: any;
  cookie?: string;
}

/** One request through the real routes; `cookie` signs it in. */
async function call(
  app: FastifyInstance,
  method: string,
  url: string,
  payload?: unknown,
  cookie?: string,
  ip = '10.60.0.1',
) {
  const res = await app.inject({
    method: method as 'GET',
    url,
    payload: payload as never,
    headers: cookie ? { cookie } : {},
    remoteAddress: ip,
  });
  const set = res.headers['set-cookie'];
  const first = Array.isArray(set) ? set[0] : set;
  return {
    status: res.statusCode,
    body: res.body && String(res.headers['content-type']).includes('json') ? JSON.parse(res.body) : res.body,
    cookie: first?.split(';')[0],
  } as Res;
}

const login = (app: FastifyInstance, username: string, password: string, ip?: string) =>
  call(app, 'POST', '/api/auth/login', { username, password }, undefined, ip);

const code = (secret: string, at: Date) => generate({ secret, epoch: Math.floor(at.getTime() / 1000) });

const advanceSeconds = (e: TestEnv, s: number) => e.clock.set(new Date(e.clock.now().getTime() + s * 1000));

describeEachDb('第六条 等保 2.0 身份鉴别: passwords, sessions, second factor', (env) => {
  let admin: ApiClient;
  let seq = 0;
  /** A fresh day per test: the login throttle's windows and delays of earlier tests are over. */
  const freshDay = (e: TestEnv, day: number) => e.clock.set(`2025-06-${String(day).padStart(2, '0')}T09:00:00+08:00`);
  /** A new analyst through the admin API (a creation does not force a change). */
  async function newUser(e: TestEnv, roles = ['analyst'], password = 'Welcome2025x') {
    const username = `sec_user_${++seq}`;
    const u = expectStatus(
      await admin.post('/api/users', {
        username,
        displayName: '安全测试',
        password,
        unitId: e.ids.units['centre'],
        roles,
        scope: 'region',
      }),
      201,
    );
    return { id: u.id as number, username, password };
  }
  const auditOf = (e: TestEnv, userId: number) =>
    e.db
      .selectFrom('admin_audit')
      .select(['action', 'user_id', 'before', 'after'])
      .where('entity', '=', 'user')
      .where('entity_id', '=', String(userId))
      .orderBy('id')
      .execute();

  beforeAll(async () => {
    admin = await ApiClient.login(env(), 'admin');
  });

  describe('密码复杂度与历史', () => {
    it('creation, admin reset and self change all apply the policy, with Chinese messages per rule', async () => {
      const e = env();
      freshDay(e, 1);
      const base = { displayName: '策略', unitId: e.ids.units['centre'], roles: ['analyst'], scope: 'region' };
      const short = await admin.post('/api/users', { ...base, username: 'pol_a', password: 'Ab1!short' });
      expect(short.status).toBe(400);
      expect(short.body.error.details.issues.map((i: any) => i.message)).toContain('密码至少10位');
      const twoClasses = await admin.post('/api/users', { ...base, username: 'pol_a', password: 'onlyletters12' });
      expect(twoClasses.status).toBe(400);
      expect(twoClasses.body.error.details.issues.map((i: any) => i.message)).toEqual([
        '密码须包含大写字母、小写字母、数字、符号中的至少三类',
      ]);
      const withName = await admin.post('/api/users', { ...base, username: 'pol_zhang', password: 'Pol_Zhang2025' });
      expect(withName.status).toBe(400);
      expect(withName.body.error).toMatchObject({
        code: 'bad_request',
        message: '密码不能包含用户名',
        details: { field: 'password', rules: ['contains_username'] },
      });
      expect(await e.db.selectFrom('users').select('id').where('username', '=', 'pol_zhang').executeTakeFirst()).toBe(
        undefined,
      );

      // the admin's minimum length (12) applies on top of the floor of 10
      expectStatus(
        await admin.put('/api/admin/security-settings', {
          passwordMinLength: 12,
          passwordHistory: 5,
          totpRequiredRoles: [],
        }),
        200,
      );
      const eleven = await admin.post('/api/users', { ...base, username: 'pol_b', password: 'Abcdefgh12!' });
      expect(eleven.body.error?.message).toBe('密码至少12位');
      const u = expectStatus(
        await admin.post('/api/users', { ...base, username: 'pol_b', password: 'Abcdefgh123!' }),
        201,
      );
      expect((await admin.post(`/api/users/${u.id}/password`, { password: 'Abcdefg123!' })).body.error.message).toBe(
        '密码至少12位',
      );
      expectStatus(
        await admin.put('/api/admin/security-settings', {
          passwordMinLength: 10,
          passwordHistory: 5,
          totpRequiredRoles: [],
        }),
        200,
      );
      // self change: the same rules, on the field newPassword
      const s = await login(e.app, 'pol_b', 'Abcdefgh123!');
      const weak = await call(
        e.app,
        'POST',
        '/api/auth/password',
        { currentPassword: 'Abcdefgh123!', newPassword: 'xxpol_bxx12A' },
        s.cookie,
      );
      expect(weak.status).toBe(400);
      expect(weak.body.error).toMatchObject({ message: '密码不能包含用户名', details: { field: 'newPassword' } });
    });

    it('none of the last 5 passwords (the current one included) may be set again; the 6th back may', async () => {
      const e = env();
      freshDay(e, 2);
      const u = await newUser(e, ['analyst'], 'History2025a');
      const reset = (pw: string) => admin.post(`/api/users/${u.id}/password`, { password: pw });
      // the current password is one of the last five
      const same = await reset('History2025a');
      expect(same.status).toBe(400);
      expect(same.body.error).toMatchObject({
        message: '不能与最近5次使用过的密码相同',
        details: { rules: ['reused'] },
      });
      for (const n of ['b', 'c', 'd', 'e']) expectStatus(await reset(`History2025${n}`), 200);
      // a..e are the last five: each refused
      for (const n of ['a', 'b', 'c', 'd', 'e']) expect((await reset(`History2025${n}`)).status, n).toBe(400);
      expectStatus(await reset('History2025f'), 200);
      // "a" is now the sixth back: allowed again
      expectStatus(await reset('History2025a'), 200);
      // the history keeps hashes, never the text
      const history = await e.db
        .selectFrom('password_history')
        .select('password_hash')
        .where('user_id', '=', u.id)
        .execute();
      expect(history.length).toBe(6);
      for (const h of history) expect(h.password_hash).toMatch(/^\$argon2/);
      expect(JSON.stringify(await auditOf(e, u.id))).not.toMatch(/History2025|\$argon2/);
    });

    it('the history length is a setting (audited); shorter history allows older passwords sooner', async () => {
      const e = env();
      freshDay(e, 3);
      const u = await newUser(e, ['analyst'], 'Shorter2025a');
      expectStatus(
        await admin.put('/api/admin/security-settings', {
          passwordMinLength: 10,
          passwordHistory: 2,
          totpRequiredRoles: [],
        }),
        200,
      );
      try {
        expectStatus(await admin.post(`/api/users/${u.id}/password`, { password: 'Shorter2025b' }), 200);
        const r = await admin.post(`/api/users/${u.id}/password`, { password: 'Shorter2025a' });
        expect(r.body.error?.message).toBe('不能与最近2次使用过的密码相同');
        expectStatus(await admin.post(`/api/users/${u.id}/password`, { password: 'Shorter2025c' }), 200);
        expectStatus(await admin.post(`/api/users/${u.id}/password`, { password: 'Shorter2025a' }), 200);
      } finally {
        expectStatus(
          await admin.put('/api/admin/security-settings', {
            passwordMinLength: 10,
            passwordHistory: 5,
            totpRequiredRoles: [],
          }),
          200,
        );
      }
      const audit = await e.db
        .selectFrom('admin_audit')
        .select(['user_id', 'action', 'before', 'after'])
        .where('entity', '=', 'security_settings')
        .orderBy('id', 'desc')
        .limit(2)
        .execute();
      expect(audit[1]).toMatchObject({
        user_id: e.ids.users['admin'],
        action: 'update',
        before: { passwordHistory: 5 },
        after: { passwordHistory: 2 },
      });
    });
  });

  describe('管理员重置后强制修改密码', () => {
    it('after an admin reset the user signs in but can do nothing but change the password; then works normally', async () => {
      const e = env();
      freshDay(e, 4);
      const u = await newUser(e);
      const old = await login(e.app, u.username, u.password);
      expect(old.status).toBe(200);
      expect(old.body.mustChangePassword).toBe(false);

      const r = expectStatus(await admin.post(`/api/users/${u.id}/password`, { password: 'Temporary2025x' }), 200);
      expect(r).toMatchObject({ passwordChanged: true, mustChangePassword: true });
      // the reset ended the user's sessions
      expect((await call(e.app, 'GET', '/api/auth/me', undefined, old.cookie)).status).toBe(401);

      const s = await login(e.app, u.username, 'Temporary2025x');
      expect(s.status).toBe(200);
      expect(s.body).toMatchObject({ username: u.username, mustChangePassword: true, totpEnrolmentRequired: false });
      // every API call but me, the change and logout: 403 PASSWORD_CHANGE_REQUIRED
      for (const [m, url] of [
        ['GET', '/api/tickets'],
        ['GET', '/api/regions'],
        ['GET', '/api/stats/overview'],
        ['POST', '/api/auth/totp/setup'],
      ] as const) {
        const refused = await call(e.app, m, url, m === 'POST' ? {} : undefined, s.cookie);
        expect(refused.status, url).toBe(403);
        expect(refused.body.error.code, url).toBe('PASSWORD_CHANGE_REQUIRED');
        expect(refused.body.error.message).toContain('请先修改密码');
      }
      expect((await call(e.app, 'GET', '/api/auth/me', undefined, s.cookie)).body.mustChangePassword).toBe(true);
      // the web app's own files stay reachable (the screen that asks for the change must load)
      expect((await call(e.app, 'GET', '/healthz', undefined, s.cookie)).status).toBe(200);

      // the temporary password cannot simply be kept
      const keep = await call(
        e.app,
        'POST',
        '/api/auth/password',
        { currentPassword: 'Temporary2025x', newPassword: 'Temporary2025x' },
        s.cookie,
      );
      expect(keep.body.error).toMatchObject({
        message: '不能与最近5次使用过的密码相同',
        details: { field: 'newPassword' },
      });
      const wrong = await call(
        e.app,
        'POST',
        '/api/auth/password',
        { currentPassword: 'NotMine2025x', newPassword: 'MyOwn2025pass' },
        s.cookie,
      );
      expect(wrong.status).toBe(400);
      expect(wrong.body.error).toMatchObject({ message: '当前密码不正确', details: { field: 'currentPassword' } });
      const second = await login(e.app, u.username, 'Temporary2025x', '10.60.4.2');
      const changed = await call(
        e.app,
        'POST',
        '/api/auth/password',
        { currentPassword: 'Temporary2025x', newPassword: 'MyOwn2025pass' },
        s.cookie,
      );
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ mustChangePassword: false });
      // the session it was made in goes on; any other session of the account ends
      expect((await call(e.app, 'GET', '/api/regions', undefined, s.cookie)).status).toBe(200);
      expect((await call(e.app, 'GET', '/api/auth/me', undefined, second.cookie)).status).toBe(401);
      expect((await login(e.app, u.username, 'Temporary2025x')).status).toBe(401);
      expect((await login(e.app, u.username, 'MyOwn2025pass')).status).toBe(200);

      const audit = await auditOf(e, u.id);
      expect(audit.map((a) => [a.action, a.user_id])).toEqual(
        expect.arrayContaining([
          ['reset_password', e.ids.users['admin']],
          ['change_password', u.id],
        ]),
      );
      expect(audit.find((a) => a.action === 'reset_password')!.after).toMatchObject({ mustChangePassword: true });
      expect(JSON.stringify(audit)).not.toMatch(/Temporary2025x|MyOwn2025pass|\$argon2/);
    });

    it('an admin resetting their own password is not forced to change it; a wrong current password counts as a failed login', async () => {
      const e = env();
      freshDay(e, 5);
      const u = await newUser(e, ['admin']);
      const s = await login(e.app, u.username, u.password);
      const self = await call(e.app, 'POST', `/api/users/${u.id}/password`, { password: 'Selfreset2025' }, s.cookie);
      expect(self.body).toMatchObject({ mustChangePassword: false });
      expect((await call(e.app, 'GET', '/api/regions', undefined, s.cookie)).status).toBe(200);
      // five wrong current passwords: the account is then slowed down like after five wrong logins
      for (let i = 0; i < 5; i++)
        expect(
          (
            await call(
              e.app,
              'POST',
              '/api/auth/password',
              { currentPassword: `Wrong2025x${i}`, newPassword: 'Another2025z' },
              s.cookie,
            )
          ).status,
        ).toBe(400);
      const slowed = await call(
        e.app,
        'POST',
        '/api/auth/password',
        { currentPassword: 'Selfreset2025', newPassword: 'Another2025z' },
        s.cookie,
      );
      expect(slowed.status).toBe(429);
      advanceSeconds(e, 2);
      expect(
        (
          await call(
            e.app,
            'POST',
            '/api/auth/password',
            { currentPassword: 'Selfreset2025', newPassword: 'Another2025z' },
            s.cookie,
          )
        ).status,
      ).toBe(200);
      const row = await e.db
        .selectFrom('login_throttle_accounts')
        .select('failures')
        .where('account_key', '=', e.cipher.keyedHash('login-account', u.username))
        .executeTakeFirstOrThrow();
      expect(row.failures).toBe(0);
    });

    it('machine tokens cannot change a password or a second factor', async () => {
      const e = env();
      const token = expectStatus(
        await admin.post('/api/auth/tokens', { userId: e.ids.users['gateway'], name: 'sec' }),
        201,
      ).token;
      for (const [url, body] of [
        ['/api/auth/password', { currentPassword: 'x', newPassword: 'Another2025z' }],
        ['/api/auth/totp/setup', {}],
        ['/api/auth/totp/enable', { code: '123456' }],
      ] as const) {
        const r = await e.app.inject({
          method: 'POST',
          url,
          payload: body,
          headers: { authorization: `Bearer ${token}` },
        });
        expect(r.statusCode, url).toBe(403);
      }
    });
  });

  describe('会话空闲超时与绝对时限', () => {
    let app: FastifyInstance;
    let dir: string;
    beforeAll(async () => {
      const e = env();
      dir = mkdtempSync(join(tmpdir(), 'hz-sec-'));
      // the same database and clock with the production defaults: 30 minutes idle, 12 hours at most
      ({ app } = await buildApp({
        db: e.db,
        clock: e.clock,
        cipher: e.cipher,
        logLevel: 'silent',
        sessionTtlHours: 12,
        sessionIdleMinutes: 30,
        attachmentDir: dir,
      }));
      await app.ready();
    });
    afterAll(async () => {
      await app?.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const lastSeen = async (e: TestEnv, cookie: string) => {
      const rows = await e.db.selectFrom('sessions').select(['last_seen_at', 'token_hash']).execute();
      const { createHash } = await import('node:crypto');
      const h = createHash('sha256').update(cookie.split('=')[1]!).digest('base64url');
      return rows.find((r) => r.token_hash === h)?.last_seen_at.getTime();
    };

    it('a session unused for more than 30 minutes ends; use keeps it alive; its last use is written at most once a minute', async () => {
      const e = env();
      freshDay(e, 6);
      const t0 = e.clock.now().getTime();
      const s = await login(app, 'supervisor', DEMO_PASSWORD, '10.60.6.1');
      expect(s.status).toBe(200);
      expect(await lastSeen(e, s.cookie!)).toBe(t0);
      // used within the minute: no write
      advanceSeconds(e, 40);
      expect((await call(app, 'GET', '/api/auth/me', undefined, s.cookie)).status).toBe(200);
      expect(await lastSeen(e, s.cookie!)).toBe(t0);
      // 29 minutes after the last use: still signed in, and the use is written
      e.clock.set(new Date(t0 + 29 * 60_000));
      expect((await call(app, 'GET', '/api/regions', undefined, s.cookie)).status).toBe(200);
      expect(await lastSeen(e, s.cookie!)).toBe(t0 + 29 * 60_000);
      // another 29 minutes: alive, counted from the last use, not from the login
      e.clock.set(new Date(t0 + 58 * 60_000));
      expect((await call(app, 'GET', '/api/regions', undefined, s.cookie)).status).toBe(200);
      // then 30 minutes and a second of nothing: the session is over
      e.clock.set(new Date(t0 + 88 * 60_000 + 1_000));
      const over = await call(app, 'GET', '/api/regions', undefined, s.cookie);
      expect(over.status).toBe(401);
      expect(over.body.error.code).toBe('unauthenticated');
      // and stays over
      expect((await call(app, 'GET', '/api/auth/me', undefined, s.cookie)).status).toBe(401);
    });

    it('however busy, a session ends 12 hours after the sign-in (SESSION_TTL_HOURS)', async () => {
      const e = env();
      freshDay(e, 7);
      const t0 = e.clock.now().getTime();
      const s = await login(app, 'supervisor', DEMO_PASSWORD, '10.60.7.1');
      const cookieExpiry = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'analyst', password: DEMO_PASSWORD },
        remoteAddress: '10.60.7.2',
      });
      expect(String(cookieExpiry.headers['set-cookie'])).toContain(new Date(t0 + 12 * 3_600_000).toUTCString());
      for (let m = 20; m < 12 * 60; m += 20) {
        e.clock.set(new Date(t0 + m * 60_000));
        expect((await call(app, 'GET', '/api/auth/me', undefined, s.cookie)).status, `minute ${m}`).toBe(200);
      }
      e.clock.set(new Date(t0 + 12 * 3_600_000));
      expect((await call(app, 'GET', '/api/auth/me', undefined, s.cookie)).status).toBe(401);
    });
  });

  describe('动态验证码（TOTP）二次验证', () => {
    /** Enrols the user's authenticator through the API; returns the secret. */
    async function enrol(e: TestEnv, cookie: string) {
      const setup = await call(e.app, 'POST', '/api/auth/totp/setup', {}, cookie);
      expect(setup.status).toBe(200);
      const { secret, otpauthUri } = setup.body;
      expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/.+secret=/);
      expect(otpauthUri).toContain(`secret=${secret}`);
      const on = await call(
        e.app,
        'POST',
        '/api/auth/totp/enable',
        { code: await code(secret, e.clock.now()) },
        cookie,
      );
      expect(on.status).toBe(200);
      expect(on.body).toMatchObject({ totpEnabled: true });
      return secret as string;
    }

    it('enrolment, then sign-in in two steps; a wrong code counts as a failed login; a code works once', async () => {
      const e = env();
      freshDay(e, 8);
      const u = await newUser(e, ['admin']);
      const s = await login(e.app, u.username, u.password);
      // a wrong confirmation code leaves it off
      const setup = await call(e.app, 'POST', '/api/auth/totp/setup', {}, s.cookie);
      const badConfirm = await call(
        e.app,
        'POST',
        '/api/auth/totp/enable',
        { code: '000000' === (await code(setup.body.secret, e.clock.now())) ? '111111' : '000000' },
        s.cookie,
      );
      expect(badConfirm.status).toBe(400);
      expect(badConfirm.body.error.details).toMatchObject({ field: 'code' });
      expect((await call(e.app, 'GET', '/api/auth/me', undefined, s.cookie)).body.totpEnabled).toBe(false);
      const secret = await enrol(e, s.cookie!);

      // the secret is stored encrypted with the PII cipher, never in clear
      const row = await e.db
        .selectFrom('users')
        .select(['totp_secret_enc', 'totp_pending_secret_enc'])
        .where('id', '=', u.id)
        .executeTakeFirstOrThrow();
      expect(row.totp_pending_secret_enc).toBeNull();
      expect(row.totp_secret_enc).not.toContain(secret);
      expect(e.cipher.decrypt(row.totp_secret_enc)).toBe(secret);

      // step 1: the password earns a challenge, not a session
      advanceSeconds(e, 30);
      const one = await login(e.app, u.username, u.password, '10.60.8.1');
      expect(one.status).toBe(200);
      expect(one.cookie).toBeUndefined();
      expect(one.body).toMatchObject({ totpRequired: true });
      expect(one.body.challenge).toEqual(expect.any(String));
      expect(one.body.userId).toBeUndefined();
      // a wrong code: 401, a failure for the throttle
      const wrong = await call(
        e.app,
        'POST',
        '/api/auth/login/totp',
        { challenge: one.body.challenge, code: '000000' === (await code(secret, e.clock.now())) ? '111111' : '000000' },
        undefined,
        '10.60.8.1',
      );
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.message).toContain('动态验证码不正确');
      expect(wrong.cookie).toBeUndefined();
      const failures = async () =>
        (
          await e.db
            .selectFrom('login_throttle_accounts')
            .select('failures')
            .where('account_key', '=', e.cipher.keyedHash('login-account', u.username))
            .executeTakeFirstOrThrow()
        ).failures;
      // the pending password step and the wrong code
      expect(await failures()).toBe(2);
      // the right code: a session, and the count starts afresh
      const c = await code(secret, e.clock.now());
      const two = await call(
        e.app,
        'POST',
        '/api/auth/login/totp',
        { challenge: one.body.challenge, code: c },
        undefined,
        '10.60.8.1',
      );
      expect(two.status).toBe(200);
      expect(two.cookie).toMatch(/^hz_sid=/);
      expect(two.body).toMatchObject({ username: u.username, totpEnabled: true });
      expect(await failures()).toBe(0);
      // the challenge is spent
      expect(
        (await call(e.app, 'POST', '/api/auth/login/totp', { challenge: one.body.challenge, code: c })).status,
      ).toBe(401);
      // the same code with a new challenge: a replay, refused
      const again = await login(e.app, u.username, u.password, '10.60.8.1');
      const replay = await call(
        e.app,
        'POST',
        '/api/auth/login/totp',
        { challenge: again.body.challenge, code: c },
        undefined,
        '10.60.8.1',
      );
      expect(replay.status).toBe(401);
      // ±1 step: the code of the next step is accepted now (a phone's clock a little ahead)
      const next = await code(secret, new Date(e.clock.now().getTime() + 30_000));
      expect(
        (
          await call(
            e.app,
            'POST',
            '/api/auth/login/totp',
            { challenge: again.body.challenge, code: next },
            undefined,
            '10.60.8.1',
          )
        ).status,
      ).toBe(200);
      // but not two steps away
      advanceSeconds(e, 60);
      const third = await login(e.app, u.username, u.password, '10.60.8.1');
      const farAhead = await code(secret, new Date(e.clock.now().getTime() + 61_000));
      expect(
        (
          await call(
            e.app,
            'POST',
            '/api/auth/login/totp',
            { challenge: third.body.challenge, code: farAhead },
            undefined,
            '10.60.8.1',
          )
        ).status,
      ).toBe(401);

      // a challenge lives five minutes
      advanceSeconds(e, 5 * 60);
      const late = await call(
        e.app,
        'POST',
        '/api/auth/login/totp',
        { challenge: third.body.challenge, code: await code(secret, e.clock.now()) },
        undefined,
        '10.60.8.1',
      );
      expect(late.status).toBe(401);
      expect(late.body.error.message).toBe('登录验证已过期，请重新输入用户名和密码');

      const audit = await auditOf(e, u.id);
      expect(audit.map((a) => a.action)).toContain('totp_enable');
      expect(JSON.stringify(audit)).not.toContain(secret);
    });

    it('guessing codes locks the account like guessing passwords; five wrong codes end a challenge', async () => {
      const e = env();
      freshDay(e, 9);
      const u = await newUser(e, ['auditor']);
      const s = await login(e.app, u.username, u.password);
      const secret = await enrol(e, s.cookie!);
      const bad = async () => {
        const right = await code(secret, e.clock.now());
        return right === '000000' ? '111111' : '000000';
      };
      advanceSeconds(e, 30);
      const one = await login(e.app, u.username, u.password, '10.60.9.1');
      for (let i = 0; i < 4; i++)
        expect(
          (
            await call(
              e.app,
              'POST',
              '/api/auth/login/totp',
              { challenge: one.body.challenge, code: await bad() },
              undefined,
              '10.60.9.1',
            )
          ).status,
        ).toBe(401);
      // the fifth wrong code is refused by the throttle's delay first (five failures: the pending step and four codes)
      const delayed = await call(
        e.app,
        'POST',
        '/api/auth/login/totp',
        { challenge: one.body.challenge, code: await bad() },
        undefined,
        '10.60.9.1',
      );
      expect(delayed.status).toBe(429);
      advanceSeconds(e, 2);
      expect(
        (
          await call(
            e.app,
            'POST',
            '/api/auth/login/totp',
            { challenge: one.body.challenge, code: await bad() },
            undefined,
            '10.60.9.1',
          )
        ).status,
      ).toBe(401);
      // five wrong codes: the challenge is gone even with the right code
      advanceSeconds(e, 4);
      expect(
        (
          await call(
            e.app,
            'POST',
            '/api/auth/login/totp',
            { challenge: one.body.challenge, code: await code(secret, e.clock.now()) },
            undefined,
            '10.60.9.1',
          )
        ).body.error.message,
      ).toBe('登录验证已过期，请重新输入用户名和密码');
      // more guesses with fresh challenges, each waiting out its delay: the tenth failure locks the account
      for (let i = 0; i < 10; i++) {
        advanceSeconds(e, 61);
        const c = await login(e.app, u.username, u.password, '10.60.9.1');
        if (c.status === 429) break;
        advanceSeconds(e, 61);
        const r = await call(
          e.app,
          'POST',
          '/api/auth/login/totp',
          { challenge: c.body.challenge, code: await bad() },
          undefined,
          '10.60.9.1',
        );
        if (r.status === 429) break;
      }
      advanceSeconds(e, 61);
      const locked = await login(e.app, u.username, u.password, '10.60.9.1');
      expect(locked.status).toBe(429);
      expect(locked.body.error.details.reason).toBe('account_locked');
      const audit = await auditOf(e, u.id);
      expect(audit.map((a) => a.action)).toContain('login_lock');
    });

    it('disabling needs a current code; an admin resets a lost authenticator (audited, sessions end)', async () => {
      const e = env();
      freshDay(e, 10);
      const u = await newUser(e, ['analyst']);
      const s = await login(e.app, u.username, u.password);
      const secret = await enrol(e, s.cookie!);
      expect((await call(e.app, 'POST', '/api/auth/totp/setup', {}, s.cookie)).status).toBe(409);
      advanceSeconds(e, 30);
      expect((await call(e.app, 'POST', '/api/auth/totp/disable', { code: '12345' }, s.cookie)).status).toBe(400);
      const off = await call(
        e.app,
        'POST',
        '/api/auth/totp/disable',
        { code: await code(secret, e.clock.now()) },
        s.cookie,
      );
      expect(off.status).toBe(200);
      expect(off.body.totpEnabled).toBe(false);
      expect((await login(e.app, u.username, u.password, '10.60.10.1')).body.totpRequired).toBeUndefined();

      advanceSeconds(e, 30);
      await enrol(e, s.cookie!);
      expect((await call(e.app, 'POST', `/api/users/${u.id}/totp/reset`, {}, s.cookie)).status).toBe(403);
      const reset = expectStatus(await admin.post(`/api/users/${u.id}/totp/reset`), 200);
      expect(reset).toMatchObject({ id: u.id, totpEnabled: false, wasEnabled: true });
      expect((await call(e.app, 'GET', '/api/auth/me', undefined, s.cookie)).status).toBe(401);
      const plain = await login(e.app, u.username, u.password, '10.60.10.2');
      expect(plain.body).toMatchObject({ username: u.username, totpEnabled: false });
      const audit = await auditOf(e, u.id);
      expect(audit.filter((a) => a.action.startsWith('totp_')).map((a) => [a.action, a.user_id])).toEqual([
        ['totp_enable', u.id],
        ['totp_disable', u.id],
        ['totp_enable', u.id],
        ['totp_reset', e.ids.users['admin']],
      ]);
      const users = expectStatus(await admin.get('/api/users'), 200) as any[];
      expect(users.find((x) => x.id === u.id)).toMatchObject({ totp_enabled: false, must_change_password: false });
    });

    it('a role the settings require a second factor for is sent to enrolment and can do nothing else until enrolled', async () => {
      const e = env();
      freshDay(e, 11);
      const u = await newUser(e, ['auditor']);
      const before = await login(e.app, u.username, u.password);
      expect(before.body.totpEnrolmentRequired).toBe(false);
      // auditors may read the settings, not change them
      expect(
        (
          await call(
            e.app,
            'PUT',
            '/api/admin/security-settings',
            { passwordMinLength: 10, passwordHistory: 5, totpRequiredRoles: [] },
            before.cookie,
          )
        ).status,
      ).toBe(403);
      const put = expectStatus(
        await admin.put('/api/admin/security-settings', {
          passwordMinLength: 10,
          passwordHistory: 5,
          totpRequiredRoles: ['auditor', 'knowledge_reviewer', 'auditor'],
        }),
        200,
      );
      try {
        expect(put.totpRequiredRoles).toEqual(['auditor', 'knowledge_reviewer']);
        // the setting reaches a session already open at its next request
        const refused = await call(e.app, 'GET', '/api/users', undefined, before.cookie);
        expect(refused.status).toBe(403);
        expect(refused.body.error.code).toBe('TOTP_ENROLMENT_REQUIRED');
        expect(
          (await call(e.app, 'GET', '/api/admin/security-settings', undefined, before.cookie)).body.error.code,
        ).toBe('TOTP_ENROLMENT_REQUIRED');
        expect(
          (
            await call(
              e.app,
              'POST',
              '/api/auth/password',
              { currentPassword: u.password, newPassword: 'Another2025q' },
              before.cookie,
            )
          ).status,
        ).toBe(403);
        const s = await login(e.app, u.username, u.password, '10.60.11.1');
        expect(s.body).toMatchObject({ totpEnrolmentRequired: true, totpEnabled: false });
        const secret = await enrol(e, s.cookie!);
        expect((await call(e.app, 'GET', '/api/users', undefined, s.cookie)).status).toBe(200);
        // the role requires it: it cannot be switched off by its user
        advanceSeconds(e, 30);
        const off = await call(
          e.app,
          'POST',
          '/api/auth/totp/disable',
          { code: await code(secret, e.clock.now()) },
          s.cookie,
        );
        expect(off.status).toBe(409);
        expect(off.body.error.message).toContain('不能停用');
        // the settings as the security screen shows them, with the session limits of the deployment
        expect(
          expectStatus(await call(e.app, 'GET', '/api/admin/security-settings', undefined, s.cookie), 200),
        ).toMatchObject({
          passwordMinLength: 10,
          passwordHistory: 5,
          totpRequiredRoles: ['auditor', 'knowledge_reviewer'],
          sessionIdleMinutes: 24 * 400 * 60,
          sessionTtlHours: 24 * 400,
        });
      } finally {
        expectStatus(
          await admin.put('/api/admin/security-settings', {
            passwordMinLength: 10,
            passwordHistory: 5,
            totpRequiredRoles: [],
          }),
          200,
        );
      }
      expect((await call(e.app, 'GET', '/api/users', undefined, before.cookie)).status).toBe(200);
    });

    it('settings: bad values are a 400 in Chinese; other roles 403', async () => {
      const e = env();
      const agent = await ApiClient.login(e, 'agent');
      expect((await agent.get('/api/admin/security-settings')).status).toBe(403);
      for (const body of [
        { passwordMinLength: 8, passwordHistory: 5, totpRequiredRoles: [] },
        { passwordMinLength: 10, passwordHistory: 0, totpRequiredRoles: [] },
        { passwordMinLength: 10, passwordHistory: 5, totpRequiredRoles: ['gateway'] },
        { passwordMinLength: 10.5, passwordHistory: 5, totpRequiredRoles: [] },
        {},
      ]) {
        const r = await admin.put('/api/admin/security-settings', body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        for (const i of r.body.error.details.issues) expect(i.message).toMatch(/[\u4e00-\u9fa5]/);
      }
    });
  });

  describe('生产环境默认安全', () => {
    it('the first administrator from the console: a one-time password that must be changed; audited as the system', async () => {
      const e = env();
      freshDay(e, 12);
      const r = await createAdministrator(e.db, e.clock, { username: 'it_admin', displayName: '信息中心' });
      expect(r).toMatchObject({ username: 'it_admin', unitCode: 'centre', unitCreated: false });
      expect(r.password).toHaveLength(16);
      await expect(createAdministrator(e.db, e.clock, { username: 'it_admin' })).rejects.toThrow(OperatorError);
      await expect(createAdministrator(e.db, e.clock, { username: 'Bad Name' })).rejects.toThrow('用户名');
      await expect(createAdministrator(e.db, e.clock, { username: 'it_admin2', unitCode: 'nope' })).rejects.toThrow(
        '单位代码 nope',
      );
      const s = await login(e.app, 'it_admin', r.password, '10.60.12.1');
      expect(s.body).toMatchObject({ roles: ['admin'], mustChangePassword: true });
      expect((await call(e.app, 'GET', '/api/users', undefined, s.cookie)).body.error.code).toBe(
        'PASSWORD_CHANGE_REQUIRED',
      );
      const audit = await auditOf(e, r.userId);
      expect(audit[0]).toMatchObject({
        action: 'create',
        user_id: null,
        after: { source: 'cli:admin:create', mustChangePassword: true },
      });
      expect(JSON.stringify(audit)).not.toContain(r.password);

      // a one-time password from the console for an account locked out of its password
      const again = await resetPasswordFromConsole(e.db, e.clock, 'it_admin');
      expect(again.password).not.toBe(r.password);
      expect((await call(e.app, 'GET', '/api/auth/me', undefined, s.cookie)).status).toBe(401);
      expect((await login(e.app, 'it_admin', again.password, '10.60.12.2')).body.mustChangePassword).toBe(true);
      await expect(resetPasswordFromConsole(e.db, e.clock, 'gateway')).rejects.toThrow('API 令牌');
    });

    it('demo accounts are found by their password; one changed is no longer named', async () => {
      const e = env();
      const before = await accountsWithPassword(e.db, DEMO_PASSWORD);
      expect(before).toEqual(expect.arrayContaining(['admin', 'agent', 'auditor', 'handler_md']));
      expect(before).not.toContain('gateway');
      expect(demoPasswordProblem(before)).toContain('admin');
      await resetPasswordFromConsole(e.db, e.clock, 'handler_cx');
      expect(await accountsWithPassword(e.db, DEMO_PASSWORD)).not.toContain('handler_cx');
      expect(demoPasswordProblem([])).toBeNull();
    });
  });
});
