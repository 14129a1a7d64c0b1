import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { ForecastDetail } from '../db/schema-forecast.js';
import { localDateOf } from '../domain/calendar.js';
import { monthStart } from '../domain/analytics.js';
import { resolveDispatch, type CatalogueRule } from '../domain/dispatch-catalogue.js';
import { BACKFILL_MONTHS, HISTORY_MONTHS, addMonths, planForecast, reminderReason } from '../domain/forecast-plan.js';
import { loadTrees, type Tree, type Trees } from '../modules/analytics/analytics-tree.js';
import {
  SERIES_CATEGORY_LEVEL,
  SERIES_REGION_LEVEL,
  catalogueRules,
  insertForecasts,
  insertReminders,
  monthCells,
  monthsWithForecasts,
  rollupCaughtUp,
  type ForecastRow,
  type NewReminder,
} from '../modules/forecast/forecast.repository.js';

// 第二十八条(二) 预判季节性、周期性问题: the monthly forecast. Every pass checks (one index look-up) whether this month's
// and next month's forecasts — and those of the twelve months before, for the chart — are stored; the first pass of a
// new month (and the first at start-up) computes the missing ones from the analytics rollup's month cube, one series
// per county × matter, each with the model that did best in a backtest on its own past (domain/forecast.ts). The
// forecast of next month then tells each unit whose matters peak next month (预案提醒, once per unit × month).
// Months are stored once: what was expected for a month stays on record beside what came.

export type ForecastPassResult = {
  forecastRows: number;
  forecastReminders: number;
};

type Series = { regionCode: string; categoryId: number; counts: Map<string, number> };

/** The months first..last (first days), oldest first. */
function monthsBetween(first: string, last: string): string[] {
  const out: string[] = [];
  for (let m = first; m <= last; m = addMonths(m, 1)) out.push(m);
  return out;
}

async function loadSeries(db: Kysely<DB>, trees: Trees, from: string, to: string) {
  const series = new Map<string, Series>();
  let firstMonth: string | null = null;
  for (const c of await monthCells(db, from, to)) {
    if (c.tickets <= 0) continue;
    const regionCode = trees.regions.atLevel(c.regionCode, SERIES_REGION_LEVEL);
    const categoryId = trees.categories.atLevel(c.categoryId, SERIES_CATEGORY_LEVEL);
    const key = `${regionCode}|${categoryId}`;
    let s = series.get(key);
    if (!s) series.set(key, (s = { regionCode, categoryId, counts: new Map() }));
    s.counts.set(c.month, (s.counts.get(c.month) ?? 0) + c.tickets);
    if (firstMonth === null || c.month < firstMonth) firstMonth = c.month;
  }
  return { series: [...series.values()], firstMonth };
}

/** A series' counts for the months ending at `last` (at most HISTORY_MONTHS, never before the rollup's first month). */
function historyOf(s: Series, firstMonth: string, last: string): number[] {
  const from = addMonths(last, -(HISTORY_MONTHS - 1));
  return monthsBetween(from > firstMonth ? from : firstMonth, last).map((m) => s.counts.get(m) ?? 0);
}

/** The key followed by its ancestors, most specific first (the catalogue's chains). */
function chain<K extends string | number>(tree: Tree<K>, key: K): K[] {
  const out: K[] = [];
  for (let n = tree.nodes.get(key); n; n = n.parent === null ? undefined : tree.nodes.get(n.parent)) out.push(n.key);
  return out;
}

/**
 * 预案提醒: which unit answers for each series (the dispatch catalogue's lead unit for that matter in that county,
 * 第十二条), summed per unit; a unit is reminded when its forecast for `month` is markedly above its average month or
 * last year's same month was its busiest.
 */
function plannedReminders(
  trees: Trees,
  rules: CatalogueRule[],
  series: Series[],
  forecasts: Map<string, number>,
  month: string,
  current: string,
): NewReminder[] {
  const lastTwelveMonths = monthsBetween(addMonths(current, -12), addMonths(current, -1));
  const sameMonthLastYear = addMonths(month, -12);
  const perUnit = new Map<number, { expected: number; lastTwelve: number[]; details: ForecastDetail[] }>();
  for (const s of series) {
    const expected = forecasts.get(`${s.regionCode}|${s.categoryId}`);
    if (expected === undefined) continue;
    const resolution = resolveDispatch(rules, {
      categoryChain: chain(trees.categories, s.categoryId),
      regionChain: chain(trees.regions, s.regionCode),
    });
    if (!resolution) continue;
    let u = perUnit.get(resolution.leadUnitId);
    if (!u)
      perUnit.set(resolution.leadUnitId, (u = { expected: 0, lastTwelve: lastTwelveMonths.map(() => 0), details: [] }));
    u.expected += expected;
    lastTwelveMonths.forEach((m, i) => (u.lastTwelve[i]! += s.counts.get(m) ?? 0));
    const values = lastTwelveMonths.map((m) => s.counts.get(m) ?? 0);
    u.details.push({
      regionCode: s.regionCode,
      regionName: trees.regions.name(s.regionCode),
      categoryId: s.categoryId,
      categoryName: trees.categories.path(s.categoryId).join(' / '),
      expected,
      average: Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10,
      lastYear: s.counts.get(sameMonthLastYear) ?? 0,
    });
  }
  const out: NewReminder[] = [];
  for (const [unitId, u] of perUnit) {
    const lastYear = u.details.reduce((n, d) => n + d.lastYear, 0);
    const decided = reminderReason({ expected: u.expected, lastTwelve: u.lastTwelve, lastYear });
    if (!decided) continue;
    out.push({
      unitId,
      month,
      reason: decided.reason,
      expected: Math.round(u.expected * 10) / 10,
      average: decided.average,
      lastYear,
      details: u.details.sort((a, b) => b.expected - a.expected).slice(0, 8),
    });
  }
  return out;
}

/** The scheduler's pass (idempotent; several schedulers store each month once). */
export async function forecastPass(db: Kysely<DB>, now: Date): Promise<ForecastPassResult> {
  const none = { forecastRows: 0, forecastReminders: 0 };
  const current = monthStart(localDateOf(now));
  const next = addMonths(current, 1);
  const targets = [...monthsBetween(addMonths(current, -BACKFILL_MONTHS), current), next];
  const have = await monthsWithForecasts(db, targets);
  const missing = targets.filter((t) => !have.has(t));
  if (!missing.length) return none;
  // a history still being filled (the first start of a demo) would be forecast from a part of itself
  if (!(await rollupCaughtUp(db, new Date(now.getTime() - 5 * 60_000)))) return none;
  const trees = await loadTrees(db);
  const { series, firstMonth } = await loadSeries(
    db,
    trees,
    addMonths(current, -(BACKFILL_MONTHS + HISTORY_MONTHS)),
    addMonths(current, -1),
  );
  if (!firstMonth) return none;
  const rows: ForecastRow[] = [];
  const nextForecasts = new Map<string, number>();
  for (const period of missing) {
    // the history is every complete month before this one; next month is two steps ahead of it
    const horizon = period === next ? 2 : 1;
    const last = addMonths(period, -horizon);
    if (last < firstMonth) continue;
    for (const s of series) {
      const values = historyOf(s, firstMonth, last);
      if (!values.some((v) => v > 0)) continue;
      const plan = planForecast(values, horizon);
      if (!plan) continue;
      rows.push({
        period,
        regionCode: s.regionCode,
        categoryId: s.categoryId,
        model: plan.method,
        expected: plan.expected,
        lower: plan.lower,
        upper: plan.upper,
        backtestError: plan.backtestError,
        historyMonths: values.length,
      });
      if (period === next) nextForecasts.set(`${s.regionCode}|${s.categoryId}`, plan.expected);
    }
  }
  const rules = missing.includes(next)
    ? (await catalogueRules(db)).map((r): CatalogueRule => ({
        id: r.id,
        categoryId: r.category_id,
        regionCode: r.region_code,
        tier: r.tier,
        basis: r.basis,
        leadUnitId: r.lead_unit_id,
        assistUnitIds: r.assist_unit_ids,
        priority: r.priority,
        active: r.active,
      }))
    : [];
  const reminders = rules.length ? plannedReminders(trees, rules, series, nextForecasts, next, current) : [];
  return db.transaction().execute(async (trx) => ({
    forecastRows: await insertForecasts(trx, rows, now),
    forecastReminders: await insertReminders(trx, reminders, now),
  }));
}
