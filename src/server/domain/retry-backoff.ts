// 第三十条: a receiver that fails is retried with exponential backoff and jitter, then its message is parked in the
// dead-letter list. Pure, so the schedule is tested without clocks or networks.

export interface BackoffPolicy {
  /** delay before the 2nd attempt */
  baseMs: number;
  /** no delay is longer than this */
  maxMs: number;
  /** attempts in all; the one that fails last makes the message a dead letter */
  maxAttempts: number;
}

// base 10 s doubling to 6 h, 20 attempts: a receiver down for a whole day still gets everything without a replay
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 10_000, maxMs: 6 * 3_600_000, maxAttempts: 20 };

/**
 * The delay after the `attempt`-th failed attempt (1-based): base·2^(attempt−1), capped at maxMs, then "equal
 * jitter" — half fixed, half random — so receivers coming back after an outage are not hit by every sender at
 * the same instant, while a retry never comes sooner than half the schedule.
 */
export function backoffDelayMs(attempt: number, policy: Pick<BackoffPolicy, 'baseMs' | 'maxMs'>, random: () => number) {
  if (!Number.isInteger(attempt) || attempt < 1) throw new Error('attempt must be a positive integer');
  const exp = Math.min(policy.baseMs * 2 ** Math.min(attempt - 1, 40), policy.maxMs);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(exp / 2 + (exp / 2) * r);
}

export type FailureDecision = { kind: 'retry'; delayMs: number } | { kind: 'dead' };

/** After a failed attempt: retry later, or park as a dead letter (the attempts are used up, or the error is final). */
export function afterFailure(
  attempts: number,
  policy: BackoffPolicy,
  random: () => number,
  permanent = false,
): FailureDecision {
  if (permanent || attempts >= policy.maxAttempts) return { kind: 'dead' };
  return { kind: 'retry', delayMs: backoffDelayMs(attempts, policy, random) };
}

/** Which HTTP answers are worth retrying: timeouts and 5xx, 408 and 429; other 4xx say the message is refused. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}
