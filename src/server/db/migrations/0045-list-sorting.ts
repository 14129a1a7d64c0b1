import { sql, type Kysely } from 'kysely';

// Issue 14 "Every list … sorting": a ticket list sorted by 受理时间 reads one index range per status, as the
// deadline order does on tickets_unit_queue / tickets_status_queue. Without these the planner either sorts a
// unit's whole set of a status (a large unit's closed tickets: hundreds of thousands of rows a page) or walks
// tickets_created across every status and unit, filtering — see docs/benchmarks.md "List sorting".
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
-- a unit's list (and the centre's list filtered by lead unit), by 受理时间, keyset (created_at, id) in either direction
CREATE INDEX tickets_unit_created ON tickets(lead_unit_id, status, created_at, id);
-- the centre's lists by 受理时间
CREATE INDEX tickets_status_created ON tickets(status, created_at, id);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0045-list-sorting is not reversible');
}
