import { forecastNext, forecastWith, type ForecastMethod } from './forecast.js';

// 第二十八条(二) 预判季节性、周期性问题: what the monthly forecast job stores for a series, and when a unit is reminded
// to prepare (预案提醒). Pure; the job (jobs/forecast-monthly.ts) reads the rollup and writes the rows.

/** Months of history a forecast reads (three years: Holt-Winters needs two, the backtest a few more). */
export const HISTORY_MONTHS = 36;
/** Past months the job backfills, so the chart can set what was expected beside what came. */
export const BACKFILL_MONTHS = 12;
/** A month is 明显高于平时 when its forecast is at least this many times the series' average month… */
export const PEAK_RATIO = 1.3;
/** …and at least this many tickets above it (a unit with three tickets a month needs no plan for five). */
export const PEAK_MIN_EXCESS = 5;
/** Last year's same month counts as a peak only with at least this many tickets. */
export const PEAK_MIN_COUNT = 5;

export interface PlannedForecast {
  method: ForecastMethod;
  expected: number;
  lower: number;
  upper: number;
  /** the chosen model's backtest error (mean absolute error, tickets); null when it could not be tested */
  backtestError: number | null;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * The forecast `horizon` months after the history (1: the month right after it). Beyond one month the chosen model
 * forecasts from the history extended by its own forecasts. The band is ±1.96 σ with σ ≈ 1.25 × the backtest's mean
 * absolute error (normal errors), widened by √horizon; without a backtest, ±50 %.
 */
export function planForecast(values: number[], horizon = 1): PlannedForecast | null {
  const first = forecastNext(values);
  if (!first) return null;
  let extended = values;
  let value = first.value;
  for (let h = 2; h <= horizon; h++) {
    extended = [...extended, value];
    value = round1(forecastWith(first.method, extended));
  }
  const error = first.errors[first.method];
  const half = error === null ? value * 0.5 : 1.96 * 1.25 * error * Math.sqrt(horizon);
  return {
    method: first.method,
    expected: value,
    lower: round1(Math.max(0, value - half)),
    upper: round1(value + half),
    backtestError: error === null ? null : Math.round(error * 100) / 100,
  };
}

export type ReminderReason = 'forecast_above_average' | 'last_year_peak' | 'both';

export interface ReminderInput {
  /** the unit's expected volume for the month (its series summed) */
  expected: number;
  /** the unit's monthly volumes of the last twelve complete months, oldest first */
  lastTwelve: number[];
  /** the unit's volume in the same month last year (null: no history that far back) */
  lastYear: number | null;
}

/**
 * Whether a unit is reminded before a month: its forecast markedly above its average month, or last year's same
 * month its busiest of the year. Null: no reminder.
 */
export function reminderReason(x: ReminderInput): { reason: ReminderReason; average: number } | null {
  const months = x.lastTwelve.length;
  const average = months ? x.lastTwelve.reduce((s, v) => s + v, 0) / months : 0;
  const above = x.expected >= average * PEAK_RATIO && x.expected - average >= PEAK_MIN_EXCESS;
  // a peak stands out: the year's largest month, and markedly above the average (a flat year has no peak)
  const peak =
    x.lastYear !== null &&
    x.lastYear >= PEAK_MIN_COUNT &&
    months >= 12 &&
    x.lastYear >= Math.max(...x.lastTwelve) &&
    x.lastYear >= average * PEAK_RATIO;
  const avg = round1(average);
  if (above && peak) return { reason: 'both', average: avg };
  if (above) return { reason: 'forecast_above_average', average: avg };
  if (peak) return { reason: 'last_year_peak', average: avg };
  return null;
}

/** YYYY-MM-01 plus n months. */
export function addMonths(month: string, n: number): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7)) - 1 + n;
  const yy = y + Math.floor(m / 12);
  const mm = ((m % 12) + 12) % 12;
  return `${yy}-${String(mm + 1).padStart(2, '0')}-01`;
}
