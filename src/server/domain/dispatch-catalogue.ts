import type { Tier } from '../db/schema.js';

// 第十二条: tickets go to units "根据职权法定、属地管理、分级负责的原则". The catalogue holds rules
// category × region × tier → lead unit; resolving it is pure so its precedence can be tested exhaustively.
export type RuleBasis = 'statutory' | 'territorial' | 'tiered';

export interface CatalogueRule {
  id: number;
  categoryId: number | null; // null: any category
  regionCode: string | null; // null: any region
  tier: Tier;
  basis: RuleBasis;
  leadUnitId: number;
  assistUnitIds: number[];
  priority: number;
  active: boolean;
}

export interface ResolveInput {
  /** The ticket's category followed by its ancestors, most specific first. */
  categoryChain: number[];
  /** The ticket's region followed by its ancestors, most specific first (e.g. street, district, city). */
  regionChain: string[];
}

export interface Resolution {
  rule: CatalogueRule;
  leadUnitId: number;
  assistUnitIds: number[];
  /** Why this rule won, in Chinese for the dispatcher's screen. */
  explanation: string;
  /** Other matching rules, best first, so a dispatcher can see the alternatives. */
  alternatives: CatalogueRule[];
}

// Statutory duty beats territory, territory beats tier (the order the article names them in).
const BASIS_RANK: Record<RuleBasis, number> = { statutory: 0, territorial: 1, tiered: 2 };
export const BASIS_LABELS: Record<RuleBasis, string> = {
  statutory: '职权法定',
  territorial: '属地管理',
  tiered: '分级负责',
};

function specificity(chain: readonly (number | string)[], value: number | string | null): number {
  if (value === null) return -1; // wildcard: matches, least specific
  const i = chain.indexOf(value);
  return i < 0 ? Number.NaN : chain.length - i; // deeper in the chain → more specific
}

/** Picks the rule for a ticket, or null when no active rule matches (the dispatcher must choose). */
export function resolveDispatch(rules: readonly CatalogueRule[], input: ResolveInput): Resolution | null {
  const matches = rules
    .filter((r) => r.active)
    .map((r) => ({
      r,
      cat: specificity(input.categoryChain, r.categoryId),
      reg: specificity(input.regionChain, r.regionCode),
    }))
    .filter((m) => !Number.isNaN(m.cat) && !Number.isNaN(m.reg))
    .sort(
      (a, b) =>
        BASIS_RANK[a.r.basis] - BASIS_RANK[b.r.basis] ||
        b.cat - a.cat ||
        b.reg - a.reg ||
        b.r.priority - a.r.priority ||
        a.r.id - b.r.id,
    );
  const best = matches[0];
  if (!best) return null;
  const { r } = best;
  const scope = [
    r.categoryId === null ? '全部类别' : '本类别',
    r.regionCode === null ? '全部区域' : `区划 ${r.regionCode}`,
  ].join('、');
  return {
    rule: r,
    leadUnitId: r.leadUnitId,
    assistUnitIds: r.assistUnitIds,
    explanation: `依据派单目录第 ${r.id} 条（${BASIS_LABELS[r.basis]}，${scope}）`,
    alternatives: matches.slice(1).map((m) => m.r),
  };
}
