import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { AUTOVACUUM_DEFAULTS, upkeepFor, type TableActivity } from '../src/server/domain/table-upkeep.js';
import { tableUpkeepPass } from '../src/server/jobs/table-upkeep.js';
import { describeEachDb } from './helpers/test-env.js';

const table = (t: Partial<TableActivity>): TableActivity => ({
  reltuples: 0,
  deadTuples: 0,
  insertedSinceVacuum: 0,
  modifiedSinceAnalyze: 0,
  ...t,
});

describe('table upkeep: autovacuum’s rule for the embedded PGlite', () => {
  it('leaves a quiet table alone', () => {
    expect(upkeepFor(table({ reltuples: 10_000 }))).toEqual({ vacuum: false, analyze: false });
  });

  it('analyses once the changed rows pass 50 + 10 % of the table', () => {
    expect(upkeepFor(table({ reltuples: 1_000, modifiedSinceAnalyze: 150 })).analyze).toBe(false);
    expect(upkeepFor(table({ reltuples: 1_000, modifiedSinceAnalyze: 151 })).analyze).toBe(true);
    expect(upkeepFor(table({ reltuples: 1_000, modifiedSinceAnalyze: 151 })).vacuum).toBe(false);
  });

  it('vacuums once the dead rows pass 50 + 20 % of the table', () => {
    expect(upkeepFor(table({ reltuples: 1_000, deadTuples: 250 })).vacuum).toBe(false);
    expect(upkeepFor(table({ reltuples: 1_000, deadTuples: 251 }))).toEqual({ vacuum: true, analyze: false });
  });

  it('vacuums once the rows inserted since the last vacuum pass 1 000 + 20 % of the table', () => {
    expect(upkeepFor(table({ reltuples: 10_000, insertedSinceVacuum: 3_000 })).vacuum).toBe(false);
    expect(upkeepFor(table({ reltuples: 10_000, insertedSinceVacuum: 3_001 })).vacuum).toBe(true);
  });

  it('counts a table never vacuumed nor analysed (reltuples −1) as empty', () => {
    expect(upkeepFor(table({ reltuples: -1, modifiedSinceAnalyze: 51 }))).toEqual({ vacuum: false, analyze: true });
    expect(upkeepFor(table({ reltuples: -1, modifiedSinceAnalyze: 50 }))).toEqual({ vacuum: false, analyze: false });
    expect(upkeepFor(table({ reltuples: -1, insertedSinceVacuum: 1_001, modifiedSinceAnalyze: 1_001 }))).toEqual({
      vacuum: true,
      analyze: true,
    });
  });

  it('takes other thresholds', () => {
    const th = { ...AUTOVACUUM_DEFAULTS, analyzeBase: 0, analyzeScale: 0 };
    expect(upkeepFor(table({ reltuples: 1e6, modifiedSinceAnalyze: 1 }), th).analyze).toBe(true);
  });
});

describeEachDb('table upkeep pass (the scheduler runs it on PGlite, which has no autovacuum)', (env) => {
  interface Stats {
    reltuples: number;
    dead: number;
    vacuums: number;
    analyses: number;
  }
  const stats = async (): Promise<Stats> => {
    const db = env().db;
    await sql`SELECT pg_stat_force_next_flush()`.execute(db);
    const r = await sql<{ reltuples: number; dead: string; vacuums: string; analyses: string }>`
      SELECT c.reltuples::float8 AS reltuples, s.n_dead_tup AS dead, s.vacuum_count AS vacuums, s.analyze_count AS analyses
      FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.relname = 'upkeep_probe'`.execute(db);
    const row = r.rows[0]!;
    return {
      reltuples: Number(row.reltuples),
      dead: Number(row.dead),
      vacuums: Number(row.vacuums),
      analyses: Number(row.analyses),
    };
  };

  it('its thresholds are autovacuum’s defaults as the database itself reports them', async () => {
    const r = await sql<{ name: string; boot: string }>`
      SELECT name, boot_val AS boot FROM pg_settings WHERE name IN ('autovacuum_vacuum_threshold',
        'autovacuum_vacuum_scale_factor', 'autovacuum_vacuum_insert_threshold', 'autovacuum_vacuum_insert_scale_factor',
        'autovacuum_analyze_threshold', 'autovacuum_analyze_scale_factor')`.execute(env().db);
    const boot = Object.fromEntries(r.rows.map((x) => [x.name, Number(x.boot)]));
    expect({
      vacuumBase: boot.autovacuum_vacuum_threshold,
      vacuumScale: boot.autovacuum_vacuum_scale_factor,
      insertBase: boot.autovacuum_vacuum_insert_threshold,
      insertScale: boot.autovacuum_vacuum_insert_scale_factor,
      analyzeBase: boot.autovacuum_analyze_threshold,
      analyzeScale: boot.autovacuum_analyze_scale_factor,
    }).toEqual(AUTOVACUUM_DEFAULTS);
  });

  it('vacuums and analyses a table that changed, then leaves it alone until it changes again', async () => {
    const db = env().db;
    // autovacuum off for this table on a PostgreSQL server, so only the pass touches it; the writes and the flush of
    // their counters on one connection (each backend sends its own counters)
    await db.connection().execute(async (conn) => {
      await sql`CREATE TABLE upkeep_probe (id int PRIMARY KEY, v text) WITH (autovacuum_enabled = false)`.execute(conn);
      await sql`INSERT INTO upkeep_probe SELECT i, md5(i::text) FROM generate_series(1, 3000) i`.execute(conn);
      await sql`UPDATE upkeep_probe SET v = v || 'x' WHERE id <= 1000`.execute(conn);
      await sql`SELECT pg_stat_force_next_flush()`.execute(conn);
      await sql`SELECT 1`.execute(conn);
    });
    const before = await stats();
    expect(before).toMatchObject({ vacuums: 0, analyses: 0, dead: 1000 });

    const first = await tableUpkeepPass(db);
    expect(first.tablesVacuumed).toBeGreaterThanOrEqual(1);
    expect(first.tablesAnalyzed).toBeGreaterThanOrEqual(1);
    const after = await stats();
    expect(after).toEqual({ reltuples: 3000, dead: 0, vacuums: 1, analyses: 1 });

    // nothing changed since: the probe is neither vacuumed nor analysed again
    await tableUpkeepPass(db);
    expect(await stats()).toEqual(after);

    // 400 rows changed: past 50 + 10 % of 3 000 (analyse), below 50 + 20 % dead (no vacuum)
    await db.connection().execute(async (conn) => {
      await sql`UPDATE upkeep_probe SET v = 'y' WHERE id <= 400`.execute(conn);
      await sql`SELECT pg_stat_force_next_flush()`.execute(conn);
      await sql`SELECT 1`.execute(conn);
    });
    await tableUpkeepPass(db);
    expect(await stats()).toMatchObject({ vacuums: 1, analyses: 2, dead: 400 });
  });
});
