import { sql } from 'kysely';
import { describe, expect, inject, it } from 'vitest';
import type { DatabaseHandle } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { databaseAtMigration } from './helpers/database-at-migration.js';

// Upgrading a large database (docs/operations.md): migration 0051 builds an index on tickets, which holds ticket
// writes while it builds — minutes at ten million tickets. An operator builds it beforehand with CREATE INDEX
// CONCURRENTLY; the migration must then keep that index, and rebuild one a failed concurrent build left invalid.

const DEFINITION = 'ON tickets(category_id, id DESC) INCLUDE (region_code, merged_into_id)';
const pgUrl = inject('postgresUrl');

for (const kind of ['pglite', 'postgres'] as const) {
  (kind === 'pglite' || pgUrl ? describe : describe.skip)(`0051 with its index built beforehand [${kind}]`, () => {
    /** A database migrated up to the migration before 0051. */
    const at = databaseAtMigration(kind, pgUrl, 'hz_mig0051');
    const before0051 = () => at('0050-session-purge');
    // PGlite has one connection and no concurrent builds; the index is the same
    const build = kind === 'postgres' ? sql.raw('CREATE INDEX CONCURRENTLY') : sql.raw('CREATE INDEX');
    const indexes = async (db: DatabaseHandle['db']) =>
      (
        await sql<{ name: string; valid: boolean; def: string }>`
          SELECT c.relname AS name, i.indisvalid AS valid, pg_get_indexdef(i.indexrelid) AS def
          FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
          WHERE i.indrelid = 'tickets'::regclass AND c.relname LIKE 'tickets_category%'
          ORDER BY 1`.execute(db)
      ).rows;

    it('keeps an index an operator built beforehand and drops the one it replaces', async () => {
      const db = await before0051();
      expect((await indexes(db)).map((i) => i.name)).toEqual(['tickets_category_region']);
      await sql`${build} tickets_category_recent ${sql.raw(DEFINITION)}`.execute(db);
      const built = await sql<{ oid: number }>`SELECT 'tickets_category_recent'::regclass::oid AS oid`.execute(db);
      await migrateToLatest(db);
      const after = await indexes(db);
      expect(after.map((i) => [i.name, i.valid])).toEqual([['tickets_category_recent', true]]);
      expect(after[0]!.def).toContain('(category_id, id DESC) INCLUDE (region_code, merged_into_id)');
      // the operator's index itself, not one built again under the lock
      const now = await sql<{ oid: number }>`SELECT 'tickets_category_recent'::regclass::oid AS oid`.execute(db);
      expect(now.rows[0]!.oid).toBe(built.rows[0]!.oid);
    });

    it('builds again an index that a failed concurrent build left invalid', async () => {
      const db = await before0051();
      await sql`${build} tickets_category_recent ${sql.raw(DEFINITION)}`.execute(db);
      // what a concurrent build that failed half-way leaves behind
      await sql`UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'tickets_category_recent'::regclass`.execute(
        db,
      );
      expect((await indexes(db)).find((i) => i.name === 'tickets_category_recent')?.valid).toBe(false);
      await migrateToLatest(db);
      expect((await indexes(db)).map((i) => [i.name, i.valid])).toEqual([['tickets_category_recent', true]]);
    });
  });
}
