import type { ColumnType, Generated } from 'kysely';

// Kysely types of migration 0026 (第二十二条 热线督办).
type Ts = ColumnType<Date, Date | string, Date | string>;
type NullTs = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string, string>;

export type SupervisionTrigger = 'refusal' | 'overdue' | 'repeated' | 'knowledge' | 'negative' | 'other';
export type SupervisionStatus = 'proposed' | 'open' | 'answered' | 'escalated' | 'closed' | 'dismissed';
export type SupervisionMethod = 'phone' | 'written' | 'onsite' | 'coordination';
export type SupervisionDecision = 'close' | 'supervise_again' | 'escalate' | 'dismiss';

export interface SupervisionRulesTable {
  id: Generated<number>;
  code: SupervisionTrigger;
  version: number;
  enabled: boolean;
  mode: 'case' | 'proposal';
  thresholds: Json<Record<string, unknown>>;
  effective_from: Ts;
  effective_to: NullTs;
  note: string | null;
  created_at: Ts;
  created_by: number | null;
}
export interface SupervisionCasesTable {
  id: Generated<number>;
  number: ColumnType<string, never, never>;
  trigger: SupervisionTrigger;
  cause_key: string;
  rule_id: number | null;
  status: SupervisionStatus;
  method: SupervisionMethod | null;
  level: 'county' | 'city';
  unit_id: number;
  region_code: string;
  reason: string;
  evidence: Json<Record<string, unknown>>;
  round: Generated<number>;
  due_at: NullTs;
  answer: string | null;
  answered_at: NullTs;
  answered_by: number | null;
  decision: SupervisionDecision | null;
  decision_note: string | null;
  decided_at: NullTs;
  decided_by: number | null;
  created_at: Ts;
  created_by: number | null;
  updated_at: Ts;
  version: Generated<number>;
}
export interface SupervisionCaseTicketsTable {
  case_id: number;
  ticket_id: number;
}
export interface SupervisionCaseEventsTable {
  id: Generated<number>;
  case_id: number;
  kind: string;
  at: Ts;
  actor_user_id: number | null;
  actor_unit_id: number | null;
  from_status: string | null;
  to_status: string | null;
  note: string | null;
  data: Json<Record<string, unknown>>;
  request_id: string | null;
}
export interface SupervisionCardsTable {
  id: Generated<number>;
  ticket_id: number;
  unit_id: number | null;
  deadline_id: number;
  colour: 'yellow' | 'red';
  deadline_kind: string;
  due_at: Ts;
  at: Ts;
}
export interface SupervisionCursorsTable {
  name: string;
  last_id: ColumnType<number, number | bigint, number | bigint>;
  updated_at: Ts;
}

export interface SupervisionTables {
  supervision_rules: SupervisionRulesTable;
  supervision_cases: SupervisionCasesTable;
  supervision_case_tickets: SupervisionCaseTicketsTable;
  supervision_case_events: SupervisionCaseEventsTable;
  supervision_cards: SupervisionCardsTable;
  supervision_cursors: SupervisionCursorsTable;
}
