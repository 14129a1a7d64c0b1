import { describe, expect, it } from 'vitest';
import {
  backtest,
  fittedHoltWinters,
  forecastNext,
  forecastWith,
  holtWinters,
  MIN_HISTORY,
  peakMonth,
} from './forecast.js';

/** Heating complaints: high from November to March, low in summer, as a Heze year looks (index 0 = January). */
const HEATING = [90, 70, 40, 10, 5, 4, 4, 5, 8, 20, 80, 110];
const years = (n: number, shape: number[], growth = 0) =>
  Array.from({ length: n * 12 }, (_, i) => shape[i % 12]! + Math.floor(i / 12) * growth);

describe('第二十八条 季节性预测', () => {
  it('on a seasonal series with growth, Holt-Winters is chosen by backtest and forecasts next winter', () => {
    const history = years(3, HEATING, 10); // three winters, each 10 more per month; the next month is January
    const f = forecastNext(history)!;
    expect(f.method).toBe('holt_winters');
    expect(f.errors.holt_winters!).toBeLessThan(f.errors.seasonal_naive!);
    expect(f.errors.seasonal_naive!).toBeLessThan(f.errors.naive!);
    expect(f.value).toBeGreaterThan(105); // about 90 + 3 × 10
    expect(f.value).toBeLessThan(135);
  });

  it('with one year of history the same month last year is the forecast, not last month', () => {
    const history = [...HEATING.slice(0, 11), 110, ...HEATING.slice(0, 4)]; // Jan last year … April this year
    const f = forecastNext(history)!; // next: May
    expect(f.errors.holt_winters).toBeNull();
    expect(f.method).toBe('seasonal_naive');
    expect(f.value).toBe(5);
  });

  it('with a few months only it carries the last month forward; nothing for no history', () => {
    expect(forecastNext([12, 15, 14])).toMatchObject({ method: 'naive', value: 14 });
    expect(forecastNext([7])).toMatchObject({ method: 'naive', value: 7, errors: { naive: null } });
    expect(forecastNext([])).toBeNull();
  });

  it('a flat series forecasts its level; a forecast is never negative', () => {
    const flat = Array.from({ length: 30 }, () => 40);
    expect(forecastWith('holt_winters', flat)).toBeCloseTo(40, 5);
    expect(backtest('holt_winters', flat)).toBeCloseTo(0, 5);
    const falling = Array.from({ length: 24 }, (_, i) => 100 - i * 5);
    expect(forecastWith('holt_winters', falling)).toBeGreaterThanOrEqual(0);
  });

  it('refuses what a method cannot do, and backtests only where it can', () => {
    expect(() => holtWinters(years(1, HEATING), { alpha: 0.3, beta: 0.1, gamma: 0.3 })).toThrow(RangeError);
    expect(() => forecastWith('seasonal_naive', [1, 2, 3])).toThrow(RangeError);
    expect(backtest('seasonal_naive', years(1, HEATING))).toBeNull(); // twelve months: nothing to test against
    expect(backtest('naive', [10, 20, 30])).toBe(10);
    expect(MIN_HISTORY.holt_winters).toBe(24);
    const fit = fittedHoltWinters(years(2, HEATING));
    expect([0.1, 0.3, 0.5]).toContain(fit.params.alpha);
  });

  it('finds last year’s peak month for a unit’s 预案提醒', () => {
    const lastYear = HEATING.map((count, i) => ({ month: `2025-${String(i + 1).padStart(2, '0')}`, count }));
    expect(peakMonth(lastYear)).toEqual({ month: 12, count: 110 });
    expect(peakMonth([{ month: '2025-01', count: 0 }])).toBeNull();
    expect(peakMonth([])).toBeNull();
  });
});
