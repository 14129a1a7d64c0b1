// 第六、三十条: the accounts that open citizens' personal data must not be open to password guessing. Login
// attempts are throttled per account and per client address. Pure rules here; the state lives in the database
// (migration 0012) so that every app process applies the same counts.
//
// Policy (every number below is a constant of LOGIN_THROTTLE):
// - Account: the first 5 consecutive failures cost nothing. From then on each further attempt must wait a growing
//   delay after the previous checked attempt (1 s, 2 s, 4 s, 8 s, 16 s …, capped at 60 s). The 10th consecutive
//   failure locks the account for 15 minutes. A lock always expires on its own and the count then starts afresh,
//   so a centre is never locked out for a shift; an admin can also unlock at once. A successful login resets it,
//   and failures a day old are forgotten.
// - Address: failures from one client address across all accounts are counted in a 15-minute window. From the
//   30th failure in the window, attempts from that address are spaced by a delay after the address's previous
//   checked attempt, growing from 1 s and capped at 10 s, and never a lock: a correct login by another user behind
//   the same office NAT waits at most those 10 s after the last attempt (the window then ends by itself).
// - An attempt refused by either rule is answered 429 with how long to wait, and its password is not checked, so
//   even the right password does not get in during a delay or a lock.
// - Concurrency: an allowed attempt is reserved as a failure before its password is checked (and given back when it
//   succeeds), so parallel attempts cannot slip past a delay or a lock together.

export const LOGIN_THROTTLE = {
  /** consecutive failures of one account that cost nothing */
  accountFreeFailures: 5,
  /** the consecutive failure that locks the account */
  accountLockFailures: 10,
  accountBaseDelayMs: 1_000,
  accountMaxDelayMs: 60_000,
  accountLockMs: 15 * 60_000,
  /** failures older than this (since the account's last checked attempt) are forgotten */
  accountForgetMs: 24 * 3_600_000,
  /** failures from one address counted over this window */
  addressWindowMs: 15 * 60_000,
  /** failures from one address in a window that cost nothing */
  addressFreeFailures: 30,
  addressBaseDelayMs: 1_000,
  /** short on purpose: other users behind a shared address are never kept out longer than this */
  addressMaxDelayMs: 10_000,
} as const;

export interface AccountThrottle {
  failures: number;
  lastAttemptAt: Date | null;
  lockedUntil: Date | null;
}

export interface AddressThrottle {
  windowStart: Date | null;
  failures: number;
  lastAttemptAt: Date | null;
}

export type Refusal = { reason: 'account_locked' | 'account_delay' | 'address_delay'; retryAfterMs: number };

export type AttemptGate =
  | { allowed: false; refusal: Refusal; retryAfterSeconds: number }
  | {
      allowed: true;
      /** account state to store before the password is checked: this attempt reserved as a failure */
      account: AccountThrottle;
      address: AddressThrottle;
      /** the lock that had run out before this attempt (it ended on its own) */
      expiredLock: Date | null;
      /** this attempt, if it fails, is the one that locks the account */
      locks: boolean;
    };

const doubling = (n: number, base: number, max: number) => Math.min(max, base * 2 ** Math.min(n, 30));

/** Wait required after the account's previous checked attempt, given its consecutive failures. */
export function accountDelayMs(failures: number): number {
  const t = LOGIN_THROTTLE;
  if (failures < t.accountFreeFailures) return 0;
  return doubling(failures - t.accountFreeFailures, t.accountBaseDelayMs, t.accountMaxDelayMs);
}

/** Wait required after the address's previous checked attempt, given its failures in the window. */
export function addressDelayMs(failures: number): number {
  const t = LOGIN_THROTTLE;
  if (failures < t.addressFreeFailures) return 0;
  return doubling(failures - t.addressFreeFailures, t.addressBaseDelayMs, t.addressMaxDelayMs);
}

export const FRESH_ACCOUNT: AccountThrottle = { failures: 0, lastAttemptAt: null, lockedUntil: null };
export const FRESH_ADDRESS: AddressThrottle = { windowStart: null, failures: 0, lastAttemptAt: null };

/**
 * Decides whether a login attempt may have its password checked at `now`. When it may, returns the states to
 * store (the attempt counted as a failure, given back by settleSuccess when the password is right).
 */
export function gateAttempt(account: AccountThrottle, address: AddressThrottle, now: Date): AttemptGate {
  const t = LOGIN_THROTTLE;
  const at = now.getTime();
  const refusals: Refusal[] = [];

  let acc = account;
  let expiredLock: Date | null = null;
  if (acc.lockedUntil) {
    if (at < acc.lockedUntil.getTime())
      refusals.push({ reason: 'account_locked', retryAfterMs: acc.lockedUntil.getTime() - at });
    else {
      // bounded: a lock ends on its own and the account starts afresh
      expiredLock = acc.lockedUntil;
      acc = FRESH_ACCOUNT;
    }
  }
  if (!acc.lockedUntil && acc.lastAttemptAt && at - acc.lastAttemptAt.getTime() >= t.accountForgetMs)
    acc = FRESH_ACCOUNT;
  if (!refusals.length && acc.lastAttemptAt) {
    const until = acc.lastAttemptAt.getTime() + accountDelayMs(acc.failures);
    if (at < until) refusals.push({ reason: 'account_delay', retryAfterMs: until - at });
  }

  let addr = address;
  if (!addr.windowStart || at - addr.windowStart.getTime() >= t.addressWindowMs || at < addr.windowStart.getTime()) {
    addr = { windowStart: now, failures: 0, lastAttemptAt: null };
  }
  if (addr.lastAttemptAt) {
    const until = addr.lastAttemptAt.getTime() + addressDelayMs(addr.failures);
    if (at < until) refusals.push({ reason: 'address_delay', retryAfterMs: until - at });
  }

  if (refusals.length) {
    const refusal = refusals.reduce((a, b) => (b.retryAfterMs > a.retryAfterMs ? b : a));
    return { allowed: false, refusal, retryAfterSeconds: Math.max(1, Math.ceil(refusal.retryAfterMs / 1000)) };
  }
  const failures = acc.failures + 1;
  const locks = failures >= t.accountLockFailures;
  return {
    allowed: true,
    account: { failures, lastAttemptAt: now, lockedUntil: locks ? new Date(at + t.accountLockMs) : null },
    address: { windowStart: addr.windowStart, failures: addr.failures + 1, lastAttemptAt: now },
    expiredLock,
    locks,
  };
}

/** The Chinese message of a refusal, saying how long to wait. */
export function refusalMessage(refusal: Refusal): string {
  const wait = formatWait(refusal.retryAfterMs);
  if (refusal.reason === 'account_locked')
    return `该账号因连续登录失败已被临时锁定，请 ${wait}后再试，或联系系统管理员解锁`;
  if (refusal.reason === 'account_delay') return `该账号连续登录失败次数过多，请 ${wait}后再试`;
  return `本机所在网络登录失败次数过多，请 ${wait}后再试`;
}

/** "15 分钟" / "2 分 5 秒" / "8 秒" */
export function formatWait(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  if (s < 60) return `${s} 秒`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  return rest ? `${m} 分 ${rest} 秒` : `${m} 分钟`;
}
