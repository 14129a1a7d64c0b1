import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { ManualClock } from '../src/server/clock.js';
import { openDatabase, type DatabaseHandle } from '../src/server/db/database.js';
import type { DB } from '../src/server/db/schema.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import type { Actor } from '../src/server/modules/auth/actor.js';
import { AnalyticsService } from '../src/server/modules/analytics/analytics.service.js';
import { DEMO_PASSWORD } from '../src/server/seed/heze-organisation.js';
import { seedDemo, seedReferenceData } from '../src/server/seed/seed.js';
import { createThrowawayPgDatabase } from '../test/helpers/pg-database.js';
import { addRegions, sumAnalyticsRollups } from './analytics-load.js';

// npm run bench:analytics -- [--pg postgres://postgres@127.0.0.1:5432/postgres] [--tickets 10000000]
//   [--pglite-tickets 1000000] [--runs 5] [--skip-pg] [--skip-pglite]
// 第二十七条 at scale (docs/benchmarks.md, docs/analytics.md): `tickets` tickets' worth of the rollup's input — one
// analytics_ticket_facts row per ticket, spread over 3 years, 9 counties × 18 towns × 5 grids, every leaf category,
// channels and request types skewed as a hotline's are — is bulk-loaded with generate_series (not through the API),
// then summed into analytics_daily and analytics_monthly as the scheduler keeps them. Then it times what the 热点分析
// screen asks, through AnalyticsService: the map, the heat table, the trend with its comparisons, the top rising
// matters and a drill-down page, over a month and over a year. PostgreSQL in a throw-away database (dropped after),
// then PGlite in memory at `pglite-tickets`.

const { values: args } = parseArgs({
  options: {
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    tickets: { type: 'string', default: '10000000' },
    'pglite-tickets': { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '5' },
    'skip-pg': { type: 'boolean', default: false },
    'skip-pglite': { type: 'boolean', default: false },
  },
});
const RUNS = Number(args.runs);
const DAYS = 1096; // 2023-01-01 … 2025-12-31
const TODAY = '2025-12-31';

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

async function populate(db: Kysely<DB>, tickets: number) {
  await sql`ALTER TABLE analytics_ticket_facts DROP CONSTRAINT analytics_ticket_facts_ticket_id_fkey`.execute(db);
  // bulk load first, index after (as a restore would)
  for (const i of ['analytics_ticket_facts_day', 'analytics_ticket_facts_category', 'analytics_ticket_facts_region'])
    await sql`DROP INDEX ${sql.raw(i)}`.execute(db);
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
  // a pseudo-random fraction per ticket and purpose; squaring it skews towards the first regions and categories (a
  // few streets and matters take most calls, as in every hotline's figures)
  const u = (k: number) => sql.raw(`(((g::bigint * ${k}) % 1000003) / 1000003.0)`);
  const step = 1_000_000;
  for (let from = 1; from <= tickets; from += step) {
    const to = Math.min(tickets, from + step - 1);
    const t0 = performance.now();
    await sql`
      INSERT INTO analytics_ticket_facts (ticket_id, day, region_code, category_id, channel, request_type, closed, overdue, urgent)
      SELECT g, date '2023-01-01' + (g % ${DAYS}),
        (${sql.val(regions)}::text[])[1 + floor(${regions.length} * power(${u(7919)}, 2))::int],
        (${sql.val(leaves)}::int[])[1 + floor(${leaves.length} * power(${u(104729)}, 2))::int],
        CASE WHEN g % 100 < 72 THEN 'phone' WHEN g % 100 < 84 THEN 'wechat' WHEN g % 100 < 91 THEN 'web'
             WHEN g % 100 < 95 THEN 'sms' WHEN g % 100 < 98 THEN 'weibo' ELSE 'api' END,
        CASE WHEN (g * 37) % 100 < 38 THEN 'complaint' WHEN (g * 37) % 100 < 66 THEN 'consult'
             WHEN (g * 37) % 100 < 88 THEN 'help' WHEN (g * 37) % 100 < 95 THEN 'suggestion'
             WHEN (g * 37) % 100 < 98 THEN 'report' ELSE 'praise' END,
        ((g * 41) % 100 < 85)::int, ((g * 43) % 100 < 6)::int, ((g * 47) % 100 < 3)::int
      FROM generate_series(${from}::int, ${to}::int) g`.execute(db);
    console.log(`  facts ${to.toLocaleString()} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  const t0 = performance.now();
  await sumAnalyticsRollups(db);
  console.log(`  rollups summed (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  await sql`CREATE INDEX analytics_ticket_facts_day ON analytics_ticket_facts(day, ticket_id)`.execute(db);
  await sql`CREATE INDEX analytics_ticket_facts_category ON analytics_ticket_facts(category_id, day, ticket_id)`.execute(
    db,
  );
  await sql`CREATE INDEX analytics_ticket_facts_region ON analytics_ticket_facts(region_code, day, ticket_id)`.execute(
    db,
  );
  await sql`VACUUM ANALYZE analytics_ticket_facts`.execute(db);
  await sql`VACUUM ANALYZE analytics_daily`.execute(db);
  await sql`VACUUM ANALYZE analytics_monthly`.execute(db);
  await sql`VACUUM ANALYZE analytics_cube`.execute(db);
  await sql`ANALYZE regions`.execute(db);
}

async function time(label: string, f: () => Promise<unknown>) {
  await f(); // warm the cache once, as a screen that is used is
  const ts: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await f();
    ts.push(performance.now() - t0);
  }
  console.log(`  ${label.padEnd(58)} median ${pct(ts, 0.5).toFixed(1)} ms  max ${Math.max(...ts).toFixed(1)} ms`);
}

async function run(kind: string, handle: DatabaseHandle, tickets: number, explain: boolean) {
  const db = handle.db;
  await migrateToLatest(db);
  await seedReferenceData(db);
  const clock = new ManualClock(`${TODAY}T12:00:00+08:00`);
  const ids = (await seedDemo(db, clock.now(), DEMO_PASSWORD))!;
  await addRegions(db);
  const t0 = performance.now();
  await populate(db, tickets);
  const loadS = (performance.now() - t0) / 1000;
  const counts = await sql<{ facts: number; daily: number; monthly: number; cube: number; regions: number }>`
    SELECT (SELECT count(*) FROM analytics_ticket_facts)::int AS facts, (SELECT count(*) FROM analytics_daily)::int AS daily,
      (SELECT count(*) FROM analytics_monthly)::int AS monthly, (SELECT count(*) FROM analytics_cube)::int AS cube,
      (SELECT count(*) FROM regions)::int AS regions`.execute(db);
  const c = counts.rows[0]!;
  console.log(
    `${kind}, ${Number(c.facts).toLocaleString()} tickets over ${c.regions} regions and ${DAYS} days → ${Number(c.daily).toLocaleString()} daily rows, ${Number(c.monthly).toLocaleString()} monthly rows, ${Number(c.cube).toLocaleString()} cube rows; loaded in ${loadS.toFixed(0)} s; load ${loadavg()[0]!.toFixed(2)} (${new Date().toISOString()})`,
  );
  const service = new AnalyticsService({ db, clock });
  const analyst: Actor = {
    userId: ids.users['analyst']!,
    username: 'analyst',
    displayName: '分析员',
    unitId: ids.units['centre']!,
    roles: ['analyst'],
    scope: 'region',
    regionPrefixes: ['3717'],
  };
  const month = { from: '2025-12-01', to: TODAY };
  const days30 = { from: '2025-12-02', to: TODAY };
  const year = { from: '2025-01-01', to: TODAY };
  const rolling = { from: '2025-01-15', to: TODAY };
  const busyCategory = (
    await sql<{
      id: number;
    }>`SELECT category_id AS id FROM analytics_monthly GROUP BY 1 ORDER BY sum(tickets) DESC LIMIT 1`.execute(db)
  ).rows[0]!.id;
  const v = (q: object, regionLevel: 'county' | 'town' | 'grid', categoryLevel = 1) =>
    service.volume(analyst, { ...month, ...q, regionLevel, categoryLevel });
  await time('map: counties, 30 days, + previous + last year', () => v(days30, 'county'));
  await time('map: counties, one year (calendar months)', () => v(year, 'county'));
  await time('map: counties, 2025-01-15 … 2025-12-31 (months + days)', () => v(rolling, 'county'));
  await time('heat table: towns × level-1 categories, 30 days', () => v(days30, 'town'));
  await time('heat table: towns × level-1 categories, one year', () => v(year, 'town'));
  await time('heat table: one county’s grids, one year', () => v({ ...year, region: '371702' }, 'grid'));
  await time('year × all regions × one category (volume)', () => v({ ...year, categoryId: busyCategory }, 'county'));
  await time('year × all regions × one category (trend by day)', () =>
    service.trend(analyst, { ...year, categoryId: busyCategory, granularity: 'day' } as never),
  );
  await time('trend by day, 30 days, + previous + last year', () =>
    service.trend(analyst, { ...days30, granularity: 'day' } as never),
  );
  await time('trend by week, one year, + previous + last year', () =>
    service.trend(analyst, { ...year, granularity: 'week' } as never),
  );
  await time('trend by month, one year, + previous + last year', () =>
    service.trend(analyst, { ...year, granularity: 'month' } as never),
  );
  await time('top rising: county × level-2 category, 30 days', () =>
    service.rising(analyst, { ...days30, regionLevel: 'county', categoryLevel: 2, minCount: 5, limit: 10 } as never),
  );
  await time('top rising: town × level-2 category, one year', () =>
    service.rising(analyst, { ...year, regionLevel: 'town', categoryLevel: 2, minCount: 5, limit: 10 } as never),
  );
  await time('drill-down: first page of 50, one year, one town', () =>
    service.tickets(analyst, { ...year, region: '371702001', limit: 50 }),
  );
  await time('drill-down: first page of 50, one year, one county', () =>
    service.tickets(analyst, { ...year, region: '371721', limit: 50 }),
  );
  await time('drill-down: first page of 50, one year, one category', () =>
    service.tickets(analyst, { ...year, categoryId: busyCategory, limit: 50 }),
  );
  if (explain) {
    const plan = await sql<{ 'QUERY PLAN': string }>`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
      SELECT region_code, category_id, sum(tickets) FROM analytics_cube
      WHERE grain = 2 AND channel = '*' AND request_type = '*' AND period >= '2025-01-01' AND period <= '2025-12-31'
      GROUP BY 1, 2`.execute(db);
    console.log('\n  EXPLAIN heat table, one year:\n' + plan.rows.map((r) => `    ${r['QUERY PLAN']}`).join('\n'));
    const plan2 = await sql<{ 'QUERY PLAN': string }>`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
      SELECT day, sum(tickets) FROM analytics_daily
      WHERE day >= '2025-01-01' AND day <= '2025-12-31' AND category_id = ANY(${sql.val([busyCategory])}::int[])
      GROUP BY day`.execute(db);
    console.log(
      '\n  EXPLAIN year × one category by day:\n' + plan2.rows.map((r) => `    ${r['QUERY PLAN']}`).join('\n'),
    );
  }
}

if (!args['skip-pg']) {
  const pg = await createThrowawayPgDatabase(args.pg, 'hz_bench_analytics');
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
