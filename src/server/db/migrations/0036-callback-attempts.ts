import { sql, type Kysely } from 'kysely';

// 第十七条 回访未果 (issue 14): every failed callback call — 未接通, or 拒绝回访 — is a row, so the next try can be
// scheduled and the callback may end without an evaluation only when the rule allows it
// (shared/domain/callback-attempts.ts). Read per ticket.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE TABLE callback_attempts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ticket_id bigint NOT NULL REFERENCES tickets(id),
  agent_id integer NOT NULL REFERENCES users(id),
  outcome text NOT NULL CHECK (outcome IN ('unreached','refused')),
  note text,
  at timestamptz NOT NULL
);
CREATE INDEX callback_attempts_ticket ON callback_attempts(ticket_id, at);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0036-callback-attempts is not reversible');
}
