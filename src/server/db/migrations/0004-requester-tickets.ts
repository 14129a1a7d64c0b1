import { sql, type Kysely } from 'kysely';

// A requester's tickets are looked up on every screen pop, duplicate suggestion and search by phone
// (第十条, 第九条). ticket_requesters holds a row for every ticket's requester (and every requester of a merged
// matter), so without this index each look-up read the whole table.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX ticket_requesters_requester ON ticket_requesters(requester_id, ticket_id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0004-requester-tickets is not reversible');
}
