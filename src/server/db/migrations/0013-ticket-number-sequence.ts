import { sql, type Kysely } from 'kysely';

// Ticket numbers HZyyyymmdd-nnnnnn take nnnnnn from one sequence instead of a counter row per day: every
// creation of the day used to update that one row and hold its lock until commit, so creations queued behind
// each other. nextval() locks nothing a transaction keeps. The number stays readable and unique: the date
// tells the day, and the sequence cycles through 1…999999, so two tickets of one day share a number only after
// a million creations that day. It starts past every number the counters gave, so today's numbers continue.
// The counter table stays (history; nothing writes it any more).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE SEQUENCE ticket_number_seq AS integer MINVALUE 1 MAXVALUE 999999 CYCLE`.execute(db);
  await sql`SELECT setval('ticket_number_seq', last, true) FROM (SELECT max(last) AS last FROM ticket_number_counters) c WHERE last IS NOT NULL AND last < 999999`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('0013-ticket-number-sequence is not reversible');
}
