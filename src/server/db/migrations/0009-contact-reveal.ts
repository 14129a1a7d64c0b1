import { sql, type Kysely } from 'kysely';

// 第六、三十条: an agent may reveal a contact's personal data (the masked numbers in the words, the caller's
// number, the address a web form gave) before any ticket exists; the access audit then names the contact.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE pii_access_log ADD COLUMN contact_id bigint REFERENCES contacts(id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0009-contact-reveal is not reversible');
}
