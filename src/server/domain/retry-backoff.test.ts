import { describe, expect, it } from 'vitest';
import { afterFailure, backoffDelayMs, DEFAULT_BACKOFF, isRetryableStatus } from './retry-backoff.js';

describe('第三十条 retry backoff with jitter', () => {
  const p = { baseMs: 1_000, maxMs: 60_000, maxAttempts: 5 };

  it('doubles per attempt, capped, with equal jitter between half and all of the step', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, p, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, p, () => 0))).toEqual([500, 1_000, 2_000, 4_000]);
    expect(backoffDelayMs(3, p, () => 0.5)).toBe(3_000);
    expect(backoffDelayMs(10, p, () => 1)).toBe(60_000);
    expect(backoffDelayMs(1_000, p, () => 1)).toBe(60_000); // no overflow on absurd counts
  });

  it('stays within bounds for any random value, even out-of-range ones', () => {
    for (let n = 1; n <= 30; n++)
      for (const r of [-1, 0, 0.3, 0.999, 1, 2, Number.NaN]) {
        const d = backoffDelayMs(n, p, () => r);
        const step = Math.min(p.baseMs * 2 ** (n - 1), p.maxMs);
        if (Number.isNaN(r)) continue;
        expect(d).toBeGreaterThanOrEqual(step / 2);
        expect(d).toBeLessThanOrEqual(step);
      }
  });

  it('refuses attempt numbers that make no sense', () => {
    for (const n of [0, -1, 1.5, Number.NaN]) expect(() => backoffDelayMs(n, p, () => 0.5)).toThrow();
  });

  it('retries until maxAttempts, then dead-letters; a final error dead-letters at once', () => {
    expect(afterFailure(1, p, () => 1)).toEqual({ kind: 'retry', delayMs: 1_000 });
    expect(afterFailure(4, p, () => 1)).toEqual({ kind: 'retry', delayMs: 8_000 });
    expect(afterFailure(5, p, () => 1)).toEqual({ kind: 'dead' });
    expect(afterFailure(6, p, () => 1)).toEqual({ kind: 'dead' });
    expect(afterFailure(1, p, () => 1, true)).toEqual({ kind: 'dead' });
  });

  it('the default schedule outlasts a receiver down for a whole day, even at the shortest jitter', () => {
    let total = 0;
    for (let n = 1; n < DEFAULT_BACKOFF.maxAttempts; n++) total += backoffDelayMs(n, DEFAULT_BACKOFF, () => 0);
    expect(total).toBeGreaterThan(24 * 3_600_000);
  });

  it('retries 5xx, 408 and 429; other answers are final', () => {
    expect([500, 502, 503, 504, 408, 429].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 410, 422, 301].some(isRetryableStatus)).toBe(false);
  });
});
