import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { promisify } from 'node:util';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/server/db/schema.js';
import { systemClock } from '../src/server/clock.js';
import { openDatabase, type DatabaseHandle } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { median } from '../src/server/domain/knowledge-workflow.js';
import { searchTokens } from '../src/server/domain/text-tokens.js';
import { buildApp } from '../src/server/http/app.js';
import { protectTicketText } from '../src/server/security/free-text.js';
import { PiiCipher } from '../src/server/security/pii-cipher.js';
import { REGIONS } from '../src/server/seed/heze-organisation.js';
import { seedDemo, seedReferenceData, type SeedIds } from '../src/server/seed/seed.js';
import { createThrowawayPgDatabase } from '../test/helpers/pg-database.js';
import { Client, smsInboundBody, stats, ticketBody, type Stats } from './http.js';
import { RawHttpPool } from './raw-http.js';
import { loadTicketTexts, type TextCorpus } from './ticket-texts.js';

// npm run bench:intake [-- --db both|postgres|pglite --pgbench-seconds 15 --seconds 10 --levels 1,8,32 --processes 1,2]
// How close does ticket intake come to what PostgreSQL itself can commit? On a throw-away PostgreSQL database:
// 1. pgbench runs a transaction of the rows POST /api/tickets writes (requester, ticket, ticket_requesters,
//    SMS receipt, created event — realistic values: corpus texts and their search tokens, ciphertexts of the
//    same size) with 8 clients: PostgreSQL's own limit for this shape on this machine;
// 2. right after, the real server takes POST /api/tickets at 1, 8 and 32 in flight: tickets/s, p50/p95 and the
//    ratio to pgbench's tps. On PostgreSQL the server runs as N separate app processes (bench/intake-server.ts:
//    what main.ts runs with ROLES=http; same DATABASE_URL and PII_KEY), for each N of --processes (default 1 and
//    2: app processes are stateless, several run behind a load balancer — README), and the HTTP client here
//    spreads the requests over them round-robin; the client never shares a process with the server;
// 3. the other intake paths: SMS webhook (a contact, no ticket) and Open311 POST (contact + ticket).
// Both halves start from a centre's database, not an empty one: --requesters (default 500 000) requesters on record,
// and statistics gathered (ANALYZE). From an empty table, the plan PostgreSQL prepares for the ticket statement's
// look-up by phone is a sequential scan, kept by every connection until autovacuum next analyses the table (a minute
// or more): the scan grows with every requester the bench adds, and the app's figures fell from level to level
// (docs/benchmarks.md, "What moved intake"; bench/results/2026-12-06-intake-centre-database.txt).
// 4. the goal's level (8 in flight, the first --processes) again in --pairs (default 3) alternating pairs, pgbench next to
//    HTTP, ABBA order: the machine's speed drifts within minutes, and the median of the pairs' ratios is the ratio of
//    record (docs/benchmarks.md, "Paired runs").
// Then the same HTTP figures on PGlite (no pgbench there; PGlite is embedded, so one in-process server).
// --server-node-args '--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the app processes. The web form is limited to 10 posts a minute per
// address (rate_limit_windows), so it cannot be driven from one loopback address and is not measured.

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: process.env.BENCH_DB ?? 'both' },
    'pgbench-seconds': { type: 'string', default: '15' },
    'pgbench-clients': { type: 'string', default: '8' },
    seconds: { type: 'string', default: '10' },
    levels: { type: 'string', default: '1,8,32' },
    channels: { type: 'string', default: 'sms,open311' },
    'channel-concurrency': { type: 'string', default: '8' },
    processes: { type: 'string', default: '1,2' },
    'server-node-args': { type: 'string', default: '' },
    requesters: { type: 'string', default: '500000' },
    pairs: { type: 'string', default: '3' },
  },
});
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const kinds: Array<'pglite' | 'postgres'> | null =
  args.db === 'both' ? ['postgres', 'pglite'] : args.db === 'pglite' || args.db === 'postgres' ? [args.db] : null;
if (!kinds) throw new Error(`--db must be pglite, postgres or both (got ${args.db})`);
const PGBENCH_SECONDS = Number(args['pgbench-seconds']);
const PGBENCH_CLIENTS = Number(args['pgbench-clients']);
const SECONDS = Number(args.seconds);
const REQUESTERS = Number(args.requesters);
const PAIRS = Number(args.pairs);
if (!Number.isInteger(PAIRS) || PAIRS < 0) throw new Error(`--pairs must be a whole number (got ${args.pairs})`);
/** The goal's level (issue 8: ≥ 0.5 of pgbench at 8 in flight), the one measured in alternating pairs. */
const GOAL_LEVEL = 8;
const PAIRED_LABEL = 'POST /api/tickets, paired';
const LEVELS = args.levels
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const CHANNELS = args.channels
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const CHANNEL_CONCURRENCY = Number(args['channel-concurrency']);
const PROCESSES = args.processes
  .split(',')
  .map(Number)
  .filter((n) => Number.isInteger(n) && n > 0);
if (!PROCESSES.length) throw new Error(`--processes must list process counts, e.g. 1,2 (got ${args.processes})`);
const SERVER_NODE_ARGS = args['server-node-args'].split(/\s+/).filter(Boolean);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const log = (s: string) => console.log(s);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '—');
const cleanups: Array<() => Promise<void>> = [];

interface Rate {
  cpu?: Cpu;
  label: string;
  db: string;
  processes: number | null;
  concurrency: number;
  ok: number;
  errors: number;
  seconds: number;
  perSecond: number;
  latency: Stats;
  firstError?: string;
  load: string;
  /** the pgbench tps this level is compared with (the ratio's denominator), when there is one */
  limit?: number;
}
const rows: Rate[] = [];
let pgbenchCpu: { postgresMs: number; clientMs: number } | null = null;
const pgbenchRuns: Array<{ tps: number; latencyMs: number; clients: number; seconds: number; load: string }> = [];

/**
 * Where the CPU went during a measurement (Linux /proc; PostgreSQL on this machine): seconds of CPU used by the
 * database's backends, by the app processes and by this process (the HTTP client). The machine has
 * cpus().length × the wall time to give.
 */
interface Cpu {
  postgres: number;
  app: number;
  client: number;
}
let postgresPids: (() => Promise<number[]>) | null = null;
const TICK = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s
function procCpu(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / TICK;
  } catch {
    return 0;
  }
}
async function cpuNow(): Promise<Map<string, number> | null> {
  if (!existsSync('/proc/self/stat')) return null;
  const m = new Map<string, number>();
  for (const pid of (await postgresPids?.().catch(() => [])) ?? []) m.set(`pg:${pid}`, procCpu(pid));
  for (const x of running) if (x.child.pid) m.set(`app:${x.child.pid}`, procCpu(x.child.pid));
  const u = process.cpuUsage();
  m.set('client', (u.user + u.system) / 1e6);
  return m;
}
function cpuSince(a: Map<string, number> | null, b: Map<string, number> | null): Cpu | undefined {
  if (!a || !b) return undefined;
  const cpu: Cpu = { postgres: 0, app: 0, client: 0 };
  for (const [k, v] of b) {
    const d = v - (a.get(k) ?? 0);
    if (k === 'client') cpu.client += d;
    else if (k.startsWith('app:')) cpu.app += d;
    else cpu.postgres += d;
  }
  return cpu;
}

/** Calls `fn(i)` with `concurrency` calls in flight for `seconds` (after an untimed warm-up elsewhere). */
async function atRate(
  label: string,
  db: string,
  processes: number | null,
  concurrency: number,
  seconds: number,
  fn: (i: number) => Promise<{ ok: boolean; err?: string }>,
): Promise<Rate> {
  const latencies: number[] = [];
  let next = 0,
    errors = 0;
  let firstError: string | undefined;
  const cpu0 = await cpuNow();
  const t0 = performance.now();
  const stop = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < stop) {
        const i = next++;
        const s = performance.now();
        const r = await fn(i);
        if (r.ok) latencies.push(performance.now() - s);
        else {
          errors++;
          firstError ??= r.err;
        }
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  const cpu = cpuSince(cpu0, await cpuNow());
  const r: Rate = {
    cpu,
    label,
    db,
    processes,
    concurrency,
    ok: latencies.length,
    errors,
    seconds: secs,
    perSecond: latencies.length / secs,
    latency: stats(latencies),
    firstError,
    load: load(),
  };
  rows.push(r);
  log(
    `  ${label.padEnd(24)} ${String(concurrency).padStart(3)} in flight: ${String(r.ok).padStart(6)} in ${secs.toFixed(1)} s = ${r.perSecond.toFixed(0).padStart(5)}/s, ` +
      `p50/p95/max ${f1(r.latency.p50)} / ${f1(r.latency.p95)} / ${f1(r.latency.max)} ms${errors ? `, ${errors} errors: ${firstError}` : ''}  (load ${r.load})` +
      (cpu
        ? `\n    CPU s of ${(secs * cpus().length).toFixed(1)}: ${cpuText(cpu)}; per request ms: ${cpuText(cpu, 1000 / Math.max(1, r.ok + errors), 2)}`
        : ''),
  );
  return r;
}

const cpuText = (c: Cpu, k = 1, d = 1) =>
  `postgres ${(c.postgres * k).toFixed(d)}, app ${(c.app * k).toFixed(d)}, client ${(c.client * k).toFixed(d)}`;

/**
 * Requesters a centre already has on record (hashes and ciphertexts of the real sizes; the hashes carry a prefix no
 * keyed hash has, so no bench phone finds one), then ANALYZE, as autovacuum keeps a live database analysed.
 */
async function requestersOnRecord(db: Kysely<DB>, n: number) {
  if (n > 0)
    await sql`INSERT INTO requesters (name_enc, phone_enc, phone_hash, key_version, created_at)
      SELECT md5(i::text) || md5(i::text), md5(i::text) || md5(i::text), 'bench-' || md5(i::text), 1, now() - interval '1 day'
      FROM generate_series(1, ${n}::int) i`.execute(db);
  await sql`ANALYZE`.execute(db);
}

function pgbenchBinary(): string {
  for (const p of ['/usr/bin/pgbench', ...(process.env.PATH ?? '').split(':').map((d) => join(d, 'pgbench'))])
    if (existsSync(p)) return p;
  throw new Error('pgbench not found (/usr/bin/pgbench or on PATH); it ships with the PostgreSQL client');
}

/**
 * The writes of one ticket creation as one pgbench transaction. Values come from bench_intake_rows, filled
 * from the same generator the HTTP half posts (corpus title and content, their search tokens, ciphertexts
 * made by the app's cipher), so row sizes, the GIN index on search_vector and every other index see the same work.
 */
async function preparePgbench(
  handle: DatabaseHandle,
  url: string,
  corpus: TextCorpus,
  ids: SeedIds,
  cipher: PiiCipher,
): Promise<() => Promise<number>> {
  const db = handle.db;
  await sql`CREATE TABLE bench_intake_rows (i int PRIMARY KEY, request_type text, category_id int, urgency text, region_code text, address_enc text,
    title text, content text, original_enc text, unit_text text, search_words text, name_enc text, phone_enc text, receipt text, event_data text)`.execute(
    db,
  );
  await sql`CREATE SEQUENCE bench_intake_seq`.execute(db);
  // Every text of the corpus (up to 5 000, drawn uniformly), each as TicketService writes it — personal data in the
  // text masked, the original kept encrypted, a 举报's text for the units — so pgbench's rows are the app's rows.
  // (Until 2026-12-06 pgbench replayed 500 texts: 50 000 distinct words in 3 000 tickets against the app's 154 000,
  // which could have made its GIN index cheaper; measured side by side, it did not: docs/benchmarks.md.)
  const N = Math.min(corpus.messages.length, 5_000);
  const rows = [];
  for (let i = 1; i <= N; i++) {
    const b = ticketBody(2_000_000 + i, corpus, ids);
    const number = `HZ20261202-${String(i).padStart(6, '0')}`;
    // the row as TicketService writes it: personal data in the text masked, the original kept encrypted
    const text = protectTicketText(cipher, b.title, b.content);
    rows.push(
      sql`(${i}, ${b.requestType}, ${b.categoryId}, ${b.urgency}, ${b.regionCode}, ${cipher.encrypt(b.address)},
      ${text.title}, ${text.content}, ${text.enc}, ${b.requestType === 'report' ? b.unitText : null}, ${searchTokens(text.title, text.content)},
      ${cipher.encrypt(b.requester.name)}, ${cipher.encrypt(b.requester.phone)},
      ${`【菏泽12345】您的诉求已受理，工单号${number}，查询码ABCD2345。可凭工单号和查询码查询办理进度。`},
      ${JSON.stringify({ number, channel: 'phone', contactId: null })})`,
    );
  }
  for (let k = 0; k < rows.length; k += 200)
    await sql`INSERT INTO bench_intake_rows VALUES ${sql.join(rows.slice(k, k + 200))}`.execute(db);
  await sql`ANALYZE bench_intake_rows`.execute(db);
  const agent = ids.users.agent!;
  const centre = ids.units.centre!;
  const script = `\\set t random(1, ${N})
BEGIN;
INSERT INTO requesters (name_enc, phone_enc, phone_hash, key_version, created_at) SELECT name_enc, phone_enc, md5(random()::text), 1, now() FROM bench_intake_rows WHERE i = :t RETURNING id AS rid \\gset
INSERT INTO tickets (number, request_type, category_id, urgency, region_code, address_enc, title, content, original_enc, unit_text, status, requester_id, centre_unit_id, channel, created_by, created_at, updated_at, due_at, tracking_code_hash, search_vector) SELECT 'PB' || to_char(now(), 'YYYYMMDD') || '-' || lpad(nextval('bench_intake_seq')::text, 9, '0'), request_type, category_id, urgency, region_code, address_enc, title, content, original_enc, unit_text, 'pending_dispatch', :rid, ${centre}, 'phone', ${agent}, now(), now(), now(), md5(random()::text), to_tsvector('simple', search_words) FROM bench_intake_rows WHERE i = :t RETURNING id AS tid \\gset
INSERT INTO ticket_requesters (ticket_id, requester_id, added_at) VALUES (:tid, :rid, now());
INSERT INTO outbound_messages (channel, to_enc, purpose, ticket_id, created_at, body) SELECT 'sms', phone_enc, 'receipt', :tid, now(), receipt FROM bench_intake_rows WHERE i = :t;
INSERT INTO ticket_events (ticket_id, kind, at, actor_user_id, actor_unit_id, to_status, data, request_id) SELECT :tid, 'created', now(), ${agent}, ${centre}, 'pending_dispatch', event_data::jsonb, 'req-' || :t FROM bench_intake_rows WHERE i = :t;
END;
`;
  const dir = mkdtempSync(join(tmpdir(), 'hz-bench-intake-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'ticket-create.sql');
  writeFileSync(file, script);
  const bin = pgbenchBinary();
  const jobs = Math.min(PGBENCH_CLIENTS, cpus().length);
  log(`  pgbench script (values from bench_intake_rows):\n${script.replace(/^/gm, '    | ')}`);
  /** One pgbench run of PGBENCH_SECONDS: its tps (also recorded in pgbenchRuns). */
  return async () => {
    log(
      `  pgbench: ${bin} -n -M prepared -c ${PGBENCH_CLIENTS} -j ${jobs} -T ${PGBENCH_SECONDS} -f ticket-create.sql  (load before: ${load()})`,
    );
    const running = promisify(execFile)(
      bin,
      [
        '-n',
        '-M',
        'prepared',
        '-c',
        String(PGBENCH_CLIENTS),
        '-j',
        String(jobs),
        '-T',
        String(PGBENCH_SECONDS),
        '-f',
        file,
        url,
      ],
      { maxBuffer: 1 << 20 },
    );
    // PostgreSQL's CPU per transaction, sampled from the backends while pgbench runs (20 % → 90 % of its time; a
    // backend's figures vanish when it exits), to compare with its CPU per ticket in the HTTP half
    const sample = async () => {
      const pids = (
        await sql<{
          pid: number;
        }>`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`.execute(db)
      ).rows.map((r) => r.pid);
      return {
        t: performance.now(),
        pg: new Map(pids.map((pid) => [pid, procCpu(pid)])),
        client: running.child.pid ? procCpu(running.child.pid) : 0,
      };
    };
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    let window: { secs: number; pg: number; client: number } | null = null;
    if (existsSync('/proc/self/stat') && PGBENCH_SECONDS >= 3) {
      await sleep(PGBENCH_SECONDS * 200);
      const a = await sample();
      await sleep(PGBENCH_SECONDS * 700);
      const b = await sample();
      let pg = 0;
      for (const [pid, v] of b.pg) if (a.pg.has(pid)) pg += v - a.pg.get(pid)!;
      window = { secs: (b.t - a.t) / 1000, pg, client: b.client - a.client };
    }
    const { stdout } = await running;
    const tps = Number(
      /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1] ?? /tps = ([\d.]+)/.exec(stdout)?.[1],
    );
    const lat = Number(/latency average = ([\d.]+) ms/.exec(stdout)?.[1]);
    const failed = /number of failed transactions: (\d+)/.exec(stdout)?.[1];
    if (!Number.isFinite(tps)) throw new Error(`pgbench output not understood:\n${stdout}`);
    pgbenchRuns.push({ tps, latencyMs: lat, clients: PGBENCH_CLIENTS, seconds: PGBENCH_SECONDS, load: load() });
    log(
      `  pgbench: ${tps.toFixed(0)} tps, latency average ${f1(lat)} ms${failed && failed !== '0' ? `, ${failed} failed` : ''}  (load after: ${load()})`,
    );
    if (window) {
      pgbenchCpu = {
        postgresMs: (1000 * window.pg) / (tps * window.secs),
        clientMs: (1000 * window.client) / (tps * window.secs),
      };
      log(
        `  pgbench: CPU per transaction: postgres ${pgbenchCpu.postgresMs.toFixed(2)} ms, pgbench itself ${pgbenchCpu.clientMs.toFixed(2)} ms (backends sampled over ${window.secs.toFixed(1)} s)`,
      );
    }
    return tps;
  };
}

async function runDatabase(kind: 'pglite' | 'postgres', corpus: TextCorpus) {
  let url: string | undefined;
  let handle: DatabaseHandle;
  let where: string;
  if (kind === 'postgres') {
    const pgdb = await createThrowawayPgDatabase(PG_URL, 'hz_bench_intake');
    cleanups.push(pgdb.drop);
    url = pgdb.url;
    handle = await openDatabase({ url });
    where = url.replace(/\/\/[^@]*@/, '//');
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'hz-bench-intake-pglite-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    handle = await openDatabase({ dataDir: dir });
    where = join(dir, 'pglite');
  }
  const attDir = mkdtempSync(join(tmpdir(), 'hz-bench-att-'));
  cleanups.push(async () => rmSync(attDir, { recursive: true, force: true }));
  try {
    const db = handle.db;
    const version = (await sql<{ v: string }>`select version() as v`.execute(db)).rows[0]!.v;
    log(`\n=== ${kind} — ${where}\n    ${version}`);
    log(`    migrations applied: ${(await migrateToLatest(db)).join(', ')}`);
    await seedReferenceData(db);
    const ids = (await seedDemo(db, systemClock.now()))!;
    await requestersOnRecord(db, REQUESTERS);
    const piiKey = PiiCipher.generateKey();
    const cipher = PiiCipher.fromBase64(piiKey);
    const runPgbench =
      kind === 'postgres' && PGBENCH_SECONDS > 0 ? await preparePgbench(handle, url!, corpus, ids, cipher) : null;
    const limit = runPgbench ? await runPgbench() : null;

    postgresPids =
      kind === 'postgres'
        ? async () =>
            (
              await sql<{ pid: number }>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`.execute(
                db,
              )
            ).rows.map((r) => r.pid)
        : null;
    if (kind === 'postgres') {
      // the app processes of a deployment share the database and the PII key (phone look-ups are keyed hashes)
      for (const [round, n] of PROCESSES.entries()) {
        const servers = await startServers(n, url!, piiKey);
        try {
          log(
            `  ${n} app process${n > 1 ? 'es' : ''} (pid ${servers.map((x) => x.child.pid).join(', ')}): ${servers.map((x) => x.base).join(', ')}`,
          );
          await measureHttp(
            kind,
            n,
            servers.map((x) => x.base),
            ids,
            corpus,
            limit,
            (round + 1) * 10_000_000,
            // the alternating pairs with the first process count only: the goal is one process's
            round === 0 ? runPgbench : null,
          );
        } finally {
          await stopServers(servers);
        }
      }
    } else {
      // as main.ts and bench/intake-server.ts run it: a signed-in session kept SESSION_CACHE_SECONDS (until 2026-12-06 the
      // PGlite half read the session on every request, which the product does not)
      const { app } = await buildApp({
        db,
        clock: systemClock,
        cipher,
        logLevel: 'silent',
        attachmentDir: attDir,
        sessionCacheSeconds: Number(process.env.SESSION_CACHE_SECONDS ?? 5),
      });
      const address = await app.listen({ port: 0, host: '127.0.0.1' });
      try {
        log('  one in-process server (PGlite is embedded: one process owns the database)');
        await measureHttp(kind, null, [address.replace('localhost', '127.0.0.1')], ids, corpus, null, 0, null);
      } finally {
        await app.close();
      }
    }
    const check = await sql<{ n: number; distinct: number; bad: number }>`
      SELECT count(*)::int AS n, count(DISTINCT number)::int AS distinct, count(*) FILTER (WHERE number !~ '^HZ[0-9]{8}-[0-9]{6}$')::int AS bad
      FROM tickets WHERE number LIKE 'HZ%'`.execute(db);
    const c = check.rows[0]!;
    log(`  tickets made by the app: ${c.n}, distinct numbers ${c.distinct}, numbers not HZyyyymmdd-nnnnnn: ${c.bad}`);
    if (c.n !== c.distinct || c.bad) process.exitCode = 1;
  } finally {
    await handle.close();
  }
}

interface Server {
  child: ChildProcess;
  base: string;
  exited: Promise<void>;
}
const running = new Set<Server>();

/** Starts n app processes (bench/intake-server.ts) on free loopback ports and waits until each listens. */
async function startServers(n: number, databaseUrl: string, piiKey: string): Promise<Server[]> {
  return Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<Server>((resolve, reject) => {
          const child = spawn(
            process.execPath,
            [...SERVER_NODE_ARGS, '--import', 'tsx', join(ROOT, 'bench/intake-server.ts')],
            {
              cwd: ROOT,
              stdio: ['pipe', 'pipe', 'inherit'],
              env: {
                ...process.env,
                ROLES: 'http',
                DATABASE_URL: databaseUrl,
                PII_KEY: piiKey,
                PORT: '0',
                LOG_LEVEL: 'silent',
              },
            },
          );
          const exited = new Promise<void>((done) => child.once('exit', () => done()));
          const server: Server = { child, base: '', exited };
          running.add(server);
          void exited.then(() => {
            running.delete(server);
            reject(new Error(`app process ${child.pid} exited before listening`));
          });
          createInterface({ input: child.stdout }).on('line', (line) => {
            const m = /^listening (http:\/\/\S+)$/.exec(line);
            if (m) {
              server.base = m[1]!;
              resolve(server);
            }
          });
        }),
    ),
  );
}

/** SIGTERM (the server closes and exits; --cpu-prof writes then), SIGKILL after 10 s. */
async function stopServers(servers: Iterable<Server>): Promise<void> {
  await Promise.all(
    [...servers].map(async (x) => {
      if (x.child.exitCode !== null || x.child.signalCode !== null) return;
      x.child.kill('SIGTERM');
      const timer = setTimeout(() => x.child.kill('SIGKILL'), 10_000);
      await x.exited;
      clearTimeout(timer);
    }),
  );
}

/** The HTTP half on running server(s): requests go round-robin over `bases` (one session, valid on every process). */
async function measureHttp(
  kind: 'pglite' | 'postgres',
  processes: number | null,
  bases: string[],
  ids: SeedIds,
  corpus: TextCorpus,
  limit: number | null,
  offsetBase: number,
  runPgbench: (() => Promise<number>) | null,
) {
  const agent = await Client.login(bases[0]!, 'agent');
  const pick = <T>(xs: T[], i: number) => xs[i % xs.length]!;
  let offset = offsetBase;
  // a lean client (bench/raw-http.ts) rather than node:http or fetch: the client takes as little as it can of the
  // two cores the server and PostgreSQL need, as pgbench's does (its CPU is measured and printed: "client")
  const pool = new RawHttpPool({ cookie: agent.cookieHeader });
  const create = (i: number) =>
    pool
      .postJson(pick(bases, i), '/api/tickets', ticketBody(offset + i, corpus, ids))
      .then((r) => ({ ok: r.status === 201, err: `HTTP ${r.status} ${r.text.slice(0, 200)}` }));
  log(`  POST /api/tickets (agent session, corpus text, requester name + phone, address; load ${load()})`);
  await atRate('warm-up (not reported)', kind, processes, 8, 3, create).then(() => rows.pop());
  for (const c of LEVELS) {
    offset += 1_000_000;
    const r = await atRate('POST /api/tickets', kind, processes, c, SECONDS, create);
    if (limit) {
      r.limit = limit;
      log(`    → ${(r.perSecond / limit).toFixed(2)} of pgbench's ${limit.toFixed(0)} tps`);
    }
  }
  if (runPgbench && PAIRS > 0) {
    // The machine's speed drifts by a quarter within minutes (other work on the host): one pgbench run before
    // minutes of HTTP levels can meet a faster or slower machine than the level it is compared with. So the goal's
    // level is measured again in pairs, each pgbench run next to an HTTP run of the same length, in the order
    // ABBA (pgbench first, then HTTP first, …) so that a steady drift favours neither; the ratio of record is the
    // median of the pairs' ratios.
    log(
      `  ${PAIRS} alternating pairs at ${GOAL_LEVEL} in flight: pgbench ${PGBENCH_SECONDS} s next to HTTP ${SECONDS} s`,
    );
    for (let k = 0; k < PAIRS; k++) {
      offset += 1_000_000;
      const http = () => atRate(PAIRED_LABEL, kind, processes, GOAL_LEVEL, SECONDS, create);
      let tps: number, r: Rate;
      if (k % 2 === 0) {
        tps = await runPgbench();
        r = await http();
      } else {
        r = await http();
        tps = await runPgbench();
      }
      r.limit = tps;
      log(
        `    pair ${k + 1}: ${r.perSecond.toFixed(0)}/s against ${tps.toFixed(0)} tps → ${(r.perSecond / tps).toFixed(2)}`,
      );
    }
  }
  pool.close();
  if (!CHANNELS.length) return;
  const admin = await Client.login(bases[0]!, 'admin');
  const token = async (user: string) => {
    const t = await admin.request<{ token: string }>('POST', '/api/auth/tokens', {
      userId: ids.users[user],
      name: `bench ${user}`,
    });
    if (t.status !== 201) throw new Error(`token for ${user}: HTTP ${t.status}`);
    return t.body.token;
  };
  if (CHANNELS.includes('sms')) {
    const bearer = `Bearer ${await token('gateway')}`;
    const texts = corpus.messages.slice(0, 500).map((m) => m.content.slice(0, 300));
    const sms = (prefix: string) => (i: number) =>
      fetch(`${pick(bases, i)}/api/channels/sms/inbound`, {
        method: 'POST',
        headers: { authorization: bearer, 'content-type': 'application/json' },
        body: JSON.stringify(smsInboundBody(prefix, i, 1000, texts)),
      }).then(async (res) => ({
        ok: res.status === 201,
        err: `HTTP ${res.status} ${(await res.text()).slice(0, 200)}`,
      }));
    await atRate('warm-up (not reported)', kind, processes, CHANNEL_CONCURRENCY, 2, sms(`warm${offsetBase}`)).then(() =>
      rows.pop(),
    );
    await atRate('SMS webhook (contact)', kind, processes, CHANNEL_CONCURRENCY, SECONDS, sms(`bench${offsetBase}`));
  }
  if (CHANNELS.includes('open311')) {
    const key = await token('partner');
    const regions = REGIONS.filter((r) => r.level === 2 || r.level === 3).map((r) => r.code); // what attribute[region] offers
    const leaves = Object.entries(ids.categories)
      .filter(([code]) => /^[A-Z]+-[A-Z]+$/.test(code))
      .map(([code]) => code)
      .filter((code) => code !== 'CX-SZ' && code !== 'JT-DL'); // the two services with a required attribute
    const open311 = (i: number) => {
      const b = ticketBody(offsetBase + 5_000_000 + i, corpus, ids);
      const form = new URLSearchParams({
        api_key: key,
        service_code: leaves[(i * 31) % leaves.length]!,
        lat: '35.246531',
        long: '115.441312',
        address_string: b.address,
        description: b.content.slice(0, 2000),
        first_name: b.requester.name.slice(1),
        last_name: b.requester.name[0]!,
        phone: b.requester.phone,
        'attribute[region]': regions[(i * 13) % regions.length]!,
      });
      return fetch(`${pick(bases, i)}/open311/v2/requests.json`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      }).then(async (res) => ({
        ok: res.status === 200 || res.status === 201,
        err: `HTTP ${res.status} ${(await res.text()).slice(0, 300)}`,
      }));
    };
    await atRate('warm-up (not reported)', kind, processes, CHANNEL_CONCURRENCY, 2, open311).then(() => rows.pop());
    await atRate('Open311 POST (ticket)', kind, processes, CHANNEL_CONCURRENCY, SECONDS, open311);
  }
}

const corpus = loadTicketTexts();
log(`Intake benchmark — ${new Date().toISOString()}`);
log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}; load average ${load()}`);
log(
  `texts: ${corpus.source}; HTTP ${SECONDS} s per level at ${LEVELS.join(', ')} in flight; pgbench ${PGBENCH_CLIENTS} clients × ${PGBENCH_SECONDS} s`,
);
// Ctrl-C: the app processes (which get the SIGINT too, and stop when our stdin pipe closes) first, then the databases.
// `npx tsx` passes the signal on while Ctrl-C also reaches this process: the second one must not kill it mid-cleanup.
let stopRequested = false;
const stopping = async () => {
  if (stopRequested) return;
  stopRequested = true;
  await stopServers(running).catch(() => {});
  for (const c of cleanups.reverse()) await c().catch(() => {});
  process.exit(130);
};
process.on('SIGINT', () => void stopping());
process.on('SIGTERM', () => void stopping());
try {
  for (const kind of kinds) await runDatabase(kind, corpus);
} finally {
  await stopServers(running);
  for (const c of cleanups.reverse()) await c().catch((e) => console.error('cleanup failed:', e));
  cleanups.length = 0;
}

const limit = pgbenchRuns[0]?.tps;
log(
  `\n| database | path | app processes | in flight | per second | p50 ms | p95 ms | max ms | ratio to pgbench | errors | CPU s (postgres / app / client) | load (1/5/15 min) |`,
);
log('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const p of pgbenchRuns)
  log(
    `| postgres | pgbench (same writes, one transaction) | — | ${p.clients} | ${p.tps.toFixed(0)} | — | ${f1(p.latencyMs)} (avg) | — | 1 | 0 | — | ${p.load} |`,
  );
const ratioOf = (r: Rate) => (r.limit ? (r.perSecond / r.limit).toFixed(2) : '—');
for (const r of rows) {
  log(
    `| ${r.db} | ${r.label} | ${r.processes ?? '1 (in-process)'} | ${r.concurrency} | ${r.perSecond.toFixed(0)} | ${f1(r.latency.p50)} | ${f1(r.latency.p95)} | ${f1(r.latency.max)} | ${ratioOf(r)} | ${r.errors} | ${r.cpu ? `${r.cpu.postgres.toFixed(1)} / ${r.cpu.app.toFixed(1)} / ${r.cpu.client.toFixed(1)}` : '—'} | ${r.load} |`,
  );
}
if (limit) {
  log(
    `\nPOST /api/tickets on PostgreSQL against pgbench's ${limit.toFixed(0)} tps (goal: ratio ≥ 0.5 at 8 in flight, p95 < 50 ms):`,
  );
  for (const c of LEVELS) {
    const cells = PROCESSES.map((n) => {
      const r = rows.find(
        (x) => x.db === 'postgres' && x.label === 'POST /api/tickets' && x.processes === n && x.concurrency === c,
      );
      return r
        ? `${n} process${n > 1 ? 'es' : ''} ${r.perSecond.toFixed(0)}/s p95 ${f1(r.latency.p95)} ms ratio ${ratioOf(r)}`
        : `${n}: —`;
    });
    log(`  ${String(c).padStart(3)} in flight: ${cells.join('  |  ')}`);
  }
  const pairs = rows.filter((r) => r.label === PAIRED_LABEL && r.limit);
  if (pairs.length) {
    const ratios = pairs.map((r) => r.perSecond / r.limit!);
    log(
      `  ${GOAL_LEVEL} in flight, ${pairs.length} alternating pairs (${pairs[0]!.processes} app process${pairs[0]!.processes === 1 ? '' : 'es'}, each against the pgbench run beside it): ` +
        `ratios ${ratios.map((x) => x.toFixed(2)).join(', ')}; median ${(median(ratios) ?? NaN).toFixed(2)}; ` +
        `p95 ${pairs.map((r) => f1(r.latency.p95)).join(', ')} ms`,
    );
  }
}
if (rows.some((r) => r.errors)) process.exitCode = 1;
