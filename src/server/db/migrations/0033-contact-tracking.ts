import { sql, type Kysely } from 'kysely';

// 第九条 知情权 (issue 14): a portal message is followed from the moment it is sent, before and after it becomes a
// ticket. Its 查询码 is kept like a ticket's: only a keyed hash, with the PII key version that made it (0023), so
// the code itself is never stored. Looked up by the contact's primary key (the 留言编号 WEB-<id>): no index needed.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
ALTER TABLE contacts ADD COLUMN tracking_code_hash text;
ALTER TABLE contacts ADD COLUMN tracking_key_version smallint;
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0033-contact-tracking is not reversible');
}
