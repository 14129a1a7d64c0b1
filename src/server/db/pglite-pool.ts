import { fsyncSync } from 'node:fs';
import { PGlite, parse, protocol } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';
import { preparingClient } from './prepared-statements.js';

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
  const paramTypes = new Map<string, number[]>();
  const raw = {
    async query(config: string | { name?: string; text: string; values?: unknown[] }, values?: unknown[]) {
      const sql = typeof config === 'string' ? config : config.text;
      const params = (typeof config === 'string' ? values : config.values) ?? [];
      if (typeof config !== 'string' && config.name) {
        const r = await runNamed(pg, paramTypes, config.name, sql, params);
        return { command: commandOf(sql), rowCount: r.affectedRows ?? 0, rows: r.rows };
      }
      if (params.length === 0) {
        // Parameterless statements may hold several commands (migrations); exec handles that.
        const results = await pg.exec(sql);
        const last = results[results.length - 1];
        return { command: commandOf(sql), rowCount: last?.affectedRows ?? 0, rows: last?.rows ?? [] };
      }
      const r = await pg.query(sql, params);
      return { command: commandOf(sql), rowCount: r.affectedRows ?? 0, rows: r.rows };
    },
    release() {},
  };
  // Named statements as on a PostgreSQL server (prepared-statements.ts, with the same guards): PGlite's query()
  // parses and plans every statement again, and planning in WebAssembly is slow — the ticket statement took 4.5 ms
  // a call, 5 ms of EXPLAIN's planning time against 1.7 ms of execution (docs/benchmarks.md, "PGlite: statements named"). One backend
  // for the life of the instance, so one preparing client, whose state outlives each connect().
  const client = preparingClient(raw);
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
        query: (text: string, params: unknown[]) => client.query(text, params),
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

/**
 * One call of a named statement, as PGlite's own query() runs an unnamed one (parse, describe, bind, describe,
 * execute, sync; values serialised by the parameter types the server infers, rows parsed by PGlite's parsers) but
 * parsing and describing the statement only on its first call: the server keeps its parse tree and its plan.
 */
async function runNamed(
  pg: PGlite,
  paramTypes: Map<string, number[]>,
  name: string,
  text: string,
  values: readonly unknown[],
) {
  const { serialize } = protocol;
  const opts = { syncToFs: false };
  await pg.waitReady; // query() waits for the instance to start; the protocol API does not
  return pg.runExclusive(async () => {
    const messages: Awaited<ReturnType<PGlite['execProtocolStream']>> = [];
    try {
      let types = paramTypes.get(name);
      if (!types) {
        // closing a statement that does not exist is no error: a name another pool left on this instance goes
        await pg.execProtocolStream(serialize.close({ type: 'S', name }), opts);
        messages.push(...(await pg.execProtocolStream(serialize.parse({ name, text }), opts)));
        const described = await pg.execProtocolStream(serialize.describe({ type: 'S', name }), opts);
        types = parse.parseDescribeStatementResults(described);
        paramTypes.set(name, types);
      }
      const serialized = values.map((v, i) => {
        if (v === null || v === undefined) return null;
        const serializer = pg.serializers[types[i]!];
        // as PGlite's query(): a type without a serializer takes the value's own text
        return serializer ? serializer(v) : (v as { toString(): string }).toString();
      });
      messages.push(...(await pg.execProtocolStream(serialize.bind({ statement: name, values: serialized }), opts)));
      messages.push(...(await pg.execProtocolStream(serialize.describe({ type: 'P' }), opts)));
      messages.push(...(await pg.execProtocolStream(serialize.execute({}), opts)));
    } finally {
      messages.push(...(await pg.execProtocolStream(serialize.sync(), opts)));
    }
    await pg.syncToFs();
    return parse.parseResults(messages, pg.parsers)[0]!;
  });
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
