import { describe, expect, it } from 'vitest';
import {
  accountDelayMs,
  addressDelayMs,
  formatWait,
  FRESH_ACCOUNT,
  FRESH_ADDRESS,
  gateAttempt,
  LOGIN_THROTTLE,
  refusalMessage,
  type AccountThrottle,
  type AddressThrottle,
  type AttemptGate,
} from './login-throttle.js';

const T0 = new Date('2025-03-03T01:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

/** Runs attempts that all fail, each `gapMs` after the previous one; returns the gates and the final states. */
function failMany(n: number, gapMs: number, start: { account?: AccountThrottle; address?: AddressThrottle } = {}) {
  let account = start.account ?? FRESH_ACCOUNT;
  let address = start.address ?? FRESH_ADDRESS;
  const gates: AttemptGate[] = [];
  for (let i = 0; i < n; i++) {
    const g = gateAttempt(account, address, at(i * gapMs));
    gates.push(g);
    if (g.allowed) ({ account, address } = g);
  }
  return { gates, account, address };
}

describe('第六、三十条 登录限速（纯规则）', () => {
  it('the account delay: nothing for the first 5 failures, then 1 s, 2 s, 4 s … capped at 60 s', () => {
    expect([0, 1, 4].map(accountDelayMs)).toEqual([0, 0, 0]);
    expect([5, 6, 7, 8, 9].map(accountDelayMs)).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(accountDelayMs(11)).toBe(60_000);
    expect(accountDelayMs(1000)).toBe(LOGIN_THROTTLE.accountMaxDelayMs);
  });

  it('the address delay: nothing below 30 failures in the window, then growing and capped at 10 s', () => {
    expect(addressDelayMs(29)).toBe(0);
    expect([30, 31, 32, 33, 34].map(addressDelayMs)).toEqual([1000, 2000, 4000, 8000, 10000]);
    expect(addressDelayMs(10_000)).toBe(LOGIN_THROTTLE.addressMaxDelayMs);
  });

  it('five failures in a row at once are all checked; the sixth at the same moment waits 1 s', () => {
    const { gates, account } = failMany(6, 0);
    expect(gates.slice(0, 5).every((g) => g.allowed)).toBe(true);
    expect(account.failures).toBe(5);
    const sixth = gates[5]!;
    expect(sixth).toMatchObject({
      allowed: false,
      refusal: { reason: 'account_delay', retryAfterMs: 1000 },
      retryAfterSeconds: 1,
    });
    expect(gateAttempt(account, FRESH_ADDRESS, at(999)).allowed).toBe(false);
    expect(gateAttempt(account, FRESH_ADDRESS, at(1000)).allowed).toBe(true);
  });

  it('the 10th consecutive failure locks the account for 15 minutes; the lock then ends on its own', () => {
    const { gates, account } = failMany(10, 60_000);
    expect(gates.every((g) => g.allowed)).toBe(true);
    expect(gates.map((g) => g.allowed && g.locks)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
    expect(account.failures).toBe(10);
    const lockedAt = at(9 * 60_000);
    expect(account.lockedUntil).toEqual(new Date(lockedAt.getTime() + 15 * 60_000));
    // during the lock: refused, with the time left
    const during = gateAttempt(account, FRESH_ADDRESS, new Date(lockedAt.getTime() + 60_000));
    expect(during).toMatchObject({
      allowed: false,
      refusal: { reason: 'account_locked', retryAfterMs: 14 * 60_000 },
      retryAfterSeconds: 840,
    });
    // the instant it ends: allowed, a fresh count, and the ended lock reported for the audit
    const after = gateAttempt(account, FRESH_ADDRESS, account.lockedUntil!);
    expect(after).toMatchObject({
      allowed: true,
      expiredLock: account.lockedUntil,
      locks: false,
      account: { failures: 1, lockedUntil: null },
    });
  });

  it('a lock is bounded: no sequence of attempts keeps it longer than 15 minutes after the last checked attempt', () => {
    const { account } = failMany(10, 60_000);
    // hammering during the lock changes nothing (refused attempts are not stored)
    for (let s = 0; s < 15 * 60; s += 7)
      expect(gateAttempt(account, FRESH_ADDRESS, at(9 * 60_000 + s * 1000)).allowed).toBe(false);
    expect(gateAttempt(account, FRESH_ADDRESS, at(9 * 60_000 + LOGIN_THROTTLE.accountLockMs)).allowed).toBe(true);
  });

  it('failures a day old are forgotten', () => {
    const { account } = failMany(7, 60_000);
    const g = gateAttempt(
      account,
      FRESH_ADDRESS,
      new Date(account.lastAttemptAt!.getTime() + LOGIN_THROTTLE.accountForgetMs),
    );
    expect(g).toMatchObject({ allowed: true, account: { failures: 1 } });
  });

  it('the address: 30 failures in 15 minutes across accounts cost nothing, then attempts are spaced, never locked', () => {
    let address: AddressThrottle = FRESH_ADDRESS;
    for (let i = 0; i < 30; i++) {
      const g = gateAttempt(FRESH_ACCOUNT, address, at(i * 1000)); // a different account each time
      expect(g.allowed).toBe(true);
      if (g.allowed) address = g.address;
    }
    expect(address.failures).toBe(30);
    const next = gateAttempt(FRESH_ACCOUNT, address, at(29_000));
    expect(next).toMatchObject({ allowed: false, refusal: { reason: 'address_delay', retryAfterMs: 1000 } });
    // even after many more failures the wait never exceeds the short cap
    let a = address;
    let t = 30_000;
    for (let i = 0; i < 50; i++) {
      const g = gateAttempt(FRESH_ACCOUNT, a, at(t));
      expect(g.allowed).toBe(true);
      if (g.allowed) a = g.address;
      t += addressDelayMs(a.failures);
      expect(addressDelayMs(a.failures)).toBeLessThanOrEqual(10_000);
    }
  });

  it('the address window ends after 15 minutes and the count starts afresh', () => {
    const address: AddressThrottle = { windowStart: T0, failures: 200, lastAttemptAt: at(14 * 60_000) };
    expect(gateAttempt(FRESH_ACCOUNT, address, at(14 * 60_000 + 5000)).allowed).toBe(false);
    const g = gateAttempt(FRESH_ACCOUNT, address, at(15 * 60_000));
    expect(g).toMatchObject({ allowed: true, address: { windowStart: at(15 * 60_000), failures: 1 } });
  });

  it('a clock set back restarts the address window instead of throttling for ever', () => {
    const address: AddressThrottle = { windowStart: at(3_600_000), failures: 100, lastAttemptAt: at(3_600_000) };
    expect(gateAttempt(FRESH_ACCOUNT, address, T0).allowed).toBe(true);
  });

  it('when both rules refuse, the longer wait is reported', () => {
    const account: AccountThrottle = { failures: 10, lastAttemptAt: T0, lockedUntil: at(15 * 60_000) };
    const address: AddressThrottle = { windowStart: T0, failures: 40, lastAttemptAt: T0 };
    expect(gateAttempt(account, address, at(1000))).toMatchObject({
      allowed: false,
      refusal: { reason: 'account_locked' },
    });
    const slow: AccountThrottle = { failures: 5, lastAttemptAt: T0, lockedUntil: null };
    expect(gateAttempt(slow, address, at(500))).toMatchObject({
      allowed: false,
      refusal: { reason: 'address_delay', retryAfterMs: 9500 },
      retryAfterSeconds: 10,
    });
  });

  it('another account is unaffected by a locked one, and a refused attempt is never stored', () => {
    const { account } = failMany(10, 60_000);
    expect(gateAttempt(account, FRESH_ADDRESS, at(10 * 60_000)).allowed).toBe(false);
    expect(gateAttempt(FRESH_ACCOUNT, FRESH_ADDRESS, at(10 * 60_000)).allowed).toBe(true);
  });

  it('Chinese messages say how long to wait', () => {
    expect(formatWait(1)).toBe('1 秒');
    expect(formatWait(8000)).toBe('8 秒');
    expect(formatWait(900_000)).toBe('15 分钟');
    expect(formatWait(125_000)).toBe('2 分 5 秒');
    expect(refusalMessage({ reason: 'account_locked', retryAfterMs: 900_000 })).toBe(
      '该账号因连续登录失败已被临时锁定，请 15 分钟后再试，或联系系统管理员解锁',
    );
    expect(refusalMessage({ reason: 'account_delay', retryAfterMs: 2000 })).toContain('请 2 秒后再试');
    expect(refusalMessage({ reason: 'address_delay', retryAfterMs: 10_000 })).toContain('请 10 秒后再试');
  });
});
