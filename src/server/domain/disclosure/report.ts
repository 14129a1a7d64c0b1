import {
  CONTACT_TYPE_LABELS,
  DISCLOSURE_CHANNEL_LABELS,
  DISCLOSURE_REQUEST_TYPE_LABELS,
  DISCLOSURE_SCHEMA,
  type CaseRow,
  type CountTable,
  type DisclosureReport,
  type HonourRow,
  type MatterRow,
  type UnitRateRow,
} from '../../../shared/contracts/disclosure.js';
import { SUPPRESSION_THRESHOLD, suppressChange, suppressCount, suppressGroup, suppressRate } from './suppression.js';

// 第二十一条: the monthly report built from aggregate inputs only (sums the repository read from indexed month
// ranges and rollups). Nothing here sees a ticket, a person or a staff member: what it is not given it cannot leak.

type Rate = { num: number; den: number };
export interface UnitInput {
  name: string;
  group: string;
  /** tickets the unit led in the month (the 签收 denominator) */
  handled: number;
  /** tickets past their reply deadline (按期办结 den − num), for the black list */
  overdue: number;
  acceptTimely: Rate;
  ontimeCompletion: Rate;
  resolution: Rate;
  satisfaction: Rate;
  /** the month's assessment score and rank in its group (第二十四条), when known */
  score: number | null;
  rank: number | null;
}
export interface MatterInput {
  label: string;
  count: number;
  previous: number;
}
export interface DisclosureInputs {
  month: string;
  region: { code: string; name: string };
  contactsByChannel: Record<string, number>;
  contactsByType: Record<string, number>;
  ticketsByChannel: Record<string, number>;
  ticketsByType: Record<string, number>;
  /** every top-level category with tickets this month or last */
  matters: MatterInput[];
  units: UnitInput[];
  unitsSource: 'assessment_result' | 'rollup';
}
export interface Editorial {
  version: number;
  publishedAt: string | null;
  correctionNote: string | null;
  foreword: string;
  cases: CaseRow[];
}

export const TOP_MATTERS = 10;
export const HONOUR_SIZE = 3;
/** a unit enters the red or black list only with at least this many tickets in the month */
export const HONOUR_MIN_HANDLED = SUPPRESSION_THRESHOLD;

export const SUPPRESSION_NOTE =
  '为保护个人信息，1 至 4 件的数量显示为“<5”，分母不足 5 件的比率不予公布；可由合计反推的数量一并隐去。';

function countTable(counts: Record<string, number>, labels: Record<string, string>): CountTable {
  const keys = Object.keys(counts)
    .filter((k) => counts[k]! > 0)
    .sort((a, b) => counts[b]! - counts[a]! || a.localeCompare(b));
  const values = keys.map((k) => counts[k]!);
  const total = values.reduce((a, b) => a + b, 0);
  const g = suppressGroup(values, total);
  return {
    total: g.total,
    rows: keys.map((k, i) => ({ key: k, label: labels[k] ?? '其他', count: g.cells[i]! })),
  };
}

/** The top matters with an "其他" line, so the list adds up to the total and is suppressed as one group. */
export function topMatters(matters: MatterInput[]): DisclosureReport['topMatters'] {
  const ranked = matters
    .filter((m) => m.count > 0)
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'zh'));
  const top = ranked.slice(0, TOP_MATTERS);
  const rest = ranked.slice(TOP_MATTERS);
  const lines = [...top];
  if (rest.length)
    lines.push({
      label: '其他',
      count: rest.reduce((a, m) => a + m.count, 0),
      previous: rest.reduce((a, m) => a + m.previous, 0),
    });
  const total = lines.reduce((a, m) => a + m.count, 0);
  const now = suppressGroup(
    lines.map((m) => m.count),
    total,
  );
  // last month's figures are a group of their own (its total includes categories with none this month)
  const prevAll = matters.reduce((a, m) => a + m.previous, 0);
  const shownPrev = lines.reduce((a, m) => a + m.previous, 0);
  const prev = suppressGroup([...lines.map((m) => m.previous), prevAll - shownPrev], prevAll);
  const rows: MatterRow[] = lines.map((m, i) => ({
    key: m.label,
    label: m.label,
    count: now.cells[i]!,
    previous: prev.cells[i]!,
    change: suppressChange(now.cells[i]!, prev.cells[i]!),
  }));
  return { total: now.total, rows };
}

function unitRow(u: UnitInput): UnitRateRow {
  return {
    key: u.name,
    label: u.name,
    group: u.group,
    handled: suppressCount(u.handled),
    acceptTimely: suppressRate(u.acceptTimely.num, u.acceptTimely.den),
    ontimeCompletion: suppressRate(u.ontimeCompletion.num, u.ontimeCompletion.den),
    resolution: suppressRate(u.resolution.num, u.resolution.den),
    satisfaction: suppressRate(u.satisfaction.num, u.satisfaction.den),
    score: u.score,
    rank: u.rank,
  };
}

const pct = (r: Rate) => (r.den >= SUPPRESSION_THRESHOLD ? `${((r.num / r.den) * 100).toFixed(2)}%` : null);

/**
 * 红榜 and 黑榜: among units with at least 5 tickets and a score, the best by score (then satisfaction) and the
 * worst by score (then most overdue) — three each, and never more than half of the eligible units, so a unit is
 * never on both lists.
 */
export function honourLists(units: UnitInput[]): { redList: HonourRow[]; blackList: HonourRow[] } {
  const eligible = units.filter((u) => u.handled >= HONOUR_MIN_HANDLED && u.score !== null);
  const satisfaction = (u: UnitInput) => (u.satisfaction.den ? u.satisfaction.num / u.satisfaction.den : 0);
  const best = [...eligible].sort(
    (a, b) => b.score! - a.score! || satisfaction(b) - satisfaction(a) || a.name.localeCompare(b.name, 'zh'),
  );
  const size = Math.min(HONOUR_SIZE, Math.floor(eligible.length / 2));
  const red = best.slice(0, size);
  const worst = [...eligible]
    .filter((u) => !red.includes(u))
    .sort((a, b) => a.score! - b.score! || b.overdue - a.overdue || a.name.localeCompare(b.name, 'zh'))
    .slice(0, size);
  const reason = (u: UnitInput, kind: 'red' | 'black') => {
    const parts = [`考核得分 ${u.score!.toFixed(2)}`];
    const s = pct(u.satisfaction);
    if (s) parts.push(`满意率 ${s}`);
    if (kind === 'black') {
      const o = pct(u.ontimeCompletion);
      if (o) parts.push(`按期办结率 ${o}`);
      if (u.overdue >= SUPPRESSION_THRESHOLD) parts.push(`超期 ${u.overdue} 件`);
    }
    return parts.join('，');
  };
  const row = (kind: 'red' | 'black') => (u: UnitInput, i: number) => ({
    position: i + 1,
    label: u.name,
    group: u.group,
    score: u.score,
    reason: reason(u, kind),
  });
  return { redList: red.map(row('red')), blackList: worst.map(row('black')) };
}

/** The whole report: suppressed, ranked, with the reviewer's text. */
export function buildReport(inputs: DisclosureInputs, editorial: Editorial): DisclosureReport {
  const units = [...inputs.units].sort(
    (a, b) => (b.score ?? -1) - (a.score ?? -1) || b.handled - a.handled || a.name.localeCompare(b.name, 'zh'),
  );
  return {
    schema: DISCLOSURE_SCHEMA,
    month: inputs.month,
    region: { code: inputs.region.code, name: inputs.region.name },
    version: editorial.version,
    publishedAt: editorial.publishedAt,
    correction: editorial.correctionNote ? { note: editorial.correctionNote } : null,
    foreword: editorial.foreword,
    contacts: {
      byChannel: countTable(inputs.contactsByChannel, DISCLOSURE_CHANNEL_LABELS),
      byType: countTable(inputs.contactsByType, CONTACT_TYPE_LABELS),
    },
    tickets: {
      byChannel: countTable(inputs.ticketsByChannel, DISCLOSURE_CHANNEL_LABELS),
      byType: countTable(inputs.ticketsByType, DISCLOSURE_REQUEST_TYPE_LABELS),
    },
    topMatters: topMatters(inputs.matters),
    units: { source: inputs.unitsSource, rows: units.map(unitRow) },
    ...honourLists(inputs.units),
    cases: editorial.cases.map((c) => ({ title: c.title, category: c.category, unit: c.unit, summary: c.summary })),
    suppression: { threshold: SUPPRESSION_THRESHOLD, note: SUPPRESSION_NOTE },
  };
}
