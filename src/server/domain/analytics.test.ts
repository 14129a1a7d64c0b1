import { describe, expect, it } from 'vitest';
import {
  bucketOf,
  bucketsOf,
  changePct,
  cubeDeltas,
  factDeltas,
  grainsFor,
  lastYearPeriod,
  previousPeriod,
  splitRange,
  topRising,
  type TicketFact,
} from './analytics.js';

const fact = (ticketId: number, over: Partial<TicketFact> = {}): TicketFact => ({
  ticketId,
  day: '2025-03-03',
  regionCode: '371702001',
  categoryId: 1,
  channel: 'phone',
  requestType: 'complaint',
  measures: { tickets: 1, closed: 0, overdue: 0, urgent: 0 },
  ...over,
});

describe('第二十七条 热点分析 rules', () => {
  it('factDeltas: a new ticket adds one; a re-categorised one moves; an unchanged one moves nothing', () => {
    expect(factDeltas([], [fact(1)])).toEqual([
      {
        day: '2025-03-03',
        regionCode: '371702001',
        categoryId: 1,
        channel: 'phone',
        requestType: 'complaint',
        measures: { tickets: 1, closed: 0, overdue: 0, urgent: 0 },
      },
    ]);
    const moved = factDeltas([fact(1)], [fact(1, { categoryId: 2 })]);
    expect(moved.map((d) => [d.categoryId, d.measures.tickets])).toEqual([
      [1, -1],
      [2, 1],
    ]);
    expect(factDeltas([fact(1), fact(2)], [fact(1), fact(2)])).toEqual([]);
    const closed = factDeltas([fact(1)], [fact(1, { measures: { tickets: 1, closed: 1, overdue: 1, urgent: 0 } })]);
    expect(closed).toHaveLength(1);
    expect(closed[0]!.measures).toEqual({ tickets: 0, closed: 1, overdue: 1, urgent: 0 });
  });

  it('previous period and same period last year (29 February falls back to the 28th)', () => {
    expect(previousPeriod({ from: '2025-03-01', to: '2025-03-31' })).toEqual({ from: '2025-01-29', to: '2025-02-28' });
    expect(lastYearPeriod({ from: '2024-02-29', to: '2024-03-31' })).toEqual({ from: '2023-02-28', to: '2023-03-31' });
  });

  it('splitRange: whole months from the monthly rollup, the ends from the daily one', () => {
    expect(splitRange({ from: '2025-01-15', to: '2025-04-10' })).toEqual({
      months: { from: '2025-02-01', to: '2025-03-31' },
      days: [
        { from: '2025-01-15', to: '2025-01-31' },
        { from: '2025-04-01', to: '2025-04-10' },
      ],
    });
    expect(splitRange({ from: '2025-01-01', to: '2025-12-31' })).toEqual({
      months: { from: '2025-01-01', to: '2025-12-31' },
      days: [],
    });
    expect(splitRange({ from: '2025-03-03', to: '2025-03-09' })).toEqual({
      months: null,
      days: [{ from: '2025-03-03', to: '2025-03-09' }],
    });
    expect(splitRange({ from: '2024-12-20', to: '2025-01-10' }).months).toBeNull();
  });

  it('buckets: ISO weeks start on Monday, months on the 1st', () => {
    expect(bucketOf('2025-03-09', 'week')).toBe('2025-03-03');
    expect(bucketOf('2025-03-03', 'week')).toBe('2025-03-03');
    expect(bucketOf('2025-03-09', 'month')).toBe('2025-03-01');
    expect(bucketsOf({ from: '2024-11-15', to: '2025-01-02' }, 'month')).toEqual([
      '2024-11-01',
      '2024-12-01',
      '2025-01-01',
    ]);
    expect(bucketsOf({ from: '2025-03-01', to: '2025-03-03' }, 'day')).toHaveLength(3);
  });

  it('changePct and topRising (minimum volume, largest absolute increase first)', () => {
    expect(changePct(30, 10)).toBe(200);
    expect(changePct(1, 0)).toBeNull();
    expect(changePct(10, 30)).toBe(-66.7);
    expect(changePct(5, 5)).toBe(0);
    // a base under 5 gives no ratio: 1 → 3 is not "+200 %"
    expect(changePct(3, 1)).toBeNull();
    expect(changePct(203, 4)).toBeNull();
    const rows = [
      { key: 'a', current: 3, previous: 0 },
      { key: 'b', current: 50, previous: 40 },
      { key: 'c', current: 20, previous: 5 },
      { key: 'd', current: 8, previous: 9 },
    ];
    expect(topRising(rows, 5, 10).map((r) => r.key)).toEqual(['c', 'b']);
    expect(topRising(rows, 1, 1).map((r) => r.key)).toEqual(['c']);
  });
});

describe('第二十七条 热点分析 cube', () => {
  it('cubeDeltas: every grain × (channel, type, both, neither summed out), lifted to the grain levels', () => {
    const [d] = factDeltas([], [fact(1, { regionCode: '371702001001', categoryId: 7 })]);
    const cube = cubeDeltas(
      [d!],
      (code, level) => code.slice(0, level === 2 ? 6 : 9),
      (id, level) => (level === 1 ? 1 : id),
    );
    // grains 2, 3, 4 with their 4 variants; 1, 5, 6 only summed out
    expect(cube).toHaveLength(15);
    const g4 = cube.filter((c) => c.grain === 4);
    expect(g4.map((c) => [c.day, c.regionCode, c.categoryId, c.channel, c.requestType])).toEqual([
      ['2025-03-01', '371702', 1, 'phone', 'complaint'],
      ['2025-03-01', '371702', 1, 'phone', '*'],
      ['2025-03-01', '371702', 1, '*', 'complaint'],
      ['2025-03-01', '371702', 1, '*', '*'],
    ]);
    expect(cube.find((c) => c.grain === 2)).toMatchObject({
      day: '2025-03-01',
      regionCode: '371702001',
      categoryId: 7,
    });
    expect(cube.find((c) => c.grain === 3)).toMatchObject({ day: '2025-03-03', regionCode: '371702', categoryId: 1 });
  });

  it('grainsFor: the coarsest grain that answers, or the fine rollup', () => {
    expect(grainsFor(2, 1)).toEqual({ day: 3, month: 4 });
    expect(grainsFor(3, 1)).toEqual({ day: 1, month: 2 });
    expect(grainsFor(3, 1, true)).toEqual({ day: null, month: 2 });
    expect(grainsFor(2, 2)).toEqual({ day: 5, month: 2 });
    expect(grainsFor(4, 2)).toEqual({ day: null, month: 6 });
    expect(grainsFor(4, 2, true)).toEqual({ day: null, month: null });
    expect(grainsFor(2, 3)).toEqual({ day: null, month: null });
  });
});
