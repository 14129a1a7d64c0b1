import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { ManualClock } from '../src/server/clock.js';
import { openDatabase, type DatabaseHandle } from '../src/server/db/database.js';
import type { DB } from '../src/server/db/schema.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { COUNTER_COLUMNS } from '../src/server/domain/assessment-indicators.js';
import type { Actor } from '../src/server/modules/auth/actor.js';
import { TownViewService } from '../src/server/modules/grids/town-view.service.js';
import { UnitAnalysisService } from '../src/server/modules/unit-analysis/unit-analysis.service.js';
import { DEMO_PASSWORD } from '../src/server/seed/heze-organisation.js';
import { seedDemo, seedReferenceData } from '../src/server/seed/seed.js';
import { createThrowawayPgDatabase } from '../test/helpers/pg-database.js';
import { addRegions, sumAnalyticsRollups } from './analytics-load.js';
import { UNIT_WEIGHTS } from './generate.js';

// npm run bench:unit-analysis -- [--pg postgres://postgres@127.0.0.1:5432/postgres] [--tickets 10000000]
//   [--pglite-tickets 1000000] [--days 1096] [--runs 7] [--skip-pg] [--skip-pglite]
// 第二十八条(一) 承办单位月度分析 and 第二十九条 网格视图 at scale (docs/benchmarks.md): `tickets` tickets are bulk-loaded
// with generate_series (not through the API) over `days` days ending 2025-12-31 — lead units skewed as in
// bench/generate.ts (牡丹区人民政府 22 %), regions skewed towards the first towns and grids (东城街道 and its grids
// ≈ 11 %), 3 % 主动发现 (channel grid), most with a requester and some requesters coming back. From those tickets,
// as the scheduler's jobs would: assessment_facts (one per ticket and lead unit) and assessment_daily, and
// analytics_ticket_facts with the analytics rollups. Then it times what the two screens ask, through the services:
// a unit's month report (the biggest unit) and the 东城街道 grid view for a month, 30 days and a year, with a
// drill-down page and the next one. PostgreSQL in a throw-away database (dropped after), then PGlite in memory.

const { values: args } = parseArgs({
  options: {
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    tickets: { type: 'string', default: '10000000' },
    'pglite-tickets': { type: 'string', default: '1000000' },
    days: { type: 'string', default: '1096' },
    runs: { type: 'string', default: '7' },
    'skip-pg': { type: 'boolean', default: false },
    'skip-pglite': { type: 'boolean', default: false },
    // the tickets' secondary indexes take long to build at 10 M and no read timed here uses them (the screens read
    // the rollups; tickets only by primary key for a page's numbers and titles)
    'skip-ticket-indexes': { type: 'boolean', default: false },
  },
});
const RUNS = Number(args.runs);
const DAYS = Number(args.days); // 1096: 2023-01-01 … 2025-12-31
const TODAY = '2025-12-31';
const TOWN = '371702001'; // 东城街道

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

async function populate(
  db: Kysely<DB>,
  tickets: number,
  ids: { units: Record<string, number>; centre: number; agent: number },
) {
  const regions = (await db.selectFrom('regions').select('code').where('level', '>=', 3).orderBy('code').execute()).map(
    (r) => r.code,
  );
  const leaves = (
    await sql<{
      id: number;
    }>`SELECT id FROM categories c WHERE NOT EXISTS (SELECT 1 FROM categories k WHERE k.parent_id = c.id) ORDER BY id`.execute(
      db,
    )
  ).rows.map((r) => r.id);
  // 1000 lead-unit slots in the proportions of bench/generate.ts
  const total = Object.values(UNIT_WEIGHTS).reduce((a, b) => a + b, 0);
  const slots: number[] = [];
  let acc = 0;
  for (const [code, w] of Object.entries(UNIT_WEIGHTS)) {
    const end = Math.round(((acc += w) / total) * 1000);
    while (slots.length < end) slots.push(ids.units[code]!);
  }
  const requesters = Math.max(1, Math.floor(tickets / 2));
  // bulk load first, index after (as a restore would): the tickets' secondary indexes are rebuilt after the load
  const ticketIndexes = (
    await sql<{ def: string; name: string }>`SELECT indexname AS name, indexdef AS def FROM pg_indexes
      WHERE tablename = 'tickets' AND indexname NOT IN ('tickets_pkey', 'tickets_number_key')`.execute(db)
  ).rows;
  const factIndexes = [
    'analytics_ticket_facts_day',
    'analytics_ticket_facts_category',
    'analytics_ticket_facts_region',
    'assessment_facts_unit_day',
  ];
  const factIndexDefs = (
    await sql<{
      def: string;
    }>`SELECT indexdef AS def FROM pg_indexes WHERE indexname = ANY(${sql.val(factIndexes)}::text[])`.execute(db)
  ).rows;
  const cols = sql.raw(COUNTER_COLUMNS.join(', '));
  const u = (k: number) => sql.raw(`(((g::bigint * ${k}) % 1000003) / 1000003.0)`);
  await db.connection().execute(async (c) => {
    // foreign keys are not checked row by row during the load (every value comes from the seeded tables)
    await sql`SET session_replication_role = replica`.execute(c);
    for (const i of [...ticketIndexes.map((x) => x.name), ...factIndexes])
      await sql`DROP INDEX ${sql.raw(i)}`.execute(c);
    await sql`
      INSERT INTO requesters (id, created_at) OVERRIDING SYSTEM VALUE
      SELECT g, timestamptz '2023-01-01 00:00+08' FROM generate_series(1, ${requesters}::int) g`.execute(c);
    const step = 1_000_000;
    for (let from = 1; from <= tickets; from += step) {
      const to = Math.min(tickets, from + step - 1);
      const t0 = performance.now();
      await sql`
        INSERT INTO tickets (id, number, request_type, category_id, urgency, region_code, title, content, status,
          requester_id, centre_unit_id, lead_unit_id, channel, created_by, created_at, updated_at, closed_at)
        OVERRIDING SYSTEM VALUE
        SELECT g, 'HZB' || lpad(g::text, 9, '0'), s.request_type, s.category_id, s.urgency, s.region_code,
          s.title, s.title || '，' || '群众反映该问题已持续一段时间，影响日常生活和出行，希望有关部门尽快核实处理并答复。',
          s.status, CASE WHEN s.channel <> 'grid' AND (g * 59) % 100 < 85
            THEN 1 + floor(${requesters} * power(${u(15485863)}, 2))::bigint END,
          ${ids.centre}, CASE WHEN s.status <> 'pending_dispatch' THEN s.lead END, s.channel, ${ids.agent},
          s.at, s.at, CASE WHEN s.status = 'closed' THEN s.at + interval '5 days' END
        FROM generate_series(${from}::int, ${to}::int) g
        CROSS JOIN LATERAL (SELECT
          (timestamp '${sql.raw(TODAY)}' - (${DAYS - 1} - g % ${DAYS}) * interval '1 day' + (8 + g % 12) * interval '1 hour')
            AT TIME ZONE 'Asia/Shanghai' AS at,
          (${sql.val(regions)}::text[])[1 + floor(${regions.length} * power(${u(7919)}, 2))::int] AS region_code,
          (${sql.val(leaves)}::int[])[1 + floor(${leaves.length} * power(${u(104729)}, 2))::int] AS category_id,
          (${sql.val(slots)}::int[])[1 + (g::bigint * 7877) % 1000] AS lead,
          CASE WHEN g % 100 < 70 THEN 'phone' WHEN g % 100 < 82 THEN 'wechat' WHEN g % 100 < 89 THEN 'web'
               WHEN g % 100 < 93 THEN 'sms' WHEN g % 100 < 96 THEN 'weibo' WHEN g % 100 < 99 THEN 'grid'
               ELSE 'api' END AS channel,
          CASE WHEN (g * 37) % 100 < 38 THEN 'complaint' WHEN (g * 37) % 100 < 66 THEN 'consult'
               WHEN (g * 37) % 100 < 88 THEN 'help' WHEN (g * 37) % 100 < 95 THEN 'suggestion'
               WHEN (g * 37) % 100 < 98 THEN 'report' ELSE 'praise' END AS request_type,
          CASE WHEN (g * 47) % 100 < 3 THEN 'urgent' ELSE 'normal' END AS urgency,
          CASE WHEN (g * 53) % 100 < 1 THEN 'pending_dispatch' WHEN (g * 53) % 100 < 4 THEN 'dispatched'
               WHEN (g * 53) % 100 < 12 THEN 'in_progress' WHEN (g * 53) % 100 < 16 THEN 'replied'
               ELSE 'closed' END AS status,
          (ARRAY['路灯不亮', '道路破损', '噪音扰民', '供水中断', '垃圾清运不及时', '违章停车', '物业服务纠纷', '拖欠工资'])[1 + g % 8] AS title
        ) s`.execute(c);
      // what the jobs derive from them: the assessment facts (one per ticket and lead unit, dated by its dispatch) and
      // the analytics facts (one per ticket), with counters that look like a real month
      const h = (k: number) => sql.raw(`((t.id * ${k}) % 100)`);
      await sql`
        INSERT INTO assessment_facts (ticket_id, unit_id, day, category_id, requester_id, ${cols})
        SELECT t.id, t.lead_unit_id, (t.created_at AT TIME ZONE 'Asia/Shanghai')::date, t.category_id, t.requester_id,
          (${h(7)} >= 4)::int, 1, (${h(11)} >= 6)::int, 1, (${h(13)} >= 8)::int, 1, (t.status = 'closed')::int, 1,
          (${h(19)} >= 12 AND t.status = 'closed')::int, (t.status = 'closed')::int,
          (${h(23)} >= 15 AND t.status = 'closed')::int, (t.status = 'closed')::int,
          (${h(29)} < 5 AND t.status = 'closed')::int, (t.status = 'closed')::int,
          (${h(31)} < 2)::int, 1, (${h(37)} < 6)::int, 1, (${h(41)} < 1)::int, 1
        FROM tickets t WHERE t.id BETWEEN ${from} AND ${to} AND t.lead_unit_id IS NOT NULL`.execute(c);
      await sql`
        INSERT INTO analytics_ticket_facts (ticket_id, day, region_code, category_id, channel, request_type, closed, overdue, urgent)
        SELECT t.id, (t.created_at AT TIME ZONE 'Asia/Shanghai')::date, t.region_code, t.category_id, t.channel,
          t.request_type, (t.status = 'closed')::int, ((t.id * 43) % 100 < 6)::int, (t.urgency = 'urgent')::int
        FROM tickets t WHERE t.id BETWEEN ${from} AND ${to}`.execute(c);
      console.log(`  tickets and facts ${to.toLocaleString()} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
    await sql`SET session_replication_role = DEFAULT`.execute(c);
  });
  let t0 = performance.now();
  const sums = sql.raw(COUNTER_COLUMNS.map((c) => `sum(${c})`).join(', '));
  await sql`
    INSERT INTO assessment_daily (unit_id, day, ${cols}) SELECT unit_id, day, ${sums}
    FROM assessment_facts GROUP BY unit_id, day`.execute(db);
  await sumAnalyticsRollups(db);
  console.log(`  rollups summed (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  t0 = performance.now();
  for (const i of [...factIndexDefs, ...(args['skip-ticket-indexes'] ? [] : ticketIndexes)])
    await sql.raw(i.def).execute(db);
  console.log(`  indexes built (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  t0 = performance.now();
  for (const t of ['requesters', 'tickets', 'assessment_facts', 'assessment_daily', 'analytics_ticket_facts'])
    await sql`VACUUM ANALYZE ${sql.raw(t)}`.execute(db);
  for (const t of ['analytics_daily', 'analytics_monthly', 'analytics_cube', 'regions'])
    await sql`VACUUM ANALYZE ${sql.raw(t)}`.execute(db);
  console.log(`  vacuumed (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}

async function time(label: string, f: () => Promise<unknown>) {
  await f(); // warm the cache once, as a screen that is used is
  const ts: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await f();
    ts.push(performance.now() - t0);
  }
  console.log(
    `  ${label.padEnd(52)} median ${pct(ts, 0.5).toFixed(1)} ms  p95 ${pct(ts, 0.95).toFixed(1)} ms  max ${Math.max(...ts).toFixed(1)} ms`,
  );
}

async function run(kind: string, handle: DatabaseHandle, tickets: number, explain: boolean) {
  const db = handle.db;
  await migrateToLatest(db);
  await seedReferenceData(db);
  const clock = new ManualClock(`${TODAY}T12:00:00+08:00`);
  const seeded = (await seedDemo(db, clock.now(), DEMO_PASSWORD))!;
  await addRegions(db);
  const t0 = performance.now();
  await populate(db, tickets, {
    units: seeded.units,
    centre: seeded.units['centre']!,
    agent: seeded.users['agent']!,
  });
  const loadS = (performance.now() - t0) / 1000;
  const unitId = seeded.units['gov-md']!;
  const month = '2025-11';
  const c = (
    await sql<{ tickets: number; facts: number; unitMonth: number; town: number; townMonth: number }>`
      SELECT (SELECT count(*) FROM tickets)::int AS tickets, (SELECT count(*) FROM assessment_facts)::int AS facts,
        (SELECT count(*) FROM assessment_facts WHERE unit_id = ${unitId} AND day BETWEEN '2025-11-01' AND '2025-11-30')::int AS "unitMonth",
        (SELECT count(*) FROM analytics_ticket_facts WHERE region_code LIKE ${TOWN + '%'})::int AS town,
        (SELECT count(*) FROM analytics_ticket_facts WHERE region_code LIKE ${TOWN + '%'} AND day BETWEEN '2025-11-01' AND '2025-11-30')::int AS "townMonth"`.execute(
      db,
    )
  ).rows[0]!;
  const n = (x: number) => Number(x).toLocaleString();
  console.log(
    `${kind}, ${n(c.tickets)} tickets over ${DAYS} days, ${n(c.facts)} assessment facts; 牡丹区人民政府 ${month}: ${n(c.unitMonth)} tickets; 东城街道: ${n(c.town)} tickets, ${n(c.townMonth)} in ${month}; loaded in ${loadS.toFixed(0)} s; load ${loadavg()[0]!.toFixed(2)} (${new Date().toISOString()})`,
  );
  const analyst: Actor = {
    userId: seeded.users['analyst']!,
    username: 'analyst',
    displayName: '分析员',
    unitId: seeded.units['centre']!,
    roles: ['analyst'],
    scope: 'region',
    regionPrefixes: ['3717'],
  };
  const manager: Actor = {
    userId: seeded.users['manager_md']!,
    username: 'manager_md',
    displayName: '刘主任',
    unitId,
    roles: ['unit_manager'],
    scope: 'unit',
    regionPrefixes: ['371702'],
  };
  const units = new UnitAnalysisService({ db, clock });
  const towns = new TownViewService({ db, clock });
  await time('月度分析: 牡丹区人民政府, 2025-11 (its manager)', () => units.analysis(manager, { month }));
  await time('月度分析: 牡丹区人民政府, 2025-11 (centre analyst)', () => units.analysis(analyst, { month, unitId }));
  const nov = { from: '2025-11-01', to: '2025-11-30', source: 'all' } as const;
  const days30 = { from: '2025-12-02', to: TODAY, source: 'all' } as const;
  const year = { from: '2025-01-01', to: TODAY, source: 'all' } as const;
  await time('网格视图: 东城街道, 2025-11', () => towns.figures(analyst, TOWN, nov));
  await time('网格视图: 东城街道, last 30 days', () => towns.figures(analyst, TOWN, days30));
  await time('网格视图: 东城街道, 2025, 群众诉求 only', () =>
    towns.figures(analyst, TOWN, { ...year, source: 'citizen' }),
  );
  await time('网格视图: 东城街道, 2025', () => towns.figures(analyst, TOWN, year));
  const first = await towns.tickets(analyst, TOWN, { ...year, limit: 50 });
  await time('drill-down: 东城街道, 2025, first page of 50', () =>
    towns.tickets(analyst, TOWN, { ...year, limit: 50 }),
  );
  await time('drill-down: 东城街道, 2025, next page', () =>
    towns.tickets(analyst, TOWN, { ...year, limit: 50, after: first.next! }),
  );
  // a cell of the table: one grid × one matter group (the busiest), and 主动发现 only
  const fig = await towns.figures(analyst, TOWN, year);
  const grid = fig.grids.find((g) => g.inGrid)!;
  const group = fig.groups[0]!;
  const cell = { ...year, region: grid.code, categoryId: group.id, limit: 50 };
  const cellFirst = await towns.tickets(analyst, TOWN, cell);
  await time('drill-down: a grid × a matter group, 2025, first page', () => towns.tickets(analyst, TOWN, cell));
  await time('drill-down: a grid × a matter group, 2025, next page', () =>
    towns.tickets(analyst, TOWN, { ...cell, after: cellFirst.next! }),
  );
  await time('drill-down: 东城街道 主动发现, 2025, first page', () =>
    towns.tickets(analyst, TOWN, { ...year, source: 'grid', limit: 50 }),
  );
  if (explain) {
    const plan = await sql<{ 'QUERY PLAN': string }>`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
      SELECT category_id, count(*)::int AS n FROM assessment_facts
      WHERE unit_id = ${unitId} AND day >= '2025-11-01' AND day <= '2025-11-30'
      GROUP BY category_id ORDER BY n DESC, category_id LIMIT 10`.execute(db);
    console.log('\n  EXPLAIN 月度分析 top matters:\n' + plan.rows.map((r) => `    ${r['QUERY PLAN']}`).join('\n'));
  }
}

if (!args['skip-pg']) {
  const pg = await createThrowawayPgDatabase(args.pg, 'hz_bench_unit_analysis');
  const handle = await openDatabase({ url: pg.url });
  try {
    await run('postgres', handle, Number(args.tickets), true);
  } finally {
    await handle.close();
    await pg.drop();
  }
}
if (!args['skip-pglite']) {
  const handle = await openDatabase({ dataDir: null });
  try {
    await run('pglite (in memory)', handle, Number(args['pglite-tickets']), false);
  } finally {
    await handle.close();
  }
}
