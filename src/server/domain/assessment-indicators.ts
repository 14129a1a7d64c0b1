// 第二十四条 热线工作考核: the indicators, the score curves and the validation of an assessment scheme, as pure
// functions. Definitions (numerator, denominator, which events, which tickets are left out): docs/assessment.md.

/** Indicators computed per ticket and unit (assessment_facts → assessment_daily); each has a numerator and a denominator. */
export const TICKET_INDICATORS = [
  'accept_timely', // 签收及时率
  'contact_timely', // 联系及时率
  'ontime_completion', // 按期办结率
  'completion', // 办结率
  'resolution', // 解决率 (诉求人评价)
  'satisfaction', // 满意率
  'rework', // 重办率
  'unfounded_return', // 退单率
  'extension', // 延期率
  'supervision', // 督办次数
] as const;
export type TicketIndicator = (typeof TICKET_INDICATORS)[number];

/** Every indicator a scheme may weigh: the ticket indicators and the knowledge base's (read from its own tables). */
export const INDICATORS = [...TICKET_INDICATORS, 'knowledge_timely'] as const;
export type Indicator = (typeof INDICATORS)[number];

export interface IndicatorDefinition {
  label: string;
  /** higher is better (rates of good outcomes) or lower is better (rework, returns, extensions, supervision) */
  better: 'higher' | 'lower';
  /** a percentage of the denominator, or a plain count (督办次数) */
  measure: 'rate' | 'count';
}

export const INDICATOR_DEFINITIONS: Record<Indicator, IndicatorDefinition> = {
  accept_timely: { label: '签收及时率', better: 'higher', measure: 'rate' },
  contact_timely: { label: '联系及时率', better: 'higher', measure: 'rate' },
  ontime_completion: { label: '按期办结率', better: 'higher', measure: 'rate' },
  completion: { label: '办结率', better: 'higher', measure: 'rate' },
  resolution: { label: '解决率', better: 'higher', measure: 'rate' },
  satisfaction: { label: '满意率', better: 'higher', measure: 'rate' },
  rework: { label: '重办率', better: 'lower', measure: 'rate' },
  unfounded_return: { label: '退单率', better: 'lower', measure: 'rate' },
  extension: { label: '延期率', better: 'lower', measure: 'rate' },
  supervision: { label: '督办次数', better: 'lower', measure: 'count' },
  knowledge_timely: { label: '知识库更新及时率', better: 'higher', measure: 'rate' },
};

export const isIndicator = (s: string): s is Indicator => (INDICATORS as readonly string[]).includes(s);
export const isTicketIndicator = (s: string): s is TicketIndicator =>
  (TICKET_INDICATORS as readonly string[]).includes(s);

/** The rollup columns: `<indicator>_num` and `<indicator>_den` of every ticket indicator. */
export const COUNTER_COLUMNS = TICKET_INDICATORS.flatMap((i) => [`${i}_num`, `${i}_den`] as const);
export type CounterColumn = (typeof COUNTER_COLUMNS)[number];

/** What the indicators of one unit and period are computed from: the summed counters (and the knowledge snapshot). */
export type Inputs = Record<Indicator, { num: number; den: number }>;

export function emptyInputs(): Inputs {
  return Object.fromEntries(INDICATORS.map((i) => [i, { num: 0, den: 0 }])) as Inputs;
}

// ---- unit groups -------------------------------------------------------------------------------------------

/** 第二十四条: units are compared with their peers — each group has its own scheme and its own ranking. */
export const UNIT_GROUPS = ['department', 'county_government', 'town', 'utility'] as const;
export type UnitGroup = (typeof UNIT_GROUPS)[number];
export const UNIT_GROUP_LABELS: Record<UnitGroup, string> = {
  department: '市直部门',
  county_government: '县区政府',
  town: '乡镇（街道）',
  utility: '公共服务企业',
};
export const isUnitGroup = (s: string): s is UnitGroup => (UNIT_GROUPS as readonly string[]).includes(s);

/**
 * The group of a unit from how units are typed (kind × tier): a county-tier 'department' is a district/county
 * government (牡丹区人民政府); the centres themselves (and 'other') are not assessed.
 */
export function unitGroupOf(kind: string, tier: string): UnitGroup | null {
  if (kind === 'utility') return 'utility';
  if (kind === 'town') return 'town';
  if (kind === 'department') return tier === 'county' ? 'county_government' : tier === 'town' ? 'town' : 'department';
  return null;
}

// ---- values, curves, scores --------------------------------------------------------------------------------

/** An indicator's value: a percentage (0–100) for a rate, the count for a count; null when nothing was counted. */
export function indicatorValue(indicator: Indicator, x: { num: number; den: number }): number | null {
  if (INDICATOR_DEFINITIONS[indicator].measure === 'count') return x.num;
  return x.den > 0 ? (x.num / x.den) * 100 : null;
}

/** A scheme's line for one indicator: its weight (points) and its curve. */
export interface SchemeIndicator {
  indicator: Indicator;
  weight: number;
  /** the value that earns the full weight (e.g. 95 %; for 督办次数 0 cases) */
  target: number;
  /** the value that earns nothing (e.g. below 80 % scores 0; for 督办次数 3 cases) */
  cutoff: number;
}

/**
 * Share of the weight earned: 1 at or beyond the target, 0 at or beyond the cut-off, linear in between.
 * Nothing counted (null) takes nothing off: a unit without any callback in the month keeps the points of 满意率.
 */
export function curveShare(better: 'higher' | 'lower', value: number | null, target: number, cutoff: number): number {
  if (value === null) return 1;
  if (better === 'higher') {
    if (value >= target) return 1;
    if (value <= cutoff) return 0;
    return (value - cutoff) / (target - cutoff);
  }
  if (value <= target) return 1;
  if (value >= cutoff) return 0;
  return (cutoff - value) / (cutoff - target);
}

export interface IndicatorScore {
  indicator: Indicator;
  num: number;
  den: number;
  /** rounded to 2 decimals for display; the points are computed from the exact value */
  value: number | null;
  weight: number;
  points: number;
}

const round2 = (x: number) => Math.round(x * 100 + Number.EPSILON * 100) / 100;

/** A unit's score under a scheme: the sum of each indicator's points, rounded to 2 decimals. */
export function scoreUnit(lines: SchemeIndicator[], inputs: Inputs): { score: number; indicators: IndicatorScore[] } {
  let total = 0;
  const indicators = lines.map((l) => {
    const x = inputs[l.indicator];
    const value = indicatorValue(l.indicator, x);
    const points = l.weight * curveShare(INDICATOR_DEFINITIONS[l.indicator].better, value, l.target, l.cutoff);
    total += points;
    return {
      indicator: l.indicator,
      num: x.num,
      den: x.den,
      value: value === null ? null : round2(value),
      weight: l.weight,
      points: round2(points),
    };
  });
  return { score: round2(total), indicators };
}

/** Competition ranking (1, 2, 2, 4) by score, highest first; ties keep the order of `key` for display. */
export function rankByScore<T extends { score: number; key: number }>(rows: T[]): (T & { rank: number })[] {
  const sorted = [...rows].sort((a, b) => b.score - a.score || a.key - b.key);
  let rank = 0;
  return sorted.map((r, i) => {
    if (i === 0 || r.score !== sorted[i - 1]!.score) rank = i + 1;
    return { ...r, rank };
  });
}

// ---- scheme validation -------------------------------------------------------------------------------------

export interface SchemeDraft {
  unitGroup: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  indicators: SchemeIndicator[];
}

/** What is wrong with a scheme, in words an administrator reads; empty when it is valid. */
export function schemeProblems(s: SchemeDraft): string[] {
  const problems: string[] = [];
  if (!isUnitGroup(s.unitGroup)) problems.push('考核对象类别不正确');
  if (s.effectiveTo !== null && s.effectiveTo < s.effectiveFrom) problems.push('失效日期不能早于生效日期');
  if (s.indicators.length === 0) problems.push('至少需要一项考核指标');
  const seen = new Set<string>();
  for (const l of s.indicators) {
    if (!isIndicator(l.indicator)) {
      problems.push(`未知的考核指标：${String(l.indicator)}`);
      continue;
    }
    const d = INDICATOR_DEFINITIONS[l.indicator];
    if (seen.has(l.indicator)) problems.push(`指标「${d.label}」重复`);
    seen.add(l.indicator);
    if (!(l.weight > 0)) problems.push(`指标「${d.label}」的权重须大于 0`);
    if (d.measure === 'rate' && [l.target, l.cutoff].some((v) => v < 0 || v > 100))
      problems.push(`指标「${d.label}」的目标值和零分线须在 0 到 100 之间`);
    if (d.measure === 'count' && [l.target, l.cutoff].some((v) => v < 0))
      problems.push(`指标「${d.label}」的目标值和零分线不能为负数`);
    if (d.better === 'higher' && !(l.cutoff < l.target))
      problems.push(`指标「${d.label}」越高越好，零分线须低于目标值`);
    if (d.better === 'lower' && !(l.cutoff > l.target)) problems.push(`指标「${d.label}」越低越好，零分线须高于目标值`);
  }
  const sum = s.indicators.reduce((a, l) => a + l.weight, 0);
  if (Math.abs(sum - 100) > 1e-9) problems.push(`各指标权重之和须为 100，当前为 ${round2(sum)}`);
  return problems;
}

/** Whether two effective periods share a day (null = open-ended). Dates are `YYYY-MM-DD`, both ends inclusive. */
export function periodsOverlap(
  a: { from: string; to: string | null },
  b: { from: string; to: string | null },
): boolean {
  return (a.to === null || b.from <= a.to) && (b.to === null || a.from <= b.to);
}

/** The scheme of a group in force on a day: the one whose period contains it. */
export function schemeInForce<T extends { effectiveFrom: string; effectiveTo: string | null }>(
  schemes: T[],
  day: string,
): T | null {
  return schemes.find((s) => s.effectiveFrom <= day && (s.effectiveTo === null || day <= s.effectiveTo)) ?? null;
}
