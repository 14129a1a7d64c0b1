import { sql, type Kysely } from 'kysely';

// 第六条: phone, ID card and bank card numbers inside a contact's or ticket's text are masked in the stored
// text; the original is kept here, encrypted (AES-256-GCM like every personal field), only when something was
// masked. Rows written before this migration keep their text as it was (see docs/privacy.md).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
ALTER TABLE contacts ADD COLUMN content_enc text;
ALTER TABLE tickets ADD COLUMN original_enc text;
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0006-free-text-pii is not reversible');
}
