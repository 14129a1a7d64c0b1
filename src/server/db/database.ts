import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { DB } from './schema.js';
import { preparingPool } from './prepared-statements.js';
import { DURABLE_START_PARAMS, DurableNodeFS, pglitePool } from './pglite-pool.js';

export type Database = Kysely<DB>;

// Both drivers return the same JS types: int8 and numeric as numbers (our ids stay far below 2^53),
// dates ('YYYY-MM-DD') as strings so calendar days never shift with the process time zone.
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
pg.types.setTypeParser(INT8, (v) => Number(v));
pg.types.setTypeParser(NUMERIC, (v) => Number(v));
pg.types.setTypeParser(DATE, (v) => v);

export interface DatabaseHandle {
  db: Database;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

/** Opens PostgreSQL when a URL is given, else PGlite under dataDir (or in memory when dataDir is null). */
export async function openDatabase(opts: {
  url?: string;
  dataDir?: string | null;
  poolSize?: number;
  onIdleError?: (err: Error) => void;
  /** PGlite under dataDir only: fsync commits to disk (see DURABLE_START_PARAMS); counts fsync calls for tests */
  durable?: boolean;
  onFsync?: (ms: number) => void;
}): Promise<DatabaseHandle> {
  if (opts.url) {
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10 });
    // An idle client can be cut off by the server (restart, admin termination); without a listener
    // that error would crash the process. The pool replaces the client on the next checkout.
    pool.on('error', (err) => opts.onIdleError?.(err));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: preparingPool(pool) as never }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  let dir: string | undefined;
  if (opts.dataDir) {
    dir = join(opts.dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
  }
  const durable = opts.durable === true && dir !== undefined;
  const lite = await PGlite.create({
    ...(durable
      ? { fs: new DurableNodeFS(dir!, opts.onFsync), startParams: [...DURABLE_START_PARAMS] }
      : { dataDir: dir ?? 'memory://' }),
    extensions: { pg_trgm },
    parsers: { [INT8]: (v: string) => Number(v), [NUMERIC]: (v: string) => Number(v), [DATE]: (v: string) => v },
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: pglitePool(lite) as never }) });
  return { db, kind: 'pglite', close: () => db.destroy() };
}
