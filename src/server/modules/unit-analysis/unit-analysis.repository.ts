import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

// 第二十八条(一) 定期分析诉求事项办理情况: one unit's month, read from the assessment rollup (assessment_daily: the
// unit's counters per day; assessment_facts: one row per ticket × lead unit with the ticket's matter and requester,
// indexed by unit and day with both — migration 0048) — one index-only range of the unit's rows, never tickets: at
// 10 M tickets the join to tickets cost ~60 000 heap reads per month asked (docs/benchmarks.md). Only counts leave
// this file: no requester is named.

export interface UnitMonthFigures {
  received: number;
  finished: number;
  onTime: { num: number; den: number };
  rework: { num: number; den: number };
  satisfaction: { num: number; den: number };
  resolution: { num: number; den: number };
}

/** Counters of a unit over days from..to (inclusive), and how many tickets it received as lead then. */
export async function unitFigures(db: Kysely<DB>, unitId: number, from: string, to: string): Promise<UnitMonthFigures> {
  const [daily, received] = await Promise.all([
    db
      .selectFrom('assessment_daily')
      .select([
        sql<number>`coalesce(sum(completion_num), 0)::int`.as('finished'),
        sql<number>`coalesce(sum(ontime_completion_num), 0)::int`.as('ontime_num'),
        sql<number>`coalesce(sum(ontime_completion_den), 0)::int`.as('ontime_den'),
        sql<number>`coalesce(sum(rework_num), 0)::int`.as('rework_num'),
        sql<number>`coalesce(sum(rework_den), 0)::int`.as('rework_den'),
        sql<number>`coalesce(sum(satisfaction_num), 0)::int`.as('satisfaction_num'),
        sql<number>`coalesce(sum(satisfaction_den), 0)::int`.as('satisfaction_den'),
        sql<number>`coalesce(sum(resolution_num), 0)::int`.as('resolution_num'),
        sql<number>`coalesce(sum(resolution_den), 0)::int`.as('resolution_den'),
      ])
      .where('unit_id', '=', unitId)
      .where('day', '>=', from)
      .where('day', '<=', to)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('assessment_facts')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('unit_id', '=', unitId)
      .where('day', '>=', from)
      .where('day', '<=', to)
      .executeTakeFirstOrThrow(),
  ]);
  const n = (v: unknown) => Number(v ?? 0);
  return {
    received: n(received.n),
    finished: n(daily.finished),
    onTime: { num: n(daily.ontime_num), den: n(daily.ontime_den) },
    rework: { num: n(daily.rework_num), den: n(daily.rework_den) },
    satisfaction: { num: n(daily.satisfaction_num), den: n(daily.satisfaction_den) },
    resolution: { num: n(daily.resolution_num), den: n(daily.resolution_den) },
  };
}

/** The unit's tickets of the period by matter (category), most first. */
export async function topCategories(db: Kysely<DB>, unitId: number, from: string, to: string, limit: number) {
  const r = await sql<{ category_id: number; n: number }>`
    SELECT category_id, count(*)::int AS n
    FROM assessment_facts
    WHERE unit_id = ${unitId} AND day >= ${from} AND day <= ${to}
    GROUP BY category_id
    ORDER BY n DESC, category_id
    LIMIT ${limit}`.execute(db);
  return r.rows.map((x) => ({ categoryId: Number(x.category_id), tickets: Number(x.n) }));
}

/** How many requesters brought the unit two tickets or more in the period, and how many tickets theirs were. */
export async function repeatRequesters(db: Kysely<DB>, unitId: number, from: string, to: string) {
  const r = await sql<{ requesters: number; tickets: number }>`
    SELECT count(*)::int AS requesters, coalesce(sum(n), 0)::int AS tickets FROM (
      SELECT requester_id, count(*) AS n
      FROM assessment_facts
      WHERE unit_id = ${unitId} AND day >= ${from} AND day <= ${to} AND requester_id IS NOT NULL
      GROUP BY requester_id HAVING count(*) >= 2
    ) s`.execute(db);
  return { requesters: Number(r.rows[0]?.requesters ?? 0), tickets: Number(r.rows[0]?.tickets ?? 0) };
}

export async function unitRow(db: Kysely<DB>, unitId: number) {
  return db.selectFrom('units').select(['id', 'name', 'kind']).where('id', '=', unitId).executeTakeFirst();
}
