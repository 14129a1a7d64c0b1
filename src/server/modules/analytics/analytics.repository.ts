import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { AnalyticsTables } from '../../db/schema-analytics.js';
import { localDateOf } from '../../domain/calendar.js';
import { loadTrees } from './analytics-tree.js';
import {
  ALL,
  ANALYTICS_MEASURES,
  addDays,
  cubeDeltas,
  grainsFor,
  dayNum,
  factDeltas,
  monthStart,
  sameFact,
  splitRange,
  type CubeDelta,
  type DailyDelta,
  type Measures,
  type Period,
  type TicketFact,
} from '../../domain/analytics.js';

// 第二十七条 热点分析: the rollup's storage and the reads every analytics screen is built from (docs/analytics.md).
//
// Reusable API (for spike detection, seasonal forecasts and any other figure over ticket volumes):
//
//   dailySeries(db, filter)  → one row per day of filter.from..filter.to (zeros included), summing the tickets
//                              created that local day in the region subtree × category subtree × channel × type.
//   sumsBy(db, filter, by)   → the same sums over the whole period, grouped by region code and/or category id
//                              (whole months read the monthly rollup, the days at either end the daily one).
//
// A filter names region codes and category ids already resolved to their subtrees (the service does that with the
// small regions/categories tables: Tree in analytics-tree.ts), or null for "all", and optionally the finest region and
// category levels the caller will look at: the reads then use the coarsest rollup that answers (analytics_cube: towns
// or counties, matter groups, channel/type summed out), else the fine analytics_daily / analytics_monthly. Nothing
// here reads tickets: every figure sums rollup rows maintained by refreshAnalyticsFacts (jobs/analytics-rollup.ts).

export type AnalyticsDb = Kysely<DB & AnalyticsTables>;
export const analyticsDb = (db: Kysely<DB>): AnalyticsDb => db.withTables<AnalyticsTables>();

export interface VolumeFilter extends Period {
  /** region codes (a subtree, resolved); null: every region */
  regionCodes: string[] | null;
  /** category ids (a subtree, resolved); null: every category */
  categoryIds: number[] | null;
  channel?: string | null;
  requestType?: string | null;
  /** the finest region level the caller needs (filter and grouping; 1 city … 4 grid); omitted: any (fine rollup) */
  regionLevel?: number;
  /** the finest category level the caller needs (0 none … 3); omitted: any (fine rollup) */
  categoryLevel?: number;
}
export type SumRow = Measures & { regionCode: string; categoryId: number };
export type DayRow = Measures & { day: string };

const num = (v: unknown) => Number(v ?? 0);
const measuresOf = (r: Record<string, unknown>): Measures => ({
  tickets: num(r.tickets),
  closed: num(r.closed),
  overdue: num(r.overdue),
  urgent: num(r.urgent),
});

/** The cube grains that answer this filter (null: the fine analytics_daily / analytics_monthly). */
function grainsOf(f: VolumeFilter): { day: number | null; month: number | null } {
  if (f.regionLevel === undefined || f.categoryLevel === undefined) return { day: null, month: null };
  return grainsFor(f.regionLevel, f.categoryLevel, !!(f.channel || f.requestType));
}

function conditions(
  f: VolumeFilter,
  dayCol: 'day' | 'month' | 'period',
  p: Period,
  grain?: number,
): RawBuilder<unknown> {
  const c: RawBuilder<unknown>[] = [];
  if (grain !== undefined)
    c.push(sql`grain = ${grain}`, sql`channel = ${f.channel ?? ALL}`, sql`request_type = ${f.requestType ?? ALL}`);
  c.push(sql`${sql.ref(dayCol)} >= ${p.from}`, sql`${sql.ref(dayCol)} <= ${p.to}`);
  if (f.regionCodes) c.push(sql`region_code = ANY(${sql.val(f.regionCodes)}::text[])`);
  if (f.categoryIds) c.push(sql`category_id = ANY(${sql.val(f.categoryIds)}::int[])`);
  if (grain === undefined && f.channel) c.push(sql`channel = ${f.channel}`);
  if (grain === undefined && f.requestType) c.push(sql`request_type = ${f.requestType}`);
  return sql.join(c, sql` AND `);
}

const COLS = sql.raw('region_code, category_id, tickets, closed, overdue, urgent');

/** The rollup rows of a period: whole months from a monthly rollup, the remaining days from a daily one. */
function rangeSource(f: VolumeFilter): RawBuilder<unknown> {
  const split = splitRange(f);
  const g = grainsOf(f);
  const parts: RawBuilder<unknown>[] = [];
  if (split.months)
    parts.push(
      g.month !== null
        ? sql`SELECT ${COLS} FROM analytics_cube WHERE ${conditions(f, 'period', split.months, g.month)}`
        : sql`SELECT ${COLS} FROM analytics_monthly WHERE ${conditions(f, 'month', split.months)}`,
    );
  for (const d of split.days)
    parts.push(
      g.day !== null
        ? sql`SELECT ${COLS} FROM analytics_cube WHERE ${conditions(f, 'period', d, g.day)}`
        : sql`SELECT ${COLS} FROM analytics_daily WHERE ${conditions(f, 'day', d)}`,
    );
  return sql.join(parts, sql` UNION ALL `);
}

/** The period's sums grouped by region and/or category (both: the heat table's cells). */
export async function sumsBy(
  db: Kysely<DB>,
  f: VolumeFilter,
  by: { region: boolean; category: boolean },
): Promise<SumRow[]> {
  if (f.regionCodes?.length === 0 || f.categoryIds?.length === 0) return [];
  const region = by.region ? sql.raw('region_code') : sql.raw(`''`);
  const category = by.category ? sql.raw('category_id') : sql.raw('0');
  const r = await sql<Record<string, unknown>>`
    SELECT ${region} AS region_code, ${category} AS category_id,
      sum(tickets) AS tickets, sum(closed) AS closed, sum(overdue) AS overdue, sum(urgent) AS urgent
    FROM (${rangeSource(f)}) s
    GROUP BY 1, 2`.execute(db);
  return r.rows.map((row) => ({
    regionCode: String(row.region_code),
    categoryId: Number(row.category_id),
    ...measuresOf(row),
  }));
}

/** One row per day of the period (days without tickets give zeros), from the daily rollup. */
export async function dailySeries(db: Kysely<DB>, f: VolumeFilter): Promise<DayRow[]> {
  const byDay = new Map<string, Measures>();
  if (f.regionCodes?.length !== 0 && f.categoryIds?.length !== 0) {
    const day = grainsOf(f).day;
    const from =
      day !== null
        ? sql`SELECT period AS day, tickets, closed, overdue, urgent FROM analytics_cube WHERE ${conditions(f, 'period', f, day)}`
        : sql`SELECT day, tickets, closed, overdue, urgent FROM analytics_daily WHERE ${conditions(f, 'day', f)}`;
    const r = await sql<Record<string, unknown>>`
      SELECT day::text AS day, sum(tickets) AS tickets, sum(closed) AS closed, sum(overdue) AS overdue,
        sum(urgent) AS urgent
      FROM (${from}) s
      GROUP BY day`.execute(db);
    for (const row of r.rows) byDay.set(String(row.day).slice(0, 10), measuresOf(row));
  }
  const out: DayRow[] = [];
  for (let n = dayNum(f.from); n <= dayNum(f.to); n++) {
    const day = addDays(f.from, n - dayNum(f.from));
    out.push({ day, ...(byDay.get(day) ?? { tickets: 0, closed: 0, overdue: 0, urgent: 0 }) });
  }
  return out;
}

/** One row per month that has tickets (the month's first day), whole months only (monthly rollup). */
export async function monthlySeries(db: Kysely<DB>, f: VolumeFilter): Promise<DayRow[]> {
  if (f.regionCodes?.length === 0 || f.categoryIds?.length === 0) return [];
  const month = grainsOf(f).month;
  const from =
    month !== null
      ? sql`SELECT period AS month, tickets, closed, overdue, urgent FROM analytics_cube WHERE ${conditions(f, 'period', f, month)}`
      : sql`SELECT month, tickets, closed, overdue, urgent FROM analytics_monthly WHERE ${conditions(f, 'month', f)}`;
  const r = await sql<Record<string, unknown>>`
    SELECT month::text AS day, sum(tickets) AS tickets, sum(closed) AS closed, sum(overdue) AS overdue,
      sum(urgent) AS urgent
    FROM (${from}) s
    GROUP BY month`.execute(db);
  return r.rows.map((row) => ({ day: String(row.day).slice(0, 10), ...measuresOf(row) }));
}

export interface DrillRow {
  ticketId: number;
  day: string;
  regionCode: string;
  categoryId: number;
  channel: string;
  requestType: string;
}
/** The tickets behind a figure: newest first, keyset by (day, ticket id). */
export async function drillTickets(
  db: Kysely<DB>,
  f: VolumeFilter,
  after: { day: string; ticketId: number } | null,
  limit: number,
): Promise<DrillRow[]> {
  if (f.regionCodes?.length === 0 || f.categoryIds?.length === 0) return [];
  const keyset = after ? sql`AND (day, ticket_id) < (${after.day}::date, ${after.ticketId})` : sql``;
  const page = (where: RawBuilder<unknown>) => sql`
    SELECT ticket_id, day, region_code, category_id, channel, request_type
    FROM analytics_ticket_facts
    WHERE ${where} ${keyset}
    ORDER BY day DESC, ticket_id DESC
    LIMIT ${limit}`;
  // a region subtree: one backward walk of (region_code, day, ticket_id) per code, each stopping after a page, merged —
  // instead of collecting every ticket of the subtree's period to sort them
  const source =
    f.regionCodes && f.regionCodes.length <= 300
      ? sql.join(
          f.regionCodes.map(
            (code) =>
              sql`(${page(sql`${conditions({ ...f, regionCodes: null }, 'day', f)} AND region_code = ${code}`)})`,
          ),
          sql` UNION ALL `,
        )
      : page(conditions(f, 'day', f));
  const r = await sql<Record<string, unknown>>`
    SELECT ticket_id, day::text AS day, region_code, category_id, channel, request_type
    FROM (${source}) s
    ORDER BY s.day DESC, s.ticket_id DESC
    LIMIT ${limit}`.execute(db);
  return r.rows.map((row) => ({
    ticketId: Number(row.ticket_id),
    day: String(row.day).slice(0, 10),
    regionCode: String(row.region_code),
    categoryId: Number(row.category_id),
    channel: String(row.channel),
    requestType: String(row.request_type),
  }));
}

// ---- maintenance (inside the rollup's transaction) --------------------------------------------------------------

/** What the tickets count as now: their creation day, region, category, channel, type and state. */
async function currentFacts(trx: Transaction<DB>, ids: number[]): Promise<TicketFact[]> {
  const rows = await trx
    .selectFrom('tickets as t')
    .select([
      't.id',
      't.created_at',
      't.region_code',
      't.category_id',
      't.channel',
      't.request_type',
      't.status',
      't.urgency',
      sql<boolean>`EXISTS (SELECT 1 FROM deadlines d WHERE d.ticket_id = t.id AND d.breached_at IS NOT NULL)`.as(
        'overdue',
      ),
    ])
    .where('t.id', 'in', ids)
    .execute();
  return rows.map((t) => ({
    ticketId: Number(t.id),
    day: localDateOf(new Date(t.created_at)),
    regionCode: t.region_code,
    categoryId: t.category_id,
    channel: t.channel,
    requestType: t.request_type,
    measures: {
      tickets: 1,
      closed: t.status === 'closed' ? 1 : 0,
      overdue: t.overdue ? 1 : 0,
      urgent: t.urgency === 'urgent' ? 1 : 0,
    },
  }));
}

/** What the tickets were counted as (rows locked, so two passes over one ticket wait for each other). */
async function storedFacts(trx: Transaction<DB>, ids: number[]): Promise<TicketFact[]> {
  const rows = await trx
    .withTables<AnalyticsTables>()
    .selectFrom('analytics_ticket_facts')
    .select([
      'ticket_id',
      sql<string>`day::text`.as('day'),
      'region_code',
      'category_id',
      'channel',
      'request_type',
      'closed',
      'overdue',
      'urgent',
    ])
    .where('ticket_id', 'in', ids)
    .forUpdate()
    .execute();
  return rows.map((r) => ({
    ticketId: Number(r.ticket_id),
    day: String(r.day).slice(0, 10),
    regionCode: r.region_code,
    categoryId: r.category_id,
    channel: r.channel,
    requestType: r.request_type,
    measures: { tickets: 1, closed: Number(r.closed), overdue: Number(r.overdue), urgent: Number(r.urgent) },
  }));
}

const CHUNK = 500;

async function moveSums(trx: Transaction<DB>, table: 'analytics_daily' | 'analytics_monthly', deltas: DailyDelta[]) {
  const dayCol = table === 'analytics_daily' ? 'day' : 'month';
  for (let i = 0; i < deltas.length; i += CHUNK) {
    const values = deltas
      .slice(i, i + CHUNK)
      .map(
        (d) =>
          sql`(${d.day}::date, ${d.regionCode}, ${d.categoryId}::int, ${d.channel}, ${d.requestType}, ${d.measures.tickets}::int, ${d.measures.closed}::int, ${d.measures.overdue}::int, ${d.measures.urgent}::int)`,
      );
    const set = sql.join(
      ANALYTICS_MEASURES.map((m) => sql`${sql.raw(m)} = ${sql.raw(table)}.${sql.raw(m)} + excluded.${sql.raw(m)}`),
    );
    await sql`
      INSERT INTO ${sql.raw(table)} (${sql.raw(dayCol)}, region_code, category_id, channel, request_type, tickets, closed, overdue, urgent)
      VALUES ${sql.join(values)}
      ON CONFLICT (${sql.raw(dayCol)}, region_code, category_id, channel, request_type) DO UPDATE SET ${set}`.execute(
      trx,
    );
  }
}

async function moveCube(trx: Transaction<DB>, deltas: CubeDelta[]) {
  const set = sql.join(
    ANALYTICS_MEASURES.map((m) => sql`${sql.raw(m)} = analytics_cube.${sql.raw(m)} + excluded.${sql.raw(m)}`),
  );
  for (let i = 0; i < deltas.length; i += CHUNK) {
    const values = deltas
      .slice(i, i + CHUNK)
      .map(
        (d) =>
          sql`(${d.grain}::smallint, ${d.channel}, ${d.requestType}, ${d.day}::date, ${d.regionCode}, ${d.categoryId}::int, ${d.measures.tickets}::int, ${d.measures.closed}::int, ${d.measures.overdue}::int, ${d.measures.urgent}::int)`,
      );
    await sql`
      INSERT INTO analytics_cube (grain, channel, request_type, period, region_code, category_id, tickets, closed, overdue, urgent)
      VALUES ${sql.join(values)}
      ON CONFLICT (grain, channel, request_type, period, region_code, category_id) DO UPDATE SET ${set}`.execute(trx);
  }
}

/** The day deltas summed per month (the monthly rollup moves with the daily one). */
function monthDeltas(deltas: DailyDelta[]): DailyDelta[] {
  const m = new Map<string, DailyDelta>();
  for (const d of deltas) {
    const month = monthStart(d.day);
    const k = `${month}|${d.regionCode}|${d.categoryId}|${d.channel}|${d.requestType}`;
    const cur = m.get(k);
    if (!cur) m.set(k, { ...d, day: month, measures: { ...d.measures } });
    else for (const x of ANALYTICS_MEASURES) cur.measures[x] += d.measures[x];
  }
  return [...m.values()].filter((d) => ANALYTICS_MEASURES.some((x) => d.measures[x] !== 0));
}

/**
 * Recomputes what the tickets count as and moves the daily and monthly sums by the difference (one transaction, the
 * caller's). Returns how many tickets changed what they count as.
 */
export async function refreshAnalyticsFacts(trx: Transaction<DB>, ids: number[]): Promise<number> {
  if (ids.length === 0) return 0;
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const before = await storedFacts(trx, sorted);
  const after = await currentFacts(trx, sorted);
  const beforeById = new Map(before.map((f) => [f.ticketId, f]));
  const afterById = new Map(after.map((f) => [f.ticketId, f]));
  const changed = sorted.filter((id) => !sameFact(beforeById.get(id), afterById.get(id)));
  if (changed.length === 0) return 0;
  const changedSet = new Set(changed);
  const deltas = factDeltas(
    before.filter((f) => changedSet.has(f.ticketId)),
    after.filter((f) => changedSet.has(f.ticketId)),
  );
  const adb = trx.withTables<AnalyticsTables>();
  await adb.deleteFrom('analytics_ticket_facts').where('ticket_id', 'in', changed).execute();
  const rows = after
    .filter((f) => changedSet.has(f.ticketId))
    .map((f) => ({
      ticket_id: f.ticketId,
      day: f.day,
      region_code: f.regionCode,
      category_id: f.categoryId,
      channel: f.channel,
      request_type: f.requestType,
      closed: f.measures.closed,
      overdue: f.measures.overdue,
      urgent: f.measures.urgent,
    }));
  for (let i = 0; i < rows.length; i += CHUNK)
    await adb
      .insertInto('analytics_ticket_facts')
      .values(rows.slice(i, i + CHUNK))
      .execute();
  await moveSums(trx, 'analytics_daily', deltas);
  await moveSums(trx, 'analytics_monthly', monthDeltas(deltas));
  const trees = await loadTrees(trx);
  await moveCube(
    trx,
    cubeDeltas(
      deltas,
      (code, level) => trees.regions.atLevel(code, level),
      (id, level) => trees.categories.atLevel(id, level),
    ),
  );
  return changed.length;
}
