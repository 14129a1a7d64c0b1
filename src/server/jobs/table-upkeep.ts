import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { upkeepFor, type TableActivity } from '../domain/table-upkeep.js';

/**
 * The embedded database's stand-in for autovacuum (domain/table-upkeep.ts says why): reads the cumulative statistics
 * of the app's tables and vacuums or analyses those autovacuum would. Only scheduled on PGlite; on a PostgreSQL
 * server autovacuum does this itself. PGlite has one connection, so a VACUUM holds the requests behind it for its
 * duration: autovacuum's thresholds keep such passes rare (a table again only once a fifth of it has changed).
 */
export async function tableUpkeepPass(db: Kysely<DB>): Promise<{ tablesVacuumed: number; tablesAnalyzed: number }> {
  // the backend sends its counters to the shared statistics at most every few seconds; the decision needs them now
  await sql`SELECT pg_stat_force_next_flush()`.execute(db);
  const { rows } = await sql<{
    schema: string;
    table: string;
    reltuples: number;
    dead: string;
    inserted: string;
    modified: string;
  }>`
    SELECT s.schemaname AS schema, s.relname AS table, c.reltuples::float8 AS reltuples, s.n_dead_tup AS dead,
      s.n_ins_since_vacuum AS inserted, s.n_mod_since_analyze AS modified
    FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
    WHERE s.schemaname NOT IN ('pg_catalog', 'information_schema')
    ORDER BY s.schemaname, s.relname`.execute(db);
  let tablesVacuumed = 0;
  let tablesAnalyzed = 0;
  for (const r of rows) {
    const activity: TableActivity = {
      reltuples: Number(r.reltuples),
      deadTuples: Number(r.dead),
      insertedSinceVacuum: Number(r.inserted),
      modifiedSinceAnalyze: Number(r.modified),
    };
    const { vacuum, analyze } = upkeepFor(activity);
    const name = sql.id(r.schema, r.table);
    // one statement per call: VACUUM cannot run inside a transaction, nor among several statements of one query
    if (vacuum) await sql`VACUUM ${analyze ? sql`(ANALYZE) ` : sql``}${name}`.execute(db);
    else if (analyze) await sql`ANALYZE ${name}`.execute(db);
    if (vacuum) tablesVacuumed++;
    if (analyze) tablesAnalyzed++;
  }
  return { tablesVacuumed, tablesAnalyzed };
}
