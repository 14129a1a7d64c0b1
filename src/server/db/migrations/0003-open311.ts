import { sql, type Kysely } from 'kysely';

// Open311 GeoReport v2 (docs/open311.md): where the problem is, as the client gave it, and a partial index
// for the public request list, which shows only tickets that came in through Open311.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
-- WGS84 position of the problem. Other channels leave it empty; the region code stays the dispatch key.
ALTER TABLE tickets
  ADD COLUMN lat double precision CHECK (lat BETWEEN -90 AND 90),
  ADD COLUMN long double precision CHECK (long BETWEEN -180 AND 180);
CREATE INDEX tickets_open311_created ON tickets(created_at, id) WHERE channel = 'open311';
-- GET servicerequestupdates reads events by time across tickets.
CREATE INDEX ticket_events_at ON ticket_events(at, id);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0003-open311 is not reversible');
}
