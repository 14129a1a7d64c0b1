/**
 * Deadline arithmetic for ticket steps (第八条 限时办结, 第二十条 全天候服务).
 *
 * Pure: the caller supplies every instant. All local-date logic goes through
 * WorkingCalendar, which uses a fixed UTC+08:00 offset.
 */
import { MAX_SCAN_DAYS, WorkingCalendar, addDays } from './calendar.js';

export type LimitUnit = 'working_days' | 'working_hours' | 'clock_hours';

export interface TimeLimit {
  amount: number;
  unit: LimitUnit;
}

const HOUR_MS = 3_600_000;

function assertInstant(d: Date, what: string): number {
  const t = d instanceof Date ? d.getTime() : NaN;
  if (!Number.isFinite(t)) throw new RangeError(`Invalid ${what}: expected a valid Date`);
  return t;
}

function assertLimit(limit: TimeLimit): void {
  const { amount, unit } = limit ?? ({} as TimeLimit);
  if (unit !== 'working_days' && unit !== 'working_hours' && unit !== 'clock_hours') {
    throw new RangeError(`Invalid time-limit unit ${JSON.stringify(unit)}`);
  }
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0) {
    throw new RangeError(`Time-limit amount must be a positive finite number, got ${String(amount)}`);
  }
  if (unit === 'working_days' && !Number.isInteger(amount)) {
    throw new RangeError(`A working_days limit must be a whole number of days, got ${amount}`);
  }
}

/**
 * When a step with `limit` started at `from` is due.
 *
 * - clock_hours: from + amount hours, round the clock (urgent tickets and
 *   24×7 utility units, 第二十条).
 * - working_days: Chinese administrative practice (cf. 行政许可法 第八十二条 /
 *   民法典 第二百零一条): the day of the event does not count; the period ends
 *   at the end of the N-th working day after from's local date. We return
 *   23:59:59.999 +08:00 of that day (not next midnight) so the due instant
 *   still lies on the deadline's own calendar date.
 * - working_hours: counted only inside the calendar's working-hour intervals
 *   on working days; if `from` is outside an interval, counting starts at the
 *   next interval start. A deadline that lands exactly on an interval end is
 *   returned as that end (e.g. 17:30), not as the next morning.
 */
export function computeDue(cal: WorkingCalendar, from: Date, limit: TimeLimit): Date {
  const start = assertInstant(from, 'start instant');
  assertLimit(limit);
  switch (limit.unit) {
    case 'clock_hours':
      return new Date(start + Math.round(limit.amount * HOUR_MS));
    case 'working_days':
      return cal.endOfLocalDay(cal.addWorkingDays(cal.localDate(from), limit.amount));
    case 'working_hours':
      return addWorkingTime(cal, start, Math.round(limit.amount * HOUR_MS));
  }
}

function addWorkingTime(cal: WorkingCalendar, start: number, ms: number): Date {
  let remaining = ms;
  let date = cal.localDate(new Date(start));
  for (let i = 0; i < MAX_SCAN_DAYS; i++, date = addDays(date, 1)) {
    for (const [s, e] of cal.workingIntervals(date)) {
      const end = e.getTime();
      if (end <= start) continue;
      const begin = Math.max(s.getTime(), start);
      if (remaining <= end - begin) return new Date(begin + remaining);
      remaining -= end - begin;
    }
  }
  throw new RangeError(`Working-hour deadline lies more than ${MAX_SCAN_DAYS} days ahead`);
}

/**
 * When to raise the "about to expire" warning (临期预警).
 *
 * - working_days: one working day before the deadline, i.e. the end of the
 *   working day preceding the due date; clamped to `from` so a 1-day limit
 *   never warns in the past.
 * - clock_hours / working_hours: when 25% of the wall-clock span remains,
 *   i.e. due − 0.25 × (due − from).
 */
export function computeWarnAt(cal: WorkingCalendar, from: Date, due: Date, limit: TimeLimit): Date {
  const start = assertInstant(from, 'start instant');
  const end = assertInstant(due, 'due instant');
  assertLimit(limit);
  if (end < start) throw new RangeError('Due instant precedes the start instant');
  if (limit.unit === 'working_days') {
    const warn = cal.endOfLocalDay(cal.previousWorkingDay(cal.localDate(due))).getTime();
    return new Date(Math.min(end, Math.max(warn, start)));
  }
  return new Date(end - Math.round(0.25 * (end - start)));
}

/**
 * Working days after a's local date up to and including b's local date.
 * Used for "at most 10 working days of extension in total" and the return
 * (回退) window. Antisymmetric: negative when b's date precedes a's.
 * Consistent with computeDue: workingDaysBetween(cal, from, computeDue(cal, from, {amount: n, unit: 'working_days'})) === n.
 */
export function workingDaysBetween(cal: WorkingCalendar, a: Date, b: Date): number {
  assertInstant(a, 'first instant');
  assertInstant(b, 'second instant');
  return cal.countWorkingDays(cal.localDate(a), cal.localDate(b));
}
