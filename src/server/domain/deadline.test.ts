import { describe, it, expect, afterEach } from 'vitest';
import { WorkingCalendar, calendarOverridesFromChineseDays } from './calendar.js';
import { computeDue, computeWarnAt, workingDaysBetween, type TimeLimit } from './deadline.js';

const cal = new WorkingCalendar(calendarOverridesFromChineseDays([2025, 2026]));
/** Instants are always written with an explicit +08:00 so the tests never read the process TZ. */
const t = (local: string) => new Date(`${local}+08:00`);
const cst = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
const days = (amount: number): TimeLimit => ({ amount, unit: 'working_days' });
const whours = (amount: number): TimeLimit => ({ amount, unit: 'working_hours' });
const hours = (amount: number): TimeLimit => ({ amount, unit: 'clock_hours' });
const eod = (date: string) => `${date}T23:59:59.999+08:00`;

describe('第八条 限时办结 — working_days (当日不计入, 至第N个工作日24时止)', () => {
  it.each([
    // 2025 春节: 01-25 Sat rest, 01-26 Sun 补班, 01-28..02-04 holiday, 02-08 Sat 补班
    ['2025-01-24T15:00:00', 1, '2025-01-26'],
    ['2025-01-24T15:00:00', 2, '2025-01-27'],
    ['2025-01-24T15:00:00', 3, '2025-02-05'],
    ['2025-01-24T15:00:00', 5, '2025-02-07'],
    ['2025-01-24T15:00:00', 6, '2025-02-08'],
    ['2025-01-24T15:00:00', 7, '2025-02-10'],
    ['2025-01-24T23:59:59', 1, '2025-01-26'], // still Friday locally (15:59Z)
    ['2025-01-25T00:00:00', 1, '2025-01-26'], // Saturday locally although still Friday in UTC
    ['2025-01-29T10:00:00', 1, '2025-02-05'], // received during the holiday
    // 2025 国庆·中秋: 09-28 Sun 补班, 10-01..08 holiday, 10-11 Sat 补班
    ['2025-09-26T09:00:00', 1, '2025-09-28'],
    ['2025-09-26T09:00:00', 10, '2025-10-16'],
    ['2025-09-30T17:00:00', 1, '2025-10-09'],
    ['2025-10-03T12:00:00', 1, '2025-10-09'],
    ['2025-10-09T08:00:00', 2, '2025-10-11'],
    // 2026 中秋 09-25..27, 国庆 10-01..07, 补班 09-20 Sun and 10-10 Sat
    ['2026-09-18T16:00:00', 1, '2026-09-20'],
    ['2026-09-24T16:00:00', 1, '2026-09-28'],
    ['2026-09-30T16:00:00', 1, '2026-10-08'],
    ['2026-09-30T16:00:00', 3, '2026-10-10'],
    ['2026-09-30T16:00:00', 4, '2026-10-12'],
  ])('from %s + %i working day(s) → end of %s', (from, n, dueDate) => {
    expect(cst(computeDue(cal, t(from), days(n)))).toBe(eod(dueDate));
  });
  it('returns the last millisecond of the local day (not next midnight)', () => {
    const due = computeDue(cal, t('2025-01-24T15:00:00'), days(1));
    expect(due.toISOString()).toBe('2025-01-26T15:59:59.999Z');
    expect(cal.localDate(due)).toBe('2025-01-26');
  });
  it('is consistent with workingDaysBetween for every start day of 2025–2026', () => {
    for (let d = t('2025-01-01T10:00:00'); d < t('2026-12-01T00:00:00'); d = new Date(d.getTime() + 86_400_000)) {
      for (const n of [1, 5, 10]) expect(workingDaysBetween(cal, d, computeDue(cal, d, days(n)))).toBe(n);
    }
  });
});

describe('第八条 限时办结 — working_hours (工作时间 08:30–12:00, 13:30–17:30)', () => {
  it.each([
    ['inside the morning', '2025-03-03T09:00:00', 2, '2025-03-03T11:00:00'],
    ['crossing lunch', '2025-03-03T11:00:00', 2, '2025-03-03T14:30:00'],
    ['starting in lunch', '2025-03-03T12:30:00', 1, '2025-03-03T14:30:00'],
    ['starting before opening', '2025-03-03T07:00:00', 1, '2025-03-03T09:30:00'],
    ['ending exactly at noon', '2025-03-03T08:30:00', 3.5, '2025-03-03T12:00:00'],
    ['a full 7.5h day', '2025-03-03T08:30:00', 7.5, '2025-03-03T17:30:00'],
    ['crossing the evening', '2025-03-03T17:00:00', 1, '2025-03-04T09:00:00'],
    ['starting after closing', '2025-03-03T18:00:00', 1, '2025-03-04T09:30:00'],
    ['starting at closing', '2025-03-03T17:30:00', 0.5, '2025-03-04T09:00:00'],
    ['crossing a weekend', '2025-03-07T17:00:00', 2, '2025-03-10T10:00:00'],
    ['starting on a weekend', '2025-03-08T10:00:00', 1, '2025-03-10T09:30:00'],
    ['fractional across lunch', '2025-03-03T11:50:00', 0.25, '2025-03-03T13:35:00'],
    ['several days', '2025-03-03T10:00:00', 16, '2025-03-05T11:00:00'], // 6h Mon + 7.5h Tue + 2.5h Wed
    ['into a 补班 Sunday (春节)', '2025-01-24T17:00:00', 1, '2025-01-26T09:00:00'],
    ['over the 春节 holiday', '2025-01-27T16:30:00', 2, '2025-02-05T09:30:00'],
    ['over 国庆·中秋 2025', '2025-09-30T16:30:00', 2, '2025-10-09T09:30:00'],
    ['over 国庆 2026', '2026-09-30T17:00:00', 1, '2026-10-08T09:00:00'],
  ])('%s: %s + %s working hours → %s', (_label, from, h, due) => {
    expect(cst(computeDue(cal, t(from), whours(h)))).toBe(`${due}.000+08:00`);
  });
  it('follows custom working hours (round-the-clock intervals on working days)', () => {
    const allDay = new WorkingCalendar(calendarOverridesFromChineseDays([2025]), { intervals: [['00:00', '24:00']] });
    expect(cst(computeDue(allDay, t('2025-03-03T20:00:00'), whours(10)))).toBe('2025-03-04T06:00:00.000+08:00');
    // Friday 20:00 + 10h: 4h Friday, weekend skipped, 6h Monday.
    expect(cst(computeDue(allDay, t('2025-03-07T20:00:00'), whours(10)))).toBe('2025-03-10T06:00:00.000+08:00');
  });
});

describe('第二十条 全天候服务 — clock_hours (不区分节假日)', () => {
  it.each([
    ['2025-09-30T10:00:00', 24, '2025-10-01T10:00:00'], // into National Day: holidays are ignored
    ['2025-01-24T23:30:00', 1, '2025-01-25T00:30:00'], // across local midnight
    ['2025-03-03T10:00:00', 0.5, '2025-03-03T10:30:00'],
    ['2025-03-03T10:00:00', 72, '2025-03-06T10:00:00'],
  ])('%s + %s h → %s', (from, h, due) => {
    expect(cst(computeDue(cal, t(from), hours(h)))).toBe(`${due}.000+08:00`);
  });
});

describe('临期预警 computeWarnAt', () => {
  it('working_days: end of the working day before the deadline', () => {
    const from = t('2025-01-24T15:00:00');
    const due3 = computeDue(cal, from, days(3)); // 02-05
    expect(cst(computeWarnAt(cal, from, due3, days(3)))).toBe(eod('2025-01-27'));
    const due1 = computeDue(cal, from, days(1)); // Sun 01-26 补班; previous working day is Fri 01-24
    expect(cst(computeWarnAt(cal, from, due1, days(1)))).toBe(eod('2025-01-24'));
    const from26 = t('2026-09-30T16:00:00');
    expect(cst(computeWarnAt(cal, from26, computeDue(cal, from26, days(2)), days(2)))).toBe(eod('2026-10-08'));
  });
  it('working_days: never warns before the step started', () => {
    const from = t('2025-01-25T10:00:00'); // Saturday; due Sun 01-26, previous working day Fri 01-24
    const due = computeDue(cal, from, days(1));
    expect(computeWarnAt(cal, from, due, days(1)).getTime()).toBe(from.getTime());
  });
  it('clock_hours and working_hours: when 25% of the span remains', () => {
    const from = t('2025-03-03T10:00:00');
    expect(cst(computeWarnAt(cal, from, computeDue(cal, from, hours(24)), hours(24)))).toBe(
      '2025-03-04T04:00:00.000+08:00',
    );
    const due = computeDue(cal, from, whours(2));
    expect(cst(due)).toBe('2025-03-03T12:00:00.000+08:00');
    expect(cst(computeWarnAt(cal, from, due, whours(2)))).toBe('2025-03-03T11:30:00.000+08:00');
  });
  it('rejects a due instant before the start', () => {
    expect(() => computeWarnAt(cal, t('2025-03-03T10:00:00'), t('2025-03-03T09:00:00'), hours(1))).toThrow(RangeError);
  });
});

describe('workingDaysBetween (延期累计不超过10个工作日 / 回退时限)', () => {
  it.each([
    ['2025-01-24T09:00:00', '2025-01-24T18:00:00', 0],
    ['2025-01-24T09:00:00', '2025-01-25T09:00:00', 0],
    ['2025-01-24T09:00:00', '2025-01-26T09:00:00', 1],
    ['2025-01-27T09:00:00', '2025-02-04T23:00:00', 0],
    ['2025-01-27T09:00:00', '2025-02-05T00:00:00', 1],
    ['2025-09-26T09:00:00', '2025-10-16T09:00:00', 10],
    ['2025-10-16T09:00:00', '2025-09-26T09:00:00', -10],
    ['2026-09-30T09:00:00', '2026-10-10T09:00:00', 3],
  ])('%s → %s = %i', (a, b, n) => {
    expect(workingDaysBetween(cal, t(a), t(b))).toBe(n);
  });
  it('supports the 10-working-day extension cap', () => {
    const originalDue = computeDue(cal, t('2025-09-26T09:00:00'), days(1)); // 09-28
    const extended = computeDue(cal, originalDue, days(10));
    expect(workingDaysBetween(cal, originalDue, extended)).toBe(10);
    expect(workingDaysBetween(cal, originalDue, computeDue(cal, originalDue, days(11)))).toBeGreaterThan(10);
  });
  it('rejects invalid instants', () => {
    expect(() => workingDaysBetween(cal, new Date(NaN), t('2025-01-01T00:00:00'))).toThrow(RangeError);
  });
});

describe('限时输入校验 (invalid limits → RangeError)', () => {
  const from = t('2025-03-03T10:00:00');
  it.each([
    [{ amount: 0, unit: 'working_days' }],
    [{ amount: -1, unit: 'clock_hours' }],
    [{ amount: Number.NaN, unit: 'working_hours' }],
    [{ amount: Number.POSITIVE_INFINITY, unit: 'clock_hours' }],
    [{ amount: 1.5, unit: 'working_days' }],
    [{ amount: '2', unit: 'working_days' }],
    [{ amount: 1, unit: 'calendar_days' }],
    [{ amount: 1 }],
  ] as Array<[TimeLimit]>)('rejects %j', (limit) => {
    expect(() => computeDue(cal, from, limit)).toThrow(RangeError);
    expect(() => computeWarnAt(cal, from, from, limit)).toThrow(RangeError);
  });
  it('rejects invalid start instants', () => {
    expect(() => computeDue(cal, new Date('garbage'), days(1))).toThrow(/start instant/);
    expect(() => computeDue(cal, '2025-03-03' as unknown as Date, hours(1))).toThrow(RangeError);
  });
  it('accepts fractional hours', () => {
    expect(cst(computeDue(cal, from, whours(1.5)))).toBe('2025-03-03T11:30:00.000+08:00');
  });
});

describe('期限计算 与进程时区无关 (TZ independence)', () => {
  const original = process.env.TZ;
  afterEach(() => {
    if (original === undefined) delete process.env.TZ;
    else process.env.TZ = original;
  });
  it.each(['UTC', 'America/New_York', 'Pacific/Pago_Pago', 'Pacific/Kiritimati'])('TZ=%s', (tz) => {
    process.env.TZ = tz;
    expect(new Date('2025-07-01T00:00:00Z').getTimezoneOffset()).not.toBe(-480);
    const c = new WorkingCalendar(calendarOverridesFromChineseDays([2025, 2026]));
    expect(cst(computeDue(c, t('2025-01-24T15:00:00'), days(1)))).toBe(eod('2025-01-26'));
    expect(cst(computeDue(c, t('2025-01-25T00:00:00'), days(1)))).toBe(eod('2025-01-26'));
    expect(cst(computeDue(c, t('2025-09-30T16:30:00'), whours(2)))).toBe('2025-10-09T09:30:00.000+08:00');
    expect(cst(computeDue(c, t('2026-09-30T16:00:00'), days(3)))).toBe(eod('2026-10-10'));
    expect(workingDaysBetween(c, t('2025-01-27T09:00:00'), t('2025-02-05T00:00:00'))).toBe(1);
  });
});
