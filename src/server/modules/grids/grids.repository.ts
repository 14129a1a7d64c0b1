import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';

// 第二十九条: reads of grids, grid workers, their reports and a town's tickets. A grid is a region at level 4 whose
// parent is its town (migration 0042); a ticket is in a grid when its region_code is the grid's code.

export interface GridRow {
  code: string;
  name: string;
  townCode: string;
}

/** The grids a grid worker answers for, in code order. */
export async function gridsOfWorker(db: Kysely<DB>, userId: number): Promise<GridRow[]> {
  const rows = await db
    .selectFrom('grid_workers as g')
    .innerJoin('regions as r', 'r.code', 'g.grid_code')
    .select(['r.code', 'r.name', 'r.parent_code'])
    .where('g.user_id', '=', userId)
    .orderBy('r.code')
    .execute();
  return rows.map((r) => ({ code: r.code, name: r.name, townCode: r.parent_code ?? '' }));
}

/** The town/street (region level 3) a unit serves, when it is a town's unit. */
export async function townOfUnit(db: Kysely<DB>, unitId: number): Promise<string | null> {
  const row = await db
    .selectFrom('units as u')
    .innerJoin('unit_regions as ur', 'ur.unit_id', 'u.id')
    .innerJoin('regions as r', 'r.code', 'ur.region_code')
    .select('r.code')
    .where('u.id', '=', unitId)
    .where('u.kind', '=', 'town')
    .where('r.level', '=', 3)
    .orderBy('r.code')
    .executeTakeFirst();
  return row?.code ?? null;
}

export async function findRegion(db: Kysely<DB>, code: string) {
  return db
    .selectFrom('regions')
    .select(['code', 'name', 'level', 'parent_code'])
    .where('code', '=', code)
    .executeTakeFirst();
}

/**
 * The centre that answers for a region: the most specific centre whose regions cover it (曹县's centre for 曹县, the
 * city centre elsewhere). A grid worker is not at a centre, so their report is the covering centre's ticket.
 */
export async function centreCovering(trx: Transaction<DB>, regionCode: string): Promise<number | null> {
  const rows = await trx
    .selectFrom('units as u')
    .innerJoin('unit_regions as ur', 'ur.unit_id', 'u.id')
    .select(['u.id', 'ur.region_code'])
    .where('u.kind', '=', 'centre')
    .where('u.active', '=', true)
    .execute();
  const prefix = (c: string) => (c.length === 6 && c.endsWith('00') ? c.slice(0, 4) : c);
  const covering = rows
    .filter((r) => regionCode.startsWith(prefix(r.region_code)))
    .sort((a, b) => prefix(b.region_code).length - prefix(a.region_code).length || a.id - b.id);
  return covering[0]?.id ?? null;
}

export interface GridTicketRow {
  id: number;
  number: string;
  title: string;
  status: string;
  channel: string;
  region_code: string;
  category_id: number;
  created_at: Date;
  lead_unit_id: number | null;
  created_by: number;
}

const LIST_COLUMNS = [
  'id',
  'number',
  'title',
  'status',
  'channel',
  'region_code',
  'category_id',
  'created_at',
  'lead_unit_id',
  'created_by',
] as const;

/** 我的上报: a grid worker's own reports, newest first (tickets_grid_reports), keyset by id. */
export async function reportsOf(db: Kysely<DB>, userId: number, before: number | null, limit: number) {
  let q = db
    .selectFrom('tickets')
    .select(LIST_COLUMNS)
    .where('channel', '=', 'grid')
    .where('created_by', '=', userId)
    .orderBy('id', 'desc')
    .limit(limit);
  if (before !== null) q = q.where('id', '<', before);
  return (await q.execute()) as GridTicketRow[];
}

/** The tickets of some grids, newest first: one backward walk of tickets_region_id per grid, merged. */
export async function ticketsInGrids(db: Kysely<DB>, grids: string[], before: number | null, limit: number) {
  if (grids.length === 0) return [];
  const keyset = before !== null ? sql`AND id < ${before}` : sql``;
  const cols = sql.raw(LIST_COLUMNS.join(', '));
  const parts: RawBuilder<unknown>[] = grids.map(
    (g) => sql`(SELECT ${cols} FROM tickets WHERE region_code = ${g} ${keyset} ORDER BY id DESC LIMIT ${limit})`,
  );
  const r = await sql<GridTicketRow>`
    SELECT * FROM (${sql.join(parts, sql` UNION ALL `)}) s ORDER BY id DESC LIMIT ${limit}`.execute(db);
  return r.rows.map((t) => ({ ...t, id: Number(t.id), created_at: new Date(t.created_at) }));
}

export async function findTicket(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('tickets')
    .select([
      'id',
      'number',
      'title',
      'content',
      'status',
      'channel',
      'region_code',
      'category_id',
      'urgency',
      'request_type',
      'address_enc',
      'created_at',
      'created_by',
      'lead_unit_id',
      'replied_at',
      'closed_at',
      'reply_result',
    ])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function ticketSteps(db: Kysely<DB>, ticketId: number) {
  return db
    .selectFrom('ticket_events')
    .select(['id', 'kind', 'at', 'to_status'])
    .where('ticket_id', '=', ticketId)
    .orderBy('id')
    .limit(200)
    .execute();
}

export async function names(db: Kysely<DB>, unitIds: number[], categoryIds: number[], regionCodes: string[]) {
  const [units, categories, regions] = await Promise.all([
    unitIds.length ? db.selectFrom('units').select(['id', 'name']).where('id', 'in', unitIds).execute() : [],
    categoryIds.length
      ? db.selectFrom('categories').select(['id', 'name']).where('id', 'in', categoryIds).execute()
      : [],
    regionCodes.length
      ? db.selectFrom('regions').select(['code', 'name']).where('code', 'in', regionCodes).execute()
      : [],
  ]);
  return {
    unit: new Map(units.map((u) => [u.id, u.name])),
    category: new Map(categories.map((c) => [c.id, c.name])),
    region: new Map(regions.map((r) => [r.code, r.name])),
  };
}

/** Which tickets' facts to read for the town view's drill-down: all, citizens' requests only, or 主动发现 only. */
export type Source = 'all' | 'citizen' | 'grid';

/**
 * The tickets behind a figure of the town view: analytics_ticket_facts of some regions (a town and its grids, or one
 * grid), a period and optionally categories, newest first, keyset by (day, ticket id) — one backward walk of
 * analytics_ticket_facts_region per region, merged, as the analytics drill-down does.
 */
export async function townDrill(
  db: Kysely<DB>,
  f: { from: string; to: string; regionCodes: string[]; categoryIds: number[] | null; source: Source },
  after: { day: string; ticketId: number } | null,
  limit: number,
) {
  if (f.regionCodes.length === 0 || f.categoryIds?.length === 0) return [];
  const conds: RawBuilder<unknown>[] = [sql`day >= ${f.from}`, sql`day <= ${f.to}`];
  if (f.categoryIds) conds.push(sql`category_id = ANY(${sql.val(f.categoryIds)}::int[])`);
  if (f.source === 'grid') conds.push(sql`channel = 'grid'`);
  if (f.source === 'citizen') conds.push(sql`channel <> 'grid'`);
  if (after) conds.push(sql`(day, ticket_id) < (${after.day}::date, ${after.ticketId})`);
  const where = sql.join(conds, sql` AND `);
  const parts = f.regionCodes.map(
    (code) => sql`(SELECT ticket_id, day, region_code, category_id, channel FROM analytics_ticket_facts
      WHERE region_code = ${code} AND ${where} ORDER BY day DESC, ticket_id DESC LIMIT ${limit})`,
  );
  const r = await sql<Record<string, unknown>>`
    SELECT ticket_id, day::text AS day, region_code, category_id, channel
    FROM (${sql.join(parts, sql` UNION ALL `)}) s
    ORDER BY s.day DESC, s.ticket_id DESC
    LIMIT ${limit}`.execute(db);
  return r.rows.map((row) => ({
    ticketId: Number(row.ticket_id),
    day: String(row.day).slice(0, 10),
    regionCode: String(row.region_code),
    categoryId: Number(row.category_id),
    channel: String(row.channel),
  }));
}

// ---- 网格管理 (issue 12) ----

export interface AdminGridRow {
  code: string;
  name: string;
  lng: number | null;
  lat: number | null;
  retired: boolean;
}

/** A town's grids with their centre point and retirement (a grid without a grid_cells row: active, no point). */
export async function gridCellsOfTown(db: Kysely<DB>, townCode: string): Promise<AdminGridRow[]> {
  const rows = await db
    .selectFrom('regions as r')
    .leftJoin('grid_cells as c', 'c.code', 'r.code')
    .select(['r.code', 'r.name', 'c.lng', 'c.lat', 'c.retired_at'])
    .where('r.parent_code', '=', townCode)
    .where('r.level', '=', 4)
    .orderBy('r.code')
    .execute();
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    lng: r.lng === null ? null : Number(r.lng),
    lat: r.lat === null ? null : Number(r.lat),
    retired: r.retired_at !== null,
  }));
}

/** The grid workers assigned to some grids (active accounts or not: an assignment outlives a locked login). */
export async function workersOfGrids(db: Kysely<DB>, gridCodes: string[]) {
  if (gridCodes.length === 0) return [];
  return db
    .selectFrom('grid_workers as g')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .select(['g.grid_code', 'g.assigned_at', 'u.id', 'u.display_name', 'u.active'])
    .where('g.grid_code', 'in', gridCodes)
    .orderBy('g.grid_code')
    .orderBy('u.id')
    .execute();
}

/** The accounts that may answer for a town's grids: role grid_worker at a town unit serving that town. */
export async function gridWorkerCandidates(db: Kysely<DB>, townCode: string) {
  return db
    .selectFrom('users as u')
    .innerJoin('units as un', 'un.id', 'u.unit_id')
    .innerJoin('unit_regions as ur', 'ur.unit_id', 'un.id')
    .select(['u.id', 'u.display_name', 'u.active', 'un.name as unit_name'])
    .where('un.kind', '=', 'town')
    .where('ur.region_code', '=', townCode)
    .where(sql<boolean>`'grid_worker' = ANY(u.roles)`)
    .orderBy('u.id')
    .execute();
}

/** The audit trail of one grid (admin_audit, entity 'grid'), newest first. */
export async function gridHistory(db: Kysely<DB>, code: string, limit: number) {
  return db
    .selectFrom('admin_audit as a')
    .leftJoin('users as u', 'u.id', 'a.user_id')
    .select(['a.id', 'a.action', 'a.before', 'a.after', 'a.at', 'u.display_name'])
    .where('a.entity', '=', 'grid')
    .where('a.entity_id', '=', code)
    .orderBy('a.id', 'desc')
    .limit(limit)
    .execute();
}
