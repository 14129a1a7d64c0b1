import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { systemClock } from '../src/server/clock.js';
import { openDatabase, type DatabaseHandle } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { searchTokens } from '../src/server/domain/text-tokens.js';
import { buildApp } from '../src/server/http/app.js';
import { PiiCipher } from '../src/server/security/pii-cipher.js';
import { REGIONS } from '../src/server/seed/heze-organisation.js';
import { seedDemo, seedReferenceData, type SeedIds } from '../src/server/seed/seed.js';
import { createThrowawayPgDatabase } from '../test/helpers/pg-database.js';
import { Client, smsInboundBody, stats, ticketBody, type Stats } from './http.js';
import { loadTicketTexts, type TextCorpus } from './ticket-texts.js';

// npm run bench:intake [-- --db both|postgres|pglite --pgbench-seconds 15 --seconds 10 --levels 1,8,32]
// How close does ticket intake come to what PostgreSQL itself can commit? On a throw-away PostgreSQL database:
// 1. pgbench runs a transaction of the rows POST /api/tickets writes (requester, ticket, ticket_requesters,
//    SMS receipt, created event — realistic values: corpus texts and their search tokens, ciphertexts of the
//    same size) with 8 clients: PostgreSQL's own limit for this shape on this machine;
// 2. right after, the real server (buildApp on a loopback port) takes POST /api/tickets at 1, 8 and 32 in
//    flight: tickets/s, p50/p95 and the ratio to pgbench's tps;
// 3. the other intake paths: SMS webhook (a contact, no ticket) and Open311 POST (contact + ticket).
// Then the same HTTP figures on PGlite (no pgbench there). The web form is limited to 10 posts a minute per
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
  },
});
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const kinds: Array<'pglite' | 'postgres'> | null = args.db === 'both' ? ['postgres', 'pglite'] : args.db === 'pglite' || args.db === 'postgres' ? [args.db] : null;
if (!kinds) throw new Error(`--db must be pglite, postgres or both (got ${args.db})`);
const PGBENCH_SECONDS = Number(args['pgbench-seconds']);
const PGBENCH_CLIENTS = Number(args['pgbench-clients']);
const SECONDS = Number(args.seconds);
const LEVELS = args.levels.split(',').map(Number).filter((n) => n > 0);
const CHANNELS = args.channels.split(',').map((s) => s.trim()).filter(Boolean);
const CHANNEL_CONCURRENCY = Number(args['channel-concurrency']);

const log = (s: string) => console.log(s);
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '—');
const cleanups: Array<() => Promise<void>> = [];

interface Rate { label: string; db: string; concurrency: number; ok: number; errors: number; seconds: number; perSecond: number; latency: Stats; firstError?: string; load: string }
const rows: Rate[] = [];
const pgbenchRuns: Array<{ tps: number; latencyMs: number; clients: number; seconds: number; load: string }> = [];

/** Calls `fn(i)` with `concurrency` calls in flight for `seconds` (after an untimed warm-up elsewhere). */
async function atRate(label: string, db: string, concurrency: number, seconds: number, fn: (i: number) => Promise<{ ok: boolean; err?: string }>): Promise<Rate> {
  const latencies: number[] = [];
  let next = 0, errors = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  const stop = t0 + seconds * 1000;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < stop) {
      const i = next++;
      const s = performance.now();
      const r = await fn(i);
      if (r.ok) latencies.push(performance.now() - s);
      else { errors++; firstError ??= r.err; }
    }
  }));
  const secs = (performance.now() - t0) / 1000;
  const r: Rate = { label, db, concurrency, ok: latencies.length, errors, seconds: secs, perSecond: latencies.length / secs, latency: stats(latencies), firstError, load: load() };
  rows.push(r);
  log(`  ${label.padEnd(24)} ${String(concurrency).padStart(3)} in flight: ${String(r.ok).padStart(6)} in ${secs.toFixed(1)} s = ${r.perSecond.toFixed(0).padStart(5)}/s, `
    + `p50/p95/max ${f1(r.latency.p50)} / ${f1(r.latency.p95)} / ${f1(r.latency.max)} ms${errors ? `, ${errors} errors: ${firstError}` : ''}  (load ${r.load})`);
  return r;
}

function pgbenchBinary(): string {
  for (const p of ['/usr/bin/pgbench', ...(process.env.PATH ?? '').split(':').map((d) => join(d, 'pgbench'))]) if (existsSync(p)) return p;
  throw new Error('pgbench not found (/usr/bin/pgbench or on PATH); it ships with the PostgreSQL client');
}

/**
 * The writes of one ticket creation as one pgbench transaction. Values come from bench_intake_rows, filled
 * from the same generator the HTTP half posts (corpus title and content, their search tokens, ciphertexts
 * made by the app's cipher), so row sizes, the GIN index on search_vector and every other index see the same work.
 */
async function pgbench(handle: DatabaseHandle, url: string, corpus: TextCorpus, ids: SeedIds, cipher: PiiCipher): Promise<number> {
  const db = handle.db;
  await sql`CREATE TABLE bench_intake_rows (i int PRIMARY KEY, request_type text, category_id int, urgency text, region_code text, address_enc text,
    title text, content text, search_tokens text, name_enc text, phone_enc text, receipt text, event_data text)`.execute(db);
  await sql`CREATE SEQUENCE bench_intake_seq`.execute(db);
  const N = 500;
  for (let i = 1; i <= N; i++) {
    const b = ticketBody(2_000_000 + i, corpus, ids);
    const number = `HZ20261202-${String(i).padStart(6, '0')}`;
    await sql`INSERT INTO bench_intake_rows VALUES (${i}, ${b.requestType}, ${b.categoryId}, ${b.urgency}, ${b.regionCode}, ${cipher.encrypt(b.address)},
      ${b.title}, ${b.content}, ${searchTokens(b.title, b.content)}, ${cipher.encrypt(b.requester.name)}, ${cipher.encrypt(b.requester.phone)},
      ${`【菏泽12345】您的诉求已受理，工单号${number}，查询码ABCD2345。可凭工单号和查询码查询办理进度。`},
      ${JSON.stringify({ number, channel: 'phone', contactId: null })})`.execute(db);
  }
  await sql`ANALYZE bench_intake_rows`.execute(db);
  const agent = ids.users.agent!;
  const centre = ids.units.centre!;
  const script = `\\set t random(1, ${N})
BEGIN;
INSERT INTO requesters (name_enc, phone_enc, phone_hash, created_at) SELECT name_enc, phone_enc, md5(random()::text), now() FROM bench_intake_rows WHERE i = :t RETURNING id AS rid \\gset
INSERT INTO tickets (number, request_type, category_id, urgency, region_code, address_enc, title, content, status, requester_id, centre_unit_id, channel, created_by, created_at, updated_at, due_at, tracking_code_hash, search_tokens) SELECT 'PB' || to_char(now(), 'YYYYMMDD') || '-' || lpad(nextval('bench_intake_seq')::text, 9, '0'), request_type, category_id, urgency, region_code, address_enc, title, content, 'pending_dispatch', :rid, ${centre}, 'phone', ${agent}, now(), now(), now(), md5(random()::text), search_tokens FROM bench_intake_rows WHERE i = :t RETURNING id AS tid \\gset
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
  log(`  pgbench: ${bin} -n -M prepared -c ${PGBENCH_CLIENTS} -j ${jobs} -T ${PGBENCH_SECONDS} -f ticket-create.sql  (load before: ${load()})`);
  const { stdout } = await promisify(execFile)(bin, ['-n', '-M', 'prepared', '-c', String(PGBENCH_CLIENTS), '-j', String(jobs), '-T', String(PGBENCH_SECONDS), '-f', file, url], { maxBuffer: 1 << 20 });
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1] ?? /tps = ([\d.]+)/.exec(stdout)?.[1]);
  const lat = Number(/latency average = ([\d.]+) ms/.exec(stdout)?.[1]);
  const failed = /number of failed transactions: (\d+)/.exec(stdout)?.[1];
  if (!Number.isFinite(tps)) throw new Error(`pgbench output not understood:\n${stdout}`);
  pgbenchRuns.push({ tps, latencyMs: lat, clients: PGBENCH_CLIENTS, seconds: PGBENCH_SECONDS, load: load() });
  log(`  pgbench: ${tps.toFixed(0)} tps, latency average ${f1(lat)} ms${failed && failed !== '0' ? `, ${failed} failed` : ''}  (load after: ${load()})`);
  log(`  pgbench script (values from bench_intake_rows):\n${script.replace(/^/gm, '    | ')}`);
  return tps;
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
    const cipher = new PiiCipher(randomBytes(32));
    const limit = kind === 'postgres' && PGBENCH_SECONDS > 0 ? await pgbench(handle, url!, corpus, ids, cipher) : null;

    const { app } = await buildApp({ db, clock: systemClock, cipher, logLevel: 'silent', attachmentDir: attDir });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const base = address.replace('localhost', '127.0.0.1');
      const agent = await Client.login(base, 'agent');
      let offset = 0;
      const create = (i: number) => agent.request('POST', '/api/tickets', ticketBody(offset + i, corpus, ids))
        .then((r) => ({ ok: r.status === 201, err: `HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 200)}` }));
      log(`  POST /api/tickets (agent session, corpus text, requester name + phone, address; load ${load()})`);
      await atRate('warm-up (not reported)', kind, 8, 3, create).then(() => rows.pop());
      for (const c of LEVELS) {
        offset += 1_000_000;
        const r = await atRate('POST /api/tickets', kind, c, SECONDS, create);
        if (limit) log(`    → ${(r.perSecond / limit).toFixed(2)} of pgbench's ${limit.toFixed(0)} tps`);
      }
      if (CHANNELS.length) {
        const admin = await Client.login(base, 'admin');
        const token = async (user: string) => {
          const t = await admin.request<{ token: string }>('POST', '/api/auth/tokens', { userId: ids.users[user], name: `bench ${user}` });
          if (t.status !== 201) throw new Error(`token for ${user}: HTTP ${t.status}`);
          return t.body.token;
        };
        if (CHANNELS.includes('sms')) {
          const bearer = `Bearer ${await token('gateway')}`;
          const texts = corpus.messages.slice(0, 500).map((m) => m.content.slice(0, 300));
          const sms = (prefix: string) => (i: number) => fetch(`${base}/api/channels/sms/inbound`, {
            method: 'POST', headers: { authorization: bearer, 'content-type': 'application/json' }, body: JSON.stringify(smsInboundBody(prefix, i, 1000, texts)),
          }).then(async (res) => ({ ok: res.status === 201, err: `HTTP ${res.status} ${(await res.text()).slice(0, 200)}` }));
          await atRate('warm-up (not reported)', kind, CHANNEL_CONCURRENCY, 2, sms('warm')).then(() => rows.pop());
          await atRate('SMS webhook (contact)', kind, CHANNEL_CONCURRENCY, SECONDS, sms('bench'));
        }
        if (CHANNELS.includes('open311')) {
          const key = await token('partner');
          const regions = REGIONS.filter((r) => r.level === 2 || r.level === 3).map((r) => r.code); // what attribute[region] offers
          const leaves = Object.entries(ids.categories).filter(([code]) => /^[A-Z]+-[A-Z]+$/.test(code)).map(([code]) => code)
            .filter((code) => code !== 'CX-SZ' && code !== 'JT-DL'); // the two services with a required attribute
          const open311 = (i: number) => {
            const b = ticketBody(5_000_000 + i, corpus, ids);
            const form = new URLSearchParams({
              api_key: key, service_code: leaves[(i * 31) % leaves.length]!, lat: '35.246531', long: '115.441312', address_string: b.address,
              description: b.content.slice(0, 2000), first_name: b.requester.name.slice(1), last_name: b.requester.name[0]!, phone: b.requester.phone,
              'attribute[region]': regions[(i * 13) % regions.length]!,
            });
            return fetch(`${base}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() })
              .then(async (res) => ({ ok: res.status === 200 || res.status === 201, err: `HTTP ${res.status} ${(await res.text()).slice(0, 300)}` }));
          };
          await atRate('warm-up (not reported)', kind, CHANNEL_CONCURRENCY, 2, open311).then(() => rows.pop());
          await atRate('Open311 POST (ticket)', kind, CHANNEL_CONCURRENCY, SECONDS, open311);
        }
      }
      const check = await sql<{ n: number; distinct: number; bad: number }>`
        SELECT count(*)::int AS n, count(DISTINCT number)::int AS distinct, count(*) FILTER (WHERE number !~ '^HZ[0-9]{8}-[0-9]{6}$')::int AS bad
        FROM tickets WHERE number LIKE 'HZ%'`.execute(db);
      const c = check.rows[0]!;
      log(`  tickets made by the app: ${c.n}, distinct numbers ${c.distinct}, numbers not HZyyyymmdd-nnnnnn: ${c.bad}`);
      if (c.n !== c.distinct || c.bad) process.exitCode = 1;
    } finally {
      await app.close();
    }
  } finally {
    await handle.close();
  }
}

const corpus = loadTicketTexts();
log(`Intake benchmark — ${new Date().toISOString()}`);
log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}; load average ${load()}`);
log(`texts: ${corpus.source}; HTTP ${SECONDS} s per level at ${LEVELS.join(', ')} in flight; pgbench ${PGBENCH_CLIENTS} clients × ${PGBENCH_SECONDS} s`);
const stopping = async () => { for (const c of cleanups.reverse()) await c().catch(() => {}); process.exit(130); };
process.once('SIGINT', () => void stopping());
try {
  for (const kind of kinds) await runDatabase(kind, corpus);
} finally {
  for (const c of cleanups.reverse()) await c().catch((e) => console.error('cleanup failed:', e));
  cleanups.length = 0;
}

const limit = pgbenchRuns[0]?.tps;
log(`\n| database | path | in flight | per second | p50 ms | p95 ms | max ms | ratio to pgbench | errors | load (1/5/15 min) |`);
log('|---|---|---|---|---|---|---|---|---|---|');
for (const p of pgbenchRuns) log(`| postgres | pgbench (same writes, one transaction) | ${p.clients} | ${p.tps.toFixed(0)} | — | ${f1(p.latencyMs)} (avg) | — | 1 | 0 | ${p.load} |`);
for (const r of rows) {
  const ratio = r.db === 'postgres' && limit && r.label === 'POST /api/tickets' ? (r.perSecond / limit).toFixed(2) : '—';
  log(`| ${r.db} | ${r.label} | ${r.concurrency} | ${r.perSecond.toFixed(0)} | ${f1(r.latency.p50)} | ${f1(r.latency.p95)} | ${f1(r.latency.max)} | ${ratio} | ${r.errors} | ${r.load} |`);
}
if (rows.some((r) => r.errors)) process.exitCode = 1;
