import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { systemClock } from '../src/server/clock.js';
import { openDatabase, type DatabaseHandle } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { buildApp } from '../src/server/http/app.js';
import { PiiCipher } from '../src/server/security/pii-cipher.js';
import { seedDemo, seedReferenceData } from '../src/server/seed/seed.js';
import { explainCaptured, formatPlan, QueueQueryCapture, type PlanSummary } from './explain.js';
import { TicketGenerator } from './generate.js';
import { Client, createTickets, measureQueue, type CreateResult, type QueueResult, type Stats } from './http.js';
import { loadTicketTexts } from './ticket-texts.js';

// npm run bench -- --db both --sizes 100000,1000000
// For each database: migrate, seed, start the real app on a loopback port, create tickets over HTTP, then
// per size bulk-load the tickets table up to that size and time the work queues. Bounded in requests and
// seconds; only loopback traffic; the PostgreSQL database and the PGlite directory are thrown away after.

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: process.env.BENCH_DB ?? 'both' },
    sizes: { type: 'string', default: process.env.BENCH_SIZES ?? '100000,1000000' },
    create: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '8' },
    requests: { type: 'string', default: '200' },
    depth: { type: 'string', default: '20' },
    'max-seconds': { type: 'string', default: '60' },
    batch: { type: 'string', default: '20000' },
    'pglite-dir': { type: 'string', default: process.env.BENCH_PGLITE_DIR ?? '' },
  },
});
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const kinds: Array<'pglite' | 'postgres'> | null =
  args.db === 'both' ? ['pglite', 'postgres'] : args.db === 'pglite' || args.db === 'postgres' ? [args.db] : null;
if (!kinds) throw new Error(`--db must be pglite, postgres or both (got ${args.db})`);
const sizes = args.sizes
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n >= 0)
  .sort((a, b) => a - b);
const CREATE = Number(args.create);
const CONCURRENCY = Number(args.concurrency);
const REQUESTS = Number(args.requests);
const DEPTH = Number(args.depth);
const MAX_SECONDS = Number(args['max-seconds']);
const BATCH = Number(args.batch);

const log = (s: string) => console.log(s);
const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '—');
const trio = (s: Stats) => (s.n ? `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.max)}` : '—');
const pad = (s: string | number, n: number) => String(s).padEnd(n);
const lpad = (s: string | number, n: number) => String(s).padStart(n);

interface QueueRow {
  db: string;
  size: number;
  q: QueueResult;
  planFirst: PlanSummary | null;
  planDeep: PlanSummary | null;
}
interface CreateRow {
  db: string;
  size: number;
  r: CreateResult;
}
const queueRows: QueueRow[] = [];
const createRows: CreateRow[] = [];
const loadRows: Array<{ db: string; size: number; text: string }> = [];
const cleanups: Array<() => Promise<void>> = [];
let retriedGets = 0;

const SCENARIOS: Array<{ user: string; label: string; path: string }> = [
  { user: 'handler_md', label: 'unit lead, in_progress', path: '/api/tickets?view=lead&status=in_progress&limit=50' },
  {
    user: 'handler_md',
    label: 'unit lead, dispatched+in_progress',
    path: '/api/tickets?view=lead&status=dispatched,in_progress&limit=50',
  },
  { user: 'handler_md', label: 'unit lead, any status', path: '/api/tickets?view=lead&limit=50' },
  {
    user: 'handler_cg',
    label: 'unit assist, in_progress',
    path: '/api/tickets?view=assist&status=in_progress&limit=50',
  },
  {
    user: 'dispatcher',
    label: 'centre, pending_dispatch',
    path: '/api/tickets?view=centre&status=pending_dispatch&limit=50',
  },
  {
    user: 'agent_cx',
    label: 'county centre, pending_dispatch',
    path: '/api/tickets?view=centre&status=pending_dispatch&limit=50',
  },
];

async function createPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `hz_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function open(kind: 'pglite' | 'postgres'): Promise<{ handle: DatabaseHandle; where: string }> {
  if (kind === 'postgres') {
    const { url, drop } = await createPgDatabase();
    cleanups.push(drop);
    return { handle: await openDatabase({ url }), where: url.replace(/\/\/[^@]*@/, '//') };
  }
  if (args['pglite-dir'] === 'memory') return { handle: await openDatabase({ dataDir: null }), where: 'memory://' };
  const dir = args['pglite-dir'] || mkdtempSync(join(tmpdir(), 'hz-bench-pglite-'));
  if (!args['pglite-dir']) cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return { handle: await openDatabase({ dataDir: dir }), where: join(dir, 'pglite') };
}

async function runDatabase(kind: 'pglite' | 'postgres', corpus: ReturnType<typeof loadTicketTexts>) {
  const { handle, where } = await open(kind);
  const capture = new QueueQueryCapture();
  try {
    const db = handle.db;
    const version = (await sql<{ v: string }>`select version() as v`.execute(db)).rows[0]!.v;
    log(`\n=== ${kind} — ${where}\n    ${version}`);
    log(`    migrations applied: ${(await migrateToLatest(db)).join(', ')}`);
    await seedReferenceData(db);
    const ids = (await seedDemo(db, systemClock.now()))!;
    const { app } = await buildApp({
      db: db.withPlugin(capture),
      clock: systemClock,
      cipher: new PiiCipher(randomBytes(32)),
      logLevel: 'silent',
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const addr = app.server.address();
      const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
      const clients = new Map<string, Client>();
      for (const u of ['agent', ...new Set(SCENARIOS.map((s) => s.user))]) clients.set(u, await Client.login(base, u));
      const agent = clients.get('agent')!;
      const gen = new TicketGenerator(db, ids, corpus);
      await gen.prepare();
      let created = 0;
      const create = async (size: number) => {
        const n = await count(db);
        const r = await createTickets(agent, corpus, ids, CREATE, CONCURRENCY, MAX_SECONDS, created);
        created += CREATE;
        createRows.push({ db: kind, size: n, r });
        log(
          `  create via HTTP at ${n} tickets: ${r.created} in ${r.seconds.toFixed(1)} s = ${r.perSecond.toFixed(0)} tickets/s, ` +
            `latency p50/p95/max ${trio(r.latency)} ms (concurrency ${CONCURRENCY}${r.errors ? `, ${r.errors} errors: ${r.firstError}` : ''})`,
        );
        return size;
      };
      await createTickets(agent, corpus, ids, 100, CONCURRENCY, MAX_SECONDS, 1_000_000); // warm-up (JIT, pools), not reported
      await create(0);
      for (const size of sizes) {
        if (size === 0) continue;
        let lastPct = -1;
        const load = await gen.loadTo(size, systemClock.now(), BATCH, (done, total) => {
          const pct = Math.floor((done / total) * 10);
          if (pct !== lastPct) {
            lastPct = pct;
            process.stderr.write(`  loading ${done}/${total}\r`);
          }
        });
        const text =
          `${load.inserted} tickets + ${load.events} events + ${load.deadlines} deadlines + ${load.assignments} assignments in ${load.seconds.toFixed(1)} s ` +
          `(${(load.inserted / Math.max(load.seconds, 1e-9)).toFixed(0)} tickets/s), ANALYZE ${load.analyzeSeconds.toFixed(1)} s`;
        loadRows.push({ db: kind, size: load.tickets, text });
        log(`\n  --- ${load.tickets} tickets  (bulk load: ${text})`);
        const dist = await sql<{ status: string; n: number; md: number }>`
          SELECT status, count(*)::int AS n, count(*) FILTER (WHERE lead_unit_id = ${ids.units['gov-md']!})::int AS md FROM tickets GROUP BY status ORDER BY status`.execute(
          db,
        );
        log(`  status mix (all / gov-md): ${dist.rows.map((r) => `${r.status} ${r.n}/${r.md}`).join(', ')}`);
        for (const s of SCENARIOS) {
          const client = clients.get(s.user)!;
          await client.request('GET', s.path); // untimed: refreshes keep-alive sockets left idle during the load
          const q = await measureQueue(client, s.label, s.path, REQUESTS, DEPTH, MAX_SECONDS);
          capture.last = null;
          await client.request('GET', s.path);
          const planFirst = await explainCaptured(db, capture);
          let planDeep: PlanSummary | null = null;
          if (q.lastCursor) {
            capture.last = null;
            await client.request('GET', `${s.path}&after=${encodeURIComponent(q.lastCursor)}`);
            planDeep = await explainCaptured(db, capture);
          }
          queueRows.push({ db: kind, size: load.tickets, q, planFirst, planDeep });
          log(
            `  ${pad(`${s.label} (${s.user})`, 48)} page 1 p50/p95/max ${trio(q.first)} ms [${q.first.n} req, ${q.firstPageRows} rows, ${(q.firstPageBytes / 1024).toFixed(0)} KiB]; ` +
              `pages 2–${q.pagesWalked} ${trio(q.deep)} ms [${q.deep.n} req]; ${q.reachedEnd ? 'last page' : 'page reached in time'} ${q.lastPage} ${trio(q.last)} ms [${q.last.n} req]`,
          );
          log(`      EXPLAIN page 1: ${formatPlan(planFirst)}`);
          for (const line of planFirst?.nodes ?? []) log(`        ${line}`);
          if (planDeep) log(`      EXPLAIN page ${q.lastPage}: ${formatPlan(planDeep)}`);
          for (const line of planDeep?.nodes ?? []) log(`        ${line}`);
        }
        await create(size);
        retriedGets = [...clients.values()].reduce((a, c) => a + c.retries, 0);
      }
    } finally {
      await app.close();
    }
  } finally {
    await handle.close();
  }
}

const count = async (db: DatabaseHandle['db']) =>
  Number((await sql<{ n: number }>`select count(*)::int as n from tickets`.execute(db)).rows[0]!.n);

function printSummary() {
  log('\n================ summary ================');
  log('Ticket creation through POST /api/tickets (HTTP, loopback):');
  log(
    `  ${pad('db', 9)}${lpad('tickets before', 15)}${lpad('created', 9)}${lpad('tickets/s', 11)}   latency p50 / p95 / max (ms)`,
  );
  for (const c of createRows)
    log(
      `  ${pad(c.db, 9)}${lpad(c.size, 15)}${lpad(c.r.created, 9)}${lpad(c.r.perSecond.toFixed(0), 11)}   ${trio(c.r.latency)}`,
    );
  log('\nBulk loads:');
  for (const l of loadRows) log(`  ${pad(l.db, 9)} to ${l.size}: ${l.text}`);
  log(
    '\nWork queue GET /api/tickets?limit=50 (one client, sequential; ms p50 / p95 / max) and EXPLAIN ANALYZE of the page-1 and last-page SQL:',
  );
  log(
    `  ${pad('db', 9)}${lpad('tickets', 9)}  ${pad('queue', 36)}${pad('page 1', 25)}${pad(`pages 2–${DEPTH + 1}`, 25)}${pad('last page (#)', 32)}EXPLAIN page 1 → last page`,
  );
  for (const r of queueRows) {
    const ex = (p: PlanSummary | null) =>
      p ? `${p.executionMs?.toFixed(1)} ms ${p.usesIndex ? 'idx' : 'NO IDX'}${p.sorts.length ? '+sort' : ''}` : '—';
    const last = r.q.last.n ? `${trio(r.q.last)} (#${r.q.lastPage}${r.q.reachedEnd ? '' : '+'})` : '—';
    log(
      `  ${pad(r.db, 9)}${lpad(r.size, 9)}  ${pad(r.q.label, 36)}${pad(trio(r.q.first), 25)}${pad(trio(r.q.deep), 25)}${pad(last, 32)}${ex(r.planFirst)} → ${ex(r.planDeep)}`,
    );
  }
}

async function cleanup() {
  while (cleanups.length) await cleanups.pop()!().catch((e) => console.error('cleanup failed:', e));
}
process.once('SIGINT', () => {
  // DROP … WITH (FORCE) cuts the pool's busy connection; that error is expected while shutting down.
  process.on('uncaughtException', (e) => console.error(`(while stopping) ${e.message}`));
  void cleanup().finally(() => process.exit(130));
});

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const corpus = loadTicketTexts();
const pgliteVersion = (() => {
  try {
    return (
      JSON.parse(
        readFileSync(new URL('../node_modules/@electric-sql/pglite/package.json', import.meta.url), 'utf8'),
      ) as { version: string }
    ).version;
  } catch {
    return '?';
  }
})();
log(`Heze 12345 benchmark — ${new Date().toISOString()}`);
log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, PGlite ${pgliteVersion}`,
);
log(`load average at start: ${load()} (other work on the machine shares the cores)`);
log(`texts: ${corpus.source}`);
log(
  `databases: ${kinds.join(', ')}; sizes: ${sizes.join(', ')}; create ${CREATE} at concurrency ${CONCURRENCY}; queue ${REQUESTS} req per page kind, depth ${DEPTH}, ≤${MAX_SECONDS} s each`,
);
try {
  for (const kind of kinds) {
    const t0 = performance.now();
    try {
      await runDatabase(kind, corpus);
    } finally {
      await cleanup();
    }
    log(
      `  (${kind} total ${((performance.now() - t0) / 1000).toFixed(0)} s; ${retriedGets} GETs retried after a socket reset; load average now ${load()})`,
    );
  }
  printSummary();
} catch (err) {
  printSummary();
  throw err;
}
