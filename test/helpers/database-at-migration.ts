import { afterEach } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/server/db/database.js';
import { migrateTo } from '../../src/server/db/migrate.js';
import { createThrowawayPgDatabase } from './pg-database.js';

/**
 * For tests of one migration: inside a describe, returns `at(name)`, which opens a new database of the given kind
 * (a throw-away PostgreSQL database named after `prefix`, or an in-memory PGlite) migrated up to and including `name`;
 * each test's database is closed and dropped after it.
 */
export function databaseAtMigration(kind: 'pglite' | 'postgres', pgUrl: string | null | undefined, prefix: string) {
  let handle: DatabaseHandle | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await handle?.close();
    await drop?.();
    handle = undefined;
    drop = undefined;
  });
  return async function at(name: string) {
    if (kind === 'postgres') {
      const t = await createThrowawayPgDatabase(pgUrl!, prefix);
      drop = t.drop;
      handle = await openDatabase({ url: t.url });
    } else handle = await openDatabase({ dataDir: null });
    await migrateTo(handle.db, name);
    return handle.db;
  };
}
