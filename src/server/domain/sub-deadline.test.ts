import { describe, expect, it } from 'vitest';
import { WorkingCalendar, calendarOverridesFromChineseDays } from './calendar.js';
import { defaultSubDue, extendSubDue, subDueProblem, subtractLimit } from './sub-deadline.js';

const cal = new WorkingCalendar(calendarOverridesFromChineseDays([2025, 2026]));
const t = (local: string) => new Date(`${local}+08:00`);
const eod = (date: string) => t(`${date}T23:59:59.999`);

describe('第十四、十五条 二级派单 sub-deadline on the working calendar', () => {
  it('a working day before the lead unit’s deadline, across weekends and 调休', () => {
    // Monday's deadline less a working day is Friday's end
    expect(subtractLimit(cal, eod('2025-03-10'), { amount: 1, unit: 'working_days' })).toEqual(eod('2025-03-07'));
    // 2025 春节: 01-28..02-04 holiday, so the working day before 02-05 is 01-27
    expect(subtractLimit(cal, eod('2025-02-05'), { amount: 1, unit: 'working_days' })).toEqual(eod('2025-01-27'));
    // 2025-10-11 is a Saturday worked (调休): it counts as the working day before Monday 10-13
    expect(subtractLimit(cal, eod('2025-10-13'), { amount: 1, unit: 'working_days' })).toEqual(eod('2025-10-11'));
  });

  it('clock hours round the clock, working hours inside working intervals only', () => {
    expect(subtractLimit(cal, t('2025-03-10T12:00:00'), { amount: 4, unit: 'clock_hours' })).toEqual(
      t('2025-03-10T08:00:00'),
    );
    // Monday 10:00 less 2 working hours goes back into Friday afternoon
    const back = subtractLimit(cal, t('2025-03-10T10:00:00'), { amount: 2, unit: 'working_hours' });
    expect(back.getTime()).toBeLessThan(t('2025-03-10T00:00:00').getTime());
    expect(cal.localDate(back)).toBe('2025-03-07');
  });

  it('the default keeps the reserve, or gives the whole remaining time when the reserve leaves none', () => {
    const reserve = { amount: 1, unit: 'working_days' } as const;
    expect(defaultSubDue(cal, t('2025-03-03T09:00:00'), eod('2025-03-10'), reserve)).toEqual(eod('2025-03-07'));
    expect(defaultSubDue(cal, t('2025-03-10T09:00:00'), eod('2025-03-10'), reserve)).toEqual(eod('2025-03-10'));
  });

  it('a chosen sub-deadline must lie ahead and not after the lead unit’s own', () => {
    const now = t('2025-03-03T09:00:00');
    expect(subDueProblem(now, eod('2025-03-10'), eod('2025-03-07'))).toBeNull();
    expect(subDueProblem(now, eod('2025-03-10'), eod('2025-03-10'))).toBeNull();
    expect(subDueProblem(now, eod('2025-03-10'), eod('2025-03-11'))).toBe('after_parent');
    expect(subDueProblem(now, eod('2025-03-10'), t('2025-03-03T08:00:00'))).toBe('past');
  });
});

describe('第十六条 a sub-unit’s extension is bounded by the lead unit’s deadline', () => {
  it('counts working days from the sub-deadline and says whether the lead unit’s deadline allows it', () => {
    expect(extendSubDue(cal, eod('2025-03-07'), 1, eod('2025-03-10'))).toEqual({
      due: eod('2025-03-10'),
      withinParent: true,
    });
    expect(extendSubDue(cal, eod('2025-03-07'), 2, eod('2025-03-10'))).toEqual({
      due: eod('2025-03-11'),
      withinParent: false,
    });
  });
});
