// The embedded PGlite runs PostgreSQL in single-user mode: no autovacuum launcher, so without the app nothing ever
// vacuums or analyses its tables. Dead rows of every update stay (tables and indexes grow, index-only scans stop
// paying off) and the planner keeps the statistics of the day the table was created — a year of demo history or
// months of a small centre's tickets planned as if the tables were empty. The scheduler stands in for autovacuum
// (jobs/table-upkeep.ts) with autovacuum's own rule, so a table is vacuumed or analysed when PostgreSQL's server
// would have done it.

/** What the cumulative statistics say about one table since its last vacuum and analyse. */
export interface TableActivity {
  /** pg_class.reltuples: the row count the last VACUUM or ANALYZE saw; -1 (PostgreSQL 14+) when never */
  reltuples: number;
  deadTuples: number;
  insertedSinceVacuum: number;
  modifiedSinceAnalyze: number;
}

export interface UpkeepThresholds {
  vacuumBase: number;
  vacuumScale: number;
  insertBase: number;
  insertScale: number;
  analyzeBase: number;
  analyzeScale: number;
}

/** PostgreSQL 15's autovacuum defaults (autovacuum_vacuum_threshold, …_scale_factor, …_insert_…, …analyze_…). */
export const AUTOVACUUM_DEFAULTS: UpkeepThresholds = {
  vacuumBase: 50,
  vacuumScale: 0.2,
  insertBase: 1000,
  insertScale: 0.2,
  analyzeBase: 50,
  analyzeScale: 0.1,
};

export interface Upkeep {
  vacuum: boolean;
  analyze: boolean;
}

/**
 * autovacuum's decision for one table (PostgreSQL's relation_needs_vacanalyze): vacuum when the dead rows, or the
 * rows inserted since the last vacuum, pass a base plus a share of the table; analyse when the rows changed since the
 * last analyse do. A table never vacuumed nor analysed counts as empty, so its first rows are enough.
 */
export function upkeepFor(t: TableActivity, th: UpkeepThresholds = AUTOVACUUM_DEFAULTS): Upkeep {
  const rows = Math.max(0, t.reltuples);
  return {
    vacuum:
      t.deadTuples > th.vacuumBase + th.vacuumScale * rows ||
      t.insertedSinceVacuum > th.insertBase + th.insertScale * rows,
    analyze: t.modifiedSinceAnalyze > th.analyzeBase + th.analyzeScale * rows,
  };
}
