import type { ColumnType, Generated } from 'kysely';

// Kysely types of migration 0034 (issue 14: 第十五条 审核 of replies, the named handler).
type Id = Generated<number>;
type Ts = ColumnType<Date, Date | string, Date | string>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export type SignoffStatus = 'pending' | 'approved' | 'returned';

export interface UnitWorkflowSettingsTable {
  unit_id: number;
  reply_signoff: Generated<boolean>;
  updated_by: number;
  updated_at: Ts;
}
export interface ReplySignoffsTable {
  id: Id;
  ticket_id: number;
  unit_id: number;
  status: Generated<SignoffStatus>;
  result: string;
  explanation: Nullable<string>;
  solved: boolean;
  unreachable_note: Nullable<string>;
  submitted_by: number;
  submitted_at: Ts;
  reviewer_id: Nullable<number>;
  reviewed_at: Nullable<Date>;
  review_note: Nullable<string>;
}
export interface TicketHandlersTable {
  ticket_id: number;
  unit_id: number;
  handler_id: number;
  assigned_by: number;
  assigned_at: Ts;
}

export interface UnitWorkflowTables {
  unit_workflow_settings: UnitWorkflowSettingsTable;
  reply_signoffs: ReplySignoffsTable;
  ticket_handlers: TicketHandlersTable;
}
