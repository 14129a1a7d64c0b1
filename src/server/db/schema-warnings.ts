import type { ColumnType, Generated } from 'kysely';
import type { WarningKind, WarningLevel, WarningStatus } from '../../shared/domain/warnings.js';

// Kysely types of migration 0039 (第二十七条 风险预警).
type Ts = ColumnType<Date, Date | string, Date | string>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;
type Json<T> = ColumnType<T, string, string>;

export interface WarningsTable {
  id: Generated<number>;
  kind: WarningKind;
  level: WarningLevel;
  region_code: string;
  category_id: number | null;
  window_start: Ts;
  window_end: Ts;
  title: string;
  evidence: Json<Record<string, unknown>>;
  status: Generated<WarningStatus>;
  assignee_user_id: Nullable<number>;
  matter_id: Nullable<number>;
  closing_note: Nullable<string>;
  cause_key: string;
  dedupe_key: string;
  raised_at: Ts;
  updated_at: Ts;
  acknowledged_by: Nullable<number>;
  acknowledged_at: Nullable<Date>;
  assigned_at: Nullable<Date>;
  closed_by: Nullable<number>;
  closed_at: Nullable<Date>;
  version: Generated<number>;
}
export interface WarningEventsTable {
  id: Generated<number>;
  warning_id: number;
  action: string;
  from_status: string | null;
  to_status: string | null;
  note: string | null;
  data: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  actor_user_id: number | null;
  at: Ts;
}
export interface WarningWordsTable {
  id: Generated<number>;
  word: string;
  level: Generated<WarningLevel>;
  active: Generated<boolean>;
  created_by: Nullable<number>;
  created_at: Generated<Date>;
  updated_by: Nullable<number>;
  updated_at: Generated<Date>;
}
export interface WarningSettingsTable {
  id: number;
  collective_requesters: Generated<number>;
  collective_hours: Generated<number>;
  spike_series: Generated<number>;
  version: Generated<number>;
  updated_by: Nullable<number>;
  updated_at: Nullable<Date>;
}
export interface WarningJobStateTable {
  name: string;
  /** `YYYY-MM-DD` (the DATE parser returns text) */
  last_day: Nullable<string>;
  last_run_at: Nullable<Date>;
}

export interface WarningTables {
  warnings: WarningsTable;
  warning_events: WarningEventsTable;
  warning_words: WarningWordsTable;
  warning_settings: WarningSettingsTable;
  warning_job_state: WarningJobStateTable;
}
