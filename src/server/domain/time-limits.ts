import type { LimitStep, UnitKind, Urgency } from '../db/schema.js';
import type { TimeLimit } from './deadline.js';

// Time limits are data (DESIGN §4). A row may name a category, an urgency and a clock kind; null means
// "any". The most specific matching row wins, so an admin can override one category without copying all.
export interface TimeLimitRow extends TimeLimit {
  step: LimitStep;
  categoryId: number | null;
  urgency: Urgency | null;
  unitKind: UnitKind | null;
  clock: 'calendar' | 'round_the_clock' | null;
}

export interface LimitContext {
  categoryChain: number[]; // most specific first
  urgency: Urgency;
  /** The kind of the unit the step belongs to (a town government may get longer limits than a department). */
  unitKind?: UnitKind;
  /** 第二十条: a 24×7 utility unit, or an urgent ticket, runs on clock time. */
  roundTheClock: boolean;
}

export function resolveTimeLimit(rows: readonly TimeLimitRow[], step: LimitStep, ctx: LimitContext): TimeLimit {
  const clock = ctx.roundTheClock ? 'round_the_clock' : 'calendar';
  let best: { row: TimeLimitRow; score: number } | null = null;
  for (const row of rows) {
    if (row.step !== step) continue;
    if (row.urgency !== null && row.urgency !== ctx.urgency) continue;
    if (row.clock !== null && row.clock !== clock) continue;
    if (row.unitKind !== null && row.unitKind !== ctx.unitKind) continue;
    let catScore = 0;
    if (row.categoryId !== null) {
      const i = ctx.categoryChain.indexOf(row.categoryId);
      if (i < 0) continue;
      catScore = ctx.categoryChain.length - i;
    }
    // category outweighs urgency, urgency outweighs unit kind, unit kind outweighs clock: the more
    // deliberate the decision a row encodes, the more it counts
    const score =
      catScore * 8 + (row.urgency !== null ? 4 : 0) + (row.unitKind !== null ? 2 : 0) + (row.clock !== null ? 1 : 0);
    if (!best || score > best.score) best = { row, score };
  }
  if (!best) throw new Error(`no time limit configured for step ${step}`);
  return { amount: best.row.amount, unit: best.row.unit };
}

/** DESIGN §4 defaults (Shandong provincial practice); seeded, then editable. */
export const DEFAULT_TIME_LIMITS: Omit<TimeLimitRow, 'categoryId'>[] = [
  { step: 'accept', unitKind: null, urgency: null, clock: null, amount: 1, unit: 'working_days' },
  { step: 'accept', unitKind: null, urgency: 'urgent', clock: null, amount: 1, unit: 'clock_hours' },
  { step: 'accept', unitKind: null, urgency: null, clock: 'round_the_clock', amount: 1, unit: 'clock_hours' },
  { step: 'return_window', unitKind: null, urgency: null, clock: null, amount: 2, unit: 'working_days' },
  { step: 'return_window', unitKind: null, urgency: 'urgent', clock: null, amount: 2, unit: 'clock_hours' },
  { step: 'return_window', unitKind: null, urgency: null, clock: 'round_the_clock', amount: 2, unit: 'clock_hours' },
  { step: 'first_contact', unitKind: null, urgency: null, clock: null, amount: 1, unit: 'working_days' },
  { step: 'first_contact', unitKind: null, urgency: 'urgent', clock: null, amount: 2, unit: 'clock_hours' },
  { step: 'first_contact', unitKind: null, urgency: null, clock: 'round_the_clock', amount: 2, unit: 'clock_hours' },
  { step: 'reply', unitKind: null, urgency: null, clock: null, amount: 5, unit: 'working_days' },
  { step: 'reply', unitKind: null, urgency: 'urgent', clock: null, amount: 24, unit: 'clock_hours' },
  { step: 'reply', unitKind: null, urgency: null, clock: 'round_the_clock', amount: 24, unit: 'clock_hours' },
  { step: 'assist', unitKind: null, urgency: null, clock: null, amount: 3, unit: 'working_days' },
  { step: 'assist', unitKind: null, urgency: 'urgent', clock: null, amount: 12, unit: 'clock_hours' },
  { step: 'extension_max', unitKind: null, urgency: null, clock: null, amount: 10, unit: 'working_days' },
  { step: 'callback', unitKind: null, urgency: null, clock: null, amount: 2, unit: 'working_days' },
  { step: 'rework', unitKind: null, urgency: null, clock: null, amount: 3, unit: 'working_days' },
  { step: 'rework', unitKind: null, urgency: 'urgent', clock: null, amount: 24, unit: 'clock_hours' },
  { step: 'rework', unitKind: null, urgency: null, clock: 'round_the_clock', amount: 24, unit: 'clock_hours' },
  // 二级派单 (第十四、十六条): the first-level unit keeps a working day to review the sub-unit's reply and answer the
  // centre; on a 24-hour clock a working day would leave the sub-unit nothing, so a sixth of it
  { step: 'sub_review', unitKind: null, urgency: null, clock: null, amount: 1, unit: 'working_days' },
  { step: 'sub_review', unitKind: null, urgency: 'urgent', clock: null, amount: 4, unit: 'clock_hours' },
  { step: 'sub_review', unitKind: null, urgency: null, clock: 'round_the_clock', amount: 4, unit: 'clock_hours' },
];
