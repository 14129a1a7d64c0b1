import { describe, expect, it } from 'vitest';
import {
  addDays,
  countsAsCurrent,
  daysBetween,
  decide,
  dueNotices,
  freshness,
  initialState,
  median,
  shanghaiDay,
  type ArticleStatus,
  type KnowledgeAction,
  type KnowledgeStanding,
  type VersionState,
} from './knowledge-workflow.js';

const STANDINGS: KnowledgeStanding[] = ['reviewer', 'manager', 'editor', 'unit_system', 'outsider'];
const STATES: Array<VersionState | null> = [
  null,
  'draft',
  'unit_review',
  'centre_review',
  'published',
  'returned',
  'superseded',
  'discarded',
];
const STATUSES: ArticleStatus[] = ['draft', 'published', 'withdrawn'];
const ACTIONS: KnowledgeAction[] = [
  'edit',
  'submit',
  'approve',
  'return',
  'publish',
  'discard',
  'withdraw',
  'request_withdraw',
  'confirm_valid',
];

describe('第十八条 knowledge workflow: who may do what', () => {
  it('a new version starts as a draft for the unit, in the centre’s review for the centre and the unit’s system', () => {
    expect(initialState('editor')).toBe('draft');
    expect(initialState('manager')).toBe('draft');
    expect(initialState('reviewer')).toBe('centre_review');
    expect(initialState('unit_system')).toBe('centre_review');
  });

  it('the happy path: editor drafts and submits, manager approves, reviewer publishes', () => {
    const base = { articleStatus: 'draft' as const, reason: null };
    expect(decide('submit', { ...base, standing: 'editor', pendingState: 'draft' })).toEqual({
      ok: true,
      to: 'unit_review',
    });
    expect(decide('approve', { ...base, standing: 'manager', pendingState: 'unit_review' })).toEqual({
      ok: true,
      to: 'centre_review',
    });
    expect(decide('publish', { ...base, standing: 'reviewer', pendingState: 'centre_review' })).toEqual({
      ok: true,
      to: 'published',
      articleStatus: 'published',
    });
  });

  it('a manager’s own submission goes straight to the centre', () => {
    expect(decide('submit', { standing: 'manager', articleStatus: 'published', pendingState: 'draft' })).toEqual({
      ok: true,
      to: 'centre_review',
    });
  });

  it('publishing without review is refused with a clear message, in every state but centre_review', () => {
    for (const s of STATES.filter((x) => x !== 'centre_review')) {
      const d = decide('publish', { standing: 'reviewer', articleStatus: 'draft', pendingState: s });
      expect(d.ok).toBe(false);
      if (!d.ok) {
        expect(d.status).toBe(409);
        expect(d.message).toMatch(/未经审核不能发布|没有待发布的版本/);
      }
    }
  });

  it('returning needs a reason; the manager returns from the unit’s review, the reviewer from the centre’s', () => {
    expect(
      decide('return', { standing: 'reviewer', articleStatus: 'draft', pendingState: 'centre_review' }),
    ).toMatchObject({
      ok: false,
      status: 422,
    });
    expect(
      decide('return', {
        standing: 'reviewer',
        articleStatus: 'draft',
        pendingState: 'centre_review',
        reason: '依据已废止',
      }),
    ).toEqual({ ok: true, to: 'returned' });
    expect(
      decide('return', {
        standing: 'manager',
        articleStatus: 'draft',
        pendingState: 'unit_review',
        reason: '补充材料',
      }),
    ).toEqual({ ok: true, to: 'returned' });
    expect(
      decide('return', { standing: 'manager', articleStatus: 'draft', pendingState: 'centre_review', reason: 'x' }),
    ).toMatchObject({ ok: false, status: 409 });
    expect(
      decide('return', { standing: 'editor', articleStatus: 'draft', pendingState: 'unit_review', reason: 'x' }),
    ).toMatchObject({ ok: false, status: 403 });
  });

  it('an outsider gets 404 for every action, in every state (existence is not revealed)', () => {
    for (const a of ACTIONS)
      for (const st of STATUSES)
        for (const p of STATES)
          expect(decide(a, { standing: 'outsider', articleStatus: st, pendingState: p, reason: 'r' })).toMatchObject({
            ok: false,
            status: 404,
          });
  });

  it('every combination answers either a state or a refusal with a Chinese message (exhaustive)', () => {
    for (const a of ACTIONS)
      for (const who of STANDINGS)
        for (const st of STATUSES)
          for (const p of STATES)
            for (const reason of [null, '理由']) {
              const d = decide(a, { standing: who, articleStatus: st, pendingState: p, reason });
              if (d.ok) {
                expect(who).not.toBe('outsider');
                // only the centre publishes and withdraws
                if (a === 'publish' || a === 'withdraw') expect(who).toBe('reviewer');
                if (a === 'approve') expect(who).toBe('manager');
                if (a === 'publish') expect(p).toBe('centre_review');
                if (st === 'withdrawn') expect(['discard', 'return', 'approve']).toContain(a);
              } else expect(d.message).toMatch(/[\u4e00-\u9fa5]/);
            }
  });

  it('withdrawal: the centre withdraws with a reason; the owner only asks for it', () => {
    expect(
      decide('withdraw', { standing: 'reviewer', articleStatus: 'published', pendingState: null, reason: '政策废止' }),
    ).toEqual({
      ok: true,
      to: null,
      articleStatus: 'withdrawn',
    });
    expect(
      decide('withdraw', { standing: 'manager', articleStatus: 'published', pendingState: null, reason: 'x' }),
    ).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(
      decide('request_withdraw', {
        standing: 'editor',
        articleStatus: 'published',
        pendingState: null,
        reason: '政策废止',
      }),
    ).toEqual({ ok: true, to: null });
    expect(decide('edit', { standing: 'reviewer', articleStatus: 'withdrawn', pendingState: null })).toMatchObject({
      ok: false,
      status: 409,
    });
  });

  it('confirm still valid: the owner’s manager or the reviewer, on a published article only', () => {
    expect(decide('confirm_valid', { standing: 'manager', articleStatus: 'published', pendingState: null }).ok).toBe(
      true,
    );
    expect(
      decide('confirm_valid', { standing: 'reviewer', articleStatus: 'published', pendingState: 'draft' }).ok,
    ).toBe(true);
    expect(
      decide('confirm_valid', { standing: 'editor', articleStatus: 'published', pendingState: null }),
    ).toMatchObject({
      status: 403,
    });
    expect(
      decide('confirm_valid', { standing: 'manager', articleStatus: 'draft', pendingState: 'draft' }),
    ).toMatchObject({
      status: 409,
    });
  });
});

describe('第十八条 knowledge freshness: expiry and staleness', () => {
  const s = { expiryNoticeDays: 30, staleGraceDays: 30 };
  const a = {
    status: 'published' as const,
    effectiveFrom: '2025-01-01',
    expiresOn: null as string | null,
    reviewedOn: '2025-01-10',
    reviewCycleDays: 180,
    title: '供暖时间',
  };

  it('day arithmetic and the Shanghai day of an instant', () => {
    expect(daysBetween('2025-01-01', '2025-03-01')).toBe(59);
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(shanghaiDay(new Date('2025-03-02T16:30:00Z'))).toBe('2025-03-03');
    expect(shanghaiDay(new Date('2025-03-02T15:59:59Z'))).toBe('2025-03-02');
  });

  it('current, expiring, expired, stale, not yet in force, withdrawn', () => {
    expect(freshness(a, s, '2025-03-03')).toBe('current');
    expect(freshness({ ...a, expiresOn: '2025-03-20' }, s, '2025-03-03')).toBe('expiring');
    expect(freshness({ ...a, expiresOn: '2025-03-03' }, s, '2025-03-03')).toBe('expired');
    expect(freshness(a, s, addDays('2025-01-10', 180))).toBe('stale');
    expect(freshness(a, s, addDays('2025-01-10', 179))).toBe('current');
    expect(freshness({ ...a, effectiveFrom: '2025-04-01' }, s, '2025-03-03')).toBe('not_yet_in_force');
    expect(freshness({ ...a, status: 'withdrawn' }, s, '2025-03-03')).toBe('withdrawn');
    expect(freshness({ ...a, status: 'draft' }, s, '2025-03-03')).toBe('not_published');
  });

  it('the assessment counts a stale article as current only within the grace period', () => {
    const staleDay = addDays('2025-01-10', 180);
    expect(countsAsCurrent(a, s, staleDay)).toBe(true);
    expect(countsAsCurrent(a, s, addDays(staleDay, 29))).toBe(true);
    expect(countsAsCurrent(a, s, addDays(staleDay, 30))).toBe(false);
    expect(countsAsCurrent({ ...a, expiresOn: '2025-02-01' }, s, '2025-03-03')).toBe(false);
    expect(countsAsCurrent({ ...a, expiresOn: '2025-03-10' }, s, '2025-03-03')).toBe(true);
  });

  it('notices: expiring within the notice period, expired on the day, stale once per review', () => {
    expect(dueNotices({ ...a, expiresOn: '2025-05-01' }, s, '2025-03-03')).toEqual([]);
    expect(dueNotices({ ...a, expiresOn: '2025-04-02' }, s, '2025-03-03')).toEqual([
      expect.objectContaining({ kind: 'expiring', causeKey: '2025-04-02' }),
    ]);
    expect(dueNotices({ ...a, expiresOn: '2025-03-03' }, s, '2025-03-03')).toEqual([
      expect.objectContaining({ kind: 'expired', causeKey: '2025-03-03' }),
    ]);
    expect(dueNotices(a, s, '2025-08-01')).toEqual([
      expect.objectContaining({ kind: 'stale', causeKey: '2025-01-10' }),
    ]);
    expect(dueNotices({ ...a, status: 'draft' }, s, '2026-01-01')).toEqual([]);
    // the message names the article and the date
    expect(dueNotices({ ...a, expiresOn: '2025-03-10' }, s, '2025-03-03')[0]!.message).toContain('供暖时间');
  });

  it('median', () => {
    expect(median([])).toBeNull();
    expect(median([5])).toBe(5);
    expect(median([9, 1, 4])).toBe(4);
    expect(median([1, 2, 3, 10])).toBe(2.5);
  });
});
