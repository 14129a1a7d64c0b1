import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { systemClock } from '../src/server/clock.js';
import { openDatabase, type DatabaseHandle } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import type { DB } from '../src/server/db/schema.js';
import { seedDemo, seedReferenceData } from '../src/server/seed/seed.js';
import { createPgDatabase, createThrowawayPgDatabase } from '../test/helpers/pg-database.js';
import { TicketGenerator } from './generate.js';
import { loadTicketTexts } from './ticket-texts.js';

// The database of a benchmark at scale (bench/duplicates.ts, bench/classification-suggest.ts): where it lives, and
// the tickets loaded into it — generated from the corpus, then copied up to a larger size.

export interface BenchDatabase {
  handle: DatabaseHandle;
  /** true when --reuse-db named a database loaded by an earlier run: load nothing */
  reused: boolean;
  /** closes the handle, then drops a throw-away database or removes the PGlite directory; a kept one stays */
  close(): Promise<void>;
}

/**
 * `reuse`: the URL of a database an earlier `keep` run loaded. `keep` (PostgreSQL): a database named
 * `hz_kept_<what>_<time>`, printed and left behind — not a throw-away name, which the suite's clean-up of killed runs
 * would drop (test/helpers/stale-leftovers.ts). Otherwise a throw-away PostgreSQL database, or a PGlite directory.
 * Migrated either way.
 */
export async function openBenchDatabase(o: {
  db: string;
  what: string;
  adminUrl: string;
  reuse?: string;
  keep?: boolean;
}): Promise<BenchDatabase> {
  let url: string | undefined;
  let dir: string | undefined;
  let drop: (() => Promise<void>) | undefined;
  if (o.reuse) url = o.reuse;
  else if (o.db === 'postgres' && o.keep) {
    const kept = await createPgDatabase(
      o.adminUrl,
      `hz_kept_${o.what}_${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`,
    );
    url = kept.url;
    console.log(`database kept for --reuse-db (drop it when done): ${url}`);
  } else if (o.db === 'postgres') {
    const created = await createThrowawayPgDatabase(o.adminUrl, `hz_bench_${o.what}`);
    url = created.url;
    drop = created.drop;
  } else dir = mkdtempSync(join(tmpdir(), `hz-bench-${o.what}-`));
  const handle = await openDatabase({ url, dataDir: dir ?? null });
  await migrateToLatest(handle.db);
  return {
    handle,
    reused: Boolean(o.reuse),
    close: async () => {
      await handle.close();
      await drop?.();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Seeds the demo centre and loads `size` generated tickets (texts from the corpus), then copies the tickets until
 * there are `growTo` (0: none). Copies keep texts, categories, regions, statuses, units and times — shifted back by
 * up to `shiftDays` — with new numbers. Above `size` the word index is dropped for the copies and built once after
 * (kept up row by row, the copies take ten times as long). Ends with what autovacuum does to a table in use
 * (VACUUM ANALYZE on PostgreSQL: the visibility map lets index-only scans skip the rows).
 */
export async function loadTickets(
  db: Kysely<DB>,
  o: { kind: string; size: number; growTo: number; shiftDays: number },
): Promise<void> {
  await seedReferenceData(db);
  const ids = (await seedDemo(db, systemClock.now()))!;
  const corpus = loadTicketTexts();
  const gen = new TicketGenerator(db, ids, corpus);
  await gen.prepare();
  const t0 = performance.now();
  const done = await gen.loadTo(o.size, systemClock.now(), 20_000, (n, all) => {
    if (n % 100_000 === 0 || n === all) process.stdout.write(`  loaded ${n}/${all}\n`);
  });
  console.log(`loaded ${done.tickets} tickets in ${seconds(t0)} s (${corpus.source})`);
  const growing = o.growTo > o.size;
  if (growing) await sql`DROP INDEX tickets_search`.execute(db);
  for (let round = 1; growing; round++) {
    const have = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM tickets`.execute(db)).rows[0]!.n;
    if (have >= o.growTo) break;
    const g0 = performance.now();
    await sql`INSERT INTO tickets (number, request_type, category_id, urgency, region_code, title, content, status, version, centre_unit_id,
        lead_unit_id, channel, created_by, created_at, updated_at, due_at, search_vector)
      SELECT number || '-c' || ${round}, request_type, category_id, urgency, region_code, title, content, status, version, centre_unit_id,
        lead_unit_id, channel, created_by, created_at - (random() * ${`${o.shiftDays} days`}::interval), updated_at, due_at, search_vector
      FROM tickets ORDER BY id LIMIT ${o.growTo - have}`.execute(db);
    console.log(`  copied up to ${Math.min(o.growTo, have * 2)} tickets in ${seconds(g0)} s`);
  }
  if (growing) {
    const i0 = performance.now();
    await sql`CREATE INDEX tickets_search ON tickets USING gin (search_vector)`.execute(db);
    console.log(`  word index rebuilt in ${seconds(i0)} s`);
  }
  if (o.kind === 'postgres') await sql`VACUUM (ANALYZE) tickets`.execute(db);
  else await sql`ANALYZE tickets`.execute(db);
}

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(0);
