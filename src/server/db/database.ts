import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import type { DB } from './schema.js';
import { preparingPool } from './prepared-statements.js';
import type { PoolStats } from './pglite-pool.js';
import { lockDataDir } from './pglite-lock.js';

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
  /** The embedded instance (PGlite only): backups dump its data directory */
  pglite?: PGlite;
  close(): Promise<void>;
}

// The pool behind each opened database, for the metrics (db_pool_*): buildApp gets only the Kysely instance.
const poolStatsByDb = new WeakMap<Database, () => PoolStats>();

/**
 * The database's announcements on channel hz_auth (migration 0049: a session, a user, a unit's regions or the
 * security settings changed), for the session cache. `onState(false)` whenever this process may be missing
 * announcements (connection lost: the listener reconnects by itself), `onState(true)` once it hears them again.
 */
export interface AuthChangeFeed {
  listen(onMessage: (payload: string) => void, onState: (up: boolean) => void): () => void;
}
const authFeedByDb = new WeakMap<Database, AuthChangeFeed>();

/** The change feed of a database opened by openDatabase (null otherwise: then nothing may be cached). */
export function authChangeFeed(db: Database): AuthChangeFeed | null {
  return authFeedByDb.get(db) ?? null;
}

const AUTH_CHANNEL = 'hz_auth';
const RELISTEN_MS = 1_000;

/** PostgreSQL: a connection of its own holds the LISTEN (a pooled one would be handed to other queries). */
function pgAuthFeed(url: string, stoppers: Set<() => void>): AuthChangeFeed {
  return {
    listen(onMessage, onState) {
      let stopped = false;
      let client: pg.Client | null = null;
      let timer: NodeJS.Timeout | null = null;
      // a dropped client may still emit errors while it ends: swallowed, it is no longer ours
      const drop = () => {
        onState(false);
        client?.removeAllListeners();
        client?.on('error', () => {});
        void client?.end().catch(() => {});
        client = null;
      };
      const retry = () => {
        drop();
        if (!stopped && !timer) (timer = setTimeout(connect, RELISTEN_MS)).unref();
      };
      const connect = () => {
        timer = null;
        if (stopped) return;
        const c = (client = new pg.Client({ connectionString: url }));
        c.on('notification', (m) => onMessage(m.payload ?? '*'));
        c.on('error', retry);
        c.on('end', retry);
        c.connect()
          .then(() => c.query(`LISTEN ${AUTH_CHANNEL}`))
          .then(() => {
            if (client === c && !stopped) onState(true);
          })
          .catch(retry);
      };
      connect();
      const stop = () => {
        stopped = true;
        stoppers.delete(stop);
        if (timer) clearTimeout(timer);
        drop();
      };
      stoppers.add(stop);
      return stop;
    },
  };
}

/** PGlite: one process owns the database, and its own notifications reach its listeners. */
function pgliteAuthFeed(lite: PGlite, stoppers: Set<() => void>): AuthChangeFeed {
  return {
    listen(onMessage, onState) {
      let stopped = false;
      let unlisten: (() => Promise<void>) | null = null;
      lite
        .listen(AUTH_CHANNEL, (payload) => onMessage(payload || '*'))
        .then((u) => {
          unlisten = u;
          if (stopped) void u().catch(() => {});
          else onState(true);
        })
        .catch(() => onState(false));
      const stop = () => {
        stopped = true;
        stoppers.delete(stop);
        onState(false);
        void unlisten?.().catch(() => {});
      };
      stoppers.add(stop);
      return stop;
    },
  };
}

/** The connection counts of the pool behind `db` (null for a Kysely instance not opened by openDatabase). */
export function poolStats(db: Database): PoolStats | null {
  return poolStatsByDb.get(db)?.() ?? null;
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
  /** PGlite under dataDir only: a data-directory dump to start from (restore); the directory must hold no database */
  loadDataDir?: Blob;
}): Promise<DatabaseHandle> {
  if (opts.url) {
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10 });
    // An idle client can be cut off by the server (restart, admin termination); without a listener
    // that error would crash the process. The pool replaces the client on the next checkout.
    pool.on('error', (err) => opts.onIdleError?.(err));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: preparingPool(pool) as never }) });
    const max = opts.poolSize ?? 10;
    poolStatsByDb.set(db, () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max }));
    const listeners = new Set<() => void>();
    authFeedByDb.set(db, pgAuthFeed(opts.url, listeners));
    return {
      db,
      kind: 'postgres',
      close: async () => {
        for (const stop of [...listeners]) stop();
        await db.destroy();
      },
    };
  }
  // loaded only here: the embedded database is 35–40 MB of a process's memory that a process on PostgreSQL (every
  // app, worker and trainer of a production deployment) never uses (docs/classification.md "Training at scale")
  const [{ PGlite }, { pg_trgm }, { DURABLE_START_PARAMS, DurableNodeFS, pglitePool }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('./pglite-pool.js'),
  ]);
  let dir: string | undefined;
  let unlock = () => {};
  if (opts.dataDir) {
    dir = join(opts.dataDir, 'pglite');
    mkdirSync(opts.dataDir, { recursive: true });
    // one process per data directory (pglite-lock.ts): a second one would corrupt it
    unlock = lockDataDir(opts.dataDir);
    mkdirSync(dir, { recursive: true });
  }
  const durable = opts.durable === true && dir !== undefined;
  let lite: PGlite;
  try {
    lite = await PGlite.create({
      ...(durable
        ? { fs: new DurableNodeFS(dir!, opts.onFsync), startParams: [...DURABLE_START_PARAMS] }
        : { dataDir: dir ?? 'memory://' }),
      ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
      extensions: { pg_trgm },
      parsers: { [INT8]: (v: string) => Number(v), [NUMERIC]: (v: string) => Number(v), [DATE]: (v: string) => v },
    });
  } catch (err) {
    unlock();
    throw err;
  }
  const litePool = pglitePool(lite);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: litePool as never }) });
  poolStatsByDb.set(db, litePool.stats);
  const listeners = new Set<() => void>();
  authFeedByDb.set(db, pgliteAuthFeed(lite, listeners));
  return {
    db,
    kind: 'pglite',
    pglite: lite,
    close: async () => {
      for (const stop of [...listeners]) stop();
      try {
        await db.destroy();
      } finally {
        unlock();
      }
    },
  };
}
