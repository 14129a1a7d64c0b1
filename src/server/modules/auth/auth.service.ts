import { createHash, randomBytes } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import type { DB, User } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import type { PiiCipher } from '../../security/pii-cipher.js';
import { checkTotp } from '../../security/totp.js';
import { regionPrefix, requireRole, type Actor, type Role } from './actor.js';
import * as repo from './auth.repository.js';
import { LoginThrottle } from './login-throttle.service.js';
import type { SessionCache } from './session-cache.js';
import { PasswordService } from './password.service.js';
import { SecuritySettingsService } from './security-settings.service.js';
import { totpRequiredFor } from './security-settings.repository.js';
import { TotpService } from './totp.service.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';

export { hashPassword } from './passwords.js';

// Session and API tokens are random 32-byte values; only their SHA-256 is stored, so a database leak
// does not hand out live sessions.
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');

/** 等保 2.0: how long a session lives unused, and how long at most (SESSION_IDLE_MINUTES, SESSION_TTL_HOURS). */
export const DEFAULT_SESSION_IDLE_MINUTES = 30;
/** A session's last use is written at most this often, not on every request. */
const TOUCH_EVERY_MS = 60_000;
/** The second login step: how long the password's proof waits for the code, and how many wrong codes it takes. */
export const LOGIN_CHALLENGE = { ttlMs: 5 * 60_000, maxFailures: 5 } as const;

/** A session's user as the per-request look-up reads it (and the session cache keeps it). */
export type SessionUser = NonNullable<Awaited<ReturnType<typeof repo.findSessionUser>>>;

export type LoginOutcome =
  | { kind: 'session'; token: string; actor: Actor; expiresAt: Date }
  | { kind: 'totp'; challenge: string; expiresAt: Date };

export class AuthService {
  readonly throttle: LoginThrottle;
  readonly passwords: PasswordService;
  readonly totp: TotpService;
  readonly settings: SecuritySettingsService;
  private readonly idleMs: number;
  private readonly sessionCache: SessionCache<SessionUser> | null;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly sessionTtlHours: number,
    private readonly cipher: PiiCipher,
    opts: { idleMinutes?: number; sessionCache?: SessionCache<SessionUser> | null } = {},
  ) {
    this.sessionCache = opts.sessionCache ?? null;
    const idleMinutes = opts.idleMinutes ?? DEFAULT_SESSION_IDLE_MINUTES;
    this.idleMs = idleMinutes * 60_000;
    this.throttle = new LoginThrottle(db, clock, cipher);
    this.passwords = new PasswordService(db, clock, this.throttle);
    this.totp = new TotpService(db, clock, cipher);
    this.settings = new SecuritySettingsService(db, clock, { idleMinutes, ttlHours: sessionTtlHours });
  }

  /**
   * 第六、三十条: the attempt passes the login throttle first (429 during a delay or a lock, without checking the
   * password); a failure counts against the account and the client address, a success clears the account's count.
   * 等保 2.0: a user with a second factor gets a challenge instead of a session, answered at loginTotp.
   */
  async login(username: string, password: string, ip: string): Promise<LoginOutcome> {
    const attempt = await this.throttle.admit(username, ip);
    const user = await repo.findUserByUsername(this.db, username);
    // Verify against a dummy hash when the user is unknown so timing does not reveal valid usernames.
    const ok = await verify(user?.password_hash ?? DUMMY_HASH, password).catch(() => false);
    if (!user || !user.active || !ok) {
      await this.throttle.failed(attempt);
      throw new AppError('unauthenticated', '用户名或密码错误');
    }
    if (user.totp_secret_enc) {
      await this.throttle.pending(attempt);
      const challenge = randomBytes(32).toString('base64url');
      const now = this.clock.now();
      const expiresAt = new Date(now.getTime() + LOGIN_CHALLENGE.ttlMs);
      await repo.insertLoginChallenge(this.db, {
        token_hash: tokenHash(challenge),
        user_id: user.id,
        created_at: now,
        expires_at: expiresAt,
      });
      return { kind: 'totp', challenge, expiresAt };
    }
    await this.throttle.succeeded(attempt);
    return this.openSession(user);
  }

  /**
   * The second step: the challenge of a proven password and a code of the user's authenticator. A wrong code is a
   * failed login for the throttle (delays, then a lock) and for the challenge (five wrong codes end it); a code is
   * accepted once only.
   */
  async loginTotp(challenge: string, code: string, ip: string) {
    const hashed = tokenHash(challenge);
    const user = await repo.findLoginChallenge(this.db, hashed, this.clock.now());
    if (!user || !user.totp_secret_enc)
      throw new AppError('unauthenticated', '登录验证已过期，请重新输入用户名和密码', { reason: 'challenge_expired' });
    const attempt = await this.throttle.admit(user.username, ip);
    const secret = this.cipher.decrypt(user.totp_secret_enc)!;
    const step = await checkTotp(secret, code, this.clock.now(), user.totp_last_step);
    if (step === null || !(await repo.claimTotpStep(this.db, user.id, step))) {
      await this.throttle.failed(attempt);
      await repo.failLoginChallenge(this.db, hashed, LOGIN_CHALLENGE.maxFailures);
      throw new AppError('unauthenticated', '动态验证码不正确或已使用，请输入验证器中当前显示的 6 位数字', {
        reason: 'totp_invalid',
      });
    }
    await repo.deleteLoginChallenge(this.db, hashed);
    await this.throttle.succeeded(attempt);
    return this.openSession(user);
  }

  async logout(token: string): Promise<void> {
    const hashed = tokenHash(token);
    await repo.deleteSession(this.db, hashed);
    // the database announces it to every process (0049); this one need not wait for the announcement
    this.sessionCache?.invalidate(`s:${hashed}`);
  }

  /** The session cache's counters (null when this process does not cache sessions). */
  sessionCacheStats() {
    return this.sessionCache?.stats() ?? null;
  }

  /** The session's actor; null when the session is unknown, over its lifetime or idle too long. */
  async actorFromSession(token: string): Promise<Actor | null> {
    const hashed = tokenHash(token);
    const now = this.clock.now();
    const idleSince = new Date(now.getTime() - this.idleMs);
    let user = this.sessionCache?.get(hashed);
    // a cached row past its expiry or idle limit may be stale only in last_seen_at (another process's use): ask
    if (user && (user.expires_at <= now || user.last_seen_at <= idleSince)) user = undefined;
    if (!user) {
      const generation = this.sessionCache?.begin() ?? 0;
      user = await repo.findSessionUser(this.db, hashed, now, idleSince);
      if (!user) return null;
      this.sessionCache?.set(hashed, user.id, user, generation);
    }
    if (now.getTime() - user.last_seen_at.getTime() >= TOUCH_EVERY_MS) {
      await repo.touchSession(this.db, hashed, now);
      user = { ...user, last_seen_at: now };
      this.sessionCache?.update(hashed, user);
    }
    return this.toActor(user, user.totp_required_roles ?? []);
  }

  async actorFromApiToken(token: string): Promise<Actor | null> {
    const user = await repo.findTokenUser(this.db, tokenHash(token));
    return user ? this.toActor(user, null) : null;
  }

  /** Machine clients (partner systems, unit integrations) authenticate with a bearer token. */
  /**
   * 第三十条: an API token for a machine account — a channel gateway or a partner system — issued by an admin and
   * audited. Never for a person: a token would sign them in without their password and second factor (等保 身份鉴别).
   * Units' integration tokens have their own issuing with scopes (sharing/tokens.service.ts).
   */
  async createApiToken(actor: Actor, userId: number, name: string): Promise<{ token: string; id: number }> {
    requireRole(actor, 'admin');
    const user = await repo.findUserById(this.db, userId);
    if (!user) throw new AppError('not_found', '用户不存在');
    const roles = user.roles;
    if (!roles.includes('gateway') && !roles.includes('partner'))
      throw new AppError('bad_request', '只能为渠道网关或对接系统账号签发令牌（人员账号须凭密码登录）', {
        field: 'userId',
      });
    if (!user.active) throw new AppError('bad_request', '该账号已停用，不能签发令牌', { field: 'userId' });
    const token = `hz_${randomBytes(32).toString('base64url')}`;
    const now = this.clock.now();
    const row = await this.db.transaction().execute(async (trx) => {
      const r = await repo.insertApiToken(trx, {
        token_hash: tokenHash(token),
        user_id: userId,
        name,
        created_at: now,
      });
      await insertActorAudit(trx, actor, {
        entity: 'api_token',
        entityId: String(r.id),
        action: 'issue',
        before: null,
        after: { userId, account: user.display_name, name },
        at: now,
      });
      return r;
    });
    return { token, id: row.id };
  }

  private async openSession(user: User): Promise<{ kind: 'session'; token: string; actor: Actor; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.sessionTtlHours * 3_600_000);
    await repo.insertSession(this.db, {
      token_hash: tokenHash(token),
      user_id: user.id,
      created_at: now,
      expires_at: expiresAt,
      last_seen_at: now,
    });
    const actor = await this.toActor(user, await repo.totpRequiredRolesNow(this.db));
    return { kind: 'session', token, actor, expiresAt };
  }

  /**
   * The unit's regions come with the user from the session or token look-up; a login reads them here. A session's
   * actor also carries what the user must do first (totpRequiredRoles given); an API token's never does.
   */
  private async toActor(
    user: User & { unit_region_codes?: string[]; token_scopes?: string[] | null },
    totpRequiredRoles: string[] | null,
  ): Promise<Actor> {
    const regions =
      user.scope !== 'region' ? [] : (user.unit_region_codes ?? (await repo.unitRegionCodes(this.db, user.unit_id)));
    return {
      userId: user.id,
      username: user.username,
      displayName: user.display_name,
      unitId: user.unit_id,
      roles: user.roles as Role[],
      scope: user.scope,
      regionPrefixes: regions.map(regionPrefix),
      // 第三十条: a scoped token (a unit's integration) may do what its scopes say and nothing else
      ...(user.token_scopes ? { tokenScopes: user.token_scopes } : {}),
      ...(totpRequiredRoles
        ? {
            mustChangePassword: user.must_change_password,
            totpEnabled: !!user.totp_secret_enc,
            totpEnrolmentRequired: !user.totp_secret_enc && totpRequiredFor(user.roles, totpRequiredRoles),
          }
        : {}),
    };
  }
}

const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Wc7Xx1yW3cZ1o8iGvJrYbq4mWm4f2kY0QO0b2k5m3xY';
