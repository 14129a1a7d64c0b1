import { describe, expect, it } from 'vitest';
import { DEFAULT_TIME_LIMITS, resolveTimeLimit, type TimeLimitRow } from './time-limits.js';

const defaults: TimeLimitRow[] = DEFAULT_TIME_LIMITS.map((r) => ({ ...r, categoryId: null }));

describe('time limits as data (第八条 限时办结)', () => {
  it('general tickets get working-day limits', () => {
    const ctx = { categoryChain: [1], urgency: 'normal' as const, roundTheClock: false };
    expect(resolveTimeLimit(defaults, 'reply', ctx)).toEqual({ amount: 5, unit: 'working_days' });
    expect(resolveTimeLimit(defaults, 'accept', ctx)).toEqual({ amount: 1, unit: 'working_days' });
    expect(resolveTimeLimit(defaults, 'callback', ctx)).toEqual({ amount: 2, unit: 'working_days' });
  });

  it('urgent tickets run on clock hours', () => {
    const ctx = { categoryChain: [1], urgency: 'urgent' as const, roundTheClock: false };
    expect(resolveTimeLimit(defaults, 'reply', ctx)).toEqual({ amount: 24, unit: 'clock_hours' });
    expect(resolveTimeLimit(defaults, 'accept', ctx)).toEqual({ amount: 1, unit: 'clock_hours' });
  });

  describe('第二十条 水电气热网络 全天候服务', () => {
    it('24×7 units run on clock hours even for normal tickets', () => {
      const ctx = { categoryChain: [1], urgency: 'normal' as const, roundTheClock: true };
      expect(resolveTimeLimit(defaults, 'reply', ctx)).toEqual({ amount: 24, unit: 'clock_hours' });
      expect(resolveTimeLimit(defaults, 'first_contact', ctx)).toEqual({ amount: 2, unit: 'clock_hours' });
    });
  });

  it('a category-specific row beats the defaults, and a deeper category beats its parent', () => {
    const rows: TimeLimitRow[] = [
      ...defaults,
      { step: 'reply', categoryId: 3, unitKind: null, urgency: null, clock: null, amount: 10, unit: 'working_days' },
      { step: 'reply', categoryId: 30, unitKind: null, urgency: null, clock: null, amount: 7, unit: 'working_days' },
    ];
    expect(
      resolveTimeLimit(rows, 'reply', { categoryChain: [30, 3], urgency: 'normal', roundTheClock: false }).amount,
    ).toBe(7);
    expect(
      resolveTimeLimit(rows, 'reply', { categoryChain: [31, 3], urgency: 'normal', roundTheClock: false }).amount,
    ).toBe(10);
    expect(
      resolveTimeLimit(rows, 'reply', { categoryChain: [4], urgency: 'normal', roundTheClock: false }).amount,
    ).toBe(5);
  });

  it('a unit-kind row applies to that kind only, and a category row still beats it', () => {
    const rows: TimeLimitRow[] = [
      ...defaults,
      {
        step: 'reply',
        categoryId: null,
        unitKind: 'town',
        urgency: null,
        clock: null,
        amount: 7,
        unit: 'working_days',
      },
      { step: 'reply', categoryId: 30, unitKind: null, urgency: null, clock: null, amount: 4, unit: 'working_days' },
    ];
    const ctx = { categoryChain: [31, 3], urgency: 'normal' as const, roundTheClock: false };
    expect(resolveTimeLimit(rows, 'reply', { ...ctx, unitKind: 'town' }).amount).toBe(7);
    expect(resolveTimeLimit(rows, 'reply', { ...ctx, unitKind: 'department' }).amount).toBe(5);
    expect(resolveTimeLimit(rows, 'reply', { ...ctx, categoryChain: [30, 3], unitKind: 'town' }).amount).toBe(4);
    // an urgent ticket at a town still runs on clock hours: urgency outweighs unit kind
    expect(resolveTimeLimit(rows, 'reply', { ...ctx, urgency: 'urgent', unitKind: 'town' })).toEqual({
      amount: 24,
      unit: 'clock_hours',
    });
  });

  it('fails loudly when a step has no limit at all', () => {
    expect(() => resolveTimeLimit([], 'reply', { categoryChain: [], urgency: 'normal', roundTheClock: false })).toThrow(
      /reply/,
    );
  });
});
