// 第二十八条(二) 季节性、周期性问题: next month's expected volume of a category × region from its monthly history. Pure.
//
// Three candidates, and the one with the smallest error on the series' own recent past wins (a rolling-origin
// backtest: forecast month t from the months before it, for the last few t):
//   naive           — next month as this month (no history of seasons yet);
//   seasonal naive  — next month as the same month last year (heating in November, floods in July);
//   Holt-Winters    — additive level, trend and 12-month season, when there are at least two full years.
// The choice and every candidate's error are returned, so a screen can say why a figure is what it is.

export type ForecastMethod = 'naive' | 'seasonal_naive' | 'holt_winters';
export const FORECAST_METHOD_LABELS: Record<ForecastMethod, string> = {
  naive: '上月值',
  seasonal_naive: '去年同月值',
  holt_winters: 'Holt-Winters 季节模型',
};
export const SEASON = 12;
/** months of the rolling-origin backtest (fewer when the series is short) */
export const BACKTEST_MONTHS = 6;

export interface HoltWintersParams {
  alpha: number;
  beta: number;
  gamma: number;
}
const GRID = [0.1, 0.3, 0.5];

/** The smallest history each method can forecast from. */
export const MIN_HISTORY: Record<ForecastMethod, number> = {
  naive: 1,
  seasonal_naive: SEASON,
  holt_winters: 2 * SEASON,
};

/** Additive Holt-Winters one step ahead, and its in-sample sum of squared one-step errors. */
export function holtWinters(values: number[], p: HoltWintersParams, period = SEASON): { next: number; sse: number } {
  if (values.length < 2 * period) throw new RangeError(`Holt-Winters needs ${2 * period} values`);
  const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
  const first = values.slice(0, period);
  const second = values.slice(period, 2 * period);
  let level = mean(first);
  let trend = (mean(second) - level) / period;
  const season = first.map((x) => x - level);
  let sse = 0;
  for (let t = period; t < values.length; t++) {
    const s = season[t % period]!;
    const predicted = level + trend + s;
    sse += (values[t]! - predicted) ** 2;
    const prevLevel = level;
    level = p.alpha * (values[t]! - s) + (1 - p.alpha) * (level + trend);
    trend = p.beta * (level - prevLevel) + (1 - p.beta) * trend;
    season[t % period] = p.gamma * (values[t]! - level) + (1 - p.gamma) * s;
  }
  return { next: level + trend + season[values.length % period]!, sse };
}

/** Holt-Winters with its smoothing constants chosen on the history itself (a small grid, by in-sample error). */
export function fittedHoltWinters(values: number[]): { next: number; params: HoltWintersParams } {
  let best: { next: number; params: HoltWintersParams; sse: number } | null = null;
  for (const alpha of GRID)
    for (const beta of GRID)
      for (const gamma of GRID) {
        const r = holtWinters(values, { alpha, beta, gamma });
        if (!best || r.sse < best.sse) best = { ...r, params: { alpha, beta, gamma } };
      }
  return { next: best!.next, params: best!.params };
}

/** One method's forecast of the month after `values`, never below zero. */
export function forecastWith(method: ForecastMethod, values: number[]): number {
  if (values.length < MIN_HISTORY[method]) throw new RangeError(`${method} needs ${MIN_HISTORY[method]} months`);
  const v =
    method === 'naive'
      ? values[values.length - 1]!
      : method === 'seasonal_naive'
        ? values[values.length - SEASON]!
        : fittedHoltWinters(values).next;
  return Math.max(0, v);
}

/** Mean absolute error of one-step forecasts of the last `months` values, each from the values before it; null if none. */
export function backtest(method: ForecastMethod, values: number[], months = BACKTEST_MONTHS): number | null {
  const errors: number[] = [];
  for (let t = Math.max(MIN_HISTORY[method], values.length - months); t < values.length; t++)
    errors.push(Math.abs(forecastWith(method, values.slice(0, t)) - values[t]!));
  return errors.length ? errors.reduce((s, x) => s + x, 0) / errors.length : null;
}

export interface Forecast {
  method: ForecastMethod;
  value: number;
  /** each method's backtest error (mean absolute error in tickets), null where it could not be tested */
  errors: Record<ForecastMethod, number | null>;
}

/**
 * Next month's volume from the monthly history (oldest first). The method with the smallest backtest error is used;
 * with too little history to test any, the richest method the history allows. Null for an empty history.
 */
export function forecastNext(values: number[]): Forecast | null {
  if (values.length === 0) return null;
  const methods: ForecastMethod[] = ['holt_winters', 'seasonal_naive', 'naive'];
  const errors = Object.fromEntries(methods.map((m) => [m, backtest(m, values)])) as Record<
    ForecastMethod,
    number | null
  >;
  const tested = methods.filter((m) => errors[m] !== null).sort((a, b) => errors[a]! - errors[b]!);
  const method = tested[0] ?? methods.find((m) => values.length >= MIN_HISTORY[m])!;
  return { method, value: Math.round(forecastWith(method, values) * 10) / 10, errors };
}

/** The month of the year (1–12) with the largest volume last year, for a unit's 预案提醒 before its peak. */
export function peakMonth(lastYear: Array<{ month: string; count: number }>): { month: number; count: number } | null {
  let best: { month: number; count: number } | null = null;
  for (const m of lastYear) {
    const month = Number(m.month.slice(5, 7));
    if (!best || m.count > best.count) best = { month, count: m.count };
  }
  return best && best.count > 0 ? best : null;
}
