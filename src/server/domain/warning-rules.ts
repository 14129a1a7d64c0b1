import { maxLevel, type WarningLevel } from '../../shared/domain/warnings.js';
import { ewmaBaseline, type DayType } from './early-warning.js';

// 第二十七条 风险预警: the pure rules of the collective-request and sensitive-word warnings (the spike detector is
// early-warning.ts).

export interface SensitiveWord {
  word: string;
  level: WarningLevel;
}

/** The listed words the text contains (each once, in the list's order) and the highest of their levels. */
export function matchSensitiveWords(
  text: string,
  words: readonly SensitiveWord[],
): { words: string[]; level: WarningLevel } | null {
  const hits = words.filter((w) => w.word && text.includes(w.word));
  if (!hits.length) return null;
  return {
    words: [...new Set(hits.map((w) => w.word))],
    level: hits.reduce<WarningLevel>((l, w) => maxLevel(l, w.level), 'yellow'),
  };
}

/** A collective request's level: the threshold reached is 一般, twice it 较重, three times it 严重. */
export function collectiveLevel(requesters: number, threshold: number): WarningLevel | null {
  if (requesters < threshold) return null;
  if (requesters >= threshold * 3) return 'red';
  if (requesters >= threshold * 2) return 'orange';
  return 'yellow';
}

/** The town a region code lies in (towns are 9 digits; a county-level code stays itself). */
export const townOf = (regionCode: string) => (regionCode.length >= 9 ? regionCode.slice(0, 9) : regionCode);
/** The county a region code lies in. */
export const countyOf = (regionCode: string) => regionCode.slice(0, 6);

/** Ticket ids kept in a warning's evidence: enough to open them, never an unbounded list. */
export const EVIDENCE_MAX_TICKETS = 200;

/** One day of a spike warning's chart: the count, the baseline and the top of the band (the first level's score). */
export interface BandDay {
  day: string;
  count: number;
  expected: number | null;
  upper: number | null;
}

/**
 * The baseline band of a series as detectSpikes (early-warning.ts) judged it: each day against the exponentially
 * weighted same-kind days of the window before it, spike days entering later baselines as their expected value.
 */
export function baselineBand(
  series: Array<{ day: string; count: number }>,
  dayType: (day: string) => DayType,
  spikes: ReadonlyMap<string, number>,
  o: { window: number; alpha: number; warmup: number; upperScore: number },
): BandDay[] {
  const kinds = series.map((d) => dayType(d.day));
  const clean = series.map((d) => spikes.get(d.day) ?? d.count);
  return series.map((d, i) => {
    const history: number[] = [];
    for (let j = Math.max(0, i - o.window); j < i; j++) if (kinds[j] === kinds[i]) history.push(clean[j]!);
    if (history.length < o.warmup) return { day: d.day, count: d.count, expected: null, upper: null };
    const b = ewmaBaseline(history, o.alpha);
    return {
      day: d.day,
      count: d.count,
      expected: round1(b.expected),
      upper: round1(b.expected + o.upperScore * b.width),
    };
  });
}
const round1 = (x: number) => Math.round(x * 10) / 10;
