import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, it, expect, afterEach } from 'vitest';
import {
  DEFAULT_WORKING_HOURS,
  WorkingCalendar,
  addDays,
  calendarOverridesFromChineseDays,
  chineseDaysCoversYear,
  dayOfWeek,
  mergeCalendarOverrides,
  unconfirmedWithin,
  unconfirmedYearsWithin,
  type CalendarOverride,
} from './calendar.js';

const overrides = calendarOverridesFromChineseDays([2025, 2026]);
const cal = new WorkingCalendar(overrides);
/** Format an instant as China local time, for readable assertions. */
const cst = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
const byDate = (date: string) => overrides.find((o) => o.date === date);
const range = (from: string, to: string) => {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
};

describe('工作日历 本地日期 (固定 UTC+08:00, 无夏令时)', () => {
  it('maps instants to the China local date around midnight', () => {
    expect(cal.localDate(new Date('2025-01-24T15:59:59.999Z'))).toBe('2025-01-24');
    expect(cal.localDate(new Date('2025-01-24T16:00:00.000Z'))).toBe('2025-01-25');
    expect(cal.localDate(new Date('2025-01-25T00:30:00+08:00'))).toBe('2025-01-25');
  });
  it('gives start and end of a local day', () => {
    expect(cst(cal.startOfLocalDay('2025-01-26'))).toBe('2025-01-26T00:00:00.000+08:00');
    expect(cal.endOfLocalDay('2025-01-26').toISOString()).toBe('2025-01-26T15:59:59.999Z');
  });
  it('does date arithmetic across month, year and leap-day boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(dayOfWeek('2025-01-26')).toBe(0); // Sunday
    expect(dayOfWeek('2025-02-08')).toBe(6); // Saturday
    expect(dayOfWeek('2026-10-01')).toBe(4); // Thursday
  });
});

describe('工作日历 调休 (第八条 限时办结) — 2025 春节', () => {
  it.each([
    ['2025-01-24', true], // Fri
    ['2025-01-25', false], // Sat, plain weekend
    ['2025-01-26', true], // Sun, 调休补班
    ['2025-01-27', true], // Mon
    ...range('2025-01-28', '2025-02-04').map((d) => [d, false] as [string, boolean]),
    ['2025-02-05', true],
    ['2025-02-07', true],
    ['2025-02-08', true], // Sat, 调休补班
    ['2025-02-09', false], // Sun
    ['2025-02-10', true],
  ])('%s working=%s', (date, working) => {
    expect(cal.isWorkingDay(date)).toBe(working);
  });
  it('names the overrides 春节 and leaves plain weekends alone', () => {
    expect(byDate('2025-01-26')).toEqual({ date: '2025-01-26', kind: 'workday', name: '春节' });
    expect(byDate('2025-02-08')).toEqual({ date: '2025-02-08', kind: 'workday', name: '春节' });
    for (const d of range('2025-01-28', '2025-02-04'))
      expect(byDate(d)).toEqual({ date: d, kind: 'holiday', name: '春节' });
    expect(byDate('2025-01-25')).toBeUndefined();
    expect(byDate('2025-02-09')).toBeUndefined();
  });
});

describe('工作日历 调休 — 2025 国庆节·中秋节 (10月1日至8日)', () => {
  it.each([
    ['2025-09-27', false], // Sat
    ['2025-09-28', true], // Sun, 补班
    ['2025-09-30', true],
    ...range('2025-10-01', '2025-10-08').map((d) => [d, false] as [string, boolean]),
    ['2025-10-09', true],
    ['2025-10-10', true],
    ['2025-10-11', true], // Sat, 补班
    ['2025-10-12', false],
  ])('%s working=%s', (date, working) => {
    expect(cal.isWorkingDay(date)).toBe(working);
  });
  it('uses the chinese-days names (10-06 is 中秋)', () => {
    expect(byDate('2025-10-01')?.name).toBe('国庆节');
    expect(byDate('2025-10-06')?.name).toBe('中秋');
    expect(byDate('2025-09-28')).toEqual({ date: '2025-09-28', kind: 'workday', name: '国庆节' });
    expect(byDate('2025-10-11')).toEqual({ date: '2025-10-11', kind: 'workday', name: '国庆节' });
  });
});

describe('工作日历 调休 — 2026 (chinese-days 1.5.7 data, 国办 2025-11 notice)', () => {
  it.each([
    ['2026-09-19', false], // Sat
    ['2026-09-20', true], // Sun, 国庆 补班
    ['2026-09-24', true],
    ['2026-09-25', false], // Fri, 中秋
    ['2026-09-28', true],
    ['2026-09-30', true],
    ...range('2026-10-01', '2026-10-07').map((d) => [d, false] as [string, boolean]),
    ['2026-10-08', true], // Thu
    ['2026-10-09', true],
    ['2026-10-10', true], // Sat, 国庆 补班
    ['2026-10-11', false],
    ['2026-01-04', true], // Sun, 元旦 补班
    ['2026-02-14', true], // Sat, 春节 补班
    ['2026-02-23', false], // Mon, last 春节 day
    ['2026-02-28', true], // Sat, 春节 补班
    ['2026-05-09', true], // Sat, 劳动节 补班
  ])('%s working=%s', (date, working) => {
    expect(cal.isWorkingDay(date)).toBe(working);
  });
  it('lists exactly the 2026 arrangement', () => {
    const y = calendarOverridesFromChineseDays([2026]);
    expect(y.filter((o) => o.kind === 'workday').map((o) => `${o.date} ${o.name}`)).toEqual([
      '2026-01-04 元旦',
      '2026-02-14 春节',
      '2026-02-28 春节',
      '2026-05-09 劳动节',
      '2026-09-20 国庆节',
      '2026-10-10 国庆节',
    ]);
    const holidays = y.filter((o) => o.kind === 'holiday');
    expect(holidays).toHaveLength(33);
    expect(holidays.filter((o) => o.name === '国庆节').map((o) => o.date)).toEqual(range('2026-10-01', '2026-10-07'));
    expect(holidays.filter((o) => o.name === '中秋').map((o) => o.date)).toEqual(range('2026-09-25', '2026-09-27'));
    expect(holidays.filter((o) => o.name === '春节').map((o) => o.date)).toEqual(range('2026-02-15', '2026-02-23'));
  });
  it('lists exactly the 2025 arrangement', () => {
    const y = calendarOverridesFromChineseDays([2025]);
    expect(y.filter((o) => o.kind === 'workday').map((o) => o.date)).toEqual([
      '2025-01-26',
      '2025-02-08',
      '2025-04-27',
      '2025-09-28',
      '2025-10-11',
    ]);
    expect(y.filter((o) => o.kind === 'holiday')).toHaveLength(28);
  });
  it('refuses years chinese-days has no data for instead of assuming no holidays', () => {
    expect(chineseDaysCoversYear(2026)).toBe(true);
    expect(chineseDaysCoversYear(2027)).toBe(false);
    expect(() => calendarOverridesFromChineseDays([2027])).toThrow(/no holiday data for 2027/);
    expect(() => calendarOverridesFromChineseDays([2025.5])).toThrow(RangeError);
  });
  it('agrees day-by-day with the chinese-days API run at TZ=Asia/Shanghai', () => {
    // The API is only trustworthy at/east of UTC (see calendar.ts), so run it in a child with a pinned TZ.
    const mod = createRequire(import.meta.url).resolve('chinese-days');
    const script =
      `const c=require(${JSON.stringify(mod)});const o={};` +
      `for(let t=new Date(2025,0,1,12);t.getFullYear()<2027;t.setDate(t.getDate()+1)){const d=c.getDayDetail(t);o[d.date]=d.work}` +
      `process.stdout.write(JSON.stringify(o))`;
    const api = JSON.parse(
      execFileSync(process.execPath, ['-e', script], { env: { ...process.env, TZ: 'Asia/Shanghai' } }).toString(),
    ) as Record<string, boolean>;
    const days = range('2025-01-01', '2026-12-31');
    expect(Object.keys(api)).toEqual(days);
    for (const d of days) expect([d, cal.isWorkingDay(d)]).toEqual([d, api[d]]);
  });
});

describe('工作日历 navigation and counting', () => {
  it('finds next and previous working days across holidays and 补班', () => {
    expect(cal.nextWorkingDay('2025-01-24')).toBe('2025-01-26');
    expect(cal.nextWorkingDay('2025-01-27')).toBe('2025-02-05');
    expect(cal.previousWorkingDay('2025-02-05')).toBe('2025-01-27');
    expect(cal.previousWorkingDay('2025-01-26')).toBe('2025-01-24');
    expect(cal.nextWorkingDay('2026-09-30')).toBe('2026-10-08');
  });
  it('adds working days (start day never counts)', () => {
    expect(cal.addWorkingDays('2025-01-24', 0)).toBe('2025-01-24');
    expect(cal.addWorkingDays('2025-01-24', 3)).toBe('2025-02-05');
    expect(cal.addWorkingDays('2025-09-26', 10)).toBe('2025-10-16');
  });
  it('counts working days in (from, to], antisymmetrically', () => {
    expect(cal.countWorkingDays('2025-01-24', '2025-01-24')).toBe(0);
    expect(cal.countWorkingDays('2025-01-24', '2025-02-05')).toBe(3);
    expect(cal.countWorkingDays('2025-02-05', '2025-01-24')).toBe(-3);
    // 2025: 261 weekdays − 18 weekday holidays + 5 weekend 补班 = 248.
    expect(cal.countWorkingDays('2024-12-31', '2025-12-31')).toBe(248);
  });
  it('exposes working-hour intervals, half-open, empty on rest days', () => {
    expect(cal.workingIntervals('2025-01-26').map(([s, e]) => [cst(s), cst(e)])).toEqual([
      ['2025-01-26T08:30:00.000+08:00', '2025-01-26T12:00:00.000+08:00'],
      ['2025-01-26T13:30:00.000+08:00', '2025-01-26T17:30:00.000+08:00'],
    ]);
    expect(cal.workingIntervals('2025-01-28')).toEqual([]);
    expect(cal.isWorkingTime(new Date('2025-01-27T08:30:00+08:00'))).toBe(true);
    expect(cal.isWorkingTime(new Date('2025-01-27T12:00:00+08:00'))).toBe(false);
    expect(cal.isWorkingTime(new Date('2025-01-27T13:29:59+08:00'))).toBe(false);
    expect(cal.isWorkingTime(new Date('2025-01-27T17:29:59+08:00'))).toBe(true);
    expect(cal.isWorkingTime(new Date('2025-01-29T10:00:00+08:00'))).toBe(false);
  });
  it('lets a local announcement override national data (later list wins)', () => {
    const local: CalendarOverride[] = [{ date: '2025-01-27', kind: 'holiday', name: '菏泽 local' }];
    const merged = new WorkingCalendar(mergeCalendarOverrides(overrides, local));
    expect(merged.isWorkingDay('2025-01-27')).toBe(false);
    expect(merged.nextWorkingDay('2025-01-26')).toBe('2025-02-05');
    expect(merged.overrideFor('2025-01-27')?.name).toBe('菏泽 local');
  });
  it('works without overrides as a plain Mon–Fri calendar with default hours', () => {
    const plain = new WorkingCalendar();
    expect(plain.isWorkingDay('2025-01-28')).toBe(true);
    expect(plain.isWorkingDay('2025-01-26')).toBe(false);
    expect(plain.workingHours).toEqual(DEFAULT_WORKING_HOURS);
  });
});

describe('工作日历 输入校验 (invalid input → RangeError)', () => {
  it.each([
    '2025-02-29',
    '2025-13-01',
    '2025-00-10',
    '2025-01-32',
    '2025-1-5',
    '20250105',
    '',
    'abc',
    '2025-01-05T00:00',
  ])('rejects date %j', (bad) => {
    expect(() => cal.isWorkingDay(bad)).toThrow(RangeError);
    expect(() => cal.nextWorkingDay(bad)).toThrow(/Invalid local date/);
  });
  it('rejects non-string dates and invalid instants', () => {
    expect(() => cal.isWorkingDay(undefined as unknown as string)).toThrow(RangeError);
    expect(() => cal.localDate(new Date('nope'))).toThrow(RangeError);
    expect(() => cal.localDate('2025-01-01' as unknown as Date)).toThrow(RangeError);
  });
  it('rejects bad overrides', () => {
    expect(() => new WorkingCalendar([{ date: '2025-02-30', kind: 'holiday' }])).toThrow(RangeError);
    expect(() => new WorkingCalendar([{ date: '2025-02-03', kind: 'rest' as 'holiday' }])).toThrow(/kind/);
    expect(
      () =>
        new WorkingCalendar([
          { date: '2025-02-03', kind: 'holiday' },
          { date: '2025-02-03', kind: 'workday' },
        ]),
    ).toThrow(/Conflicting/);
    expect(
      new WorkingCalendar([
        { date: '2025-02-03', kind: 'holiday' },
        { date: '2025-02-03', kind: 'holiday' },
      ]).isWorkingDay('2025-02-03'),
    ).toBe(false);
  });
  it.each([
    [[]],
    [[['17:30', '08:30']]],
    [[['08:30', '08:30']]],
    [
      [
        ['08:30', '12:00'],
        ['11:00', '17:30'],
      ],
    ],
    [
      [
        ['13:30', '17:30'],
        ['08:30', '12:00'],
      ],
    ],
    [[['8:30', '12:00']]],
    [[['08:60', '12:00']]],
    [[['24:00', '24:00']]],
    [[['08:30', '24:01']]],
  ] as Array<[Array<[string, string]>]>)('rejects working hours %j', (intervals) => {
    expect(() => new WorkingCalendar([], { intervals })).toThrow(RangeError);
  });
  it('rejects bad working-day counts', () => {
    expect(() => cal.addWorkingDays('2025-01-24', -1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2025-01-24', 1.5)).toThrow(RangeError);
  });
  it('stops scanning instead of hanging when no working day exists', () => {
    const allOff = range('2025-01-01', '2036-12-31').map((date) => ({ date, kind: 'holiday' as const }));
    expect(() => new WorkingCalendar(allOff).nextWorkingDay('2025-01-01')).toThrow(/No working day/);
  });
});

describe('工作日历 与进程时区无关 (TZ independence)', () => {
  const original = process.env.TZ;
  afterEach(() => {
    if (original === undefined) delete process.env.TZ;
    else process.env.TZ = original;
  });
  it.each(['UTC', 'America/New_York', 'Pacific/Pago_Pago', 'Pacific/Kiritimati', 'Asia/Shanghai'])(
    'gives identical results under TZ=%s',
    (tz) => {
      process.env.TZ = tz;
      // Guard against a vacuous test: the TZ change must actually reach Date.
      const expectedOffset = {
        UTC: 0,
        'America/New_York': 300,
        'Pacific/Pago_Pago': 660,
        'Pacific/Kiritimati': -840,
        'Asia/Shanghai': -480,
      }[tz];
      expect(new Date('2025-01-15T00:00:00Z').getTimezoneOffset()).toBe(expectedOffset);
      const c = new WorkingCalendar(calendarOverridesFromChineseDays([2025, 2026]));
      expect(calendarOverridesFromChineseDays([2025, 2026])).toEqual(overrides);
      expect(c.localDate(new Date('2025-01-24T16:00:00Z'))).toBe('2025-01-25');
      expect(c.isWorkingDay('2025-01-26')).toBe(true);
      expect(c.addWorkingDays('2025-09-26', 10)).toBe('2025-10-16');
      expect(cst(c.endOfLocalDay('2026-10-10'))).toBe('2026-10-10T23:59:59.999+08:00');
    },
  );
});

describe('第八条 工作日历 未确认年份 (unconfirmedWithin)', () => {
  const c = new WorkingCalendar(overrides, undefined, { confirmedYears: [2025, 2026] });
  it('is false inside confirmed years and true as soon as the span touches an unconfirmed one', () => {
    expect(unconfirmedWithin(c, '2026-03-01', '2026-12-31')).toBe(false);
    expect(unconfirmedWithin(c, '2026-12-20', '2027-01-01')).toBe(true);
    expect(unconfirmedYearsWithin(c, '2026-12-20', '2028-01-05')).toEqual([2027, 2028]);
    expect(unconfirmedYearsWithin(c, '2024-12-31', '2025-01-02')).toEqual([2024]);
  });
  it('takes instants in China local time: 2026-12-31T16:00Z is already 2027-01-01 in Heze', () => {
    expect(unconfirmedWithin(c, new Date('2026-12-30T01:00:00Z'), new Date('2026-12-31T15:59:59Z'))).toBe(false);
    expect(unconfirmedWithin(c, new Date('2026-12-30T01:00:00Z'), new Date('2026-12-31T16:00:00Z'))).toBe(true);
  });
  it('accepts the span in either order and checks its dates', () => {
    expect(unconfirmedWithin(c, '2027-01-04', '2026-12-28')).toBe(true);
    expect(() => unconfirmedWithin(c, '2026-02-30', '2026-03-01')).toThrow(RangeError);
  });
  it('trusts every year when the calendar does not track coverage (pure computations, old callers)', () => {
    expect(unconfirmedWithin(cal, '2026-12-01', '2027-03-01')).toBe(false);
    expect(new WorkingCalendar([], undefined, { confirmedYears: [] }).isYearConfirmed(2026)).toBe(false);
  });
});
