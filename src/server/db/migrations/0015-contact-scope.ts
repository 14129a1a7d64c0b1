import { sql, type Kysely } from 'kysely';

// 第三十三条: a 举报 carries the text the agent writes for the units (unit_text). The unit the 举报 is about reads
// only that, never the requester's own words. (Contact scoping, the other half of this change, needs no column:
// contacts.centre_unit_id and the ticket's region decide it — src/server/modules/intake/contacts.policy.ts.)
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE tickets ADD COLUMN unit_text text`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0015-contact-scope is not reversible');
}
