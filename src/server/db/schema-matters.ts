import type { ColumnType, Generated } from 'kysely';
import type { JointField, MatterStatus, MatterTier, MinuteKind, TaskStatus } from '../../shared/domain/matters.js';

// Kysely types of migrations 0032 (第二十五、二十六条 专题治理) and 0055 (第二十六条第二款, 第二十九条 民主协商).
type Id = Generated<number>;
type Ts = ColumnType<Date, Date | string, Date | string>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;
type Json<T> = ColumnType<T | null, string | null | undefined, string | null>;

export interface MattersTable {
  id: Id;
  title: string;
  description: string;
  category_id: number | null;
  region_code: string;
  status: Generated<MatterStatus>;
  lead_unit_id: number;
  centre_unit_id: number;
  plan: Nullable<string>;
  keywords: Nullable<string>;
  /** 第二十六条第二款: the field of a jointly coordinated matter; null for any other */
  joint_field: Nullable<JointField>;
  created_by: number;
  created_at: Ts;
  updated_at: Ts;
  resolved_at: Nullable<Date>;
  archived_at: Nullable<Date>;
  ticket_count: Generated<number>;
  version: Generated<number>;
}
export interface MatterUnitsTable {
  matter_id: number;
  unit_id: number;
  tier: MatterTier;
  role: string;
  added_by: number;
  added_at: Ts;
}
export interface MatterTicketsTable {
  id: Id;
  matter_id: number;
  ticket_id: number;
  linked_by: number;
  linked_at: Ts;
  unlinked_by: Nullable<number>;
  unlinked_at: Nullable<Date>;
  unlink_reason: Nullable<string>;
  matter_open: Generated<boolean>;
  ticket_created_at: Ts;
}
export interface MatterTasksTable {
  id: Id;
  matter_id: number;
  title: string;
  owner_unit_id: number;
  /** `YYYY-MM-DD` (the DATE parser returns text) */
  due_on: Nullable<string>;
  status: Generated<TaskStatus>;
  result: Nullable<string>;
  created_by: number;
  created_at: Ts;
  updated_by: Nullable<number>;
  updated_at: Ts;
  done_at: Nullable<Date>;
  version: Generated<number>;
}
export interface MatterMinutesTable {
  id: Id;
  matter_id: number;
  held_on: string;
  unit_ids: number[];
  summary: string;
  decisions: string;
  kind: Generated<MinuteKind>;
  /** 第二十九条: who took part in a 民主协商 (committees, enterprises, organisations), as written */
  participants: Nullable<string>;
  created_by: number;
  created_at: Ts;
}
export interface MatterMeasuresTable {
  id: Id;
  matter_id: number;
  title: string;
  content: string;
  issued_by: Nullable<string>;
  effective_on: string;
  created_by: number;
  created_at: Ts;
}
export interface MatterEventsTable {
  id: Id;
  matter_id: number;
  action: string;
  from_status: string | null;
  to_status: string | null;
  note: string | null;
  data: Json<Record<string, unknown>>;
  actor_user_id: number | null;
  at: Ts;
}

export interface MatterTables {
  matters: MattersTable;
  matter_units: MatterUnitsTable;
  matter_tickets: MatterTicketsTable;
  matter_tasks: MatterTasksTable;
  matter_minutes: MatterMinutesTable;
  matter_measures: MatterMeasuresTable;
  matter_events: MatterEventsTable;
}
