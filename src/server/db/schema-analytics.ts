import type { ColumnType } from 'kysely';

// Kysely types of migration 0031 (第二十七条 热点分析). Merged into the analytics module's queries with
// `db.withTables<AnalyticsTables>()`, so the shared DB interface needs no change.
type Ts = ColumnType<Date, Date | string, Date | string>;
type Day = ColumnType<string, string, string>;
type Count = ColumnType<number, number | undefined, number>;

type Measures = {
  tickets: Count;
  closed: Count;
  overdue: Count;
  urgent: Count;
};
export type AnalyticsTicketFactsTable = {
  ticket_id: number;
  day: Day;
  region_code: string;
  category_id: number;
  channel: string;
  request_type: string;
  closed: Count;
  overdue: Count;
  urgent: Count;
};
export type AnalyticsDailyTable = Measures & {
  day: Day;
  region_code: string;
  category_id: number;
  channel: string;
  request_type: string;
};
export type AnalyticsMonthlyTable = Measures & {
  month: Day;
  region_code: string;
  category_id: number;
  channel: string;
  request_type: string;
};
export type AnalyticsCubeTable = Measures & {
  grain: number;
  channel: string;
  request_type: string;
  period: Day;
  region_code: string;
  category_id: number;
};
export type AnalyticsCursorTable = {
  name: string;
  last_id: ColumnType<number, number | undefined, number>;
  updated_at: Ts | null;
};
export type AnalyticsTables = {
  analytics_ticket_facts: AnalyticsTicketFactsTable;
  analytics_daily: AnalyticsDailyTable;
  analytics_monthly: AnalyticsMonthlyTable;
  analytics_cube: AnalyticsCubeTable;
  analytics_cursor: AnalyticsCursorTable;
};
