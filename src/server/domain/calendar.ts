/**
 * Working calendar for the Heze 12345 hotline (第八条 限时办结).
 *
 * Deadlines are counted in working days / working hours of China Standard
 * Time. China has had no DST since 1991, so "local" is always UTC+08:00. All
 * arithmetic here is done on UTC epoch milliseconds shifted by that fixed
 * offset — never through Date's local-time getters — so results do not depend
 * on the process time zone (servers and CI often run with TZ=UTC).
 *
 * Pure and I/O-free: every function takes its instants as arguments.
 */
import { createRequire } from 'node:module';

export type CalendarDayKind = 'holiday' | 'workday';

/** A date whose working status differs from (or annotates) the plain Mon–Fri rule. */
export interface CalendarOverride {
  /** Local (UTC+8) calendar date, YYYY-MM-DD. */
  date: string;
  /** 'holiday': non-working even if a weekday; 'workday': working even if a weekend (调休补班). */
  kind: CalendarDayKind;
  name?: string;
}

/** Daily working-hour intervals, local time HH:MM, half-open [start, end). */
export interface WorkingHours {
  intervals: Array<[string, string]>;
}

export const DEFAULT_WORKING_HOURS: WorkingHours = {
  intervals: [
    ['08:30', '12:00'],
    ['13:30', '17:30'],
  ],
};

export const CHINA_UTC_OFFSET_MINUTES = 8 * 60;
const OFFSET_MS = CHINA_UTC_OFFSET_MINUTES * 60_000;
const DAY_MS = 86_400_000;
/** Upper bound on day-by-day scans so a pathological override list cannot hang the server. */
export const MAX_SCAN_DAYS = 3660;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})$/;

/** Days since 1970-01-01 for a validated YYYY-MM-DD string; throws RangeError otherwise. */
export function dayNumber(date: string): number {
  const m = typeof date === 'string' ? DATE_RE.exec(date) : null;
  if (!m) throw new RangeError(`Invalid local date ${JSON.stringify(date)}: expected YYYY-MM-DD`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // setUTCFullYear avoids Date.UTC's 0–99 → 1900s quirk.
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) {
    throw new RangeError(`Invalid local date ${JSON.stringify(date)}: no such calendar day`);
  }
  return Math.round(t.getTime() / DAY_MS);
}

export function fromDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return fromDayNumber(dayNumber(date) + days);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
  return (((dayNumber(date) + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

export function isWeekend(date: string): boolean {
  const dow = dayOfWeek(date);
  return dow === 0 || dow === 6;
}

function assertInstant(instant: Date, what = 'instant'): number {
  const t = instant instanceof Date ? instant.getTime() : NaN;
  if (!Number.isFinite(t)) throw new RangeError(`Invalid ${what}: expected a valid Date`);
  return t;
}

/** Local calendar date (UTC+8) of an instant. */
export function localDateOf(instant: Date): string {
  return fromDayNumber(Math.floor((assertInstant(instant) + OFFSET_MS) / DAY_MS));
}

/** Instant of local midnight + `minutes` on `date` (minutes may be 1440 = next midnight). */
export function localInstant(date: string, minutes = 0): Date {
  return new Date(dayNumber(date) * DAY_MS + minutes * 60_000 - OFFSET_MS);
}

function parseTime(s: string, allow24: boolean): number {
  const m = typeof s === 'string' ? TIME_RE.exec(s) : null;
  const h = m ? Number(m[1]) : NaN;
  const min = m ? Number(m[2]) : NaN;
  const ok = m !== null && min < 60 && (h < 24 || (allow24 && h === 24 && min === 0));
  if (!ok) throw new RangeError(`Invalid working-hours time ${JSON.stringify(s)}: expected HH:MM`);
  return h * 60 + min;
}

/**
 * Later lists win per date. Lets an administrator's local announcement
 * (e.g. an extra 菏泽 day off) override the national chinese-days data.
 */
export function mergeCalendarOverrides(...lists: CalendarOverride[][]): CalendarOverride[] {
  const byDate = new Map<string, CalendarOverride>();
  for (const list of lists) for (const o of list) byDate.set(o.date, o);
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** Which years' holiday arrangements (节假日安排) an admin has confirmed. */
export interface CalendarCoverageInput {
  confirmedYears: Iterable<number>;
}

export class WorkingCalendar {
  private readonly overrides = new Map<string, CalendarOverride>();
  /** Minutes since local midnight, sorted, non-overlapping. */
  private readonly intervals: ReadonlyArray<readonly [number, number]>;
  readonly workingHours: WorkingHours;
  /** Years whose holiday arrangement an admin has confirmed; null when coverage is not tracked (all years trusted). */
  private readonly confirmedYears: ReadonlySet<number> | null;

  constructor(
    overrides: readonly CalendarOverride[] = [],
    hours: WorkingHours = DEFAULT_WORKING_HOURS,
    coverage?: CalendarCoverageInput,
  ) {
    this.confirmedYears = coverage ? new Set(coverage.confirmedYears) : null;
    for (const o of overrides) {
      dayNumber(o.date);
      if (o.kind !== 'holiday' && o.kind !== 'workday') {
        throw new RangeError(`Invalid override kind ${JSON.stringify(o.kind)} for ${o.date}`);
      }
      const prev = this.overrides.get(o.date);
      // Silent last-wins would hide a data error; use mergeCalendarOverrides for intentional precedence.
      if (prev && prev.kind !== o.kind) {
        throw new RangeError(`Conflicting overrides for ${o.date}: ${prev.kind} vs ${o.kind}`);
      }
      if (!prev) this.overrides.set(o.date, { ...o });
    }
    if (!hours || !Array.isArray(hours.intervals) || hours.intervals.length === 0) {
      throw new RangeError('Working hours need at least one interval');
    }
    let lastEnd = -1;
    this.intervals = hours.intervals.map(([s, e]) => {
      const start = parseTime(s, false);
      const end = parseTime(e, true);
      if (end <= start) throw new RangeError(`Working-hours interval ${s}–${e} is empty or reversed`);
      if (start < lastEnd) throw new RangeError(`Working-hours interval ${s}–${e} overlaps or is out of order`);
      lastEnd = end;
      return [start, end] as const;
    });
    this.workingHours = { intervals: hours.intervals.map(([s, e]) => [s, e]) };
  }

  /**
   * 第八条: a deadline counted over a year whose holidays nobody has confirmed treats the Spring Festival as
   * ordinary working days. True when the calendar does not track coverage.
   */
  isYearConfirmed(year: number): boolean {
    return this.confirmedYears === null || this.confirmedYears.has(year);
  }

  /** The override for a date, if any. */
  overrideFor(date: string): CalendarOverride | undefined {
    dayNumber(date);
    const o = this.overrides.get(date);
    return o ? { ...o } : undefined;
  }

  /** Weekday and not a holiday, or a make-up workday (调休补班). */
  isWorkingDay(date: string): boolean {
    dayNumber(date);
    const o = this.overrides.get(date);
    return o ? o.kind === 'workday' : !isWeekend(date);
  }

  localDate(instant: Date): string {
    return localDateOf(instant);
  }

  startOfLocalDay(date: string): Date {
    return localInstant(date, 0);
  }

  /**
   * 23:59:59.999 local. We return the last millisecond of the day rather than
   * next midnight so that the instant's local date is still the deadline day
   * (displays and date-based queries then show the right day).
   */
  endOfLocalDay(date: string): Date {
    return new Date(localInstant(date, 24 * 60).getTime() - 1);
  }

  /** First working day strictly after `date`. */
  nextWorkingDay(date: string): string {
    return this.scan(date, 1);
  }

  /** Last working day strictly before `date`. */
  previousWorkingDay(date: string): string {
    return this.scan(date, -1);
  }

  /** The n-th working day after `date` (the start day itself never counts); n = 0 returns `date`. */
  addWorkingDays(date: string, n: number): string {
    if (!Number.isInteger(n) || n < 0)
      throw new RangeError(`Working-day count must be a non-negative integer, got ${n}`);
    let d = date;
    dayNumber(d);
    for (let i = 0; i < n; i++) d = this.nextWorkingDay(d);
    return d;
  }

  /** Working days in (from, to] — from exclusive, to inclusive. Negative when to < from. */
  countWorkingDays(from: string, to: string): number {
    const a = dayNumber(from);
    const b = dayNumber(to);
    if (b < a) return -this.countWorkingDays(to, from);
    let count = 0;
    for (let n = a + 1; n <= b; n++) if (this.isWorkingDay(fromDayNumber(n))) count++;
    return count;
  }

  /** Working-hour intervals of a local date as instants; empty on non-working days. */
  workingIntervals(date: string): Array<[Date, Date]> {
    if (!this.isWorkingDay(date)) return [];
    return this.intervals.map(([s, e]) => [localInstant(date, s), localInstant(date, e)]);
  }

  /** True if the instant lies inside a working-hour interval of a working day. */
  isWorkingTime(instant: Date): boolean {
    const t = assertInstant(instant);
    return this.workingIntervals(localDateOf(instant)).some(([s, e]) => s.getTime() <= t && t < e.getTime());
  }

  private scan(date: string, step: 1 | -1): string {
    let n = dayNumber(date);
    for (let i = 0; i < MAX_SCAN_DAYS; i++) {
      n += step;
      const d = fromDayNumber(n);
      if (this.isWorkingDay(d)) return d;
    }
    throw new RangeError(`No working day within ${MAX_SCAN_DAYS} days of ${date}`);
  }
}

/** Local year of a date or instant. */
function yearOf(at: Date | string): number {
  return Number((typeof at === 'string' ? (dayNumber(at), at) : localDateOf(at)).slice(0, 4));
}

/**
 * Years in the local-date span [from, to] (either order) whose holidays are not confirmed in `calendar`, ascending.
 * Years are contiguous, so checking each year touched is the same as checking each date.
 */
export function unconfirmedYearsWithin(calendar: WorkingCalendar, from: Date | string, to: Date | string): number[] {
  let a = yearOf(from);
  let b = yearOf(to);
  if (b < a) [a, b] = [b, a];
  const out: number[] = [];
  for (let y = a; y <= b; y++) if (!calendar.isYearConfirmed(y)) out.push(y);
  return out;
}

/** 第八条: true when any date from `from` to `to` lies in a year whose holiday arrangement is unconfirmed. */
export function unconfirmedWithin(calendar: WorkingCalendar, from: Date | string, to: Date | string): boolean {
  return unconfirmedYearsWithin(calendar, from, to).length > 0;
}

/**
 * chinese-days data. We read the package's bundled `dist/chinese-days.json`
 * (the same tables its API serves) instead of calling getDayDetail /
 * isWorkday at runtime: chinese-days 1.5.7 builds its lookup tables at import
 * time with process-local Date getters, so under e.g. TZ=America/New_York
 * every entry shifts one day earlier (2025-01-26 补班 reports as a rest day).
 * calendar.test.ts cross-checks this JSON against the API run in a child
 * process with TZ=Asia/Shanghai.
 */
interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
  inLieuDays: Record<string, string>;
}

let cdData: ChineseDaysData | undefined;
function chineseDaysData(): ChineseDaysData {
  // createRequire: JSON import attributes still warn as experimental on Node 20.
  cdData ??= createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData;
  return cdData;
}

/** chinese-days names look like "Spring Festival,春节,4"; keep the Chinese part. */
function cdName(raw: string): string | undefined {
  const parts = raw.split(',');
  return parts.length >= 3 && parts[1] ? parts[1] : undefined;
}

function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`Invalid year ${year}`);
}

/** True if chinese-days carries the State Council arrangement for `year` (every year has 元旦). */
export function chineseDaysCoversYear(year: number): boolean {
  assertYear(year);
  return Object.hasOwn(chineseDaysData().holidays, `${year}-01-01`);
}

/**
 * Statutory holidays (weekday or weekend, named e.g. 春节/国庆节) and weekend
 * make-up workdays (调休补班) for the given years, sorted by date. Plain
 * weekends are not overrides. Throws RangeError for a year chinese-days has no
 * data for: silently treating an unpublished year (the State Council announces
 * each year's arrangement around November) as holiday-free would produce
 * wrong legal deadlines.
 */
export function calendarOverridesFromChineseDays(years: number[]): CalendarOverride[] {
  const { holidays, workdays } = chineseDaysData();
  const out: CalendarOverride[] = [];
  for (const year of new Set(years)) {
    if (!chineseDaysCoversYear(year)) {
      throw new RangeError(`chinese-days has no holiday data for ${year}; add overrides manually`);
    }
    const prefix = `${year}-`;
    for (const [date, raw] of Object.entries(workdays)) {
      // Mirrors getDayDetail: a workday entry beats a holiday entry; on a weekday it changes nothing.
      if (!date.startsWith(prefix) || !(isWeekend(date) || Object.hasOwn(holidays, date))) continue;
      const name = cdName(raw);
      out.push({ date, kind: 'workday', ...(name ? { name } : {}) });
    }
    for (const [date, raw] of Object.entries(holidays)) {
      if (!date.startsWith(prefix) || Object.hasOwn(workdays, date)) continue;
      const name = cdName(raw);
      out.push({ date, kind: 'holiday', ...(name ? { name } : {}) });
    }
  }
  return mergeCalendarOverrides(out);
}
