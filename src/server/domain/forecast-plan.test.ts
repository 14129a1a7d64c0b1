import { describe, expect, it } from 'vitest';
import { addMonths, planForecast, reminderReason } from './forecast-plan.js';

describe('第二十八条(二) forecast plan', () => {
  it('adds months across years', () => {
    expect(addMonths('2025-11-01', 2)).toBe('2026-01-01');
    expect(addMonths('2025-01-01', -1)).toBe('2024-12-01');
    expect(addMonths('2025-06-01', -12)).toBe('2024-06-01');
  });

  it('forecasts two months ahead of a seasonal history, with a band around it', () => {
    // three years of 20 a month with 80 every July; the history ends in May: July is two steps ahead
    const values: number[] = [];
    for (let m = 0; m < 36; m++) values.push((m + 5) % 12 === 6 ? 80 : 20); // index 0 = June
    const july = planForecast(values, 2)!;
    expect(july.method).not.toBe('naive');
    expect(july.expected).toBeCloseTo(80, 0);
    expect(july.lower).toBeLessThanOrEqual(80);
    expect(july.upper).toBeGreaterThanOrEqual(80);
    const june = planForecast(values, 1)!;
    expect(june.expected).toBeCloseTo(20, 0);
    expect(planForecast([])).toBeNull();
  });

  it('widens the band without a backtest and never goes below zero', () => {
    const p = planForecast([4])!;
    expect(p).toMatchObject({ method: 'naive', expected: 4, lower: 2, upper: 6, backtestError: null });
  });

  it('reminds before a month markedly above average, or after last year’s peak, not for a flat year', () => {
    const flat = Array(12).fill(10) as number[];
    expect(reminderReason({ expected: 10, lastTwelve: flat, lastYear: 10 })).toBeNull();
    expect(reminderReason({ expected: 20, lastTwelve: flat, lastYear: 10 })).toEqual({
      reason: 'forecast_above_average',
      average: 10,
    });
    // 14 is above 1.3 × 10 but only 4 more: too few tickets to call it a peak
    expect(reminderReason({ expected: 14, lastTwelve: flat, lastYear: 10 })).toBeNull();
    const peaked = [...flat.slice(0, 11), 40];
    expect(reminderReason({ expected: 12, lastTwelve: peaked, lastYear: 40 })?.reason).toBe('last_year_peak');
    expect(reminderReason({ expected: 30, lastTwelve: peaked, lastYear: 40 })?.reason).toBe('both');
  });
});
