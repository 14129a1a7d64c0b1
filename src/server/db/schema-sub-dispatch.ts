import type { ColumnType, Generated } from 'kysely';

// Kysely types of migration 0041 (二级派单, 第十四至十六条).
type Id = Generated<number>;
type Ts = ColumnType<Date, Date | string, Date | string>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export type SubDispatchStatus = 'pending' | 'accepted' | 'submitted' | 'approved' | 'returned' | 'recalled' | 'ended';
export type SubExtensionStatus = 'pending' | 'approved' | 'rejected';

export interface SubDispatchesTable {
  id: Id;
  ticket_id: number;
  parent_unit_id: number;
  unit_id: number;
  status: SubDispatchStatus;
  instructions: string;
  dispatched_by: number;
  dispatched_at: Ts;
  accept_due_at: Ts;
  return_until: Ts;
  due_at: Ts;
  original_due_at: Ts;
  accepted_at: Nullable<Date>;
  accepted_by: Nullable<number>;
  result: Nullable<string>;
  solved: Nullable<boolean>;
  explanation: Nullable<string>;
  submitted_at: Nullable<Date>;
  submitted_by: Nullable<number>;
  reviewed_at: Nullable<Date>;
  reviewer_id: Nullable<number>;
  review_note: Nullable<string>;
  ended_at: Nullable<Date>;
  end_reason: Nullable<string>;
  late_accept: Nullable<boolean>;
  late_reply: Nullable<boolean>;
}
export interface SubDispatchExtensionsTable {
  id: Id;
  sub_dispatch_id: number;
  ticket_id: number;
  unit_id: number;
  applicant_id: number;
  reason: string;
  progress: string;
  days: number;
  status: SubExtensionStatus;
  previous_due_at: Ts;
  new_due_at: Nullable<Date>;
  reviewer_id: Nullable<number>;
  review_note: Nullable<string>;
  created_at: Ts;
  decided_at: Nullable<Date>;
}

export interface SubDispatchTables {
  sub_dispatches: SubDispatchesTable;
  sub_dispatch_extensions: SubDispatchExtensionsTable;
}
