import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/server/db/schema.js';

// Shared by the analytics benchmarks (bench/analytics.ts, bench/unit-analysis.ts): the regions a city has below the
// demo's counties, and the analytics rollups summed from bulk-loaded analytics_ticket_facts as the scheduler keeps them.

/** Towns and grids below the demo's counties (the demo seeds only a few): 9 × 18 towns × 5 grids. */
export async function addRegions(db: Kysely<DB>) {
  await sql`
    INSERT INTO regions (code, name, level, parent_code)
    SELECT c.code || lpad(t::text, 3, '0'), c.name || '第' || t || '镇街', 3, c.code
    FROM regions c CROSS JOIN generate_series(1, 18) t WHERE c.level = 2
    ON CONFLICT (code) DO NOTHING`.execute(db);
  await sql`
    INSERT INTO regions (code, name, level, parent_code)
    SELECT t.code || lpad(g::text, 3, '0'), t.name || '第' || g || '网格', 4, t.code
    FROM regions t CROSS JOIN generate_series(1, 5) g WHERE t.level = 3
    ON CONFLICT (code) DO NOTHING`.execute(db);
}

/**
 * analytics_daily, analytics_monthly and analytics_cube summed from analytics_ticket_facts (bulk, with the rollups'
 * secondary indexes built after; their primary keys stay: they are the upserts' keys).
 */
export async function sumAnalyticsRollups(db: Kysely<DB>) {
  const indexes = (
    await sql<{ def: string; name: string }>`SELECT indexname AS name, indexdef AS def FROM pg_indexes
      WHERE tablename IN ('analytics_daily', 'analytics_monthly', 'analytics_cube') AND indexname NOT LIKE '%_pkey'`.execute(
      db,
    )
  ).rows;
  for (const i of indexes) await sql`DROP INDEX ${sql.raw(i.name)}`.execute(db);
  await sql`
    INSERT INTO analytics_daily (day, region_code, category_id, channel, request_type, tickets, closed, overdue, urgent)
    SELECT day, region_code, category_id, channel, request_type, count(*), sum(closed), sum(overdue), sum(urgent)
    FROM analytics_ticket_facts GROUP BY 1, 2, 3, 4, 5`.execute(db);
  await sql`
    INSERT INTO analytics_monthly (month, region_code, category_id, channel, request_type, tickets, closed, overdue, urgent)
    SELECT date_trunc('month', day)::date, region_code, category_id, channel, request_type, sum(tickets), sum(closed),
      sum(overdue), sum(urgent)
    FROM analytics_daily GROUP BY 1, 2, 3, 4, 5`.execute(db);
  // the cube: regions lifted to town / county, categories to level 2 / 1, channel and type also summed out ('*')
  await sql`CREATE TABLE bench_rmap AS
    SELECT r.code, CASE WHEN r.level <= 3 THEN r.code ELSE r.parent_code END AS town,
      CASE WHEN r.level <= 2 THEN r.code WHEN r.level = 3 THEN r.parent_code ELSE p.parent_code END AS county
    FROM regions r LEFT JOIN regions p ON p.code = r.parent_code`.execute(db);
  await sql`CREATE TABLE bench_cmap AS
    SELECT c.id, CASE WHEN c.level <= 2 THEN c.id ELSE c.parent_id END AS c2,
      CASE WHEN c.level = 1 THEN c.id WHEN c.level = 2 THEN c.parent_id ELSE p.parent_id END AS c1
    FROM categories c LEFT JOIN categories p ON p.id = c.parent_id`.execute(db);
  const month = sql`date_trunc('month', d.day)::date`;
  const grains = [
    [1, sql`d.day`, sql`m.town`, sql`c.c1`, false],
    [2, month, sql`m.town`, sql`c.c2`, true],
    [3, sql`d.day`, sql`m.county`, sql`c.c1`, true],
    [4, month, sql`m.county`, sql`c.c1`, true],
    [5, sql`d.day`, sql`m.county`, sql`c.c2`, false],
    [6, month, sql`m.code`, sql`c.c2`, false],
  ] as const;
  for (const [grain, period, region, category, variants] of grains)
    await sql`
      INSERT INTO analytics_cube (grain, channel, request_type, period, region_code, category_id, tickets, closed, overdue, urgent)
      SELECT ${grain}::smallint,
        ${variants ? sql`CASE WHEN GROUPING(ch) = 1 THEN '*' ELSE ch END, CASE WHEN GROUPING(rt) = 1 THEN '*' ELSE rt END` : sql`'*', '*'`},
        p, r, k, sum(tickets), sum(closed), sum(overdue), sum(urgent)
      FROM (SELECT ${period} AS p, ${region} AS r, ${category} AS k, d.channel AS ch, d.request_type AS rt,
              d.tickets, d.closed, d.overdue, d.urgent
            FROM analytics_daily d JOIN bench_rmap m ON m.code = d.region_code JOIN bench_cmap c ON c.id = d.category_id) s
      GROUP BY ${variants ? sql`GROUPING SETS ((p, r, k, ch, rt), (p, r, k, ch), (p, r, k, rt), (p, r, k))` : sql`GROUPING SETS ((p, r, k))`}`.execute(
      db,
    );
  for (const i of indexes) await sql.raw(i.def).execute(db);
}
