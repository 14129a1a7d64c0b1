import { sql, type Kysely } from 'kysely';

// 第二十七条 敏感风险词: the defaults of 0039 held the bare words 集体 and 群体, which match far more than collective
// action — of the 4 287 TipDM citizens' messages, 106 hold 集体 and 54 群体 (农村集体经济, 集体土地, 集体资产, 购房群体 …),
// so one ticket in forty raised a warning for nothing and buried the ones that mattered. Collective requests are found
// by the collective pass anyway (same matter, same town, distinct requesters); what a word can add is the phrases of
// collective action. So: the two bare words are switched off where an admin has never edited them (updated_by NULL),
// the phrases are added unless an admin has them already, and on a database in use (it has users) the change is in
// admin_audit like an admin's (user NULL: the system), so the audit says why the list changed; a new installation
// simply starts with the new defaults.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
WITH off AS (
  UPDATE warning_words SET active = false, updated_at = now()
  WHERE word IN ('集体', '群体') AND active AND updated_by IS NULL
  RETURNING id, word, level
), added AS (
  INSERT INTO warning_words (word, level) VALUES
    ('集体维权', 'orange'), ('集体抗议', 'orange'), ('集体请愿', 'orange'), ('群体性事件', 'orange'), ('群体事件', 'orange')
  ON CONFLICT (word) DO NOTHING
  RETURNING id, word, level
)
INSERT INTO admin_audit (user_id, entity, entity_id, action, before, after, at, request_id)
SELECT NULL, 'warning_word', id::text, action,
  CASE action WHEN 'update' THEN jsonb_build_object('word', word, 'level', level, 'active', true) END,
  jsonb_build_object('word', word, 'level', level, 'active', action = 'create'), now(),
  'migration 0052-sensitive-word-defaults'
FROM (SELECT id, word, level, 'update' AS action FROM off UNION ALL SELECT id, word, level, 'create' FROM added) changed
WHERE EXISTS (SELECT 1 FROM users);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0052-sensitive-word-defaults is not reversible');
}
