// 第二十一条 (and 第六条): small-count suppression of everything the centre publishes. A published count of 1 to 4
// could point at a person (one complaint about one street in one month), so it is replaced by "<5" (null with a
// flag); a rate whose denominator is under 5 is suppressed the same way; and when a suppressed cell could be
// recomputed from its group's total and its siblings, the next smallest sibling (or, failing one, the total) is
// suppressed too (secondary suppression). Zero is published as 0: nobody is behind it.

export const SUPPRESSION_THRESHOLD = 5;

import type { PublicCount, PublicRate } from '../../../shared/contracts/disclosure.js';

export type { PublicCount, PublicRate };

const shown = (value: number): PublicCount => ({ value, suppressed: false });
const hidden = (): PublicCount => ({ value: null, suppressed: true });

/** Whether a count would be suppressed on its own (primary suppression). */
export function isSmall(n: number): boolean {
  return n > 0 && n < SUPPRESSION_THRESHOLD;
}

export function suppressCount(n: number): PublicCount {
  if (!Number.isInteger(n) || n < 0) throw new Error(`not a count: ${n}`);
  return isSmall(n) ? hidden() : shown(n);
}

/** num/den as a percentage with two decimals; suppressed when den < 5 (den 0 is "no rate", also null). */
export function suppressRate(num: number, den: number): PublicRate {
  if (den < SUPPRESSION_THRESHOLD) return { value: null, suppressed: den > 0 };
  return { value: Math.round((num / den) * 10000) / 100, suppressed: false };
}

/**
 * A group of sibling counts that add up to `total`, each suppressed on its own, then secondarily: if exactly one
 * cell of a group is hidden while the total is shown, total − siblings would give it back, so the smallest shown
 * non-zero sibling is hidden too; if no such sibling exists, the total is hidden. With two or more hidden cells
 * only their sum is known, which is at least as safe as the primary rule.
 */
export function suppressGroup(values: number[], total: number): { cells: PublicCount[]; total: PublicCount } {
  const sum = values.reduce((a, b) => a + b, 0);
  if (sum !== total) throw new Error(`group does not add up: ${sum} ≠ ${total}`);
  const cells = values.map(suppressCount);
  let tot = suppressCount(total);
  const hiddenCount = () => cells.filter((c) => c.suppressed).length;
  if (!tot.suppressed && hiddenCount() === 1) {
    let pick = -1;
    values.forEach((v, i) => {
      if (cells[i]!.suppressed || v === 0) return;
      if (pick === -1 || v < values[pick]!) pick = i;
    });
    if (pick >= 0) cells[pick] = hidden();
    else tot = hidden();
  }
  return { cells, total: tot };
}

/** A difference between two counts (this month − last): hidden when either side is. */
export function suppressChange(now: PublicCount, before: PublicCount): PublicCount {
  if (now.suppressed || before.suppressed || now.value === null || before.value === null) return hidden();
  return { value: now.value - before.value, suppressed: false };
}

/** How a suppressed cell reads in CSV and on screen. */
export const SUPPRESSED_TEXT = '<5';
