// 第二十七条 动态监测、风险预警: a spike detector for one series of daily counts (a category × region). Pure.
//
// Requests follow the working calendar: a Monday brings two or three times a Sunday's volume, and a public holiday
// on a Wednesday looks like a Sunday while its make-up Saturday (调休补班) looks like a Wednesday. So each day is
// compared only with earlier days *of the same kind* (working day or rest day, as the platform's calendar says) in a
// 28-day window: an exponentially weighted mean and variance of those days is the baseline, and the day's score is
// how many "noise widths" it lies above it. The noise width is never below the Poisson width √expected, so a series
// of small counts (0, 1, 2…) does not raise alarms at every 4. Days already found to be spikes enter the baseline as
// their expected value, so a spike lasting several days does not teach the baseline that it is normal.

export type DayType = 'workday' | 'restday';
export interface DailyCount {
  day: string;
  count: number;
}
export type WarningLevel = 'yellow' | 'orange' | 'red';
export const WARNING_LEVEL_LABELS: Record<WarningLevel, string> = { yellow: '关注', orange: '预警', red: '严重' };

export interface SpikeOptions {
  /** days looked back (calendar days) */
  window?: number;
  /** weight of the newest same-kind day in the baseline */
  alpha?: number;
  /** a day below this count is never a spike, whatever its score (a false-alarm budget for quiet series) */
  minCount?: number;
  /** same-kind days needed in the window before anything is judged */
  warmup?: number;
  /** scores from which each level is raised */
  thresholds?: Record<WarningLevel, number>;
}
export const SPIKE_DEFAULTS: Required<SpikeOptions> = {
  window: 28,
  alpha: 0.3,
  minCount: 5,
  warmup: 6,
  thresholds: { yellow: 3, orange: 4.5, red: 6 },
};

export interface Spike {
  day: string;
  count: number;
  expected: number;
  score: number;
  level: WarningLevel;
}

export interface Baseline {
  expected: number;
  width: number;
}

/** The exponentially weighted mean and width of values (oldest first), the newest weighing most. */
export function ewmaBaseline(values: number[], alpha: number): Baseline {
  if (values.length === 0) return { expected: 0, width: 1 };
  let mean = values[0]!;
  let variance = 0;
  for (let i = 1; i < values.length; i++) {
    const diff = values[i]! - mean;
    const incr = alpha * diff;
    mean += incr;
    variance = (1 - alpha) * (variance + diff * incr);
  }
  return { expected: mean, width: Math.max(Math.sqrt(variance), Math.sqrt(Math.max(mean, 1))) };
}

/** The level a score reaches, or null. */
export function levelOf(score: number, thresholds: Record<WarningLevel, number>): WarningLevel | null {
  if (score >= thresholds.red) return 'red';
  if (score >= thresholds.orange) return 'orange';
  if (score >= thresholds.yellow) return 'yellow';
  return null;
}

/**
 * The spikes of a series of consecutive days (oldest first, one entry per day, missing days as 0), judged against the
 * same-kind days before each. `dayType` is the platform's working calendar (第八条's, with 调休).
 */
export function detectSpikes(
  series: DailyCount[],
  dayType: (day: string) => DayType,
  options: SpikeOptions = {},
): Spike[] {
  const o = { ...SPIKE_DEFAULTS, ...options, thresholds: { ...SPIKE_DEFAULTS.thresholds, ...options.thresholds } };
  const kinds = series.map((d) => dayType(d.day));
  /** what each day contributes to later baselines: its count, or its expected value once it was a spike */
  const clean: number[] = [];
  const spikes: Spike[] = [];
  for (let i = 0; i < series.length; i++) {
    const { day, count } = series[i]!;
    const history: number[] = [];
    for (let j = Math.max(0, i - o.window); j < i; j++) if (kinds[j] === kinds[i]) history.push(clean[j]!);
    clean.push(count);
    if (history.length < o.warmup) continue;
    const b = ewmaBaseline(history, o.alpha);
    const score = (count - b.expected) / b.width;
    const level = count >= o.minCount ? levelOf(score, o.thresholds) : null;
    if (!level) continue;
    spikes.push({ day, count, expected: round1(b.expected), score: round1(score), level });
    clean[i] = b.expected;
  }
  return spikes;
}

export interface DetectorEvaluation {
  injected: number;
  detected: number;
  recall: number;
  falseAlarms: number;
  falseAlarmsPerMonth: number;
}

/** Recall of injected spikes and alarms on other days per 30 days of series, for a benchmark. */
export function evaluateDetector(
  spikes: Array<{ day: string }>,
  injected: ReadonlySet<string>,
  days: number,
): DetectorEvaluation {
  const hit = new Set(spikes.filter((s) => injected.has(s.day)).map((s) => s.day));
  const falseAlarms = spikes.filter((s) => !injected.has(s.day)).length;
  return {
    injected: injected.size,
    detected: hit.size,
    recall: injected.size ? hit.size / injected.size : 1,
    falseAlarms,
    falseAlarmsPerMonth: days ? (falseAlarms * 30) / days : 0,
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;
