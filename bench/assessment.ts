import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { ManualClock } from '../src/server/clock.js';
import { openDatabase } from '../src/server/db/database.js';
import type { DB } from '../src/server/db/schema.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { COUNTER_COLUMNS } from '../src/server/domain/assessment-indicators.js';
import type { Actor } from '../src/server/modules/auth/actor.js';
import { AssessmentResultService } from '../src/server/modules/assessment/assessment-results.service.js';
import { DEMO_PASSWORD } from '../src/server/seed/heze-organisation.js';
import { seedDemo, seedReferenceData } from '../src/server/seed/seed.js';
import { createThrowawayPgDatabase } from '../test/helpers/pg-database.js';

// npm run bench:assessment -- [--pg postgres://postgres@127.0.0.1:5432/postgres] [--tickets 10000000] [--runs 7]
// 第二十四条 at scale (docs/benchmarks.md): `tickets` tickets' worth of assessment facts (one row per ticket and lead
// unit, spread over 3 years and every assessed unit) are bulk-loaded with generate_series — not through the API — and
// summed into the daily rollup as the scheduler would keep it. Then it times what a screen asks: a month's scores and
// ranking of all units, a quarter's, and a drill-down page (first and a deep keyset page) of the busiest unit. The
// facts' foreign key to tickets is dropped in this throw-away database, and only the drilled-down unit's tickets are
// written as ticket rows: the reads measured join tickets by primary key for one page, nothing else.

const { values: args } = parseArgs({
  options: {
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    tickets: { type: 'string', default: '10000000' },
    runs: { type: 'string', default: '7' },
  },
});
const TICKETS = Number(args.tickets);
const RUNS = Number(args.runs);
const DAYS = 1096; // 2023-01-01 … 2025-12-31

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

async function populate(db: Kysely<DB>, units: number[], categoryId: number) {
  await sql`ALTER TABLE assessment_facts DROP CONSTRAINT assessment_facts_ticket_id_fkey`.execute(db);
  // counters that look like a real month: most steps on time, ~85 % satisfied, a few reworks and extensions
  const h = (k: number) => sql.raw(`((g * ${k}) % 100)`);
  const cols = sql.raw(COUNTER_COLUMNS.join(', '));
  const step = 1_000_000;
  for (let from = 1; from <= TICKETS; from += step) {
    const to = Math.min(TICKETS, from + step - 1);
    const t0 = performance.now();
    await sql`
      INSERT INTO assessment_facts (ticket_id, unit_id, day, category_id, ${cols})
      SELECT g, (${sql.val(units)}::int[])[1 + (g % ${units.length})], date '2023-01-01' + (g % ${DAYS}), ${categoryId},
        (${h(7)} >= 4)::int, 1,          -- 签收及时率
        (${h(11)} >= 6)::int, 1,         -- 联系及时率
        (${h(13)} >= 8)::int, 1,         -- 按期办结率
        (${h(17)} >= 3)::int, 1,         -- 办结率
        (${h(19)} >= 12)::int, (${h(17)} >= 3)::int, -- 解决率
        (${h(23)} >= 15)::int, (${h(17)} >= 3)::int, -- 满意率
        (${h(29)} < 5)::int, (${h(17)} >= 3)::int,   -- 重办率
        (${h(31)} < 2)::int, 1,          -- 退单率
        (${h(37)} < 6)::int, 1,          -- 延期率
        (${h(41)} < 1)::int, 1           -- 督办次数
      FROM generate_series(${from}::int, ${to}::int) g`.execute(db);
    console.log(`  facts ${to.toLocaleString()} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  const sums = sql.raw(COUNTER_COLUMNS.map((c) => `sum(${c})`).join(', '));
  await sql`INSERT INTO assessment_daily (unit_id, day, ${cols}) SELECT unit_id, day, ${sums} FROM assessment_facts GROUP BY unit_id, day`.execute(
    db,
  );
  await sql`ANALYZE assessment_facts`.execute(db);
  await sql`ANALYZE assessment_daily`.execute(db);
}

async function time(label: string, f: () => Promise<unknown>) {
  await f(); // warm the cache once, as a screen that is used is
  const ts: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await f();
    ts.push(performance.now() - t0);
  }
  console.log(`  ${label.padEnd(46)} median ${pct(ts, 0.5).toFixed(1)} ms  max ${Math.max(...ts).toFixed(1)} ms`);
}

const pg = await createThrowawayPgDatabase(args.pg, 'hz_bench_assess');
const handle = await openDatabase({ url: pg.url });
try {
  const db = handle.db;
  await migrateToLatest(db);
  await seedReferenceData(db);
  const clock = new ManualClock('2026-01-10T09:00:00+08:00');
  const ids = (await seedDemo(db, clock.now(), DEMO_PASSWORD))!;
  const units = (await db.selectFrom('units').select('id').where('kind', '!=', 'centre').orderBy('id').execute()).map(
    (u) => u.id,
  );
  const t0 = performance.now();
  await populate(db, units, ids.categories['CX-SZ']!);
  const loadS = (performance.now() - t0) / 1000;
  const busiest = units[0]!;
  // the drilled-down unit's tickets of the month as real ticket rows (the page joins them by primary key)
  await sql`
    INSERT INTO tickets (id, number, request_type, category_id, urgency, region_code, title, content, status,
      centre_unit_id, lead_unit_id, created_by, created_at, updated_at)
    OVERRIDING SYSTEM VALUE
    SELECT f.ticket_id, 'B' || f.ticket_id, 'complaint', ${ids.categories['CX-SZ']!}, 'normal', '371702001', '路灯不亮',
      '和平路路灯不亮', 'closed', ${ids.units['centre']!}, f.unit_id, ${ids.users['agent']!}, now(), now()
    FROM assessment_facts f WHERE f.unit_id = ${busiest} AND f.day BETWEEN '2025-11-01' AND '2025-11-30'`.execute(db);
  await sql`ANALYZE tickets`.execute(db);
  const counts = await sql<{ facts: number; daily: number }>`
    SELECT (SELECT count(*) FROM assessment_facts)::int AS facts, (SELECT count(*) FROM assessment_daily)::int AS daily`.execute(
    db,
  );
  console.log(
    `postgres, ${counts.rows[0]!.facts.toLocaleString()} ticket facts over ${units.length} units and ${DAYS} days → ${counts.rows[0]!.daily.toLocaleString()} daily rows; loaded in ${loadS.toFixed(0)} s; load ${loadavg()[0]!.toFixed(2)} (${new Date().toISOString()})`,
  );
  const service = new AssessmentResultService({ db, clock });
  const supervisor: Actor = {
    userId: ids.users['supervisor']!,
    username: 'supervisor',
    displayName: '督办员',
    unitId: ids.units['centre']!,
    roles: ['supervisor'],
    scope: 'region',
    regionPrefixes: ['3717'],
  };
  await time('month scores, all units (2025-11)', () => service.results(supervisor, { period: '2025-11' }));
  await time('quarter scores, all units (2025-Q4)', () => service.results(supervisor, { period: '2025-Q4' }));
  const drill = { period: '2025-11', unitId: busiest, indicator: 'satisfaction', limit: 50 } as const;
  await time('drill-down, first page of 50', () => service.drilldown(supervisor, drill));
  await time('drill-down, only the tickets that lost points', () =>
    service.drilldown(supervisor, { ...drill, against: 'true' }),
  );
  const mid = await sql<{ day: string; id: number }>`SELECT day, ticket_id AS id FROM assessment_facts
    WHERE unit_id = ${busiest} AND day BETWEEN '2025-11-01' AND '2025-11-30' ORDER BY day, ticket_id OFFSET 5000 LIMIT 1`.execute(
    db,
  );
  await time('drill-down, a keyset page 5 000 rows in', () =>
    service.drilldown(supervisor, { ...drill, after: `${mid.rows[0]!.day}_${mid.rows[0]!.id}` }),
  );

  const plan = await sql<{ 'QUERY PLAN': string }>`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
    SELECT unit_id, sum(satisfaction_num), sum(satisfaction_den) FROM assessment_daily
    WHERE day BETWEEN '2025-11-01' AND '2025-11-30' GROUP BY unit_id`.execute(db);
  console.log('\n  EXPLAIN month sum:\n' + plan.rows.map((r) => `    ${r['QUERY PLAN']}`).join('\n'));
  const plan2 = await sql<{ 'QUERY PLAN': string }>`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
    SELECT f.ticket_id FROM assessment_facts f JOIN tickets t ON t.id = f.ticket_id
    WHERE f.unit_id = ${busiest} AND f.day BETWEEN '2025-11-01' AND '2025-11-30'
      AND (f.satisfaction_den > 0 OR f.satisfaction_num > 0) ORDER BY f.day, f.ticket_id LIMIT 51`.execute(db);
  console.log('\n  EXPLAIN drill-down page:\n' + plan2.rows.map((r) => `    ${r['QUERY PLAN']}`).join('\n'));
} finally {
  await handle.close();
  await pg.drop();
}
