/**
 * A year's holiday arrangement (节假日安排) as the State Council announces it: named holiday ranges and
 * make-up working days (调休上班). 第八条: deadlines are counted on this calendar, so a year nobody has entered
 * and confirmed must be visible, not silently counted as plain Monday–Friday.
 *
 * Pure and I/O-free: validation, conversion to/from calendar overrides, the import file format
 * (docs/calendar-import.md) and the coverage warning.
 */
import {
  addDays,
  calendarOverridesFromChineseDays,
  chineseDaysCoversYear,
  dayNumber,
  dayOfWeek,
  isWeekend,
  localDateOf,
  type CalendarOverride,
} from './calendar.js';

export interface HolidayRange {
  name: string;
  /** First and last day off, local dates YYYY-MM-DD, inclusive (weekends inside the range included). */
  from: string;
  to: string;
}

export interface MakeupDay {
  /** A Saturday or Sunday that is worked (调休上班). */
  date: string;
  /** The holiday it makes up for, e.g. 春节. */
  name?: string | null;
}

export interface YearArrangement {
  holidays: HolidayRange[];
  workdays: MakeupDay[];
}

/** One problem found in an arrangement or a file; `line` is 1-based in a text file. */
export interface ArrangementIssue {
  message: string;
  line?: number;
}

/** 第八条: how far ahead the calendar must be confirmed before we warn. */
export const COVERAGE_HORIZON_DAYS = 90;
/** No statutory holiday is this long; a longer range is a typing error. */
export const MAX_HOLIDAY_DAYS = 31;
const MAX_NAME = 50;
const DEFAULT_HOLIDAY_NAME = '节假日';
const WEEK = ['日', '一', '二', '三', '四', '五', '六'];
const WORKDAY_WORDS = new Set(['调休上班', '上班', '补班', '调休补班', '调休']);

function validDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  try {
    dayNumber(s);
    return true;
  } catch {
    return false;
  }
}

/** Every problem of an arrangement for `year`, in Chinese; empty when it can be confirmed. */

/** A date as the file wrote it; anything but a string is shown as JSON so the error names it. */
const dateText = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);
export function validateArrangement(year: number, arr: YearArrangement): ArrangementIssue[] {
  const issues: ArrangementIssue[] = [];
  const inYear = (d: string) => d.startsWith(`${year}-`);
  if (arr.holidays.length === 0) issues.push({ message: `请至少填写一个节假日（${year} 年至少有元旦）` });
  const ranges: HolidayRange[] = [];
  arr.holidays.forEach((h, i) => {
    const name = (h.name ?? '').trim();
    const label = name || `第 ${i + 1} 个节假日`;
    if (!name) issues.push({ message: `第 ${i + 1} 个节假日缺少名称` });
    else if (name.length > MAX_NAME)
      issues.push({ message: `节假日名称“${name.slice(0, 10)}…”不能超过 ${MAX_NAME} 个字` });
    let ok = true;
    for (const [what, d] of [
      ['开始日期', h.from],
      ['结束日期', h.to],
    ] as const) {
      if (!validDate(d)) {
        issues.push({ message: `${label}的${what}“${String(d ?? '')}”不是有效日期（格式 ${year}-02-06）` });
        ok = false;
      } else if (!inYear(d)) {
        issues.push({ message: `${label}的${what} ${d} 不在 ${year} 年内` });
        ok = false;
      }
    }
    if (!ok) return;
    const days = dayNumber(h.to) - dayNumber(h.from) + 1;
    if (days < 1) issues.push({ message: `${label}的结束日期 ${h.to} 早于开始日期 ${h.from}` });
    else if (days > MAX_HOLIDAY_DAYS)
      issues.push({ message: `${label}假期 ${days} 天，超过 ${MAX_HOLIDAY_DAYS} 天，请检查日期` });
    else ranges.push({ name: label, from: h.from, to: h.to });
  });
  const sorted = [...ranges].sort((a, b) => dayNumber(a.from) - dayNumber(b.from));
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (dayNumber(b.from) <= dayNumber(a.to))
      issues.push({ message: `${a.name}（${a.from} 至 ${a.to}）与${b.name}（${b.from} 至 ${b.to}）日期重叠` });
  }
  const seen = new Set<string>();
  for (const w of arr.workdays) {
    if (!validDate(w.date)) {
      issues.push({ message: `调休上班日“${String(w.date ?? '')}”不是有效日期（格式 ${year}-02-14）` });
      continue;
    }
    if (!inYear(w.date)) issues.push({ message: `调休上班日 ${w.date} 不在 ${year} 年内` });
    else if (seen.has(w.date)) issues.push({ message: `调休上班日 ${w.date} 重复` });
    else if (!isWeekend(w.date))
      issues.push({ message: `调休上班日 ${w.date} 是星期${WEEK[dayOfWeek(w.date)]}，本来就是工作日` });
    else {
      const inside = ranges.find((r) => dayNumber(r.from) <= dayNumber(w.date) && dayNumber(w.date) <= dayNumber(r.to));
      if (inside)
        issues.push({ message: `调休上班日 ${w.date} 落在${inside.name}假期（${inside.from} 至 ${inside.to}）内` });
    }
    if (w.name && w.name.trim().length > MAX_NAME)
      issues.push({ message: `调休上班日 ${w.date} 的名称不能超过 ${MAX_NAME} 个字` });
    seen.add(w.date);
  }
  return issues;
}

/** The per-day overrides of a (valid) arrangement: every day of each holiday range, and each make-up day. */
export function arrangementToOverrides(arr: YearArrangement): CalendarOverride[] {
  const out: CalendarOverride[] = [];
  for (const h of arr.holidays) {
    for (let d = h.from; dayNumber(d) <= dayNumber(h.to); d = addDays(d, 1))
      out.push({ date: d, kind: 'holiday', name: h.name.trim() });
  }
  for (const w of arr.workdays) {
    const name = w.name?.trim();
    out.push({ date: w.date, kind: 'workday', ...(name ? { name } : {}) });
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** Groups a year's overrides back into ranges: consecutive holiday days with the same name form one range. */
export function overridesToArrangement(overrides: readonly CalendarOverride[]): YearArrangement {
  const sorted = [...overrides].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const holidays: HolidayRange[] = [];
  const workdays: MakeupDay[] = [];
  for (const o of sorted) {
    if (o.kind === 'workday') {
      workdays.push({ date: o.date, name: o.name ?? null });
      continue;
    }
    const name = o.name?.trim() || DEFAULT_HOLIDAY_NAME;
    const last = holidays[holidays.length - 1];
    if (last && last.name === name && dayNumber(o.date) === dayNumber(last.to) + 1) last.to = o.date;
    else holidays.push({ name, from: o.date, to: o.date });
  }
  return { holidays, workdays };
}

/** The chinese-days ("内置数据") arrangement of a year, or null when the package has none. */
export function builtinArrangement(year: number): YearArrangement | null {
  return chineseDaysCoversYear(year) ? overridesToArrangement(calendarOverridesFromChineseDays([year])) : null;
}

/** Same days off and make-up days with the same names (order-insensitive). */
export function sameArrangement(a: YearArrangement, b: YearArrangement): boolean {
  const key = (x: YearArrangement) =>
    JSON.stringify(arrangementToOverrides(x).map((o) => [o.date, o.kind, o.name ?? '']));
  return key(a) === key(b);
}

// ---- import file -------------------------------------------------------------------------------------

const LOOSE_DATE = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/;

function normaliseDate(tok: string): string | null {
  const m = LOOSE_DATE.exec(tok);
  if (!m) return null;
  const d = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return validDate(d) ? d : null;
}

/**
 * The text format (docs/calendar-import.md), one line per holiday or per group of make-up days, in the order
 * of the State Council notice:
 *
 *   春节 2027-02-06 2027-02-13      name, first day off, last day off (one date for a single day)
 *   调休上班 2027-02-14              make-up working days (one or more), named after the holiday above
 *
 * `#` starts a comment; a line holding only a year (e.g. `2027`) must match the year being entered.
 */
export function parseArrangementText(
  year: number,
  text: string,
): { arrangement: YearArrangement; issues: ArrangementIssue[] } {
  const holidays: HolidayRange[] = [];
  const workdays: MakeupDay[] = [];
  const issues: ArrangementIssue[] = [];
  let lastHoliday: string | undefined;
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = i + 1;
    const body = raw
      .replace(/[#＃].*$/, '')
      .replace(/[，,；;：:\u3000\t]/g, ' ')
      .replace(/\s(至|到|~|～|—|－)\s|(?<=\d)(至|到|~|～|—)(?=\d)/g, ' ')
      .trim();
    if (!body) return;
    const tokens = body.split(/\s+/);
    if (tokens.length === 1 && /^\d{4}年?$/.test(tokens[0]!)) {
      const y = Number(tokens[0]!.slice(0, 4));
      if (y !== year) issues.push({ line, message: `第 ${line} 行：文件是 ${y} 年的安排，正在录入的是 ${year} 年` });
      return;
    }
    const [name, ...tail] = tokens as [string, ...string[]];
    const rest = tail
      .join(' ')
      .split(/[\s、]+/)
      .filter(Boolean);
    if (normaliseDate(name)) {
      issues.push({
        line,
        message: `第 ${line} 行：行首应为节假日名称或“调休上班”，如“春节 ${year}-02-06 ${year}-02-13”`,
      });
      return;
    }
    const dates: string[] = [];
    for (const tok of rest) {
      const d = normaliseDate(tok);
      if (!d) {
        issues.push({ line, message: `第 ${line} 行：“${tok.slice(0, 20)}”不是有效日期（格式 ${year}-02-06）` });
        return;
      }
      dates.push(d);
    }
    if (dates.length === 0) {
      issues.push({ line, message: `第 ${line} 行：“${name.slice(0, 20)}”后缺少日期` });
      return;
    }
    if (WORKDAY_WORDS.has(name)) {
      for (const date of dates) workdays.push({ date, name: lastHoliday ?? null });
      return;
    }
    if (dates.length > 2) {
      issues.push({
        line,
        message: `第 ${line} 行：节假日一行应为“名称 开始日期 结束日期”，调休上班日请另起一行以“调休上班”开头`,
      });
      return;
    }
    holidays.push({ name, from: dates[0]!, to: dates[1] ?? dates[0]! });
    lastHoliday = name;
  });
  return { arrangement: { holidays, workdays }, issues };
}

function parseArrangementJson(
  year: number,
  text: string,
): { arrangement: YearArrangement; issues: ArrangementIssue[] } {
  const empty = { holidays: [], workdays: [] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { arrangement: empty, issues: [{ message: 'JSON 文件格式不正确，无法解析' }] };
  }
  const obj = data as { year?: unknown; holidays?: unknown; workdays?: unknown };
  if (typeof data !== 'object' || data === null || !Array.isArray(obj.holidays)) {
    return {
      arrangement: empty,
      issues: [{ message: 'JSON 文件应为 {"year": …, "holidays": [{"name", "from", "to"}], "workdays": [日期…]}' }],
    };
  }
  const issues: ArrangementIssue[] = [];
  if (obj.year !== undefined && obj.year !== year)
    issues.push({ message: `文件是 ${JSON.stringify(obj.year)} 年的安排，正在录入的是 ${year} 年` });
  const holidays: HolidayRange[] = [];
  obj.holidays.forEach((h: unknown, i: number) => {
    const x = h as { name?: unknown; from?: unknown; to?: unknown; date?: unknown };
    if (typeof h !== 'object' || h === null || typeof x.name !== 'string') {
      issues.push({ message: `holidays 第 ${i + 1} 项应为 {"name": 名称, "from": 开始日期, "to": 结束日期}` });
      return;
    }
    const from = x.from ?? x.date;
    holidays.push({ name: x.name, from: dateText(from), to: dateText(x.to ?? from) });
  });
  const workdays: MakeupDay[] = [];
  const list = obj.workdays === undefined ? [] : obj.workdays;
  if (!Array.isArray(list)) issues.push({ message: 'workdays 应为调休上班日期的列表' });
  else {
    list.forEach((w: unknown, i: number) => {
      if (typeof w === 'string') workdays.push({ date: w, name: null });
      else if (typeof w === 'object' && w !== null && typeof (w as { date?: unknown }).date === 'string') {
        const name = (w as { name?: unknown }).name;
        workdays.push({ date: (w as { date: string }).date, name: typeof name === 'string' ? name : null });
      } else issues.push({ message: `workdays 第 ${i + 1} 项应为日期，如 "${year}-02-14"` });
    });
  }
  return { arrangement: { holidays, workdays }, issues };
}

/**
 * An uploaded file (JSON, or the text format) as an arrangement for `year`, with every problem found, the
 * arrangement's own validation included. Confirm only when `issues` is empty.
 */
export function parseArrangementFile(
  year: number,
  content: string,
): { arrangement: YearArrangement; issues: ArrangementIssue[] } {
  const text = content.replace(/^\uFEFF/, '');
  if (!text.trim()) return { arrangement: { holidays: [], workdays: [] }, issues: [{ message: '文件是空的' }] };
  const parsed = text.trimStart().startsWith('{') ? parseArrangementJson(year, text) : parseArrangementText(year, text);
  if (parsed.issues.length) return parsed;
  return { arrangement: parsed.arrangement, issues: validateArrangement(year, parsed.arrangement) };
}

// ---- coverage ----------------------------------------------------------------------------------------

export interface CalendarCoverage {
  today: string;
  horizonDays: number;
  /** Last local date looked at: today + horizonDays. */
  horizonEnd: string;
  /** Years touched by [today, horizonEnd] whose arrangement no admin has confirmed. */
  unconfirmedYears: number[];
  /** One Chinese sentence per unconfirmed year, for banners and the start-up log. */
  warnings: string[];
}

/** The warning for one unconfirmed year; `hasData`: the database holds days for it (built-in or set by hand). */
export function coverageWarning(year: number, today: string, hasData: boolean): string {
  const future = year > Number(today.slice(0, 4));
  if (!hasData) {
    return `${year} 年节假日安排尚未确认：截止日期${future ? '跨入' : '落在'} ${year} 年的工单按普通工作日计算，春节等节假日和调休不会计入。请管理员在“工作日历”中录入并确认 ${year} 年的安排。`;
  }
  return `${year} 年节假日安排尚未确认：时限按系统中现有的 ${year} 年数据计算，请管理员在“工作日历”中核对并确认。`;
}

/**
 * 第八条: warns while any date within the next `horizonDays` lies in a year whose holidays no admin has confirmed.
 */
export function calendarCoverage(
  now: Date,
  confirmedYears: Iterable<number>,
  yearsWithData: Iterable<number>,
  horizonDays = COVERAGE_HORIZON_DAYS,
): CalendarCoverage {
  const today = localDateOf(now);
  const horizonEnd = addDays(today, horizonDays);
  const confirmed = new Set(confirmedYears);
  const withData = new Set(yearsWithData);
  const unconfirmedYears: number[] = [];
  for (let y = Number(today.slice(0, 4)); y <= Number(horizonEnd.slice(0, 4)); y++)
    if (!confirmed.has(y)) unconfirmedYears.push(y);
  return {
    today,
    horizonDays,
    horizonEnd,
    unconfirmedYears,
    warnings: unconfirmedYears.map((y) => coverageWarning(y, today, withData.has(y))),
  };
}
