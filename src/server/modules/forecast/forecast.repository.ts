import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { ForecastDetail, ForecastTables } from '../../db/schema-forecast.js';
import { ALL, grainsFor } from '../../domain/analytics.js';
import type { ForecastMethod } from '../../domain/forecast.js';
import type { ReminderReason } from '../../domain/forecast-plan.js';

// 第二十八条(二) 季节预测: the monthly history of every county × matter series (read from the analytics rollup's month
// cube, never from tickets), the stored forecasts, and the 预案提醒 rows.

export type ForecastDb = Kysely<DB & ForecastTables>;
export const forecastDb = (db: Kysely<DB>): ForecastDb => db.withTables<ForecastTables>();

/** Forecast series are kept per county (region level 2) × matter (category level 2). */
export const SERIES_REGION_LEVEL = 2;
export const SERIES_CATEGORY_LEVEL = 2;

export interface MonthCell {
  month: string;
  regionCode: string;
  categoryId: number;
  tickets: number;
}

/**
 * Ticket counts per month × region × category for months from..to (first days), all channels and types: the month
 * cube's grain that keeps counties and matters (towns × matters; a few thousand rows a month at ten million tickets).
 */
export async function monthCells(db: Kysely<DB>, from: string, to: string): Promise<MonthCell[]> {
  const grain = grainsFor(SERIES_REGION_LEVEL, SERIES_CATEGORY_LEVEL).month;
  const source =
    grain !== null
      ? sql`SELECT period AS month, region_code, category_id, tickets FROM analytics_cube
            WHERE grain = ${grain} AND channel = ${ALL} AND request_type = ${ALL}
              AND period >= ${from} AND period <= ${to}`
      : sql`SELECT month, region_code, category_id, tickets FROM analytics_monthly
            WHERE month >= ${from} AND month <= ${to}`;
  const r = await sql<{ month: string; region_code: string; category_id: number; tickets: number }>`
    SELECT month::text AS month, region_code, category_id, sum(tickets)::int AS tickets
    FROM (${source}) s GROUP BY 1, 2, 3`.execute(db);
  return r.rows.map((x) => ({
    month: String(x.month).slice(0, 10),
    regionCode: x.region_code,
    categoryId: Number(x.category_id),
    tickets: Number(x.tickets),
  }));
}

/** Whether the analytics rollup has read every event older than `before` (else a forecast would read a half-filled history). */
export async function rollupCaughtUp(db: Kysely<DB>, before: Date): Promise<boolean> {
  const r = await sql<{ behind: boolean }>`
    SELECT EXISTS (
      SELECT 1 FROM ticket_events e
      WHERE e.id > COALESCE((SELECT last_id FROM analytics_cursor WHERE name = 'ticket_events'), 0) AND e.at < ${before}
    ) AS behind`.execute(db);
  return !r.rows[0]?.behind;
}

/** The months (first days) among `months` that have forecasts already. */
export async function monthsWithForecasts(db: Kysely<DB>, months: string[]): Promise<Set<string>> {
  if (!months.length) return new Set();
  const rows = await sql<{ period: string }>`
    SELECT DISTINCT period::text AS period FROM forecasts WHERE period = ANY(${sql.val(months)}::date[])`.execute(db);
  return new Set(rows.rows.map((r) => String(r.period).slice(0, 10)));
}

export interface ForecastRow {
  period: string;
  regionCode: string;
  categoryId: number;
  model: ForecastMethod;
  expected: number;
  lower: number;
  upper: number;
  backtestError: number | null;
  historyMonths: number;
}

/** Stores a month's forecasts (a month already stored is left as it was: what was expected then stays on record). */
export async function insertForecasts(trx: Transaction<DB>, rows: ForecastRow[], now: Date): Promise<number> {
  let n = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const r = await forecastDb(trx)
      .insertInto('forecasts')
      .values(
        rows.slice(i, i + 500).map((x) => ({
          period: x.period,
          region_code: x.regionCode,
          category_id: x.categoryId,
          model: x.model,
          expected: x.expected,
          lower_bound: x.lower,
          upper_bound: x.upper,
          backtest_error: x.backtestError,
          history_months: x.historyMonths,
          computed_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(['period', 'region_code', 'category_id']).doNothing())
      .executeTakeFirst();
    n += Number(r.numInsertedOrUpdatedRows ?? 0);
  }
  return n;
}

/** Forecast rows of months from..to for the regions (county codes; null all) and categories (null all). */
export async function readForecasts(
  db: Kysely<DB>,
  f: { from: string; to: string; regionCodes: string[] | null; categoryIds: number[] | null },
): Promise<ForecastRow[]> {
  if (f.regionCodes?.length === 0 || f.categoryIds?.length === 0) return [];
  let q = forecastDb(db)
    .selectFrom('forecasts')
    .select([
      sql<string>`period::text`.as('period'),
      'region_code',
      'category_id',
      'model',
      'expected',
      'lower_bound',
      'upper_bound',
      'backtest_error',
      'history_months',
    ])
    .where('period', '>=', f.from)
    .where('period', '<=', f.to);
  if (f.regionCodes) q = q.where('region_code', 'in', f.regionCodes);
  if (f.categoryIds) q = q.where('category_id', 'in', f.categoryIds);
  const rows = await q.execute();
  return rows.map((r) => ({
    period: String(r.period).slice(0, 10),
    regionCode: r.region_code,
    categoryId: r.category_id,
    model: r.model,
    expected: Number(r.expected),
    lower: Number(r.lower_bound),
    upper: Number(r.upper_bound),
    backtestError: r.backtest_error === null ? null : Number(r.backtest_error),
    historyMonths: r.history_months,
  }));
}

// ---- 预案提醒 ----------------------------------------------------------------------------------------------------

export interface NewReminder {
  unitId: number;
  month: string;
  reason: ReminderReason;
  expected: number;
  average: number;
  lastYear: number | null;
  details: ForecastDetail[];
}

/** Inserts the reminders that do not exist yet (a unit is reminded of a month once). Returns how many were new. */
export async function insertReminders(trx: Transaction<DB>, rows: NewReminder[], now: Date): Promise<number> {
  if (!rows.length) return 0;
  const r = await forecastDb(trx)
    .insertInto('forecast_reminders')
    .values(
      rows.map((x) => ({
        unit_id: x.unitId,
        month: x.month,
        reason: x.reason,
        expected: x.expected,
        average: x.average,
        last_year: x.lastYear,
        details: JSON.stringify(x.details),
        created_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(['unit_id', 'month']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0);
}

const REMINDER_COLUMNS = [
  'r.id',
  'r.unit_id',
  sql<string>`r.month::text`.as('month'),
  'r.reason',
  'r.expected',
  'r.average',
  'r.last_year',
  'r.details',
  'r.created_at',
  'r.acknowledged_at',
  'u.name as unit_name',
  'ack.display_name as acknowledged_by_name',
] as const;

/** A unit's reminders (or every unit's, for the centre), newest month first; at most `limit`. */
export async function listReminders(db: Kysely<DB>, f: { unitIds: number[] | null; limit: number }) {
  if (f.unitIds?.length === 0) return [];
  let q = forecastDb(db)
    .selectFrom('forecast_reminders as r')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .leftJoin('users as ack', 'ack.id', 'r.acknowledged_by')
    .select(REMINDER_COLUMNS)
    .orderBy('r.month', 'desc')
    .orderBy('r.id', 'desc')
    .limit(f.limit);
  if (f.unitIds) q = q.where('r.unit_id', 'in', f.unitIds);
  return q.execute();
}

export async function reminderForUpdate(trx: Transaction<DB>, id: number) {
  return forecastDb(trx)
    .selectFrom('forecast_reminders')
    .select(['id', 'unit_id', sql<string>`month::text`.as('month'), 'acknowledged_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function acknowledgeReminder(trx: Transaction<DB>, id: number, userId: number, now: Date) {
  await forecastDb(trx)
    .updateTable('forecast_reminders')
    .set({ acknowledged_at: now, acknowledged_by: userId })
    .where('id', '=', id)
    .execute();
}

/** The active catalogue rules (第十二条 派单目录): which unit leads which matter where. */
export async function catalogueRules(db: Kysely<DB>) {
  return db
    .selectFrom('catalogue_rules')
    .select([
      'id',
      'category_id',
      'region_code',
      'tier',
      'basis',
      'lead_unit_id',
      'assist_unit_ids',
      'priority',
      'active',
    ])
    .where('active', '=', true)
    .execute();
}
