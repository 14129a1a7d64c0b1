import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import type { DB } from '../../db/schema.js';
import {
  FRESH_ACCOUNT,
  gateAttempt,
  LOGIN_THROTTLE,
  refusalMessage,
  type AttemptGate,
} from '../../domain/login-throttle.js';
import { AppError } from '../../errors.js';
import type { PiiCipher } from '../../security/pii-cipher.js';
import { requireRole, type Actor } from './actor.js';
import * as repo from './login-throttle.repository.js';
import { reportLoginFailure } from '../health/ops-events.js';
import { insertActorAudit, insertAdminAudit } from '../audit/admin-audit.repository.js';

// 第六、三十条: login throttling per account and per client address (rules in domain/login-throttle.ts). Locks,
// the failures that trigger them, their expiry and admins' unlocks are written to admin_audit. Usernames and
// addresses are stored only as keyed hashes; the last failing address is kept encrypted for the admin's screen.

/** An attempt allowed through the gate; settle it with the outcome of the password check. */
export interface AllowedAttempt {
  accountKey: string;
  addressKey: string;
  userId: number | null;
  ip: string;
  gate: Extract<AttemptGate, { allowed: true }>;
}

export class LoginThrottle {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly cipher: PiiCipher,
  ) {}

  private accountKey(username: string) {
    return this.cipher.keyedHash('login-account', username);
  }

  /**
   * One transaction per attempt: reads and locks the account's and the address's rows, refuses with 429 during a
   * delay or a lock (the password is then not checked at all), else stores the attempt as a reserved failure.
   */
  async admit(username: string, ip: string): Promise<AllowedAttempt> {
    const now = this.clock.now();
    const accountKey = this.accountKey(username);
    const addressKey = this.cipher.keyedHash('login-address', ip);
    const attempt = await this.db.transaction().execute(async (trx) => {
      const user = await trx.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
      const userId = user?.id ?? null;
      const { account, address } = await repo.lockThrottleRows(trx, accountKey, userId, addressKey, now);
      const gate = gateAttempt(
        { failures: account.failures, lastAttemptAt: account.last_attempt_at, lockedUntil: account.locked_until },
        { windowStart: address.window_start, failures: address.failures, lastAttemptAt: address.last_attempt_at },
        now,
      );
      if (!gate.allowed) return gate;
      await repo.storeAccount(trx, accountKey, userId, gate.account);
      await repo.storeAddress(trx, addressKey, gate.address);
      if (gate.expiredLock) {
        // 第三十条: the lock ended on its own; recorded when the next attempt finds it over
        await insertAdminAudit(trx, {
          userId: null,
          ...auditEntity(userId, accountKey),
          action: 'login_lock_expired',
          before: { lockedUntil: gate.expiredLock },
          after: { failures: 0 },
          at: now,
        });
      }
      return { allowed: true as const, accountKey, addressKey, userId, ip, gate };
    });
    if ('gate' in attempt) {
      // a fresh address window is the moment to drop rows nobody needs any more
      if (attempt.gate.address.failures === 1) {
        await repo
          .deleteStale(
            this.db,
            new Date(now.getTime() - 2 * LOGIN_THROTTLE.addressWindowMs),
            new Date(now.getTime() - LOGIN_THROTTLE.accountForgetMs),
            now,
          )
          .catch(() => undefined);
      }
      return attempt;
    }
    throw new AppError('too_many_requests', refusalMessage(attempt.refusal), {
      reason: attempt.refusal.reason,
      retryAfterSeconds: attempt.retryAfterSeconds,
    });
  }

  /** The password was right: the account's count and lock are cleared and the address gets its reserved failure back. */
  async succeeded(a: AllowedAttempt): Promise<void> {
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      // 等保 安全审计: every login, with where it came from
      await insertAdminAudit(trx, {
        userId: a.userId,
        ...auditEntity(a.userId, a.accountKey),
        action: 'login',
        before: null,
        after: null,
        at: now,
        source: { ip: a.ip },
      });
      const row = await repo.lockAccountRow(trx, a.accountKey);
      if (!row) return;
      await repo.resetAccount(trx, a.accountKey);
      // a lock set meanwhile by another attempt's failure is lifted by this proof of the password
      if (!a.gate.locks && row.locked_until && row.locked_until > now) {
        await insertAdminAudit(trx, {
          userId: null,
          ...auditEntity(a.userId, a.accountKey),
          action: 'login_unlock',
          before: { failures: row.failures, lockedUntil: row.locked_until },
          after: { failures: 0, by: 'successful_login' },
          at: now,
        });
      }
    });
    await repo.giveBackAddressFailure(this.db, a.addressKey, a.gate.address.windowStart!);
  }

  /** The password was wrong: the reserved failure stands; the failure that locks the account is audited. */
  async failed(a: AllowedAttempt): Promise<void> {
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      await repo.recordFailure(trx, a.accountKey, now, this.cipher.encrypt(a.ip));
      // 等保 安全审计: every failed login (an unknown name is kept only as its keyed hash: it may be a mistyped password)
      await insertAdminAudit(trx, {
        userId: null,
        ...auditEntity(a.userId, a.accountKey),
        action: 'login_failed',
        before: null,
        after: { failures: a.gate.account.failures },
        at: now,
        source: { ip: a.ip },
      });
      if (a.gate.locks) {
        await insertAdminAudit(trx, {
          userId: null,
          ...auditEntity(a.userId, a.accountKey),
          action: 'login_lock',
          before: null,
          after: { failures: a.gate.account.failures, lockedUntil: a.gate.account.lockedUntil },
          at: now,
        });
      }
    });
    reportLoginFailure(a.gate.locks); // login_failures_total, login_locks_total (metrics)
  }

  /**
   * 等保 2.0 身份鉴别: the password was right but a second factor (TOTP) is still due. The account keeps the failure
   * reserved until the code proves the login — so someone who knows the password cannot clear the count by typing
   * it again between guesses of the code — and a lock that reservation set is audited as a failure's would be. The
   * address did nothing wrong: its reservation is given back.
   */
  async pending(a: AllowedAttempt): Promise<void> {
    if (a.gate.locks) {
      await this.db.transaction().execute(async (trx) => {
        await insertAdminAudit(trx, {
          userId: null,
          ...auditEntity(a.userId, a.accountKey),
          action: 'login_lock',
          before: null,
          after: { failures: a.gate.account.failures, lockedUntil: a.gate.account.lockedUntil },
          at: this.clock.now(),
        });
      });
    }
    await repo.giveBackAddressFailure(this.db, a.addressKey, a.gate.address.windowStart!);
  }

  /**
   * The password was right outside a login (the current password of a self-service change): the account's count
   * and the address's reservation are cleared as after a login, without recording a login.
   */
  async confirmed(a: AllowedAttempt): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (await repo.lockAccountRow(trx, a.accountKey)) await repo.resetAccount(trx, a.accountKey);
    });
    await repo.giveBackAddressFailure(this.db, a.addressKey, a.gate.address.windowStart!);
  }

  /** 锁定/限速账号 (admin): accounts of known users that are locked or have recent failures. */
  async list(actor: Actor) {
    requireRole(actor, 'admin');
    const now = this.clock.now();
    const rows = await repo.listThrottledUsers(this.db, new Date(now.getTime() - LOGIN_THROTTLE.accountForgetMs), now);
    return rows.map((r) => {
      const locked = !!r.lockedUntil && r.lockedUntil > now;
      return {
        userId: r.userId,
        username: r.username,
        displayName: r.displayName,
        failures: r.failures,
        status: locked
          ? ('locked' as const)
          : r.failures >= LOGIN_THROTTLE.accountFreeFailures
            ? ('throttled' as const)
            : ('failing' as const),
        lockedUntil: locked ? r.lockedUntil!.toISOString() : null,
        lastFailureAt: r.lastFailureAt?.toISOString() ?? null,
        // the staff member's client address, shown to admins only to trace an attack; stored encrypted
        lastFailureIp: safeDecrypt(this.cipher, r.lastFailureIpEnc),
      };
    });
  }

  /** 解锁 (admin): clears the account's failures and lock at once, audited with before and after. */
  async unlock(actor: Actor, userId: number) {
    requireRole(actor, 'admin');
    const now = this.clock.now();
    return this.db.transaction().execute(async (trx) => {
      const user = await trx.selectFrom('users').select(['id', 'username']).where('id', '=', userId).executeTakeFirst();
      if (!user) throw new AppError('not_found', '用户不存在');
      const key = this.accountKey(user.username);
      const row = await repo.lockAccountRow(trx, key);
      const locked = !!row?.locked_until && row.locked_until > now;
      if (!row || (!locked && row.failures === 0)) return { userId, username: user.username, unlocked: false };
      await repo.resetAccount(trx, key);
      await insertActorAudit(trx, actor, {
        entity: 'user',
        entityId: String(userId),
        action: 'login_unlock',
        before: { failures: row.failures, lockedUntil: locked ? row.locked_until : null },
        after: { ...FRESH_ACCOUNT, by: 'admin' },
        at: now,
      });
      return { userId, username: user.username, unlocked: true };
    });
  }
}

/** Locks of known users are audited on the user; of unknown usernames on the keyed hash (the text is not kept). */
function auditEntity(userId: number | null, accountKey: string) {
  return userId !== null
    ? { entity: 'user', entityId: String(userId) }
    : { entity: 'login_account', entityId: accountKey };
}

function safeDecrypt(cipher: PiiCipher, v: string | null): string | null {
  try {
    return cipher.decrypt(v);
  } catch {
    return null;
  }
}
