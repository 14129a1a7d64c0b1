import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { systemClock } from '../src/server/clock.js';
import { openDatabase } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { buildApp } from '../src/server/http/app.js';
import { PiiCipher } from '../src/server/security/pii-cipher.js';
import { DEMO_PASSWORD } from '../src/server/seed/heze-organisation.js';
import { seedDemo, seedReferenceData } from '../src/server/seed/seed.js';
import { TICKET_SORTS } from '../src/shared/domain/ticket-sort.js';
import { explainCaptured, formatPlan, QueueQueryCapture, type PlanSummary } from './explain.js';
import { TicketGenerator } from './generate.js';
import { loadTicketTexts } from './ticket-texts.js';

// Issue 14 list sorting: EXPLAIN (ANALYZE, BUFFERS) of the work-queue SQL the server runs for each sort order, on the
// lists people use (工单查询, 待派单, 待回访, 本单位工单, 协办), page 1 and a page deep in the list, with and without
// migration 0045's created_at indexes — so the finding in docs/benchmarks.md "List sorting" can be re-checked.
//
//   npx tsx bench/list-sorting.ts --sizes 200000,1000000
//
// PostgreSQL only (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres), a throw-away
// hz_bench_… database dropped at the end. The duplicate-search GIN index (tickets_search) is dropped before the bulk
// load: no list reads it and it is most of the load's time.

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '200000,1000000' },
    depth: { type: 'string', default: '10' },
  },
});
const SIZES = args.sizes.split(',').map(Number);
const DEPTH = Number(args.depth);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const INDEXES_0045 = {
  tickets_unit_created: 'CREATE INDEX tickets_unit_created ON tickets(lead_unit_id, status, created_at, id)',
  tickets_status_created: 'CREATE INDEX tickets_status_created ON tickets(status, created_at, id)',
};
const log = (s: string) => console.log(s);

interface Row {
  size: number;
  indexes: boolean;
  label: string;
  sort: string;
  first: PlanSummary | null;
  deep: PlanSummary | null;
}
const rows: Row[] = [];

async function main() {
  const name = `hz_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString() });
  const drop = async () => {
    await handle.close().catch(() => undefined);
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  };
  process.once('SIGINT', () => void drop().then(() => process.exit(130)));
  try {
    const db = handle.db;
    log(`${(await sql<{ v: string }>`select version() as v`.execute(db)).rows[0]!.v}`);
    log(
      `${cpus().length} cores, load ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}, ${new Date().toISOString()}`,
    );
    await migrateToLatest(db);
    await seedReferenceData(db);
    const ids = (await seedDemo(db, systemClock.now()))!;
    await sql`DROP INDEX IF EXISTS tickets_search`.execute(db);
    const capture = new QueueQueryCapture();
    const { app } = await buildApp({
      db: db.withPlugin(capture),
      clock: systemClock,
      cipher: new PiiCipher(randomBytes(32)),
      logLevel: 'silent',
    });
    await app.ready();
    const cookies = new Map<string, string>();
    // logged in again after each bulk load: a load can outlast the session's idle timeout
    const login = async () => {
      for (const u of ['handler_md', 'handler_rs', 'handler_cg', 'dispatcher', 'callback', 'agent_cx']) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: u, password: DEMO_PASSWORD },
        });
        const c = res.cookies.find((x) => x.name === 'hz_sid');
        if (!c) throw new Error(`login ${u}: ${res.statusCode}`);
        cookies.set(u, `hz_sid=${c.value}`);
      }
    };
    const get = async (user: string, path: string) => {
      const res = await app.inject({ method: 'GET', url: path, headers: { cookie: cookies.get(user)! } });
      if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${res.body}`);
      return res.json<{ items: unknown[]; next: string | null }>();
    };
    const SCENARIOS = [
      { label: '本单位工单 在办 (牡丹区, 22 %)', user: 'handler_md', path: 'view=lead&status=dispatched,in_progress' },
      { label: '本单位工单 已办结 (牡丹区)', user: 'handler_md', path: 'view=lead&status=closed,terminated' },
      { label: '本单位工单 已办结 (人社局, 4 %)', user: 'handler_rs', path: 'view=lead&status=closed,terminated' },
      {
        label: '工单查询 全部在办 (市中心)',
        user: 'dispatcher',
        path: 'view=centre&status=pending_dispatch,dispatched,in_progress,replied',
      },
      { label: '工单查询 已办结 (市中心)', user: 'dispatcher', path: 'view=centre&status=closed' },
      {
        label: '工单查询 已办结, 主办 人社局',
        user: 'dispatcher',
        path: `view=centre&status=closed&unitId=${ids.units['rsj']!}`,
      },
      { label: '工单查询 已办结 (曹县中心)', user: 'agent_cx', path: 'view=centre&status=closed' },
      { label: '待派单', user: 'dispatcher', path: 'view=centre&status=pending_dispatch' },
      { label: '待回访', user: 'callback', path: 'view=centre&status=replied' },
      { label: '协办 在办 (城管局)', user: 'handler_cg', path: 'view=assist&status=dispatched,in_progress' },
    ];
    const gen = new TicketGenerator(db, ids, loadTicketTexts());
    await gen.prepare();
    for (const size of SIZES) {
      const load = await gen.loadTo(size, systemClock.now(), 20_000, (d, t) =>
        process.stderr.write(`  loading ${d}/${t}\r`),
      );
      log(`\n=== ${load.tickets} tickets (bulk load ${load.seconds.toFixed(0)} s), load ${loadavg()[0]!.toFixed(1)}`);
      await login();
      for (const indexes of [false, true]) {
        for (const [ix, ddl] of Object.entries(INDEXES_0045))
          await sql
            .raw(
              indexes ? `${ddl.replace('CREATE INDEX', 'CREATE INDEX IF NOT EXISTS')}` : `DROP INDEX IF EXISTS ${ix}`,
            )
            .execute(db);
        await sql`ANALYZE tickets`.execute(db);
        log(`\n--- ${indexes ? 'with' : 'WITHOUT'} 0045's indexes`);
        for (const s of SCENARIOS)
          for (const sort of TICKET_SORTS) {
            const path = `/api/tickets?${s.path}&limit=50&sort=${sort}`;
            capture.last = null;
            let page = await get(s.user, path);
            const first = await explainCaptured(db, capture);
            let deep: PlanSummary | null = null;
            for (let i = 0; i < DEPTH && page.next; i++)
              page = await get(s.user, `${path}&after=${encodeURIComponent(page.next)}`);
            if (page.next) {
              capture.last = null;
              await get(s.user, `${path}&after=${encodeURIComponent(page.next)}`);
              deep = await explainCaptured(db, capture);
            }
            rows.push({ size: load.tickets, indexes, label: s.label, sort, first, deep });
            log(`  ${s.label} sort=${sort}`);
            log(`    page 1: ${formatPlan(first)}`);
            if (deep) log(`    page ${DEPTH + 2}: ${formatPlan(deep)}`);
          }
      }
    }
    log('\n| tickets | 0045 | list | sort | page 1 ms | deep page ms | page 1 plan |');
    log('|---|---|---|---|---|---|---|');
    for (const r of rows)
      log(
        `| ${r.size} | ${r.indexes ? 'yes' : 'no'} | ${r.label} | ${r.sort} | ${r.first?.executionMs?.toFixed(1) ?? '—'} | ${r.deep?.executionMs?.toFixed(1) ?? '—'} | ${[...new Set(r.first?.scans ?? [])].join(', ')}${r.first?.sorts.length ? `; ${[...new Set(r.first.sorts)].join(', ')}` : ''} |`,
      );
    await app.close();
  } finally {
    await drop();
  }
}

await main();
