import type { ColumnType } from 'kysely';

// Kysely types of migration 0025 (the scheduler's heartbeat, read by /readyz).
type Ts = ColumnType<Date, Date | string, Date | string>;

export interface SchedulerHeartbeatsTable {
  job: string;
  last_run_at: Ts;
  interval_ms: number;
  instance: string;
}

export interface HealthTables {
  scheduler_heartbeats: SchedulerHeartbeatsTable;
}
