import { describe, expect, it } from 'vitest';
import {
  allowedCaseActions,
  isCaseOpen,
  nextCaseStatus,
  SUPERVISION_STATUSES,
  SUPERVISION_TRIGGERS,
  THRESHOLD_KEYS,
  validateThresholds,
  type CaseAction,
} from './supervision.js';

describe('第二十二条 督办件 lifecycle', () => {
  const actions: CaseAction[] = ['confirm', 'dismiss', 'answer', 'close', 'supervise_again', 'escalate'];
  const table: Record<string, Partial<Record<CaseAction, string>>> = {
    proposed: { confirm: 'open', dismiss: 'dismissed' },
    open: { answer: 'answered', supervise_again: 'open', escalate: 'escalated', close: 'closed' },
    answered: { close: 'closed', supervise_again: 'open', escalate: 'escalated' },
    escalated: { answer: 'answered', close: 'closed', supervise_again: 'open' },
    closed: {},
    dismissed: {},
  };
  for (const s of SUPERVISION_STATUSES)
    for (const a of actions)
      it(`${s} + ${a} → ${table[s]![a] ?? 'refused'}`, () => {
        expect(nextCaseStatus(s, a)).toBe(table[s]![a] ?? null);
      });
  it('lists what can be done, and which statuses still wait', () => {
    expect(allowedCaseActions('closed')).toEqual([]);
    expect(allowedCaseActions('proposed')).toEqual(['confirm', 'dismiss']);
    expect(SUPERVISION_STATUSES.filter(isCaseOpen)).toEqual(['proposed', 'open', 'answered', 'escalated']);
  });
});

describe('第二十二条 rule thresholds', () => {
  const common = { answerDays: 3, method: 'written' };
  it('accepts the defaults of every trigger', () => {
    expect(validateThresholds('refusal', { ...common, repeatedApplications: 2 })).toEqual({});
    expect(validateThresholds('overdue', { ...common, deadlineKinds: ['accept', 'reply'] })).toEqual({});
    expect(
      validateThresholds('repeated', { ...common, sameRequesterCount: 3, distinctRequesters: 5, windowDays: 7 }),
    ).toEqual({});
    expect(validateThresholds('knowledge', { ...common, graceDays: 0 })).toEqual({});
    expect(validateThresholds('negative', common)).toEqual({});
    expect(Object.keys(THRESHOLD_KEYS)).toEqual([...SUPERVISION_TRIGGERS]);
  });
  it('refuses missing, out-of-range, fractional, unknown and wrongly typed values', () => {
    expect(validateThresholds('refusal', common)).toHaveProperty('repeatedApplications');
    expect(validateThresholds('refusal', { ...common, repeatedApplications: 1 })).toHaveProperty(
      'repeatedApplications',
    );
    expect(validateThresholds('refusal', { ...common, repeatedApplications: 2.5 })).toHaveProperty(
      'repeatedApplications',
    );
    expect(validateThresholds('refusal', { ...common, repeatedApplications: '2' })).toHaveProperty(
      'repeatedApplications',
    );
    expect(validateThresholds('other', { ...common, answerDays: 0 })).toHaveProperty('answerDays');
    expect(validateThresholds('other', { ...common, answerDays: 31 })).toHaveProperty('answerDays');
    expect(validateThresholds('other', { ...common, method: 'email' })).toHaveProperty('method');
    expect(validateThresholds('other', { ...common, graceDays: 3 })).toHaveProperty('graceDays');
    expect(validateThresholds('overdue', { ...common, deadlineKinds: [] })).toHaveProperty('deadlineKinds');
    expect(validateThresholds('overdue', { ...common, deadlineKinds: ['reply', 'reply'] })).toHaveProperty(
      'deadlineKinds',
    );
    expect(validateThresholds('overdue', { ...common, deadlineKinds: ['callback'] })).toHaveProperty('deadlineKinds');
    expect(validateThresholds('knowledge', { ...common, graceDays: 91 })).toHaveProperty('graceDays');
  });
});
