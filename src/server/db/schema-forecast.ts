import type { ColumnType, Generated } from 'kysely';

// Kysely types of migration 0040 (第二十八条 季节预测、预案提醒). Merged into the forecast module's queries with
// `db.withTables<ForecastTables>()`, so the shared DB interface needs no change.
type Ts = ColumnType<Date, Date | string, Date | string>;
type Day = ColumnType<string, string, string>;
/** numeric columns come back as text from PostgreSQL */
type Num = ColumnType<string | number, number, number>;

export type ForecastsTable = {
  period: Day;
  region_code: string;
  category_id: number;
  model: 'naive' | 'seasonal_naive' | 'holt_winters';
  expected: Num;
  lower_bound: Num;
  upper_bound: Num;
  backtest_error: ColumnType<string | number | null, number | null, number | null>;
  history_months: number;
  computed_at: Ts;
};
export interface ForecastDetail {
  regionCode: string;
  regionName: string;
  categoryId: number;
  categoryName: string;
  expected: number;
  average: number;
  lastYear: number;
}
export type ForecastRemindersTable = {
  id: Generated<number>;
  unit_id: number;
  month: Day;
  reason: 'forecast_above_average' | 'last_year_peak' | 'both';
  expected: Num;
  average: Num;
  last_year: number | null;
  details: ColumnType<ForecastDetail[], string, string>;
  created_at: Ts;
  acknowledged_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  acknowledged_by: ColumnType<number | null, number | null | undefined, number | null>;
};
export type ForecastTables = {
  forecasts: ForecastsTable;
  forecast_reminders: ForecastRemindersTable;
};
