import { sql, type Kysely } from 'kysely';

// 坐席状态 (issue 14): an agent's 示闲/示忙/小休, one row per agent updated in place (the CTI gateway reads it to route
// calls), and every change in an append-only log, from which the agent's own shift figures and a supervisor's board
// add up the time in each state. seen_at is the console's heartbeat: a silent console counts as offline.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE TABLE agent_presence (
  user_id integer PRIMARY KEY REFERENCES users(id),
  state text NOT NULL CHECK (state IN ('available','busy','break','offline')),
  reason text,
  since timestamptz NOT NULL,
  seen_at timestamptz NOT NULL,
  CHECK ((state = 'break') = (reason IS NOT NULL))
);
CREATE TABLE agent_presence_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users(id),
  state text NOT NULL CHECK (state IN ('available','busy','break','offline')),
  reason text,
  at timestamptz NOT NULL
);
CREATE INDEX agent_presence_log_user ON agent_presence_log(user_id, at);
-- the agent's own figures for the shift: what they disposed since a time (a shift's rows out of ten million)
CREATE INDEX contacts_disposed_by ON contacts(disposed_by, disposed_at) WHERE disposed_by IS NOT NULL;
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0035-agent-presence is not reversible');
}
