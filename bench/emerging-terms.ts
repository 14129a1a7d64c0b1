import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { lastCompleteWeek, windowsOf, EMERGING_RULES } from '../src/server/domain/emerging-terms.js';
import { localDateOf } from '../src/server/domain/calendar.js';
import { emergingTermsPass } from '../src/server/jobs/emerging-terms.js';
import { windowCounts } from '../src/server/modules/emerging/emerging.repository.js';
import { loadTickets, openBenchDatabase } from './bench-database.js';

// npm run bench:emerging -- [--db postgres|pglite] [--tickets 1000000] [--pg postgres://postgres@127.0.0.1:5432/postgres]
//   [--reuse-db URL] [--keep-db]
// 第二十八条(三)(四) 新兴诉求词 at scale (docs/emerging.md): `tickets` generated tickets (TipDM texts when ../shared is
// there; the generator spreads them over about a year, most in the last months), then the scheduler's pass as it
// runs: (1) counting every ticket's words into term_weeks (jieba's precise cut and the upserts, in the cursor's
// batches), tickets a second; (2) ranking the weeks (the last complete one and the seven before, the city and each
// county) from term_weeks, with the word samples from the tickets' GIN index; (3) the heaviest single read, the
// city's three windows of one week. Figures printed; nothing is asserted.

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'postgres' },
    tickets: { type: 'string', default: '1000000' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    'reuse-db': { type: 'string' },
    'keep-db': { type: 'boolean', default: false },
  },
});

const s = (ms: number) => (ms / 1000).toFixed(1);

const bench = await openBenchDatabase({
  db: args.db,
  what: 'emerging',
  adminUrl: args.pg,
  reuse: args['reuse-db'],
  keep: args['keep-db'],
});
const db = bench.handle.db;
try {
  if (!bench.reused) await loadTickets(db, { kind: args.db, size: Number(args.tickets), growTo: 0, shiftDays: 0 });
  await sql`DELETE FROM emerging_weeks`.execute(db);
  await sql`DELETE FROM term_weeks`.execute(db);
  await sql`DELETE FROM term_week_totals`.execute(db);
  await sql`UPDATE analytics_cursor SET last_id = 0 WHERE name = 'emerging_terms'`.execute(db);
  const now = new Date();
  const tickets = Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM tickets`.execute(db)).rows[0]!.n);
  console.log(`${tickets} tickets (${args.db})`);

  // (1) counting, pass after pass as the scheduler would (the last pass also ranks: timed apart below)
  const c0 = performance.now();
  let counted = 0;
  let rows = 0;
  for (;;) {
    const r = await emergingTermsPass(db, now, { lagMs: 0, maxBatches: 20 });
    counted += r.emergingTickets;
    rows += r.emergingWordRows;
    if (r.emergingTickets === 0) break;
    process.stdout.write(`  counted ${counted}\n`);
  }
  const countMs = performance.now() - c0;
  const size = await sql<{ rows: number; weeks: number; cells: number }>`
    SELECT count(*)::int AS rows, count(DISTINCT week)::int AS weeks, count(DISTINCT (week, region_code))::int AS cells
    FROM term_weeks`.execute(db);
  const z = size.rows[0]!;
  console.log(
    `counting: ${counted} tickets in ${s(countMs)} s (ranking included) — ${Math.round(counted / (countMs / 1000))} tickets/s; ` +
      `${rows} upserted rows; term_weeks holds ${z.rows} rows over ${z.weeks} weeks (${Math.round(z.rows / Math.max(1, z.cells))} words a week and county)`,
  );

  // (2) ranking alone: the weeks dropped and ranked again (no new tickets to count)
  await sql`DELETE FROM emerging_weeks`.execute(db);
  const r0 = performance.now();
  const ranked = await emergingTermsPass(db, now, { lagMs: 0 });
  const rankMs = performance.now() - r0;
  console.log(
    `ranking: ${ranked.emergingRanked} week × region lists in ${s(rankMs)} s (${Math.round(rankMs / Math.max(1, ranked.emergingRanked))} ms each)`,
  );

  // (3) the heaviest read: the city's windows of the last complete week
  const w = windowsOf(lastCompleteWeek(localDateOf(now)));
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await windowCounts(db, w, null, EMERGING_RULES.minRecent);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`the city's window counts of one week: median ${Math.round(times[2]!)} ms (5 runs)`);
  const top = await sql<{ term: string; recent: number; related: string[] }>`
    SELECT term, recent, related FROM emerging_terms WHERE region_code = '371700'
    AND week = (SELECT max(week) FROM emerging_weeks) ORDER BY rank LIMIT 5`.execute(db);
  for (const t of top.rows) console.log(`  ${t.term} ${t.recent} (${t.related.join('、')})`);
} finally {
  await bench.close();
}
