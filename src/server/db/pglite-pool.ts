import type { PGlite } from '@electric-sql/pglite';

// Adapts an embedded PGlite instance to the small pool interface Kysely's PostgresDialect expects, so
// the exact same dialect, query compiler and SQL run on PGlite and on a PostgreSQL server.
// PGlite has one connection: `connect()` hands it out to one caller at a time (a FIFO lock), which is
// also what keeps a Kysely transaction's statements together. Touching the outer `db` while holding a
// transaction therefore waits forever — code inside a transaction must only use its `trx`.
export function pglitePool(pg: PGlite) {
  let tail: Promise<void> = Promise.resolve();
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
      await previous;
      return { query: client.query, release: () => release() };
    },
    async end() {
      await tail;
      await pg.close();
    },
  };
}

function commandOf(sql: string): string {
  const m = /^\s*(?:with\b[\s\S]*?\)\s*)?(insert|update|delete|merge|select)\b/i.exec(sql);
  return (m?.[1] ?? 'SELECT').toUpperCase();
}
