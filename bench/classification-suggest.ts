import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/server/db/schema.js';
import { systemClock } from '../src/server/clock.js';
import { buildApp } from '../src/server/http/app.js';
import { PiiCipher } from '../src/server/security/pii-cipher.js';
import { loadTickets, openBenchDatabase } from './bench-database.js';
import { Client, stats } from './http.js';

// 智能分类 as the agent types (issue 13): POST /api/classification/suggest with N tickets in the database.
//   npm run bench:suggest -- --size 200000 --grow-to 2000000 --requests 200
// The suggestion itself is the model (CPU, no database); its explanation reads the database: two or three similar
// past tickets of each suggested category in the agent's regions. Loads N realistic tickets (texts from
// ../shared/data/tipdm2020 when present), optionally copies the tickets up to --grow-to, then a city agent
// (scope: the whole city, the widest query) and a county agent (曹县) ask for suggestions over loopback HTTP with
// the texts of recent tickets, reworded, as the console sends them while the agent types. Prints p50/p95 and the
// plan of the similar-tickets query. --keep leaves the database for --reuse-db (PostgreSQL only).
const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'postgres' },
    size: { type: 'string', default: '200000' },
    'grow-to': { type: 'string', default: '0' },
    requests: { type: 'string', default: '200' },
    'max-seconds': { type: 'string', default: '120' },
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
    what: 'suggest',
    adminUrl: PG_URL,
    reuse: args['reuse-db'],
    keep: args.keep,
  });
  const { handle } = bench;
  try {
    if (!bench.reused)
      await loadTickets(handle.db, { kind: args.db, size: SIZE, growTo: Number(args['grow-to']), shiftDays: 365 });
    const total = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM tickets`.execute(handle.db)).rows[0]!.n;

    const attachmentDir = mkdtempSync(join(tmpdir(), 'hz-att-'));
    const { app } = await buildApp({
      db: handle.db,
      clock: systemClock,
      cipher: new PiiCipher(randomBytes(32)),
      logLevel: 'warn',
      attachmentDir,
    });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    // the texts of recent tickets, as a caller would tell them again
    const recent = await sql<{ title: string; content: string }>`
      SELECT title, content FROM tickets ORDER BY id DESC LIMIT ${REQUESTS}`.execute(handle.db);
    const probes = { rows: recent.rows.map((p) => ({ title: p.title, content: p.content.slice(10, 400) })) };
    console.log(`\nPOST /api/classification/suggest, ${args.db}, ${total.toLocaleString()} tickets`);
    // and matters the history hardly knows: few tickets share their words (the longest walk for a search by words)
    const rare = RARE_TEXTS.map((t) => ({ title: t, content: `${t}，需要准备哪些材料，到哪里办理` }));
    for (const [username, set, texts] of [
      ['agent', 'recent', probes.rows],
      ['agent_cx', 'recent', probes.rows],
      ['agent', 'rare', rare],
      ['agent_cx', 'rare', rare],
    ] as const) {
      const client = await Client.login(address, username);
      const times: number[] = [];
      let errors = 0;
      let withSimilar = 0;
      let source = '';
      const deadline = performance.now() + MAX_SECONDS * 1000;
      for (const p of texts) {
        if (performance.now() > deadline) break;
        const r = await client.request<{
          source: string;
          suggestions: Array<{ similar: unknown[] }>;
        }>('POST', '/api/classification/suggest', {
          title: p.title,
          body: `${p.content}，希望尽快处理`,
        });
        if (r.status !== 200) {
          errors++;
          continue;
        }
        source = r.body.source;
        times.push(r.ms);
        if (r.body.suggestions.some((s) => s.similar.length > 0)) withSimilar++;
      }
      const s = stats(times);
      console.log(
        `  ${username.padEnd(9)} ${set.padEnd(6)} requests ${s.n}, errors ${errors}, with similar tickets ${withSimilar}, model ${source}; ` +
          `latency ms p50 ${s.p50.toFixed(1)} p95 ${s.p95.toFixed(1)} max ${s.max.toFixed(1)}`,
      );
    }
    await unitSuggestions(handle.db, address);
    await app.close();
    rmSync(attachmentDir, { recursive: true, force: true });
    await explainSimilar(handle.db, probes.rows[0]);
  } finally {
    await bench.close();
  }
}

const RARE_TEXTS = [
  '外籍人员居留许可证件延期',
  '无人机航拍飞行空域备案',
  '古树名木移植审批手续',
  '犬只登记办证及疫苗注射',
  '家庭屋顶光伏发电并网申请',
  '船舶检验证书年审',
  '烟花爆竹零售经营许可',
  '测绘资质证书变更',
  '献血证遗失补办',
  '养蜂转地放蜂证明',
];

/**
 * 第十二条: the dispatcher's second unit suggestion for tickets awaiting dispatch — the unit that tickets of the same
 * category in the same county ended with after an approved return.
 */
async function unitSuggestions(db: Kysely<DB>, address: string) {
  const tickets = await sql<{ id: number }>`
    SELECT id FROM tickets WHERE status = 'pending_dispatch' ORDER BY id DESC LIMIT ${REQUESTS}`.execute(db);
  const returns = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM ticket_events WHERE kind = 'return_approved'`.execute(db);
  const client = await Client.login(address, 'dispatcher');
  const times: number[] = [];
  let errors = 0;
  let withHistory = 0;
  const deadline = performance.now() + MAX_SECONDS * 1000;
  for (const t of tickets.rows) {
    if (performance.now() > deadline) break;
    const r = await client.request<{ history: unknown[] }>(
      'GET',
      `/api/classification/tickets/${t.id}/unit-suggestion`,
    );
    if (r.status !== 200) {
      errors++;
      continue;
    }
    times.push(r.ms);
    if (r.body.history.length > 0) withHistory++;
  }
  const s = stats(times);
  console.log(
    `\nGET /api/classification/tickets/:id/unit-suggestion (dispatcher; ${returns.rows[0]!.n.toLocaleString()} approved returns in all)\n` +
      `  requests ${s.n}, errors ${errors}, with a history suggestion ${withHistory}; ` +
      `latency ms p50 ${s.p50.toFixed(1)} p95 ${s.p95.toFixed(1)} max ${s.max.toFixed(1)}`,
  );
}

/** The plan of the similar-tickets query the service ran last, captured with EXPLAIN (ANALYZE, BUFFERS). */
async function explainSimilar(db: Kysely<DB>, probe: { title: string; content: string } | undefined) {
  if (!probe) return;
  const repo: Record<string, unknown> =
    await import('../src/server/modules/classification/classification.repository.js');
  // an earlier version of the repository (before 0051) had no such export: then there is no plan to print
  if (typeof repo.similarCandidatesQuery !== 'function') return;
  const similarCandidatesQuery =
    repo.similarCandidatesQuery as typeof import('../src/server/modules/classification/classification.repository.js').similarCandidatesQuery;
  const { anyWordQuery, tokenize } = await import('../src/server/domain/text-tokens.js');
  const words = [...new Set(tokenize(`${probe.title}\n${probe.content}`))].sort((a, b) => b.length - a.length);
  const query = anyWordQuery(words, 16);
  if (!query) return;
  const categories = await sql<{ id: number }>`
    SELECT category_id AS id FROM tickets GROUP BY category_id ORDER BY count(*) DESC LIMIT 3`.execute(db);
  for (const prefixes of [['3717'], ['371721']]) {
    const compiled = similarCandidatesQuery({
      query,
      categoryIds: categories.rows.map((r) => r.id),
      regionPrefixes: prefixes,
      limit: 20,
    }).compile(db);
    const plan = await db.executeQuery<{ 'QUERY PLAN': string }>({
      ...compiled,
      sql: `EXPLAIN (ANALYZE, BUFFERS) ${compiled.sql}`,
    });
    console.log(`\n  similar tickets, regions ${prefixes.join(',')}:`);
    for (const r of plan.rows) console.log(`    ${r['QUERY PLAN']}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
