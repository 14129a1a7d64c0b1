import { describe, expect, it } from 'vitest';
import {
  curveShare,
  emptyInputs,
  indicatorValue,
  periodsOverlap,
  rankByScore,
  schemeInForce,
  schemeProblems,
  scoreUnit,
  unitGroupOf,
  type SchemeIndicator,
} from './assessment-indicators.js';
import { appealDeadline, parsePeriod, periodsOfDay } from './assessment-period.js';
import { factDelta, ticketFacts, type FactInput } from './assessment-facts.js';

describe('第二十四条 考核指标与计分', () => {
  it('values: a rate is a percentage of its denominator, a count is the count, nothing counted is null', () => {
    expect(indicatorValue('satisfaction', { num: 3, den: 4 })).toBe(75);
    expect(indicatorValue('satisfaction', { num: 0, den: 0 })).toBeNull();
    expect(indicatorValue('supervision', { num: 2, den: 10 })).toBe(2);
    expect(indicatorValue('supervision', { num: 0, den: 0 })).toBe(0);
  });

  it('curves: full at the target, nothing at the cut-off, linear in between, both directions', () => {
    expect(curveShare('higher', 95, 95, 80)).toBe(1);
    expect(curveShare('higher', 100, 95, 80)).toBe(1);
    expect(curveShare('higher', 80, 95, 80)).toBe(0);
    expect(curveShare('higher', 79.9, 95, 80)).toBe(0);
    expect(curveShare('higher', 87.5, 95, 80)).toBeCloseTo(0.5);
    expect(curveShare('lower', 5, 5, 20)).toBe(1);
    expect(curveShare('lower', 20, 5, 20)).toBe(0);
    expect(curveShare('lower', 12.5, 5, 20)).toBeCloseTo(0.5);
    expect(curveShare('lower', 1, 0, 3)).toBeCloseTo(2 / 3);
    expect(curveShare('higher', null, 95, 80)).toBe(1);
  });

  it('a unit’s score, worked by hand', () => {
    const lines: SchemeIndicator[] = [
      { indicator: 'satisfaction', weight: 40, target: 90, cutoff: 60 },
      { indicator: 'accept_timely', weight: 30, target: 95, cutoff: 80 },
      { indicator: 'rework', weight: 20, target: 5, cutoff: 20 },
      { indicator: 'supervision', weight: 10, target: 0, cutoff: 4 },
    ];
    const x = emptyInputs();
    x.satisfaction = { num: 3, den: 4 }; // 75 % → (75−60)/(90−60) = 0.5 → 20
    x.accept_timely = { num: 9, den: 10 }; // 90 % → (90−80)/15 = 2/3 → 20
    x.rework = { num: 1, den: 10 }; // 10 % → (20−10)/15 = 2/3 → 13.33
    x.supervision = { num: 1, den: 10 }; // 1 → 3/4 → 7.5
    const s = scoreUnit(lines, x);
    expect(s.score).toBe(60.83);
    expect(s.indicators.map((i) => i.points)).toEqual([20, 20, 13.33, 7.5]);
    expect(s.indicators[0]).toMatchObject({ num: 3, den: 4, value: 75, weight: 40 });
  });

  it('ranking: highest first, ties share a rank (1, 2, 2, 4)', () => {
    const r = rankByScore([
      { key: 1, score: 80 },
      { key: 2, score: 90 },
      { key: 3, score: 80 },
      { key: 4, score: 70 },
    ]);
    expect(r.map((x) => [x.key, x.rank])).toEqual([
      [2, 1],
      [1, 2],
      [3, 2],
      [4, 4],
    ]);
  });

  it('unit groups from kind × tier; centres are not assessed', () => {
    expect(unitGroupOf('department', 'city')).toBe('department');
    expect(unitGroupOf('department', 'county')).toBe('county_government');
    expect(unitGroupOf('town', 'town')).toBe('town');
    expect(unitGroupOf('utility', 'city')).toBe('utility');
    expect(unitGroupOf('centre', 'city')).toBeNull();
    expect(unitGroupOf('other', 'city')).toBeNull();
  });

  it('scheme validation names every problem in Chinese', () => {
    const ok = {
      unitGroup: 'department',
      effectiveFrom: '2025-01-01',
      effectiveTo: null,
      indicators: [
        { indicator: 'satisfaction', weight: 60, target: 90, cutoff: 60 },
        { indicator: 'rework', weight: 40, target: 5, cutoff: 20 },
      ] as SchemeIndicator[],
    };
    expect(schemeProblems(ok)).toEqual([]);
    expect(schemeProblems({ ...ok, indicators: [{ ...ok.indicators[0]!, weight: 50 }, ok.indicators[1]!] })).toEqual([
      '各指标权重之和须为 100，当前为 90',
    ]);
    expect(schemeProblems({ ...ok, indicators: [{ ...ok.indicators[0]!, cutoff: 95 }, ok.indicators[1]!] })).toContain(
      '指标「满意率」越高越好，零分线须低于目标值',
    );
    expect(schemeProblems({ ...ok, indicators: [ok.indicators[0]!, { ...ok.indicators[1]!, cutoff: 1 }] })).toContain(
      '指标「重办率」越低越好，零分线须高于目标值',
    );
    expect(schemeProblems({ ...ok, indicators: [ok.indicators[0]!, { ...ok.indicators[0]!, weight: 40 }] })).toContain(
      '指标「满意率」重复',
    );
    expect(schemeProblems({ ...ok, effectiveTo: '2024-12-31' })).toContain('失效日期不能早于生效日期');
    expect(schemeProblems({ ...ok, unitGroup: 'centre' })).toContain('考核对象类别不正确');
    expect(schemeProblems({ ...ok, indicators: [] })).toContain('至少需要一项考核指标');
  });

  it('effective periods: overlap, open ends, the scheme in force', () => {
    expect(periodsOverlap({ from: '2025-01-01', to: null }, { from: '2026-01-01', to: null })).toBe(true);
    expect(periodsOverlap({ from: '2025-01-01', to: '2025-12-31' }, { from: '2026-01-01', to: null })).toBe(false);
    expect(periodsOverlap({ from: '2025-01-01', to: '2025-12-31' }, { from: '2025-12-31', to: null })).toBe(true);
    expect(periodsOverlap({ from: '2025-06-01', to: '2025-06-30' }, { from: '2025-01-01', to: '2025-05-31' })).toBe(
      false,
    );
    const schemes = [
      { id: 1, effectiveFrom: '2025-01-01', effectiveTo: '2025-06-30' },
      { id: 2, effectiveFrom: '2025-07-01', effectiveTo: null },
    ];
    expect(schemeInForce(schemes, '2025-06-30')?.id).toBe(1);
    expect(schemeInForce(schemes, '2025-07-01')?.id).toBe(2);
    expect(schemeInForce(schemes, '2024-12-31')).toBeNull();
  });
});

describe('第二十四条 考核期与申诉期', () => {
  it('months and quarters', () => {
    expect(parsePeriod('2025-02')).toMatchObject({ kind: 'month', from: '2025-02-01', to: '2025-02-28' });
    expect(parsePeriod('2024-02')?.to).toBe('2024-02-29');
    expect(parsePeriod('2025-Q4')).toMatchObject({
      kind: 'quarter',
      from: '2025-10-01',
      to: '2025-12-31',
      months: ['2025-10', '2025-11', '2025-12'],
    });
    expect(parsePeriod('2025-13')).toBeNull();
    expect(parsePeriod('2025-Q5')).toBeNull();
    expect(parsePeriod('0000-01')).toBeNull(); // a year PostgreSQL's date would refuse

    expect(periodsOfDay('2025-08-15')).toEqual({ month: '2025-08', quarter: '2025-Q3' });
  });

  it('the appeal window counts working days after the period', () => {
    // weekends only: March 2025 ends on a Monday → Tue 1, Wed 2, Thu 3, Fri 4, Mon 7 April
    const next = (d: string) => {
      let x = new Date(`${d}T00:00:00Z`);
      do x = new Date(x.getTime() + 86_400_000);
      while ([0, 6].includes(x.getUTCDay()));
      return x.toISOString().slice(0, 10);
    };
    expect(appealDeadline('2025-03-31', 5, next)).toBe('2025-04-07');
    expect(appealDeadline('2025-03-31', 0, next)).toBe('2025-03-31');
  });
});

describe('第二十四条 工单计分事实', () => {
  const at = (s: string) => new Date(s);
  const base = (): FactInput => ({
    ticket: {
      status: 'closed',
      lead_unit_id: 7,
      replied_at: at('2025-03-05T10:00:00+08:00'),
      rework_count: 0,
      merged_into_id: null,
    },
    leadAssignments: [{ unit_id: 7, dispatched_at: at('2025-03-03T09:00:00+08:00') }],
    deadlines: [
      { unit_id: 7, kind: 'accept', met_at: at('2025-03-03T10:00:00+08:00'), breached_at: null, cancelled_at: null },
      {
        unit_id: 7,
        kind: 'first_contact',
        met_at: null,
        breached_at: at('2025-03-04T09:00:00+08:00'),
        cancelled_at: null,
      },
      {
        unit_id: 7,
        kind: 'first_contact',
        met_at: at('2025-03-04T10:00:00+08:00'),
        breached_at: at('2025-03-04T09:00:00+08:00'),
        cancelled_at: null,
      },
      { unit_id: 7, kind: 'reply', met_at: at('2025-03-05T10:00:00+08:00'), breached_at: null, cancelled_at: null },
    ],
    lastCallback: { satisfaction: 'unsatisfied', resolved: false },
    applications: [{ unit_id: 7, kind: 'extension', status: 'approved' }],
    supervision: [{ unit_id: 7, cases: 2 }],
    exclusions: [],
  });

  it('one closed ticket, every indicator by hand', () => {
    const [f] = ticketFacts(base());
    expect(f!.day).toBe('2025-03-03');
    expect(f!.counters).toMatchObject({
      accept_timely_num: 1,
      accept_timely_den: 1,
      contact_timely_num: 0, // contacted after the breach
      contact_timely_den: 1,
      ontime_completion_num: 1,
      ontime_completion_den: 1,
      completion_num: 1,
      completion_den: 1,
      resolution_num: 0,
      resolution_den: 1,
      satisfaction_num: 0,
      satisfaction_den: 1,
      rework_num: 0,
      rework_den: 1,
      unfounded_return_num: 0,
      unfounded_return_den: 1,
      extension_num: 1,
      extension_den: 1,
      supervision_num: 2,
      supervision_den: 1,
    });
  });

  it('an accepted appeal takes the ticket out of that indicator only', () => {
    const [f] = ticketFacts({ ...base(), exclusions: [{ unit_id: 7, indicator: 'satisfaction' }] });
    expect(f!.counters.satisfaction_den).toBe(0);
    expect(f!.counters.resolution_den).toBe(1);
  });

  it('terminated and merged tickets count nowhere; a returned ticket counts the first unit’s steps only', () => {
    expect(ticketFacts({ ...base(), ticket: { ...base().ticket, status: 'terminated' } })).toEqual([]);
    expect(ticketFacts({ ...base(), ticket: { ...base().ticket, merged_into_id: 3 } })).toEqual([]);
    const returned = ticketFacts({
      ...base(),
      ticket: { ...base().ticket, lead_unit_id: 8 },
      leadAssignments: [
        { unit_id: 7, dispatched_at: at('2025-03-03T09:00:00+08:00') },
        { unit_id: 8, dispatched_at: at('2025-03-04T09:00:00+08:00') },
      ],
      applications: [{ unit_id: 7, kind: 'return', status: 'rejected' }],
      supervision: [],
    });
    const seven = returned.find((f) => f.unitId === 7)!;
    expect(seven.counters.completion_den).toBe(0);
    expect(seven.counters.accept_timely_den).toBe(1);
    expect(seven.counters.unfounded_return_num).toBe(1);
    expect(returned.find((f) => f.unitId === 8)!.counters.completion_num).toBe(1);
  });

  it('the delta between two computations, and none for the same facts', () => {
    const a = ticketFacts(base());
    expect(factDelta(a, a)).toEqual([]);
    const b = ticketFacts({ ...base(), lastCallback: { satisfaction: 'satisfied', resolved: true } });
    const d = factDelta(a, b);
    expect(d).toHaveLength(1);
    expect(d[0]!.counters.satisfaction_num).toBe(1);
    expect(d[0]!.counters.resolution_num).toBe(1);
    expect(d[0]!.counters.satisfaction_den).toBe(0);
    expect(factDelta(a, [])[0]!.counters.completion_den).toBe(-1);
  });
});
