import { sql, type Kysely } from 'kysely';

// 第八条 限时办结 depends on the deadline sweep running somewhere. HTTP processes do not sweep (ROLES), so /readyz on
// any of them learns from this row whether some scheduler process completed a sweep lately: each completed sweep
// stamps its job's row with the time, its interval and which process ran it. One row per job, updated in place.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE TABLE scheduler_heartbeats (
  job text PRIMARY KEY,
  last_run_at timestamptz NOT NULL,
  interval_ms integer NOT NULL CHECK (interval_ms > 0),
  -- host name and pid of the process that ran it last (no personal data)
  instance text NOT NULL
);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0025-scheduler-heartbeat is not reversible');
}
