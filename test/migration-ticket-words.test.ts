import { sql } from 'kysely';
import { describe, expect, inject, it } from 'vitest';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { databaseAtMigration, insertCentreUser } from './helpers/database-at-migration.js';

// Ten million tickets, migration 0053: a ticket's search words are kept once, as the vector. On a database with
// tickets, the vectors written before stay as they were (searchable, their words readable), the text column is gone,
// and a ticket written afterwards carries the vector its INSERT gives it.

const pgUrl = inject('postgresUrl');

for (const kind of ['pglite', 'postgres'] as const) {
  (kind === 'pglite' || pgUrl ? describe : describe.skip)(`0053 工单检索词只存一份 [${kind}]`, () => {
    const at = databaseAtMigration(kind, pgUrl, 'hz_mig0053');

    it('keeps the vectors of the tickets before it, drops the text, and a later ticket writes its vector', async () => {
      const db = await at('0052-sensitive-word-defaults');
      const now = new Date('2026-12-01T08:00:00Z');
      const { unitId, userId } = await insertCentreUser(db, now, {
        username: 'agent_t',
        displayName: '话务员',
        role: 'agent',
      });
      const category = await sql<{ id: number }>`
        INSERT INTO categories (code, name, level) VALUES ('SZ', '市政设施', 1) RETURNING id`.execute(db);
      const region = await sql<{ code: string }>`
        INSERT INTO regions (code, name, level) VALUES ('3717', '菏泽市', 1) RETURNING code`.execute(db);
      const ticket = (number: string, title: string, words: ReturnType<typeof sql>) => sql`
        INSERT INTO tickets (number, request_type, category_id, urgency, region_code, title, content, status,
          centre_unit_id, created_by, created_at, updated_at, ${words})
        VALUES (${number}, 'complaint', ${category.rows[0]!.id}, 'normal', ${region.rows[0]!.code}, ${title}, ${title},
          'pending_dispatch', ${unitId}, ${userId}, ${now}, ${now}, `;
      // before: the words as text, the vector generated from them
      await sql`${ticket('HZ20261201-000001', '和平路路灯不亮', sql.raw('search_tokens'))}${'路灯 不亮 和平路 路灯不亮'})`.execute(
        db,
      );

      await migrateToLatest(db);

      const columns = await sql<{ column_name: string; is_generated: string }>`
        SELECT column_name, is_generated FROM information_schema.columns
        WHERE table_name = 'tickets' AND column_name IN ('search_tokens', 'search_vector')`.execute(db);
      expect(columns.rows).toEqual([{ column_name: 'search_vector', is_generated: 'NEVER' }]);
      // after: the vector written by the INSERT, as tickets.repository.ts does
      await sql`${ticket('HZ20261201-000002', '和平路井盖丢失', sql.raw('search_vector'))}to_tsvector('simple', ${'井盖 丢失 和平路'}::text))`.execute(
        db,
      );
      const found = await sql<{ number: string; words: string[] }>`
        SELECT number, tsvector_to_array(search_vector) AS words FROM tickets
        WHERE search_vector @@ to_tsquery('simple', '和平路') ORDER BY number`.execute(db);
      expect(found.rows).toEqual([
        { number: 'HZ20261201-000001', words: ['不亮', '和平路', '路灯', '路灯不亮'] },
        { number: 'HZ20261201-000002', words: ['丢失', '井盖', '和平路'] },
      ]);
    });
  });
}
