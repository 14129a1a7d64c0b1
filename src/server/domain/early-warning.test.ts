import { describe, expect, it } from 'vitest';
import { addDays, dayOfWeek, WorkingCalendar } from './calendar.js';
import {
  detectSpikes,
  evaluateDetector,
  ewmaBaseline,
  levelOf,
  SPIKE_DEFAULTS,
  type DailyCount,
  type DayType,
} from './early-warning.js';

// 2025: 国庆 1–8 October are holidays, Sunday 28 September and Saturday 11 October are make-up working days (调休).
const calendar = new WorkingCalendar([
  ...['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06', '2025-10-07', '2025-10-08'].map((date) => ({
    date,
    kind: 'holiday' as const,
    name: '国庆节、中秋节',
  })),
  { date: '2025-09-28', kind: 'workday', name: '调休' },
  { date: '2025-10-11', kind: 'workday', name: '调休' },
]);
const dayType = (d: string) => (calendar.isWorkingDay(d) ? 'workday' : 'restday');

/** A quiet series: 20 a working day and 6 a rest day, with a small weekly wobble, from 1 September for `n` days. */
function series(n: number, bump: Record<string, number> = {}): DailyCount[] {
  return Array.from({ length: n }, (_, i) => {
    const day = addDays('2025-09-01', i);
    const base = dayType(day) === 'workday' ? 20 + (dayOfWeek(day) % 3) - 1 : 6 + (i % 2);
    return { day, count: base + (bump[day] ?? 0) };
  });
}

describe('第二十七条 风险预警：按工作日历的突增检测', () => {
  it('raises nothing on an ordinary series, whatever its weekly rhythm', () => {
    expect(detectSpikes(series(60), dayType)).toEqual([]);
  });

  it('knows the holiday: the quiet 国庆 week and its busy make-up Saturday raise nothing', () => {
    const s = series(50); // 1 September – 20 October, through the holidays and both 调休 days
    expect(s.find((d) => d.day === '2025-10-01')!.count).toBeLessThan(8); // a Wednesday, yet quiet
    expect(s.find((d) => d.day === '2025-10-11')!.count).toBeGreaterThan(18); // a Saturday, yet busy
    expect(detectSpikes(s, dayType)).toEqual([]);
    // a detector that did not know the calendar (weekends only) would cry wolf on the make-up Saturday
    const naive = (d: string): DayType => ([0, 6].includes(dayOfWeek(d)) ? 'restday' : 'workday');
    expect(detectSpikes(s, naive).map((x) => x.day)).toContain('2025-10-11');
  });

  it('finds a spike on a rest day that would be ordinary on a working day, and grades it', () => {
    const spikes = detectSpikes(series(50, { '2025-10-05': 14 }), dayType); // Sunday in the holidays: 20 instead of 6
    expect(spikes.map((s) => s.day)).toEqual(['2025-10-05']);
    expect(spikes[0]!.expected).toBeGreaterThan(5);
    expect(spikes[0]!.expected).toBeLessThan(8);
    expect(spikes[0]!.score).toBeGreaterThan(4.5); // 20 against about 6.5 (width √6.5 ≈ 2.5)
    expect(spikes[0]!.level).toBe('orange');
    // the same 20 on a working day is nothing
    expect(detectSpikes(series(50, { '2025-10-09': 0 }), dayType)).toEqual([]);
  });

  it('a spike lasting several days is found on each day: it does not become the baseline', () => {
    const bump = { '2025-09-22': 25, '2025-09-23': 25, '2025-09-24': 25, '2025-09-25': 25 };
    expect(detectSpikes(series(40, bump), dayType).map((s) => s.day)).toEqual(Object.keys(bump));
  });

  it('small counts need a real jump: the Poisson width and the minimum count keep quiet series quiet', () => {
    const sparse = Array.from({ length: 60 }, (_, i) => ({
      day: addDays('2025-03-03', i),
      count: i % 7 === 3 ? 2 : 0,
    }));
    expect(detectSpikes(sparse, dayType)).toEqual([]);
    const four = sparse.map((d, i) => (i === 45 ? { ...d, count: 4 } : d));
    expect(detectSpikes(four, dayType)).toEqual([]); // below minCount
    const twelve = sparse.map((d, i) => (i === 45 ? { ...d, count: 12 } : d));
    expect(detectSpikes(twelve, dayType).map((s) => s.count)).toEqual([12]);
  });

  it('judges nothing before it has seen enough days of the same kind', () => {
    const short = series(10, { '2025-09-06': 30 }); // the first Saturday: no rest days seen yet
    expect(detectSpikes(short, dayType)).toEqual([]);
  });

  it('baseline, levels and evaluation arithmetic', () => {
    expect(ewmaBaseline([], 0.3)).toEqual({ expected: 0, width: 1 });
    const flat = ewmaBaseline([10, 10, 10, 10], 0.3);
    expect(flat.expected).toBe(10);
    expect(flat.width).toBeCloseTo(Math.sqrt(10)); // the Poisson floor
    expect(ewmaBaseline([0, 100], 0.5).expected).toBe(50);
    const t = SPIKE_DEFAULTS.thresholds;
    expect([levelOf(2.9, t), levelOf(3, t), levelOf(4.5, t), levelOf(6, t)]).toEqual([null, 'yellow', 'orange', 'red']);
    const e = evaluateDetector([{ day: 'a' }, { day: 'b' }, { day: 'x' }], new Set(['a', 'b', 'c', 'd']), 60);
    expect(e).toEqual({ injected: 4, detected: 2, recall: 0.5, falseAlarms: 1, falseAlarmsPerMonth: 0.5 });
  });
});
