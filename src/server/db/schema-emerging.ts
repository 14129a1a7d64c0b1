import type { ColumnType } from 'kysely';

// Kysely types of migrations 0056 and 0057 (第二十八条(三)(四) 新兴诉求词, 新兴诉求提醒). Merged into the module's queries with
// `db.withTables<EmergingTables>()`, so the shared DB interface needs no change.
type Ts = ColumnType<Date, Date | string, Date | string>;
/** a date column: written as `YYYY-MM-DD`, read back as text (to_char in the queries) or a Date */
type Day = ColumnType<string, string, string>;
/** numeric columns come back as text from PostgreSQL */
type Num = ColumnType<string | number, number, number>;

export type TermWeeksTable = { week: Day; region_code: string; term: string; tickets: number };
export type TermWeekTotalsTable = { week: Day; region_code: string; tickets: number };
export type EmergingWeeksTable = {
  week: Day;
  region_code: string;
  computed_at: Ts;
  recent_tickets: number;
  baseline_tickets: number;
  status: 'ok' | 'short_history';
};
export type EmergingTermsTable = {
  week: Day;
  region_code: string;
  rank: number;
  term: string;
  recent: number;
  baseline: number;
  last_year: number;
  ratio: ColumnType<string | number | null, number | null, number | null>;
  score: Num;
  is_new: boolean;
  seasonal: boolean;
  related: ColumnType<string[], string[] | undefined, string[]>;
  series: ColumnType<number[], number[], number[]>;
};
export type EmergingRemindersTable = {
  id: ColumnType<number, never, never>;
  unit_id: number;
  week: Day;
  region_code: string;
  term: string;
  words: ColumnType<string[], string[], string[]>;
  recent: number;
  baseline: number;
  ratio: ColumnType<string | number | null, number | null, number | null>;
  is_new: boolean;
  unit_tickets: number;
  sampled: number;
  categories: ColumnType<Array<{ categoryId: number; tickets: number }>, string, string>;
  created_at: Ts;
  acknowledged_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  acknowledged_by: ColumnType<number | null, number | null | undefined, number | null>;
};
export type EmergingTables = {
  emerging_reminders: EmergingRemindersTable;
  term_weeks: TermWeeksTable;
  term_week_totals: TermWeekTotalsTable;
  emerging_weeks: EmergingWeeksTable;
  emerging_terms: EmergingTermsTable;
};
