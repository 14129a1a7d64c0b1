import type { ColumnType, Generated } from 'kysely';
import type { CounterColumn } from '../domain/assessment-indicators.js';

// Kysely types of migration 0027 (第二十四条 考核, GB/T 33358 service figures).
type Ts = ColumnType<Date, Date | string, Date | string>;
type Day = ColumnType<string, string, string>;
type Json<T> = ColumnType<T, string, string>;
type Counters = { [K in CounterColumn]: ColumnType<number, number | undefined, number> };

/** One per ticket × lead unit; category_id and requester_id are the ticket's (0048: the month's analysis groups by them). */
export type AssessmentFactsTable = Counters & {
  ticket_id: number;
  unit_id: number;
  day: Day;
  category_id: number;
  requester_id: number | null;
};
export type AssessmentDailyTable = Counters & { unit_id: number; day: Day };

export interface AssessmentCursorsTable {
  name: string;
  last_id: ColumnType<number, number | undefined, number>;
  updated_at: Ts | null;
}
export interface AssessmentSchemeLine {
  indicator: string;
  weight: number;
  target: number;
  cutoff: number;
}
export interface AssessmentSchemesTable {
  id: Generated<number>;
  unit_group: string;
  version: number;
  name: string;
  effective_from: Day;
  effective_to: ColumnType<string | null, string | null | undefined, string | null>;
  indicators: Json<AssessmentSchemeLine[]>;
  note: string | null;
  created_by: number | null;
  created_at: Ts;
  retired_by: ColumnType<number | null, number | null | undefined, number | null>;
}
export interface AssessmentResultsTable {
  id: Generated<number>;
  period: string;
  version: number;
  reason: string;
  appeal_id: number | null;
  computed_at: Ts;
  computed_by: number | null;
}
export interface AssessmentResultUnitsTable {
  result_id: number;
  unit_id: number;
  unit_group: string;
  scheme_id: number;
  inputs: Json<Record<string, { num: number; den: number }>>;
  indicators: Json<unknown[]>;
  score: number;
  rank: number;
}
export interface AssessmentAppealsTable {
  id: Generated<number>;
  ticket_id: number;
  unit_id: number;
  indicator: string;
  period: string;
  reason: string;
  materials: Json<{ name: string; description?: string; url?: string }[]>;
  counted: Json<{ num: number; den: number }>;
  status: 'pending' | 'accepted' | 'rejected';
  created_by: number;
  created_at: Ts;
  decided_by: number | null;
  decided_at: Ts | null;
  decision_note: string | null;
}
export interface AssessmentSettingsTable {
  id: Generated<number>;
  appeal_window_working_days: number;
  updated_at: Ts | null;
  updated_by: number | null;
}
export interface ServiceFiguresDailyTable {
  day: Day;
  centre_unit_id: number;
  channel: string;
  offered: number;
  answered: number;
  answered_15s: number;
  abandoned: number;
  wait_seconds: number;
  talk_seconds: number;
  text_received: number;
  text_answered_3min: number;
  computed_at: Ts;
}

export interface AssessmentTables {
  assessment_facts: AssessmentFactsTable;
  assessment_daily: AssessmentDailyTable;
  assessment_cursors: AssessmentCursorsTable;
  assessment_schemes: AssessmentSchemesTable;
  assessment_results: AssessmentResultsTable;
  assessment_result_units: AssessmentResultUnitsTable;
  assessment_appeals: AssessmentAppealsTable;
  assessment_settings: AssessmentSettingsTable;
  service_figures_daily: ServiceFiguresDailyTable;
}
