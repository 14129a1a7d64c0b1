import { sql, type Kysely } from 'kysely';
import type { DB, LimitStep } from '../../db/schema.js';
import type { CalendarOverride } from '../../domain/calendar.js';
import type { CatalogueRule } from '../../domain/dispatch-catalogue.js';
import type { TimeLimitRow } from '../../domain/time-limits.js';
import { DEFAULT_UNREACHABLE_POLICY, type UnreachablePolicy } from '../../domain/contact-attempts.js';

// Reference data read by the ticket services. These tables are small (hundreds of rows); they are read
// inside the caller's transaction so every instance sees an admin's edit immediately, with no cache to bust.

export async function loadCalendarOverrides(db: Kysely<DB>): Promise<CalendarOverride[]> {
  const rows = await db.selectFrom('calendar_days').select(['date', 'kind', 'name']).orderBy('date').execute();
  return rows.map((r) => ({ date: r.date, kind: r.kind, ...(r.name ? { name: r.name } : {}) }));
}

/** 第八条: years whose holiday arrangement an admin has confirmed (a handful of rows). */
export async function loadConfirmedYears(db: Kysely<DB>): Promise<number[]> {
  const rows = await db.selectFrom('calendar_years').select('year').orderBy('year').execute();
  return rows.map((r) => r.year);
}

export async function loadTimeLimits(db: Kysely<DB>, step?: LimitStep): Promise<TimeLimitRow[]> {
  let q = db.selectFrom('time_limits').selectAll();
  if (step) q = q.where('step', '=', step);
  const rows = await q.execute();
  return rows.map((r) => ({
    step: r.step,
    categoryId: r.category_id,
    urgency: r.urgency,
    unitKind: r.unit_kind,
    clock: r.clock,
    amount: Number(r.amount),
    unit: r.unit,
  }));
}

/** 第十五条: how much trying makes a requester unreachable (one row, migration 0016; the default if it is missing). */
export async function loadUnreachablePolicy(db: Kysely<DB>): Promise<UnreachablePolicy> {
  const r = await db
    .selectFrom('reply_contact_policy')
    .select(['min_attempts', 'min_distinct_days'])
    .where('id', '=', 1)
    .executeTakeFirst();
  return r ? { minAttempts: r.min_attempts, minDistinctDays: r.min_distinct_days } : { ...DEFAULT_UNREACHABLE_POLICY };
}

export async function loadCatalogueRules(db: Kysely<DB>, categoryChain: number[]): Promise<CatalogueRule[]> {
  const rows = await db
    .selectFrom('catalogue_rules')
    .selectAll()
    .where('active', '=', true)
    .where((eb) =>
      eb.or([eb('category_id', 'is', null), ...(categoryChain.length ? [eb('category_id', 'in', categoryChain)] : [])]),
    )
    .execute();
  return rows.map((r) => ({
    id: r.id,
    categoryId: r.category_id,
    regionCode: r.region_code,
    tier: r.tier,
    basis: r.basis,
    leadUnitId: r.lead_unit_id,
    assistUnitIds: r.assist_unit_ids,
    priority: r.priority,
    active: r.active,
  }));
}

/** The category and its ancestors, most specific first. */
export async function categoryChain(db: Kysely<DB>, categoryId: number): Promise<number[]> {
  const r = await sql<{ id: number }>`
    WITH RECURSIVE up(id, parent_id, depth) AS (
      SELECT id, parent_id, 0 FROM categories WHERE id = ${categoryId}
      UNION ALL
      SELECT c.id, c.parent_id, up.depth + 1 FROM categories c JOIN up ON c.id = up.parent_id
    ) SELECT id FROM up ORDER BY depth`.execute(db);
  return r.rows.map((x) => x.id);
}

/** The region and its ancestors, most specific first. */
export async function regionChain(db: Kysely<DB>, code: string): Promise<string[]> {
  const r = await sql<{ code: string }>`
    WITH RECURSIVE up(code, parent_code, depth) AS (
      SELECT code, parent_code, 0 FROM regions WHERE code = ${code}
      UNION ALL
      SELECT g.code, g.parent_code, up.depth + 1 FROM regions g JOIN up ON g.code = up.parent_code
    ) SELECT code FROM up ORDER BY depth`.execute(db);
  return r.rows.map((x) => x.code);
}

export async function findUnit(db: Kysely<DB>, id: number) {
  return db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUnits(db: Kysely<DB>, ids: number[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('units').selectAll().where('id', 'in', ids).execute();
}
