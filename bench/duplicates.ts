import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/server/db/schema.js';
import { systemClock } from '../src/server/clock.js';
import { anyWordQuery, tokenize } from '../src/server/domain/text-tokens.js';
import { buildApp } from '../src/server/http/app.js';
import { PiiCipher } from '../src/server/security/pii-cipher.js';
import { loadTickets, openBenchDatabase } from './bench-database.js';
import { Client, stats } from './http.js';

// Duplicate-suggestion latency (第十三条(三)) and the centre's ticket search (工单查询) with N tickets in the database:
//   npx tsx bench/duplicates.ts --db postgres --size 1000000 --requests 300
// Loads N realistic tickets (texts from ../shared/data/tipdm2020 when present), then an agent asks
// POST /api/duplicates/search over real loopback HTTP with a reworded text of a recent request, its category
// and its district — as a repeat caller's contact would. Bounded in requests and seconds.
const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'postgres' },
    size: { type: 'string', default: '1000000' },
    requests: { type: 'string', default: '300' },
    'max-seconds': { type: 'string', default: '120' },
    // load --size realistic tickets (with events and deadlines), then copy the tickets alone up to --grow-to:
    // the search reads only the tickets table, and copying is ten times faster than generating
    'grow-to': { type: 'string', default: '0' },
    // --keep leaves the loaded database behind (hz_kept_dup_<time>); --reuse-db URL measures on it again, no load
    'reuse-db': { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const SIZE = Number(args.size);
const REQUESTS = Number(args.requests);
const MAX_SECONDS = Number(args['max-seconds']);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function main() {
  const bench = await openBenchDatabase({
    db: args.db,
    what: 'dup',
    adminUrl: PG_URL,
    reuse: args['reuse-db'],
    keep: args.keep,
  });
  const { handle } = bench;
  try {
    // copies shifted back by up to a day: the recent open tickets stay inside the 30-day search window
    if (!bench.reused)
      await loadTickets(handle.db, { kind: args.db, size: SIZE, growTo: Number(args['grow-to']), shiftDays: 1 });
    const total = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM tickets`.execute(handle.db)).rows[0]!.n;
    const open = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM tickets WHERE status IN ('pending_dispatch','dispatched','in_progress','replied') AND created_at > now() - interval '30 days'`.execute(
      handle.db,
    );
    console.log(`open tickets created in the last 30 days (the search window): ${open.rows[0]!.n}`);

    const cipher = new PiiCipher(randomBytes(32));
    const attachmentDir = mkdtempSync(join(tmpdir(), 'hz-att-'));
    const { app } = await buildApp({
      db: handle.db,
      clock: systemClock,
      cipher,
      logLevel: 'warn',
      attachmentDir,
    });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const agent = await Client.login(address, 'agent');
    // Probes: recent open tickets, their text reworded (a repeat caller never says it the same way twice).
    const probes = await sql<{ title: string; content: string; category_id: number; region_code: string }>`
      SELECT title, content, category_id, region_code FROM tickets
      WHERE status IN ('pending_dispatch','dispatched','in_progress') AND created_at > now() - interval '30 days'
      ORDER BY id DESC LIMIT ${REQUESTS}`.execute(handle.db);
    const times: number[] = [];
    let found = 0;
    let errors = 0;
    const deadline = performance.now() + MAX_SECONDS * 1000;
    for (const p of probes.rows) {
      if (performance.now() > deadline) break;
      const text = `又来反映：${p.content.slice(20, 160)}，${p.title}，到现在还没解决`;
      const r = await agent.request<Array<{ id: number }>>('POST', '/api/duplicates/search', {
        text,
        categoryId: p.category_id,
        regionCode: p.region_code,
      });
      if (r.status !== 200) {
        errors++;
        continue;
      }
      times.push(r.ms);
      if (r.body.length > 0) found++;
    }
    const s = stats(times);
    console.log(`\nduplicate suggestion, ${args.db}, ${total.toLocaleString()} tickets`);
    console.log(`  requests ${s.n}, errors ${errors}, with at least one suggestion ${found}`);
    console.log(`  latency ms p50 ${s.p50.toFixed(1)}  p95 ${s.p95.toFixed(1)}  max ${s.max.toFixed(1)}`);

    const sample = probes.rows[0];
    if (sample) {
      const q = anyWordQuery(
        tokenize(sample.content).sort((a, b) => b.length - a.length),
        16,
      )!;
      const plan = await sql<{ 'QUERY PLAN': string }>`EXPLAIN (ANALYZE, BUFFERS)
        SELECT id FROM tickets WHERE status IN ('pending_dispatch','dispatched','in_progress','replied') AND merged_into_id IS NULL
          AND search_vector @@ to_tsquery('simple', ${q})
          AND created_at >= now() - interval '30 days' AND category_id = ${sample.category_id}
        ORDER BY ts_rank(search_vector, to_tsquery('simple', ${q})) DESC LIMIT 40`.execute(handle.db);
      const lines = plan.rows.map((r) => r['QUERY PLAN']);
      console.log(
        '  plan: ' +
          lines
            .filter((l) => /Scan|Execution Time/.test(l))
            .map((l) => l.trim())
            .join(' | '),
      );
    }
    await searchPhase(handle.db, address, agent, cipher);
    await app.close();
    rmSync(attachmentDir, { recursive: true, force: true });
  } finally {
    await bench.close();
  }
}

/**
 * POST /api/tickets/search as an agent would use it — ticket numbers read out by citizens, the numbers callers
 * phone from, a few characters of a title, and the worst case for words (one of the commonest terms, matching a
 * large share of the year) — and the screen pop's requester history. Bulk tickets have no requester, so every
 * ticket is first given one of REQUESTERS synthetic requesters through ticket_requesters (as the API does for
 * each ticket it creates); N_PHONES of them have real keyed hashes of phone numbers the bench then searches for.
 */
async function searchPhase(db: Kysely<DB>, address: string, agent: Client, cipher: PiiCipher) {
  const REQUESTERS = 200_000;
  const n = Math.min(REQUESTS, 200);
  const r0 = performance.now();
  const phones = Array.from({ length: n }, (_, i) => `1390530${String(i).padStart(4, '0')}`);
  const first = (
    await sql<{ id: number }>`INSERT INTO requesters (phone_hash, created_at)
      SELECT h, now() FROM unnest(${phones.map((p) => cipher.phoneHash(p)!)}::text[]) AS h RETURNING id`.execute(db)
  ).rows.map((r) => r.id);
  await sql`INSERT INTO requesters (phone_hash, created_at) SELECT 'bench-' || g, now() FROM generate_series(1, ${REQUESTERS - n}) g`.execute(
    db,
  );
  const minId = first[0]!;
  // tickets with a requester of their own (created over HTTP) have their row already
  await sql`INSERT INTO ticket_requesters (ticket_id, requester_id, added_at)
      SELECT t.id, ${minId}::bigint + (t.id % ${REQUESTERS}), t.created_at FROM tickets t WHERE t.requester_id IS NULL`.execute(
    db,
  );
  await sql`ANALYZE ticket_requesters`.execute(db);
  const links = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ticket_requesters`.execute(db)).rows[0]!.n;
  console.log(
    `\nrequesters: ${REQUESTERS.toLocaleString()} synthetic, ${links.toLocaleString()} ticket_requesters rows (${((performance.now() - r0) / 1000).toFixed(0)} s)`,
  );

  const categoryId = await firstLeafCategory(db);
  const numbers: string[] = [];
  for (let i = 0; i < Math.min(n, 50); i++) {
    const r = await agent.request<{ number: string }>('POST', '/api/tickets', {
      requestType: 'complaint',
      categoryId,
      urgency: 'normal',
      regionCode: '371702001',
      title: '小区门口路灯不亮',
      content: '小区门口路灯一周不亮，晚上出行不便。',
      requester: { name: '测试', phone: `1370530${String(i).padStart(4, '0')}` },
    });
    if (r.status === 201) numbers.push(r.body.number);
  }
  const titles = (
    await sql<{ title: string }>`SELECT title FROM tickets TABLESAMPLE SYSTEM (1) LIMIT ${n * 2}`.execute(db)
  ).rows
    .map((r) => (r.title.match(/\p{Script=Han}{4,}/u)?.[0] ?? '').slice(0, 6))
    .filter((t) => t.length >= 4)
    .slice(0, n);
  const kinds: Array<[string, string[]]> = [
    ['number', numbers],
    ['phone (≈ 5 tickets each)', phones],
    ['words (4-6 characters of a title)', titles],
    ['one very common word (小区)', Array.from({ length: Math.min(n, 50) }, () => '小区')],
  ];
  console.log(`ticket search (POST /api/tickets/search, limit 20) and requester history, ${address}`);
  const report = (label: string, times: number[], hits: number, errors: number) => {
    const st = stats(times);
    console.log(
      `  ${label.padEnd(36)} requests ${st.n}, errors ${errors}, with a result ${hits}; ms p50 ${st.p50.toFixed(1)}  p95 ${st.p95.toFixed(1)}  max ${st.max.toFixed(1)}`,
    );
  };
  for (const [label, queries] of kinds) {
    const times: number[] = [];
    let hits = 0;
    let errors = 0;
    for (const q of queries) {
      const r = await agent.request<{ items: unknown[] }>('POST', '/api/tickets/search', { q, limit: 20 });
      if (r.status !== 200) {
        errors++;
        continue;
      }
      times.push(r.ms);
      if (r.body.items.length > 0) hits++;
    }
    report(label, times, hits, errors);
  }
  const times: number[] = [];
  let hits = 0;
  let errors = 0;
  for (const id of first) {
    const r = await agent.request<{ tickets: unknown[] }>('GET', `/api/requesters/${id}/history`);
    if (r.status !== 200) {
      errors++;
      continue;
    }
    times.push(r.ms);
    if (r.body.tickets.length > 0) hits++;
  }
  report('requester history (screen pop)', times, hits, errors);

  // The condition every requester look-up used before raisedOrJoinedBy, against the current one, for one requester.
  const rid = first[1]!; // requester ids map to tickets by id modulo REQUESTERS; the first one may have none
  const plan = async (label: string, cond: ReturnType<typeof sql>) => {
    const rows = (
      await sql<{
        'QUERY PLAN': string;
      }>`EXPLAIN (ANALYZE) SELECT id FROM tickets WHERE ${cond} ORDER BY created_at DESC LIMIT 20`.execute(db)
    ).rows.map((r) => r['QUERY PLAN']);
    console.log(
      `  ${label}: ${rows
        .filter((l) => /Scan|Execution Time/.test(l))
        .map((l) => l.trim().replace(/\s+\(cost=[^)]*\)/, ''))
        .join(' | ')}`,
    );
  };
  await plan(
    'plan, id IN (subquery) inside OR (before)',
    sql`requester_id = ${rid} OR id IN (SELECT ticket_id FROM ticket_requesters WHERE requester_id = ${rid})`,
  );
  await plan(
    'plan, id = ANY(ARRAY(subquery)) inside OR (now)',
    sql`requester_id = ${rid} OR id = ANY(ARRAY(SELECT ticket_id FROM ticket_requesters WHERE requester_id = ${rid}))`,
  );
}

async function firstLeafCategory(db: Kysely<DB>): Promise<number> {
  return (
    await sql<{
      id: number;
    }>`SELECT c.id FROM categories c WHERE NOT EXISTS (SELECT 1 FROM categories k WHERE k.parent_id = c.id) ORDER BY c.id LIMIT 1`.execute(
      db,
    )
  ).rows[0]!.id;
}

await main();
