/**
 * 二级派单 (第十四至十六条): the sub-deadline of a ticket a lead unit passes down to one of its sub-units.
 *
 * Pure: the caller supplies every instant and the working calendar. The lead unit stays answerable to the centre
 * for its own deadline (第十四条 首接负责, 第十五条 按照规定时限), so a sub-deadline never lies after it, and by
 * default it lies one review reserve (time_limits step 'sub_review': a working day, 4 clock hours on a 24-hour
 * clock) before it, the time the lead unit keeps to review the sub-unit's reply and answer the centre.
 */
import { MAX_SCAN_DAYS, WorkingCalendar, addDays } from './calendar.js';
import type { TimeLimit } from './deadline.js';

const HOUR_MS = 3_600_000;

/**
 * The instant `limit` before `at`, counted as computeDue counts forward:
 * - working_days: the end of the n-th working day before at's local date (at's own day does not count);
 * - clock_hours: round the clock;
 * - working_hours: only inside working-hour intervals, walking back from `at`.
 */
export function subtractLimit(cal: WorkingCalendar, at: Date, limit: TimeLimit): Date {
  switch (limit.unit) {
    case 'clock_hours':
      return new Date(at.getTime() - Math.round(limit.amount * HOUR_MS));
    case 'working_days': {
      let d = cal.localDate(at);
      for (let i = 0; i < limit.amount; i++) d = cal.previousWorkingDay(d);
      return cal.endOfLocalDay(d);
    }
    case 'working_hours': {
      let remaining = Math.round(limit.amount * HOUR_MS);
      const end = at.getTime();
      let date = cal.localDate(at);
      for (let i = 0; i < MAX_SCAN_DAYS; i++, date = addDays(date, -1)) {
        for (const [s, e] of [...cal.workingIntervals(date)].reverse()) {
          const start = s.getTime();
          if (start >= end) continue;
          const stop = Math.min(e.getTime(), end);
          if (remaining <= stop - start) return new Date(stop - remaining);
          remaining -= stop - start;
        }
      }
      throw new RangeError(`Working-hour reserve lies more than ${MAX_SCAN_DAYS} days back`);
    }
  }
}

/**
 * The default sub-deadline: the lead unit's deadline less its review reserve — or the lead unit's deadline itself
 * when the reserve would leave the sub-unit no time at all (the lead unit then reviews at once).
 */
export function defaultSubDue(cal: WorkingCalendar, now: Date, parentDue: Date, reserve: TimeLimit): Date {
  const candidate = subtractLimit(cal, parentDue, reserve);
  return candidate.getTime() > now.getTime() ? candidate : parentDue;
}

export type SubDueProblem = 'past' | 'after_parent';

/** Why a sub-deadline the lead unit chose cannot stand, or null: it must lie ahead and not after its own deadline. */
export function subDueProblem(now: Date, parentDue: Date, due: Date): SubDueProblem | null {
  if (due.getTime() <= now.getTime()) return 'past';
  if (due.getTime() > parentDue.getTime()) return 'after_parent';
  return null;
}

/**
 * 第十六条: a sub-unit's extension of `days` working days from its current sub-deadline, and whether the lead unit's
 * own deadline allows it (a longer one is the lead unit's to ask the centre for).
 */
export function extendSubDue(
  cal: WorkingCalendar,
  currentDue: Date,
  days: number,
  parentDue: Date,
): { due: Date; withinParent: boolean } {
  const due = cal.endOfLocalDay(cal.addWorkingDays(cal.localDate(currentDue), days));
  return { due, withinParent: due.getTime() <= parentDue.getTime() };
}
