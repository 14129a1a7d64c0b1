import { sql, type Kysely } from 'kysely';

// Ten million tickets: a ticket's search words were stored twice — as text (search_tokens, ~1.4 KB on a TipDM-length
// ticket) and as the tsvector generated from it (search_vector, ~3.0 KB) — some 14 GB of the ~120 GB a centre holds
// at ten million tickets (docs/operations.md, "Sizing PostgreSQL"). The vector alone serves every use: the GIN search
// and ts_rank, and the similarity that re-ranks a few hundred candidates reads its words back (tsvector_to_array).
// So the vector becomes a plain column that the ticket's own INSERT fills (to_tsvector('simple', words)), and the
// text is dropped. Neither statement rewrites the table: DROP EXPRESSION keeps the stored vectors, and a dropped
// column's bytes stay in the rows written before until those are rewritten (docs/operations.md tells how to reclaim
// them); new tickets no longer carry them. Both take the table's lock only for the catalogue change.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE tickets ALTER COLUMN search_vector DROP EXPRESSION`.execute(db);
  await sql`ALTER TABLE tickets DROP COLUMN search_tokens`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0053-ticket-words-once is not reversible');
}
