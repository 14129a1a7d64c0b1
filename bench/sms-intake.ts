import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
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
import { Client, smsInboundBody, stats, type Stats } from './http.js';
import { loadTicketTexts } from './ticket-texts.js';

// npx tsx bench/sms-intake.ts -- --db both --messages 3000 --concurrency 16
// Contacts recorded per second through POST /api/channels/sms/inbound over real loopback HTTP, with a gateway
// bearer token, on a throw-away PostgreSQL database and on PGlite. A share of the posts are redeliveries of
// an earlier message id (gateways retry), which must answer 200 and add no row. Bounded in messages and seconds.

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'both' },
    messages: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '16' },
    senders: { type: 'string', default: '1000' },
    redeliver: { type: 'string', default: '0.1' },
    'max-seconds': { type: 'string', default: '60' },
    'pglite-dir': { type: 'string', default: '' },
  },
});
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const kinds: Array<'pglite' | 'postgres'> | null =
  args.db === 'both' ? ['pglite', 'postgres'] : args.db === 'pglite' || args.db === 'postgres' ? [args.db] : null;
if (!kinds) throw new Error(`--db must be pglite, postgres or both (got ${args.db})`);
const MESSAGES = Number(args.messages);
const CONCURRENCY = Number(args.concurrency);
const SENDERS = Number(args.senders);
const REDELIVER = Number(args.redeliver);
const MAX_SECONDS = Number(args['max-seconds']);
const cleanups: Array<() => Promise<void>> = [];
const ms = (s: Stats) => `${s.p50.toFixed(1)} / ${s.p95.toFixed(1)} / ${s.max.toFixed(1)}`;

interface Run {
  load?: string;
  db: string;
  posted: number;
  recorded: number;
  redelivered: number;
  errors: number;
  seconds: number;
  contactsPerSecond: number;
  requestsPerSecond: number;
  latency: Stats;
  rows: number;
  firstError?: string;
}

async function open(kind: 'pglite' | 'postgres'): Promise<DatabaseHandle> {
  if (kind === 'postgres') {
    const name = `hz_bench_sms_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    cleanups.push(async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    });
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    return openDatabase({ url: url.toString() });
  }
  if (args['pglite-dir'] === 'memory') return openDatabase({ dataDir: null });
  const dir = mkdtempSync(join(tmpdir(), 'hz-bench-sms-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return openDatabase({ dataDir: dir });
}

/** Posts `count` SMS at a fixed concurrency; every `1/REDELIVER`-th post repeats an earlier message id. */
async function post(
  base: string,
  token: string,
  texts: string[],
  count: number,
  prefix: string,
): Promise<Omit<Run, 'db' | 'rows'>> {
  const latencies: number[] = [];
  let next = 0,
    recorded = 0,
    redelivered = 0,
    errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const deadline = start + MAX_SECONDS * 1000;
  const worker = async () => {
    while (next < count && performance.now() < deadline) {
      const i = next++;
      const repeat = i > 10 && REDELIVER > 0 && i % Math.round(1 / REDELIVER) === 0;
      const n = repeat ? i - 7 : i;
      const body = smsInboundBody(prefix, n, SENDERS, texts);
      const t0 = performance.now();
      const res = await fetch(`${base}/api/channels/sms/inbound`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      latencies.push(performance.now() - t0);
      if (res.status === 201) recorded++;
      else if (res.status === 200) redelivered++;
      else {
        errors++;
        firstError ??= `${res.status} ${text.slice(0, 200)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - start) / 1000;
  return {
    posted: latencies.length,
    recorded,
    redelivered,
    errors,
    seconds,
    contactsPerSecond: recorded / seconds,
    requestsPerSecond: latencies.length / seconds,
    latency: stats(latencies),
    firstError,
  };
}

async function runDatabase(kind: 'pglite' | 'postgres', texts: string[]): Promise<Run> {
  const handle = await open(kind);
  const attDir = mkdtempSync(join(tmpdir(), 'hz-bench-att-'));
  cleanups.push(async () => rmSync(attDir, { recursive: true, force: true }));
  try {
    await migrateToLatest(handle.db);
    await seedReferenceData(handle.db);
    const ids = (await seedDemo(handle.db, systemClock.now()))!;
    const { app } = await buildApp({
      db: handle.db,
      clock: systemClock,
      cipher: new PiiCipher(randomBytes(32)),
      logLevel: 'silent',
      attachmentDir: attDir,
    });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const base = address.replace('localhost', '127.0.0.1');
      const admin = await Client.login(base, 'admin');
      const issued = await admin.request<{ token: string }>('POST', '/api/auth/tokens', {
        userId: ids.users.gateway,
        name: 'bench gateway',
      });
      if (issued.status !== 201) throw new Error(`token: ${issued.status}`);
      await post(base, issued.body.token, texts, 200, 'warmup'); // warm-up (JIT, pool), not reported
      const r = await post(base, issued.body.token, texts, MESSAGES, 'bench');
      const rows = (
        await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM contacts WHERE channel = 'sms' AND external_id LIKE 'bench-%'`.execute(
          handle.db,
        )
      ).rows[0]!.n;
      return { db: kind, rows, ...r };
    } finally {
      await app.close();
    }
  } finally {
    await handle.close();
  }
}

const corpus = loadTicketTexts();
const texts = corpus.messages.slice(0, 500).map((m) => m.content.slice(0, 300));
console.log(
  `SMS intake benchmark: ${MESSAGES} posts (${Math.round(REDELIVER * 100)}% redeliveries), concurrency ${CONCURRENCY}, ${SENDERS} senders, texts: ${corpus.source}`,
);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}; load average ${load()}`);
const runs: Run[] = [];
try {
  for (const kind of kinds) {
    const r = await runDatabase(kind, texts);
    runs.push(r);
    r.load = load();
    console.log(
      `  ${kind}: ${r.recorded} contacts + ${r.redelivered} redeliveries in ${r.seconds.toFixed(1)} s → ${r.contactsPerSecond.toFixed(0)} contacts/s (${r.requestsPerSecond.toFixed(0)} req/s), latency p50/p95/max ${ms(r.latency)} ms, ${r.errors} errors${r.firstError ? ` (${r.firstError})` : ''}; rows ${r.rows}; load ${r.load}`,
    );
  }
} finally {
  for (const c of cleanups.reverse()) await c().catch((e) => console.error('cleanup failed:', e));
}
console.log(
  '\n| database | posts | new contacts | redeliveries (200, no row) | seconds | contacts/s | requests/s | latency p50 / p95 / max (ms) | errors |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of runs)
  console.log(
    `| ${r.db} | ${r.posted} | ${r.recorded} | ${r.redelivered} | ${r.seconds.toFixed(1)} | ${r.contactsPerSecond.toFixed(0)} | ${r.requestsPerSecond.toFixed(0)} | ${ms(r.latency)} | ${r.errors} |`,
  );
const bad = runs.find((r) => r.rows !== r.recorded || r.errors > 0);
if (bad) {
  console.error(`\n${bad.db}: ${bad.rows} rows for ${bad.recorded} recorded contacts, ${bad.errors} errors`);
  process.exitCode = 1;
}
