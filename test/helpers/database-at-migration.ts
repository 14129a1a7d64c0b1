import { sql } from 'kysely';
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

/**
 * A centre unit and one user of it, written by hand: a database at an older migration cannot take the seeds, which
 * follow the newest schema. The user's username, display name and one role are the test's.
 */
export async function insertCentreUser(
  db: DatabaseHandle['db'],
  now: Date,
  user: { username: string; displayName: string; role: string },
): Promise<{ unitId: number; userId: number }> {
  const unit = await sql<{ id: number }>`
    INSERT INTO units (code, name, kind, tier, created_at) VALUES ('T', '测试中心', 'centre', 'city', ${now})
    RETURNING id`.execute(db);
  const unitId = unit.rows[0]!.id;
  const row = await sql<{ id: number }>`
    INSERT INTO users (username, display_name, password_hash, unit_id, roles, scope, created_at)
    VALUES (${user.username}, ${user.displayName}, 'x', ${unitId}, ARRAY[${user.role}], 'region', ${now})
    RETURNING id`.execute(db);
  return { unitId, userId: row.rows[0]!.id };
}
