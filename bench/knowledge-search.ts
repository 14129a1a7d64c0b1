import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { ManualClock } from '../src/server/clock.js';
import { openDatabase, type DatabaseHandle } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { KnowledgeSearchService } from '../src/server/modules/knowledge/knowledge-search.service.js';
import { KnowledgeSynonymService } from '../src/server/modules/knowledge/knowledge-synonyms.service.js';
import { seedDemo, seedReferenceData } from '../src/server/seed/seed.js';
import { insertPublishedArticles, type ArticleSpec } from '../test/helpers/knowledge.js';
import { createThrowawayPgDatabase } from '../test/helpers/pg-database.js';
import { loadTicketTexts, readCsvObjects, TIPDM_DIR } from './ticket-texts.js';

// npm run bench:knowledge [-- --db both|postgres|pglite --articles 100000 --queries 500]
// 第十八条 (issue 9): a search over 100 000 published articles within 50 ms p95, on PostgreSQL and on PGlite.
// Articles: the official replies of ../shared/data/tipdm2020/replies.csv (the government's answer to each
// message, localised to Heze) — each reply once city-wide and again per county with the county in its title,
// as units publish the same policy for their county — with a short answer (the reply's first sentences), the
// message title as an alias, a category and a review date; a generator of hotline texts when the data is absent.
// Queries: citizens' own message titles from messages.csv (another file: how people ask, not how articles are
// titled), plus short keyword queries (医保, 公积金提取, 12345 …) and contact texts for the console's
// suggestions. Every query goes through the real KnowledgeSearchService (synonyms, ranking, the rollup writes).

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'both' },
    articles: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '500' },
    out: { type: 'string', default: '' },
    // keep the PostgreSQL database for EXPLAIN ANALYZE (its URL is printed), or reuse one kept earlier
    keep: { type: 'boolean', default: false },
    reuse: { type: 'string', default: '' },
  },
});
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const N = Number(args.articles);
const Q = Number(args.queries);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const kinds = args.db === 'both' ? (['postgres', 'pglite'] as const) : ([args.db] as Array<'postgres' | 'pglite'>);

const COUNTIES = [
  ['371702', '牡丹区'],
  ['371703', '定陶区'],
  ['371721', '曹县'],
  ['371722', '单县'],
  ['371723', '成武县'],
  ['371724', '巨野县'],
  ['371725', '郓城县'],
  ['371726', '鄄城县'],
  ['371728', '东明县'],
] as const;
const KEYWORDS = [
  '医保',
  '社保',
  '公积金',
  '公积金提取',
  '医保报销',
  '社保缴费',
  '12345',
  '低保',
  '供暖',
  '停水',
  '燃气',
  '不动产登记',
  '户口迁移',
  '居住证',
  '新生儿落户',
  '养老金认证',
  '拖欠工资',
  '农民工',
  '物业费',
  '噪音',
  '路灯',
  '学区',
  '税',
  '驾驶证',
  '电动车',
];
const localise = (s: string) =>
  s
    .replace(/A市/g, '菏泽市')
    .replace(/A(\d+)区/g, (_m, n: string) => COUNTIES[Number(n) % COUNTIES.length]![1])
    .replace(/\s+/g, ' ')
    .trim();

interface Corpus {
  source: string;
  articles: Array<{ title: string; alias: string; answer: string; short: string }>;
  questions: string[];
  contacts: string[];
}

function corpus(): Corpus {
  const replies = join(TIPDM_DIR, 'replies.csv');
  const messages = join(TIPDM_DIR, 'messages.csv');
  if (existsSync(replies) && existsSync(messages)) {
    const rows = readCsvObjects(replies)
      .map((r) => {
        const answer = localise(r.reply ?? '');
        const core = answer.split(/答复如下[:：]/)[1] ?? answer;
        return {
          title: localise(r.title ?? '').slice(0, 100),
          alias: localise(r.body ?? '').slice(0, 40),
          answer: answer.slice(0, 800),
          short: core.slice(0, 150),
        };
      })
      .filter((r) => r.title && r.answer);
    const msgs = readCsvObjects(messages);
    return {
      source: `${replies} (${rows.length} replies) and ${messages} (${msgs.length} messages)`,
      articles: rows,
      questions: msgs.map((m) => localise(m.title ?? '').slice(0, 100)).filter(Boolean),
      contacts: msgs.map((m) => localise(m.body ?? '').slice(0, 300)).filter(Boolean),
    };
  }
  const t = loadTicketTexts();
  return {
    source: `generated (${t.source})`,
    articles: t.messages.map((m, i) => ({
      title: m.title,
      alias: m.content.slice(0, 40),
      answer: t.replies[i % t.replies.length]!,
      short: t.replies[i % t.replies.length]!.slice(0, 150),
    })),
    questions: t.messages.map((m) => m.title),
    contacts: t.messages.map((m) => m.content.slice(0, 300)),
  };
}

async function existingIds(db: DatabaseHandle['db']) {
  const units = await db.selectFrom('units').select(['id', 'code']).execute();
  const cats = await db.selectFrom('categories').select(['id', 'code']).execute();
  return {
    units: Object.fromEntries(units.map((u) => [u.code, u.id])),
    categories: Object.fromEntries(cats.map((c) => [c.code, c.id])),
    users: {},
  };
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function run(kind: 'postgres' | 'pglite', c: Corpus, out: string[]) {
  let url: string | undefined;
  let drop: (() => Promise<void>) | undefined;
  let dir: string | undefined;
  if (kind === 'postgres' && args.reuse) url = args.reuse;
  else if (kind === 'postgres') ({ url, drop } = await createThrowawayPgDatabase(PG_URL, 'hz_bench_kb'));
  if (args.keep && drop) {
    console.log(`keeping ${url}`);
    drop = undefined;
  } else dir = mkdtempSync(join(tmpdir(), 'hz-bench-kb-'));
  let handle: DatabaseHandle | undefined;
  try {
    handle = await openDatabase({ url, dataDir: dir ?? null });
    const db = handle.db;
    const reuse = kind === 'postgres' && !!args.reuse;
    await migrateToLatest(db);
    const clock = new ManualClock('2025-03-03T09:00:00+08:00');
    if (!reuse) await seedReferenceData(db);
    const ids = reuse ? await existingIds(db) : (await seedDemo(db, clock.now()))!;
    const units = Object.values(ids.units);
    const cats = Object.entries(ids.categories)
      .filter(([code]) => code.includes('-'))
      .map(([, id]) => id);
    const t0 = performance.now();
    const BATCH = 1000;
    for (let start = 0; start < (reuse ? 0 : N); start += BATCH) {
      const specs: ArticleSpec[] = [];
      for (let i = start; i < Math.min(N, start + BATCH); i++) {
        const a = c.articles[i % c.articles.length]!;
        const round = Math.floor(i / c.articles.length);
        const county = round === 0 ? null : COUNTIES[(round - 1) % COUNTIES.length]!;
        specs.push({
          ownerUnitId: units[i % units.length]!,
          title: county ? `${county[1]}${a.title}` : a.title,
          aliases: [a.alias],
          answer: a.answer,
          shortAnswer: a.short,
          visibility: i % 3 === 0 ? 'internal' : 'public',
          categoryIds: [cats[i % cats.length]!],
          regionCodes: county ? [county[0]] : [],
          // a tenth stale (reviewed long ago), a fiftieth expired
          reviewedAt: i % 10 === 0 ? new Date('2023-01-01T00:00:00Z') : clock.now(),
          expiresOn: i % 50 === 0 ? '2025-01-01' : null,
          useCount: i % 7 === 0 ? i % 97 : 0,
        });
      }
      await insertPublishedArticles(db, clock, specs);
      if ((start + BATCH) % 20_000 === 0) console.log(`  ${kind}: ${start + BATCH}/${N} articles`);
    }
    await sql`ANALYZE knowledge_articles`.execute(db);
    const loadS = (performance.now() - t0) / 1000;

    const search = new KnowledgeSearchService({ db, clock }, new KnowledgeSynonymService({ db, clock }));
    // the job that counts in how many titles each word is (run every few hours by the scheduler)
    const r0 = performance.now();
    const stats = await search.refreshTermStats();
    const refreshLine = `${kind}: word-frequency refresh ${((performance.now() - r0) / 1000).toFixed(1)} s (${stats.terms} words in more than 30 titles)`;
    console.log(refreshLine);
    const questions = Array.from(
      { length: Math.round(Q * 0.8) },
      (_, i) => c.questions[(i * 7919) % c.questions.length]!,
    );
    const keywords = Array.from({ length: Q - questions.length }, (_, i) => KEYWORDS[i % KEYWORDS.length]!);
    const contacts = Array.from({ length: 100 }, (_, i) => c.contacts[(i * 104729) % c.contacts.length]!);
    // warm-up: the caches a running server has (synonyms, the index pages)
    for (const q of questions.slice(0, 20)) await search.find({ q, limit: 10, publicOnly: false, source: 'agent' });

    const measure = async (label: string, list: string[], go: (q: string) => Promise<unknown[]>) => {
      const times: number[] = [];
      let hits = 0;
      let empty = 0;
      for (const q of list) {
        const s = performance.now();
        const r = await go(q);
        times.push(performance.now() - s);
        hits += r.length;
        if (!r.length) empty++;
      }
      times.sort((a, b) => a - b);
      const line = `${kind.padEnd(8)} ${label.padEnd(34)} n=${String(list.length).padStart(3)}  p50 ${fmt(percentile(times, 50)).padStart(9)}  p95 ${fmt(percentile(times, 95)).padStart(9)}  max ${fmt(times.at(-1)!).padStart(9)}  avg hits ${(hits / list.length).toFixed(1)}  no result ${empty}`;
      console.log(line);
      out.push(line);
      return percentile(times, 95);
    };
    out.push(`${kind}: ${N} articles loaded in ${loadS.toFixed(0)} s`);
    out.push(refreshLine);
    const all = [...questions, ...keywords];
    const p95 = await measure('staff search (all 500)', all, (q) =>
      search.find({ q, limit: 10, publicOnly: false, source: 'agent' }),
    );
    await measure('  of which citizens’ questions', questions, (q) =>
      search.find({ q, limit: 10, publicOnly: false, source: 'agent' }),
    );
    await measure('  of which short keywords', keywords, (q) =>
      search.find({ q, limit: 10, publicOnly: false, source: 'agent' }),
    );
    await measure('portal search (public only)', all.slice(0, 200), (q) =>
      search.find({ q, limit: 10, publicOnly: true, source: 'portal' }),
    );
    await measure('console suggestions (contact text)', contacts, (q) =>
      search.find({ q, limit: 5, publicOnly: false, source: 'auto' }),
    );
    await measure('category + region filter', all.slice(0, 200), (q) =>
      search.find({ q, limit: 10, publicOnly: false, source: 'agent', categoryId: cats[0], regionCode: '371721001' }),
    );
    out.push(`${kind}: staff search p95 ${fmt(p95)} — goal ≤ 50 ms: ${p95 <= 50 ? 'met' : 'MISSED'}`);
  } finally {
    await handle?.close();
    await drop?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const c = corpus();
  const out = [
    `knowledge search benchmark ${new Date().toISOString()} — ${N} articles, ${Q} queries`,
    `corpus: ${c.source}`,
  ];
  console.log(out.join('\n'));
  for (const kind of kinds) await run(kind, c, out);
  const file = args.out || join(ROOT, 'bench/results/2026-12-02-knowledge-search.txt');
  writeFileSync(file, `${out.join('\n')}\n`);
  console.log(`written to ${file}`);
}

await main();
