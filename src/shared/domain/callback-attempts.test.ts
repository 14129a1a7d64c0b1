import { describe, expect, it } from 'vitest';
import { callbackPlan, nextCallingTime } from './callback-attempts.js';

/** A local (UTC+8) time as an instant. */
const local = (s: string) => new Date(`${s}:00+08:00`);

describe('第十七条 回访未果：重试安排与未能回访的办结条件', () => {
  it('before any failed try there is nothing to schedule and nothing to close', () => {
    expect(callbackPlan([])).toEqual({ unreached: 0, distinctDays: 0, closableAs: null, nextTryAt: null });
  });

  it('retries two hours later within the calling hours, the next morning after 20:00', () => {
    expect(callbackPlan([{ outcome: 'unreached', at: local('2025-03-03T10:00') }]).nextTryAt).toEqual(
      local('2025-03-03T12:00'),
    );
    expect(callbackPlan([{ outcome: 'unreached', at: local('2025-03-03T19:00') }]).nextTryAt).toEqual(
      local('2025-03-04T09:00'),
    );
    expect(nextCallingTime(local('2025-03-03T07:30'))).toEqual(local('2025-03-03T09:00'));
    expect(nextCallingTime(local('2025-03-03T15:10'))).toEqual(local('2025-03-03T15:10'));
  });

  it('the third try must be on another day when the first two were on one day', () => {
    const two = [
      { outcome: 'unreached' as const, at: local('2025-03-03T10:00') },
      { outcome: 'unreached' as const, at: local('2025-03-03T12:05') },
    ];
    expect(callbackPlan(two)).toMatchObject({ closableAs: null, nextTryAt: local('2025-03-04T09:00') });
    // three on one day are still not enough
    const three = [...two, { outcome: 'unreached' as const, at: local('2025-03-03T15:00') }];
    expect(callbackPlan(three)).toMatchObject({ unreached: 3, distinctDays: 1, closableAs: null });
    expect(callbackPlan(three).nextTryAt).toEqual(local('2025-03-04T09:00'));
  });

  it('closes as unreached after three tries on two days; at once when the requester refuses', () => {
    const tries = [
      { outcome: 'unreached' as const, at: local('2025-03-04T09:10') },
      { outcome: 'unreached' as const, at: local('2025-03-03T10:00') }, // order does not matter
      { outcome: 'unreached' as const, at: local('2025-03-03T12:05') },
    ];
    expect(callbackPlan(tries)).toEqual({ unreached: 3, distinctDays: 2, closableAs: 'unreached', nextTryAt: null });
    expect(callbackPlan([{ outcome: 'refused', at: local('2025-03-03T10:00') }])).toMatchObject({
      closableAs: 'refused',
      nextTryAt: null,
    });
    // a day boundary is the local one (UTC+8): 23:30 and 00:30 local are two days
    expect(
      callbackPlan([
        { outcome: 'unreached', at: local('2025-03-03T23:30') },
        { outcome: 'unreached', at: local('2025-03-04T00:30') },
        { outcome: 'unreached', at: local('2025-03-04T09:00') },
      ]).closableAs,
    ).toBe('unreached');
  });
});
