import { sql, type Kysely } from 'kysely';

// The public endpoints' limits (form spam, guessing tracking codes) are counted in the database, so every HTTP
// process behind a load balancer counts the same hits. A row per client (keyed hash of its address) and window.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE TABLE rate_limit_windows (
  key text NOT NULL,
  window_start timestamptz NOT NULL,
  hits integer NOT NULL,
  PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_limit_windows_start ON rate_limit_windows(window_start);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0011-rate-limits is not reversible');
}
