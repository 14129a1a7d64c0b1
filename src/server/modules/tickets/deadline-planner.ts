import type { Kysely } from 'kysely';
import type { DB, LimitStep, UnitKind, Urgency } from '../../db/schema.js';
import { unconfirmedWithin, WorkingCalendar } from '../../domain/calendar.js';
import { computeDue, computeWarnAt, workingDaysBetween, type TimeLimit } from '../../domain/deadline.js';
import { resolveTimeLimit, type TimeLimitRow } from '../../domain/time-limits.js';
import {
  categoryChain,
  loadCalendarOverrides,
  loadConfirmedYears,
  loadTimeLimits,
} from '../config/config.repository.js';

export interface PlannedDeadline {
  due: Date;
  warn: Date;
  limit: TimeLimit;
  /** 第八条: the span from start to due crosses a year whose holidays no admin has confirmed (deadlines.calendar_unconfirmed). */
  calendarUnconfirmed: boolean;
}

export interface PlanContext {
  categoryId: number;
  urgency: Urgency;
  unitKind?: UnitKind;
  /** 第二十条: the unit serves round the clock (水电气热网络). */
  roundTheClock: boolean;
}

/**
 * Loads the working calendar and the time limits once per transaction and turns "step X starting now"
 * into concrete due and warning instants.
 */
export class DeadlinePlanner {
  private constructor(
    readonly calendar: WorkingCalendar,
    private readonly limits: TimeLimitRow[],
    private readonly categories: Map<number, number[]>,
    private readonly db: Kysely<DB>,
  ) {}

  static async load(db: Kysely<DB>): Promise<DeadlinePlanner> {
    const [overrides, limits, confirmedYears] = await Promise.all([
      loadCalendarOverrides(db),
      loadTimeLimits(db),
      loadConfirmedYears(db),
    ]);
    return new DeadlinePlanner(new WorkingCalendar(overrides, undefined, { confirmedYears }), limits, new Map(), db);
  }

  async limitFor(step: LimitStep, ctx: PlanContext): Promise<TimeLimit> {
    let chain = this.categories.get(ctx.categoryId);
    if (!chain) {
      chain = await categoryChain(this.db, ctx.categoryId);
      this.categories.set(ctx.categoryId, chain);
    }
    return resolveTimeLimit(this.limits, step, {
      categoryChain: chain,
      urgency: ctx.urgency,
      unitKind: ctx.unitKind,
      roundTheClock: ctx.roundTheClock,
    });
  }

  async plan(step: LimitStep, from: Date, ctx: PlanContext): Promise<PlannedDeadline> {
    const limit = await this.limitFor(step, ctx);
    return this.planWith(limit, from);
  }

  planWith(limit: TimeLimit, from: Date): PlannedDeadline {
    const due = computeDue(this.calendar, from, limit);
    // Clock hours run round the clock: holidays do not change them, so they cannot be wrong for want of a calendar.
    const calendarUnconfirmed = limit.unit !== 'clock_hours' && unconfirmedWithin(this.calendar, from, due);
    return { due, warn: computeWarnAt(this.calendar, from, due, limit), limit, calendarUnconfirmed };
  }

  workingDaysBetween(a: Date, b: Date): number {
    return workingDaysBetween(this.calendar, a, b);
  }
}
