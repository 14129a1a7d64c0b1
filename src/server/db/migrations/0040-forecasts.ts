import { sql, type Kysely } from 'kysely';

// 第二十八条(二) 预判季节性、周期性问题，制定工作预案 (docs/forecast.md).
//
// forecasts: next month's expected volume of each county × matter (level-2 category) series, computed monthly by the
// scheduler from the analytics rollup (never from tickets) with the model that did best in a backtest on the series'
// own past; past months are kept, so a screen can set what was expected beside what came.
// forecast_reminders: the 预案提醒 a unit receives before its seasonal peak — one per unit × month, never twice.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE TABLE forecasts (
  period date NOT NULL CHECK (extract(day FROM period) = 1),
  region_code text NOT NULL,
  category_id integer NOT NULL,
  model text NOT NULL CHECK (model IN ('naive', 'seasonal_naive', 'holt_winters')),
  expected numeric(12, 1) NOT NULL,
  lower_bound numeric(12, 1) NOT NULL,
  upper_bound numeric(12, 1) NOT NULL,
  backtest_error numeric(12, 2),
  history_months integer NOT NULL,
  computed_at timestamptz NOT NULL,
  PRIMARY KEY (period, region_code, category_id)
);
-- one series over the months (the chart), and one category across regions
CREATE INDEX forecasts_series ON forecasts(region_code, category_id, period);
CREATE INDEX forecasts_category ON forecasts(category_id, period);

CREATE TABLE forecast_reminders (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  unit_id integer NOT NULL REFERENCES units(id),
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  reason text NOT NULL CHECK (reason IN ('forecast_above_average', 'last_year_peak', 'both')),
  expected numeric(12, 1) NOT NULL,
  average numeric(12, 1) NOT NULL,
  last_year integer,
  details jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at timestamptz NOT NULL,
  acknowledged_at timestamptz,
  acknowledged_by integer REFERENCES users(id),
  UNIQUE (unit_id, month)
);
CREATE INDEX forecast_reminders_month ON forecast_reminders(month, unit_id);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0040-forecasts is not reversible');
}
