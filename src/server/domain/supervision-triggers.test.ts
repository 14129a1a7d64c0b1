import { describe, expect, it } from 'vitest';
import {
  collectiveRequests,
  knowledgeNoticeRipe,
  knowledgeNotUpdated,
  manualFiring,
  overdueDecision,
  refusalByRejectedReturn,
  refusalByRepeatedApplications,
  repeatedBySameRequester,
  ruleInForce,
  windowOf,
  type RuleVersion,
} from './supervision-triggers.js';

const at = new Date('2025-03-05T10:00:00+08:00');
const rule = (over: Partial<RuleVersion>): RuleVersion => ({
  id: 1,
  code: 'overdue',
  version: 1,
  enabled: true,
  mode: 'case',
  thresholds: { answerDays: 2, method: 'written' },
  effectiveFrom: new Date('2025-01-01T00:00:00+08:00'),
  effectiveTo: null,
  ...over,
});

describe('第二十二条 rules in force', () => {
  const v1 = rule({ id: 1, version: 1, effectiveTo: new Date('2025-03-01T00:00:00+08:00') });
  const v2 = rule({ id: 2, version: 2, effectiveFrom: new Date('2025-03-01T00:00:00+08:00') });
  it('picks the version whose period holds the instant (from inclusive, to exclusive)', () => {
    expect(ruleInForce([v2, v1], 'overdue', new Date('2025-02-28T23:59:59+08:00'))?.id).toBe(1);
    expect(ruleInForce([v2, v1], 'overdue', new Date('2025-03-01T00:00:00+08:00'))?.id).toBe(2);
    expect(ruleInForce([v2, v1], 'overdue', new Date('2024-12-31T00:00:00+08:00'))).toBeNull();
  });
  it('a disabled version, or another code, is no rule', () => {
    expect(ruleInForce([rule({ enabled: false })], 'overdue', at)).toBeNull();
    expect(ruleInForce([rule({})], 'refusal', at)).toBeNull();
  });
});

describe('第二十二条(一) 拒不接收', () => {
  it('a rejected return fires once per application, naming the unit', () => {
    const f = refusalByRejectedReturn({
      ticketId: 7,
      ticketNumber: 'T1',
      unitId: 3,
      applicationId: 11,
      eventId: 99,
      at,
      reviewNote: '属本单位职责',
    });
    expect(f).toMatchObject({ trigger: 'refusal', causeKey: 'refusal:rejected-return:11', unitId: 3, ticketIds: [7] });
    expect(f.evidence).toMatchObject({ eventId: 99, reviewNote: '属本单位职责' });
  });
  it('repeated returns/disputes fire from the threshold on, with one key per ticket and unit', () => {
    const f = { ticketId: 7, ticketNumber: 'T1', unitId: 3, eventId: 5 };
    expect(refusalByRepeatedApplications({ ...f, applicationIds: [1] }, { repeatedApplications: 2 })).toBeNull();
    const fired = refusalByRepeatedApplications({ ...f, applicationIds: [1, 2] }, { repeatedApplications: 2 });
    expect(fired?.causeKey).toBe('refusal:repeated:7:3');
    expect(
      refusalByRepeatedApplications({ ...f, applicationIds: [1, 2, 3] }, { repeatedApplications: 2 })?.causeKey,
    ).toBe('refusal:repeated:7:3');
  });
});

describe('第二十二条(二) 超期: 黄牌 and 红牌', () => {
  const m = {
    eventId: 1,
    deadlineId: 42,
    deadlineKind: 'reply',
    ticketId: 7,
    ticketNumber: 'T1',
    unitId: 3,
    dueAt: at,
    at,
  };
  const t = { deadlineKinds: ['accept', 'reply'] };
  it('a warning is a yellow card and no case', () => {
    expect(overdueDecision({ ...m, mark: 'warned' }, t)).toEqual({ card: 'yellow', firing: null });
  });
  it('a breach is a red card and a case keyed by the deadline', () => {
    const d = overdueDecision({ ...m, mark: 'breached' }, t);
    expect(d.card).toBe('red');
    expect(d.firing).toMatchObject({ trigger: 'overdue', causeKey: 'overdue:deadline:42', unitId: 3 });
  });
  it('a breach of a kind the rule leaves out, a centre deadline (no unit) or no rule: a card only', () => {
    expect(overdueDecision({ ...m, mark: 'breached', deadlineKind: 'assist' }, t).firing).toBeNull();
    expect(overdueDecision({ ...m, mark: 'breached', unitId: null }, t)).toEqual({ card: 'red', firing: null });
    expect(overdueDecision({ ...m, mark: 'breached' }, null)).toEqual({ card: 'red', firing: null });
  });
});

describe('第二十二条(三) 多次反映、集中反映', () => {
  const f = { ticketId: 7, ticketNumber: 'T1', unitId: 3, requesterId: 5, eventId: 1, resolved: false };
  it('the same requester N times on an unresolved matter', () => {
    expect(repeatedBySameRequester({ ...f, times: 2 }, { sameRequesterCount: 3 })).toBeNull();
    expect(repeatedBySameRequester({ ...f, times: 3 }, { sameRequesterCount: 3 })?.causeKey).toBe(
      'repeated:requester:7:5',
    );
    expect(repeatedBySameRequester({ ...f, times: 9, resolved: true }, { sameRequesterCount: 3 })).toBeNull();
    expect(repeatedBySameRequester({ ...f, times: 9, unitId: null }, { sameRequesterCount: 3 })).toBeNull();
  });
  it('windows are fixed from 2025-01-01, so a cluster keeps its key', () => {
    expect(windowOf('2025-01-01', 7)).toEqual({ start: '2025-01-01', end: '2025-01-07' });
    expect(windowOf('2025-01-07', 7)).toEqual({ start: '2025-01-01', end: '2025-01-07' });
    expect(windowOf('2025-01-08', 7)).toEqual({ start: '2025-01-08', end: '2025-01-14' });
    expect(windowOf('2025-03-03', 1)).toEqual({ start: '2025-03-03', end: '2025-03-03' });
  });
  const window = { start: '2025-03-03', end: '2025-03-09' };
  const ticket = (id: number, requesterId: number | null, leadUnitId: number | null = 3, resolved = false) => ({
    id,
    requesterId,
    leadUnitId,
    resolved,
  });
  it('N distinct requesters of unresolved tickets fire, to the unit leading most of them', () => {
    const tickets = [ticket(1, 10), ticket(2, 11, 4), ticket(3, 12, 4), ticket(4, 12, 4), ticket(5, null)];
    expect(
      collectiveRequests({ regionCode: 'R', categoryId: 1, window, tickets }, { distinctRequesters: 4, windowDays: 7 }),
    ).toBeNull();
    const f = collectiveRequests(
      { regionCode: 'R', categoryId: 1, window, tickets },
      { distinctRequesters: 3, windowDays: 7 },
    );
    expect(f).toMatchObject({ causeKey: 'repeated:collective:R:1:2025-03-03', unitId: 4, ticketIds: [1, 2, 3, 4, 5] });
  });
  it('resolved tickets and undispatched clusters do not count', () => {
    const resolved = [ticket(1, 10), ticket(2, 11), ticket(3, 12, 3, true)];
    expect(
      collectiveRequests(
        { regionCode: 'R', categoryId: 1, window, tickets: resolved },
        { distinctRequesters: 3, windowDays: 7 },
      ),
    ).toBeNull();
    const undispatched = [ticket(1, 10, null), ticket(2, 11, null), ticket(3, 12, null)];
    expect(
      collectiveRequests(
        { regionCode: 'R', categoryId: 1, window, tickets: undispatched },
        { distinctRequesters: 3, windowDays: 7 },
      ),
    ).toBeNull();
  });
});

describe('第二十二条(四) 知识库更新不及时', () => {
  const noticeAt = new Date('2025-03-01T01:00:00+08:00');
  const f = {
    noticeId: 8,
    noticeKind: 'expired' as const,
    noticeAt,
    articleId: 2,
    articleTitle: '社保缴费',
    unitId: 3,
    stillOutstanding: true,
  };
  it('fires after the grace period, while the article is still out of date', () => {
    const before = new Date(noticeAt.getTime() + 5 * 86_400_000 - 1);
    const after = new Date(noticeAt.getTime() + 5 * 86_400_000);
    expect(knowledgeNotUpdated(f, { graceDays: 5 }, before)).toBeNull();
    expect(knowledgeNoticeRipe(noticeAt, 5, before)).toBe(false);
    expect(knowledgeNoticeRipe(noticeAt, 5, after)).toBe(true);
    expect(knowledgeNotUpdated(f, { graceDays: 5 }, after)).toMatchObject({
      causeKey: 'knowledge:notice:8',
      unitId: 3,
      ticketIds: [],
    });
    expect(knowledgeNotUpdated({ ...f, stillOutstanding: false }, { graceDays: 5 }, after)).toBeNull();
  });
  it('says which of the two it was', () => {
    const now = new Date(noticeAt.getTime() + 9 * 86_400_000);
    expect(knowledgeNotUpdated(f, { graceDays: 0 }, now)?.reason).toContain('已过期');
    expect(knowledgeNotUpdated({ ...f, noticeKind: 'stale' }, { graceDays: 0 }, now)?.reason).toContain('超期未复核');
  });
});

describe('第二十二条(五)(六) 手动督办', () => {
  it('is keyed by the request, with the tickets deduplicated and the source kept', () => {
    const f = manualFiring({
      trigger: 'negative',
      unitId: 3,
      ticketIds: [9, 2, 9],
      reason: '媒体报道',
      source: '菏泽日报',
      userId: 4,
      requestKey: 'req-1',
    });
    expect(f).toMatchObject({
      causeKey: 'negative:manual:4:req-1',
      ticketIds: [2, 9],
      evidence: { source: '菏泽日报' },
    });
  });
});
