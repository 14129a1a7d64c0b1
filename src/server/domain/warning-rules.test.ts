import { describe, expect, it } from 'vitest';
import { addDays } from './calendar.js';
import { detectSpikes, SPIKE_DEFAULTS } from './early-warning.js';
import { baselineBand, collectiveLevel, countyOf, matchSensitiveWords, townOf } from './warning-rules.js';

describe('第二十七条 风险预警：集体诉求与敏感词规则', () => {
  it('matches the listed words once each, in list order, at the highest level', () => {
    const words = [
      { word: '跳楼', level: 'red' as const },
      { word: '讨薪', level: 'orange' as const },
      { word: '集体', level: 'yellow' as const },
    ];
    expect(matchSensitiveWords('路灯不亮', words)).toBeNull();
    expect(matchSensitiveWords('大家要集体讨薪，集体去', words)).toEqual({ words: ['讨薪', '集体'], level: 'orange' });
    expect(matchSensitiveWords('扬言跳楼', words)).toEqual({ words: ['跳楼'], level: 'red' });
    expect(matchSensitiveWords('集体', [])).toBeNull();
  });

  it('grades a collective request by how far it passes the threshold', () => {
    expect([4, 5, 9, 10, 14, 15].map((n) => collectiveLevel(n, 5))).toEqual([
      null,
      'yellow',
      'yellow',
      'orange',
      'orange',
      'red',
    ]);
    expect(townOf('371702001002')).toBe('371702001');
    expect(townOf('371702')).toBe('371702');
    expect(countyOf('371702001002')).toBe('371702');
  });

  it('the chart band is the baseline the detector judged by: a spike lies above it, ordinary days within', () => {
    const dayType = (d: string) => ([0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()) ? 'restday' : 'workday');
    const series = Array.from({ length: 40 }, (_, i) => {
      const day = addDays('2025-03-03', i);
      return { day, count: (dayType(day) === 'workday' ? 20 : 6) + (i === 37 ? 20 : 0) };
    });
    const spikes = detectSpikes(series, dayType);
    expect(spikes.map((s) => s.day)).toEqual([series[37]!.day]);
    const band = baselineBand(series, dayType, new Map(spikes.map((s) => [s.day, s.expected])), {
      window: SPIKE_DEFAULTS.window,
      alpha: SPIKE_DEFAULTS.alpha,
      warmup: SPIKE_DEFAULTS.warmup,
      upperScore: SPIKE_DEFAULTS.thresholds.yellow,
    });
    expect(band[37]!.expected).toBe(spikes[0]!.expected);
    expect(band[37]!.count).toBeGreaterThan(band[37]!.upper!);
    expect(band.filter((b, i) => i !== 37 && b.upper !== null && b.count > b.upper)).toEqual([]);
    expect(band[0]).toMatchObject({ expected: null, upper: null });
  });
});
