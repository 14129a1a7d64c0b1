import { describe, expect, it } from 'vitest';
import {
  decideReplyContact,
  DEFAULT_UNREACHABLE_POLICY,
  describeUnreachable,
  tallyAttempts,
  validatePolicy,
  type ContactAttempt,
  type ContactMethod,
} from './contact-attempts.js';

// Instants are written in China time; the rule counts Asia/Shanghai calendar days.
const at = (local: string, method: ContactMethod = 'phone', reached = false): ContactAttempt => ({
  at: new Date(`${local}+08:00`),
  method,
  reached,
});
const policy = DEFAULT_UNREACHABLE_POLICY;
const decide = (attempts: ContactAttempt[], anonymous = false, p = policy) =>
  decideReplyContact({ attempts, anonymous, policy: p });

describe('第十五条 无法联系诉求人时的答复条件', () => {
  it('the default is 3 attempts on 2 different days', () => {
    expect(policy).toEqual({ minAttempts: 3, minDistinctDays: 2 });
  });

  it('a reached contact allows the reply whatever else happened', () => {
    const d = decide([at('2025-03-03T09:00:00'), at('2025-03-03T10:00:00', 'phone', true)]);
    expect(d).toMatchObject({ allowed: true, basis: 'reached' });
  });

  it('no attempt at all is refused and says so', () => {
    const d = decide([]);
    expect(d.allowed).toBe(false);
    if (d.allowed) return;
    expect(d.message).toContain('答复前须先联系诉求人');
    expect(d.message).toContain('目前没有联系记录');
    expect(d.message).toContain('还须再尝试联系 3 次，其中至少 2 次在另外的日期');
    expect(d).toMatchObject({ missingAttempts: 3, missingDays: 2 });
  });

  it('3 failed attempts on 2 different days allow the reply', () => {
    const d = decide([at('2025-03-03T09:00:00'), at('2025-03-03T15:00:00', 'sms'), at('2025-03-04T10:00:00')]);
    expect(d).toMatchObject({ allowed: true, basis: 'unreachable' });
    expect(d.tally).toMatchObject({ attempts: 3, days: ['2025-03-03', '2025-03-04'], byMethod: { phone: 2, sms: 1 } });
  });

  it('3 failed attempts on the same day are refused: one more on another day is missing', () => {
    const d = decide([at('2025-03-03T09:00:00'), at('2025-03-03T11:00:00'), at('2025-03-03T16:00:00', 'sms')]);
    expect(d.allowed).toBe(false);
    if (d.allowed) return;
    expect(d).toMatchObject({ missingAttempts: 0, missingDays: 1 });
    expect(d.message).toContain('目前已尝试 3 次，均在同一天');
    expect(d.message).toContain('还须在另一个日期再尝试联系');
  });

  it('2 attempts on 2 days are refused: one more attempt is missing', () => {
    const d = decide([at('2025-03-03T09:00:00'), at('2025-03-04T09:00:00')]);
    expect(d.allowed).toBe(false);
    if (d.allowed) return;
    expect(d).toMatchObject({ missingAttempts: 1, missingDays: 0 });
    expect(d.message).toContain('分布在 2 个日期');
    expect(d.message).toContain('还须再尝试联系 1 次');
  });

  it('days are China days: 23:30 and 00:30 the next night are two days, although 1 hour apart', () => {
    const d = decide([at('2025-03-03T23:30:00'), at('2025-03-04T00:30:00'), at('2025-03-04T08:00:00')]);
    expect(d).toMatchObject({ allowed: true, basis: 'unreachable' });
    // and 01:00 and 15:00 China time are one day, although they fall on two UTC dates
    const same = decide([at('2025-03-04T01:00:00'), at('2025-03-04T07:00:00'), at('2025-03-04T15:00:00')]);
    expect(same.allowed).toBe(false);
  });

  it('reached attempts do not count as failed ones; only failures make "unreachable"', () => {
    const t = tallyAttempts([at('2025-03-03T09:00:00', 'visit'), at('2025-03-04T09:00:00', 'phone', true)]);
    expect(t).toMatchObject({ attempts: 1, days: ['2025-03-03'], byMethod: { visit: 1 } });
  });

  it('an anonymous requester allows the reply at once', () => {
    expect(decide([], true)).toMatchObject({ allowed: true, basis: 'anonymous' });
  });

  it('第三十三条 a unit handling a report about itself, which may not know the reporter, replies at once', () => {
    const d = decideReplyContact({ attempts: [], anonymous: false, withheld: true, policy });
    expect(d).toMatchObject({ allowed: true, basis: 'withheld' });
    expect(describeUnreachable('withheld', d.tally)).toContain('第三十三条');
  });

  it('the policy is configurable: 5 attempts on 3 days', () => {
    const p = { minAttempts: 5, minDistinctDays: 3 };
    const attempts = [
      at('2025-03-03T09:00:00'),
      at('2025-03-03T10:00:00'),
      at('2025-03-04T09:00:00'),
      at('2025-03-04T10:00:00'),
    ];
    const d = decide(attempts, false, p);
    expect(d.allowed).toBe(false);
    if (!d.allowed) expect(d.message).toContain('还须在另一个日期再尝试联系');
    expect(decide([...attempts, at('2025-03-05T09:00:00')], false, p)).toMatchObject({
      allowed: true,
      basis: 'unreachable',
    });
    // one attempt on one day
    expect(decide([at('2025-03-03T09:00:00')], false, { minAttempts: 1, minDistinctDays: 1 })).toMatchObject({
      allowed: true,
    });
    const two = decide([], false, { minAttempts: 4, minDistinctDays: 4 });
    if (!two.allowed) expect(two.message).toContain('还须在另外 4 个日期各尝试联系一次');
  });

  it('the order of attempts does not matter', () => {
    const attempts = [at('2025-03-04T10:00:00'), at('2025-03-03T09:00:00'), at('2025-03-03T15:00:00')];
    const d = decide(attempts);
    expect(d.tally.firstAt).toEqual(new Date('2025-03-03T09:00:00+08:00'));
    expect(d.tally.lastAt).toEqual(new Date('2025-03-04T10:00:00+08:00'));
  });

  it.each([
    [{ minAttempts: 0, minDistinctDays: 1 }, '尝试次数'],
    [{ minAttempts: 2.5, minDistinctDays: 1 }, '尝试次数'],
    [{ minAttempts: 21, minDistinctDays: 1 }, '尝试次数'],
    [{ minAttempts: 3, minDistinctDays: 0 }, '日期数'],
    [{ minAttempts: 2, minDistinctDays: 3 }, '不能多于'],
  ])('an unusable policy %j is refused', (p, words) => {
    expect(validatePolicy(p)).toContain(words);
  });

  it('valid policies pass', () => {
    expect(validatePolicy({ minAttempts: 3, minDistinctDays: 2 })).toBeNull();
    expect(validatePolicy({ minAttempts: 1, minDistinctDays: 1 })).toBeNull();
  });

  it('describes the attempts for the callback agent', () => {
    const d = decide([at('2025-03-03T09:00:00'), at('2025-03-03T15:00:00', 'sms'), at('2025-03-04T10:00:00')]);
    expect(describeUnreachable('unreachable', d.tally)).toBe(
      '诉求人无法联系：3 次尝试（电话 2 次、短信 1 次），3月3日至3月4日共 2 天',
    );
    expect(describeUnreachable('anonymous', tallyAttempts([]))).toBe('诉求人匿名或未留联系方式，无法联系');
    expect(describeUnreachable('anonymous', tallyAttempts([at('2025-03-03T09:00:00')]))).toContain('另有 1 次');
    expect(describeUnreachable('unreachable', tallyAttempts([at('2025-03-03T09:00:00', 'visit')]))).toBe(
      '诉求人无法联系：1 次尝试（上门 1 次），3月3日',
    );
  });
});
