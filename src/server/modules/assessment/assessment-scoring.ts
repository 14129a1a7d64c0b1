import {
  TICKET_INDICATORS,
  rankByScore,
  schemeInForce,
  scoreUnit,
  unitGroupOf,
  UNIT_GROUPS,
  type IndicatorScore,
  type Inputs,
  type UnitGroup,
} from '../../domain/assessment-indicators.js';
import type { Scheme } from './assessment-schemes.service.js';

// 第二十四条: one period's scores and rankings from the inputs and the schemes, the same function for live figures,
// freezing, recomputing a frozen result and revising it after an accepted appeal (so they cannot drift apart).

export interface ScoredUnit {
  unitId: number;
  unitName: string;
  unitGroup: UnitGroup;
  schemeId: number;
  inputs: Inputs;
  indicators: IndicatorScore[];
  score: number;
  rank: number;
}

/** Whether a unit had tickets to assess in the period: a unit without any is not ranked (its articles alone do not rank it). */
export function hasActivity(inputs: Inputs): boolean {
  return TICKET_INDICATORS.some((i) => inputs[i].den > 0 || inputs[i].num > 0);
}

export function scorePeriod(
  units: { id: number; name: string; kind: string; tier: string }[],
  inputs: Map<number, Inputs>,
  schemes: Scheme[],
  schemeDay: string,
): { scored: ScoredUnit[]; schemes: Partial<Record<UnitGroup, Scheme>> } {
  const inForce: Partial<Record<UnitGroup, Scheme>> = {};
  for (const g of UNIT_GROUPS) {
    const s = schemeInForce(
      schemes.filter((x) => x.unitGroup === g),
      schemeDay,
    );
    if (s) inForce[g] = s;
  }
  const rows: Omit<ScoredUnit, 'rank'>[] = [];
  for (const u of units) {
    const group = unitGroupOf(u.kind, u.tier);
    const x = inputs.get(u.id);
    if (!group || !x || !hasActivity(x)) continue;
    const scheme = inForce[group];
    if (!scheme) continue; // no scheme in force for the group: nothing to score it by
    const s = scoreUnit(scheme.indicators, x);
    rows.push({ unitId: u.id, unitName: u.name, unitGroup: group, schemeId: scheme.id, inputs: x, ...s });
  }
  return { scored: rankGroups(rows), schemes: inForce };
}

/** Ranks within each group, highest score first. */
export function rankGroups(rows: Omit<ScoredUnit, 'rank'>[]): ScoredUnit[] {
  const out: ScoredUnit[] = [];
  for (const g of UNIT_GROUPS) {
    const ranked = rankByScore(rows.filter((r) => r.unitGroup === g).map((r) => ({ ...r, key: r.unitId })));
    out.push(...ranked.map(({ key: _key, ...r }) => r));
  }
  return out;
}
