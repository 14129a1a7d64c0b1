// 第二十七条 热点分析: the pure rules of the analytics rollup and of its comparisons (docs/analytics.md).
//
// A ticket counts once, on the local day it was created, at its region × category × channel × request type; what it
// counts for (closed, overdue, urgent) follows its state. The rollup keeps the "counted as" row of every ticket and
// moves the daily sums by the difference between what was counted and what the ticket is now.

// 'grid': 主动发现, a grid worker's own report (第二十九条), counted apart from citizens' requests (群众诉求)
export const ANALYTICS_CHANNELS = ['phone', 'sms', 'wechat', 'weibo', 'web', 'api', 'open311', 'grid'] as const;
export const ANALYTICS_REQUEST_TYPES = ['consult', 'help', 'complaint', 'report', 'suggestion', 'praise'] as const;
/** The measures a rollup row sums. */
export const ANALYTICS_MEASURES = ['tickets', 'closed', 'overdue', 'urgent'] as const;
export type AnalyticsMeasure = (typeof ANALYTICS_MEASURES)[number];
export type Measures = Record<AnalyticsMeasure, number>;

/** The key of a rollup row. */
export interface FactKey {
  day: string;
  regionCode: string;
  categoryId: number;
  channel: string;
  requestType: string;
}
/** What one ticket counts as: its key and its measures (tickets is always 1). */
export interface TicketFact extends FactKey {
  ticketId: number;
  measures: Measures;
}
export interface DailyDelta extends FactKey {
  measures: Measures;
}

export const keyOf = (k: FactKey) => `${k.day}|${k.regionCode}|${k.categoryId}|${k.channel}|${k.requestType}`;

/**
 * The moves of the daily sums that turn "counted as before" into "counts as now" for a set of tickets: the old rows
 * subtracted, the new ones added, summed per key; keys whose moves cancel out are left out.
 */
export function factDeltas(before: TicketFact[], after: TicketFact[]): DailyDelta[] {
  const sums = new Map<string, DailyDelta>();
  const add = (f: TicketFact, sign: 1 | -1) => {
    const k = keyOf(f);
    let d = sums.get(k);
    if (!d) {
      d = {
        day: f.day,
        regionCode: f.regionCode,
        categoryId: f.categoryId,
        channel: f.channel,
        requestType: f.requestType,
        measures: { tickets: 0, closed: 0, overdue: 0, urgent: 0 },
      };
      sums.set(k, d);
    }
    for (const m of ANALYTICS_MEASURES) d.measures[m] += sign * f.measures[m];
  };
  for (const f of before) add(f, -1);
  for (const f of after) add(f, 1);
  return [...sums.values()]
    .filter((d) => ANALYTICS_MEASURES.some((m) => d.measures[m] !== 0))
    .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
}

/** Whether two facts of the same ticket count the same. */
export function sameFact(a: TicketFact | undefined, b: TicketFact | undefined): boolean {
  if (!a || !b) return a === b;
  return keyOf(a) === keyOf(b) && ANALYTICS_MEASURES.every((m) => a.measures[m] === b.measures[m]);
}

// ---- dates ----------------------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
export const dayNum = (d: string) => Math.round(Date.parse(`${d}T00:00:00Z`) / DAY_MS);
export const dayStr = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
export const addDays = (d: string, n: number) => dayStr(dayNum(d) + n);
/** The same calendar day a year earlier (29 February falls back to the 28th). */
export function sameDayLastYear(d: string): string {
  const y = Number(d.slice(0, 4)) - 1;
  const md = d.slice(5);
  if (md === '02-29') return `${y}-02-28`;
  return `${y}-${md}`;
}

/** 第二十七条: at most this many days in one query (a screen sums rollups; three years is the longest view). */
export const MAX_SPAN_DAYS = 3 * 366;

export interface Period {
  from: string;
  to: string;
}
/** The previous period of the same length, ending the day before `from`. */
export function previousPeriod(p: Period): Period {
  const len = dayNum(p.to) - dayNum(p.from) + 1;
  return { from: addDays(p.from, -len), to: addDays(p.from, -1) };
}
/** The same dates a year earlier. */
export function lastYearPeriod(p: Period): Period {
  return { from: sameDayLastYear(p.from), to: sameDayLastYear(p.to) };
}

/**
 * A range split into whole calendar months (read from the monthly rollup) and the days at either end that do not
 * fill a month (read from the daily rollup): a year sums 12 month rows per key instead of 365 day rows.
 */
export function splitRange(p: Period): { months: Period | null; days: Period[] } {
  const firstMonth = p.from.endsWith('-01') ? p.from : nextMonthStart(p.from);
  const endExclusive = addDays(p.to, 1);
  const lastMonthEnd = endExclusive.endsWith('-01') ? endExclusive : monthStart(endExclusive);
  if (firstMonth >= lastMonthEnd) return { months: null, days: [p] };
  const days: Period[] = [];
  if (p.from < firstMonth) days.push({ from: p.from, to: addDays(firstMonth, -1) });
  if (lastMonthEnd <= p.to) days.push({ from: lastMonthEnd, to: p.to });
  return { months: { from: firstMonth, to: addDays(lastMonthEnd, -1) }, days };
}
export const monthStart = (d: string) => `${d.slice(0, 7)}-01`;
export function nextMonthStart(d: string): string {
  const y = Number(d.slice(0, 4));
  const m = Number(d.slice(5, 7));
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

export type Granularity = 'day' | 'week' | 'month';
/** The bucket a day falls in: the day, the Monday of its ISO week, or the first of its month. */
export function bucketOf(d: string, g: Granularity): string {
  if (g === 'day') return d;
  if (g === 'month') return monthStart(d);
  const n = dayNum(d);
  const dow = (n + 3) % 7; // 1970-01-01 was a Thursday: Monday = 0
  return dayStr(n - dow);
}
/** Every bucket of a period in order (a period's first and last buckets may be partial). */
export function bucketsOf(p: Period, g: Granularity): string[] {
  const out: string[] = [];
  let d = bucketOf(p.from, g);
  while (d <= p.to) {
    out.push(d);
    d = g === 'day' ? addDays(d, 1) : g === 'week' ? addDays(d, 7) : nextMonthStart(d);
  }
  return out;
}

// ---- comparisons ------------------------------------------------------------------------------------------------

/**
 * Below this base a percentage misleads more than it tells ("+10050 %" from 2 to 203 reads as a crisis, 1 to 3 as
 * +200 %): the screens show the counts and no ratio. The same threshold as the suppression of published counts.
 */
export const MIN_CHANGE_BASE = 5;

/** Change in per cent against a base (null when the base is under MIN_CHANGE_BASE: no meaningful ratio). */
export function changePct(current: number, base: number): number | null {
  if (base < MIN_CHANGE_BASE) return null;
  return Math.round(((current - base) / base) * 1000) / 10;
}

export interface RisingInput {
  key: string;
  current: number;
  previous: number;
}
/**
 * 第二十七条 风险预警: the matters that rose most against the previous period. Only those with at least `minCount`
 * tickets now count (a rise from 1 to 3 is noise); ordered by absolute increase, then by relative increase.
 */
export function topRising<T extends RisingInput>(rows: T[], minCount: number, limit: number): T[] {
  return rows
    .filter((r) => r.current >= minCount && r.current > r.previous)
    .sort(
      (a, b) =>
        b.current - b.previous - (a.current - a.previous) ||
        b.current / Math.max(b.previous, 1) - a.current / Math.max(a.previous, 1) ||
        (a.key < b.key ? -1 : 1),
    )
    .slice(0, limit);
}

// ---- the cube ---------------------------------------------------------------------------------------------------

/** Summed out: a cube row with channel (or request type) '*' counts every channel (type). */
export const ALL = '*';
export interface Grain {
  grain: number;
  period: 'day' | 'month';
  /** the region level rows are kept at (a deeper region counts at its ancestor of this level) */
  regionLevel: number;
  /** the category level rows are kept at */
  categoryLevel: number;
  /** whether rows per channel and per request type are kept too (else only the '*' × '*' rows) */
  variants: boolean;
}
/** The cube's grains (see migration 0031), each list smallest first: the first that answers is used. */
export const GRAINS: readonly Grain[] = [
  { grain: 3, period: 'day', regionLevel: 2, categoryLevel: 1, variants: true },
  { grain: 5, period: 'day', regionLevel: 2, categoryLevel: 2, variants: false },
  { grain: 1, period: 'day', regionLevel: 3, categoryLevel: 1, variants: false },
  { grain: 4, period: 'month', regionLevel: 2, categoryLevel: 1, variants: true },
  { grain: 2, period: 'month', regionLevel: 3, categoryLevel: 2, variants: true },
  { grain: 6, period: 'month', regionLevel: 4, categoryLevel: 2, variants: false },
];
export interface CubeDelta extends DailyDelta {
  grain: number;
}
/**
 * The cube's moves for the daily moves: every grain, with the region and category lifted to the grain's level, and
 * each with the channel and/or request type summed out as well (4 variants), summed per key.
 */
export function cubeDeltas(
  deltas: DailyDelta[],
  regionAt: (code: string, level: number) => string,
  categoryAt: (id: number, level: number) => number,
): CubeDelta[] {
  const out = new Map<string, CubeDelta>();
  for (const d of deltas)
    for (const g of GRAINS) {
      const day = g.period === 'day' ? d.day : monthStart(d.day);
      const regionCode = regionAt(d.regionCode, g.regionLevel);
      const categoryId = categoryAt(d.categoryId, g.categoryLevel);
      for (const channel of g.variants ? [d.channel, ALL] : [ALL])
        for (const requestType of g.variants ? [d.requestType, ALL] : [ALL]) {
          const k = `${g.grain}|${keyOf({ day, regionCode, categoryId, channel, requestType })}`;
          let c = out.get(k);
          if (!c) {
            c = {
              grain: g.grain,
              day,
              regionCode,
              categoryId,
              channel,
              requestType,
              measures: { tickets: 0, closed: 0, overdue: 0, urgent: 0 },
            };
            out.set(k, c);
          }
          for (const m of ANALYTICS_MEASURES) c.measures[m] += d.measures[m];
        }
    }
  return [...out.values()].filter((c) => ANALYTICS_MEASURES.some((m) => c.measures[m] !== 0));
}

/**
 * The smallest grains that still answer a query needing regions down to `regionLevel` and categories down to
 * `categoryLevel` (with a channel or type filter, only grains that keep them): a daily one and a monthly one, or null
 * where only the fine rollup does.
 */
export function grainsFor(
  regionLevel: number,
  categoryLevel: number,
  byChannelOrType = false,
): { day: number | null; month: number | null } {
  const fits = (g: Grain) =>
    regionLevel <= g.regionLevel && categoryLevel <= g.categoryLevel && (g.variants || !byChannelOrType);
  return {
    day: GRAINS.find((g) => g.period === 'day' && fits(g))?.grain ?? null,
    month: GRAINS.find((g) => g.period === 'month' && fits(g))?.grain ?? null,
  };
}
