import { sql } from 'kysely';
import { describe, expect, inject, it } from 'vitest';
import type { DatabaseHandle } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { databaseAtMigration, insertCentreUser } from './helpers/database-at-migration.js';

// 第二十七条 敏感风险词, migration 0052: the bare defaults 集体 and 群体 (农村集体经济, 购房群体 … one TipDM message in
// forty) are switched off and phrases of collective action added — but a word an admin has edited stays as the admin
// left it, and on a database in use every change is in admin_audit as the system's.

const pgUrl = inject('postgresUrl');

for (const kind of ['pglite', 'postgres'] as const) {
  (kind === 'pglite' || pgUrl ? describe : describe.skip)(`第二十七条 0052 敏感风险词的默认词表 [${kind}]`, () => {
    const at = databaseAtMigration(kind, pgUrl, 'hz_mig0052');
    const before0052 = () => at('0051-category-recent');
    const words = async (db: DatabaseHandle['db']) =>
      (
        await sql<{ word: string; level: string; active: boolean }>`
          SELECT word, level, active FROM warning_words ORDER BY id`.execute(db)
      ).rows;
    const audit = async (db: DatabaseHandle['db']) =>
      (
        await sql<{ user_id: number | null; action: string; word: string; active: boolean; request_id: string }>`
          SELECT a.user_id, a.action, a.after->>'word' AS word, (a.after->>'active')::boolean AS active, a.request_id
          FROM admin_audit a WHERE a.entity = 'warning_word' ORDER BY a.id`.execute(db)
      ).rows;

    it('a new installation: the bare words off, the phrases added', async () => {
      const db = await before0052();
      await migrateToLatest(db);
      const after = await words(db);
      expect(after.filter((w) => ['集体', '群体'].includes(w.word))).toEqual([
        { word: '集体', level: 'yellow', active: false },
        { word: '群体', level: 'yellow', active: false },
      ]);
      const phrases = ['集体维权', '集体抗议', '集体请愿', '群体性事件', '群体事件'];
      expect(after.filter((w) => phrases.includes(w.word))).toEqual(
        phrases.map((word) => ({ word, level: 'orange', active: true })),
      );
      // the other defaults are untouched
      expect(after.find((w) => w.word === '讨薪')).toEqual({ word: '讨薪', level: 'orange', active: true });
      // a new installation simply starts with these defaults: nothing to audit
      expect(await audit(db)).toEqual([]);
    });

    it('a centre in use: a word an admin edited and a phrase an admin has stay as they are; each change is audited as the system', async () => {
      const db = await before0052();
      const now = new Date('2026-12-01T08:00:00Z');
      const { userId: admin } = await insertCentreUser(db, now, {
        username: 'admin_t',
        displayName: '管理员',
        role: 'admin',
      });
      // the admin kept 群体, raised to orange, and already listed 集体抗议 as red
      await sql`UPDATE warning_words SET level = 'orange', updated_by = ${admin}, updated_at = ${now} WHERE word = '群体'`.execute(
        db,
      );
      await sql`INSERT INTO warning_words (word, level, created_by, updated_by) VALUES ('集体抗议', 'red', ${admin}, ${admin})`.execute(
        db,
      );
      await migrateToLatest(db);
      const after = await words(db);
      expect(after.find((w) => w.word === '群体')).toEqual({ word: '群体', level: 'orange', active: true });
      expect(after.find((w) => w.word === '集体')).toEqual({ word: '集体', level: 'yellow', active: false });
      expect(after.find((w) => w.word === '集体抗议')).toEqual({ word: '集体抗议', level: 'red', active: true });
      const rows = await audit(db);
      expect(rows.every((r) => r.user_id === null && r.request_id === 'migration 0052-sensitive-word-defaults')).toBe(
        true,
      );
      expect(rows.map((r) => [r.action, r.word, r.active])).toEqual([
        ['update', '集体', false],
        ['create', '集体维权', true],
        ['create', '集体请愿', true],
        ['create', '群体性事件', true],
        ['create', '群体事件', true],
      ]);
    });
  });
}
