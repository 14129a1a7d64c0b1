import { fsyncSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';

// Adapts an embedded PGlite instance to the small pool interface Kysely's PostgresDialect expects, so
// the exact same dialect, query compiler and SQL run on PGlite and on a PostgreSQL server.
// PGlite has one connection: `connect()` hands it out to one caller at a time (a FIFO lock), which is
// also what keeps a Kysely transaction's statements together. Touching the outer `db` while holding a
// transaction therefore waits forever — code inside a transaction must only use its `trx`.
export function pglitePool(pg: PGlite) {
  let tail: Promise<void> = Promise.resolve();
  // for the metrics (db_pool_*): whether the one connection is handed out, and how many callers queue for it
  let inUse = false;
  let waiting = 0;
  const client = {
    async query(sql: string, params: readonly unknown[]) {
      if (params.length === 0) {
        // Parameterless statements may hold several commands (migrations); exec handles that.
        const results = await pg.exec(sql);
        const last = results[results.length - 1];
        return { command: commandOf(sql), rowCount: last?.affectedRows ?? 0, rows: last?.rows ?? [] };
      }
      const r = await pg.query(sql, params as unknown[]);
      return { command: commandOf(sql), rowCount: r.affectedRows ?? 0, rows: r.rows };
    },
    release() {},
  };
  return {
    async connect() {
      let release!: () => void;
      const mine = new Promise<void>((resolve) => (release = resolve));
      const previous = tail;
      tail = previous.then(() => mine);
      waiting += 1;
      await previous;
      waiting -= 1;
      inUse = true;
      return {
        query: (...args: Parameters<typeof client.query>) => client.query(...args),
        release: () => {
          inUse = false;
          release();
        },
      };
    },
    stats: (): PoolStats => ({ total: 1, idle: inUse ? 0 : 1, waiting, max: 1 }),
    async end() {
      await tail;
      await pg.close();
    },
  };
}

/** Connections of a pool as the metrics report them (node-postgres Pool counts; PGlite's one connection). */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

function commandOf(sql: string): string {
  const m = /^\s*(?:with\b[\s\S]*?\)\s*)?(insert|update|delete|merge|select)\b/i.exec(sql);
  return (m?.[1] ?? 'SELECT').toUpperCase();
}

/**
 * PGlite's own start parameters, made durable: PGlite starts PostgreSQL with -F (fsync = off), and the Node
 * filesystem it mounts (Emscripten's NODEFS) has no fsync at all, while fdatasync is a no-op stub in its syscall
 * layer. So without this a commit lives in the OS page cache: it survives kill -9 but not a power loss or a kernel
 * crash. Durable mode drops -F, has WAL flushes use fsync (which reaches the filesystem below) and gives NODEFS
 * an fsync that calls the host's fsync(2) — the same guarantee as PostgreSQL's default fsync = on.
 */
export const DURABLE_START_PARAMS: readonly string[] = [
  ...PGlite.defaultStartParams.filter((p) => p !== '-F'),
  '-c',
  'fsync=on',
  '-c',
  'wal_sync_method=fsync',
  '-c',
  'synchronous_commit=on',
];

/** NodeFS whose files can be fsync'ed; onFsync (tests, the benchmark) hears of each call and how long it took. */
export class DurableNodeFS extends NodeFS {
  constructor(
    dataDir: string,
    private readonly onFsync?: (ms: number) => void,
  ) {
    super(dataDir);
  }
  override async init(pg: PGlite, emscriptenOptions: Parameters<NodeFS['init']>[1]) {
    const r = await super.init(pg, emscriptenOptions);
    const preRun = r.emscriptenOpts.preRun ?? [];
    const patch = (mod: { NODEFS: { stream_ops: { fsync?: (stream: { nfd?: number }) => number } } }) => {
      mod.NODEFS.stream_ops.fsync = (stream) => {
        const t0 = performance.now();
        if (stream.nfd !== undefined) fsyncSync(stream.nfd);
        this.onFsync?.(performance.now() - t0);
        return 0;
      };
    };
    r.emscriptenOpts.preRun = [...(Array.isArray(preRun) ? preRun : [preRun]), patch];
    return r;
  }
}
