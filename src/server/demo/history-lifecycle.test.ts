import { describe, expect, it } from 'vitest';
import { nextStatus, type TicketAction, type TicketStatus } from '../../shared/domain/transitions.js';
import { seededRng, simulateLife, type Fate, type LifeContext } from './history-lifecycle.js';

// The demo history's lifecycle simulation on a plain clock (deadlines a fixed number of hours): every path the
// generator can take replays through the transitions table, nothing happens after `now`, and a deadline passed
// before it was met is breached exactly once.

const ACTION_OF: Record<string, TicketAction> = {
  dispatched: 'dispatch',
  accepted: 'accept',
  return_applied: 'apply_return',
  return_rejected: 'reject_return',
  requester_contacted: 'record_contact',
  extension_applied: 'apply_extension',
  extension_approved: 'review_extension',
  replied: 'reply',
  closed: 'callback_close',
  rework: 'callback_rework',
};
const HOURS = { accept: 24, reply: 120, return_window: 48, first_contact: 24, callback: 48, rework: 72 };
const H = 3_600_000;

function context(now: Date, seed: number, fate: Fate): LifeContext {
  const plan = (step: keyof typeof HOURS, from: Date) => ({
    due: new Date(from.getTime() + HOURS[step] * H),
    warn: new Date(from.getTime() + (HOURS[step] - 8) * H),
    calendarUnconfirmed: false,
  });
  return {
    now,
    rng: seededRng(seed),
    plan,
    planWith: (limit, from) => ({
      due: new Date(from.getTime() + limit.amount * 24 * H),
      warn: new Date(from.getTime() + (limit.amount * 24 - 8) * H),
      calendarUnconfirmed: false,
    }),
    leadUnitId: 7,
    centreUnitId: 1,
    users: { agent: 1, dispatcher: 2, callback: 3, handler: 4 },
    ruleId: 9,
    explanation: '职权法定',
    fate,
  };
}

describe('demo history lifecycle', () => {
  const created = new Date('2025-01-06T01:00:00Z');
  const fates: Fate[] = [];
  for (const returnRejected of [false, true])
    for (const extension of [false, true])
      for (const rework of [false, true])
        for (const lateAccept of [false, true])
          for (const satisfaction of ['satisfied', 'unsatisfied'] as const)
            fates.push({ returnRejected, extension, rework, lateAccept, slowness: lateAccept ? 2.5 : 1, satisfaction });

  it('every path, cut off at any moment, replays through the transitions table', () => {
    for (const [i, fate] of fates.entries())
      for (const hours of [0.05, 1, 5, 30, 80, 200, 400, 2000]) {
        const now = new Date(created.getTime() + hours * H);
        const life = simulateLife(created, context(now, i + 1, fate));
        let status: TicketStatus = 'pending_dispatch';
        for (const e of life.events) {
          expect(e.at.getTime()).toBeLessThanOrEqual(now.getTime());
          if (e.kind === 'deadline_warned' || e.kind === 'deadline_breached') continue;
          const to = nextStatus(status, ACTION_OF[e.kind]!);
          expect(to, `${e.kind} from ${status}`).not.toBeNull();
          expect([e.from, e.to]).toEqual([status, to]);
          status = to!;
        }
        expect(life.status).toBe(status);
        for (const d of life.deadlines) {
          const end = d.metAt ?? d.cancelledAt ?? now;
          if (end.getTime() > d.dueAt.getTime() + 5 * 60_000) expect(d.breachedAt).not.toBeNull();
          if (d.breachedAt) expect(d.breachedAt.getTime()).toBeGreaterThan(d.dueAt.getTime());
        }
        const breaches = life.events.filter((e) => e.kind === 'deadline_breached').map((e) => e.deadlineRef);
        expect(new Set(breaches).size).toBe(breaches.length);
      }
  });

  it('a finished life: rework once when asked, closed with the callback, applications decided', () => {
    const fate: Fate = {
      returnRejected: true,
      extension: true,
      rework: true,
      lateAccept: false,
      slowness: 1,
      satisfaction: 'unsatisfied',
    };
    const life = simulateLife(created, context(new Date(created.getTime() + 5000 * H), 3, fate));
    expect(life.status).toBe('closed');
    expect(life.reworkCount).toBe(1);
    expect(life.callbacks.map((c) => c.outcome)).toEqual(['rework', 'closed']);
    expect(life.applications.map((a) => [a.kind, a.status])).toEqual([
      ['return', 'rejected'],
      ['extension', 'approved'],
    ]);
    expect(life.extensionDays).toBeGreaterThan(0);
    expect(life.events.map((e) => e.kind).filter((k) => !k.startsWith('deadline_'))).toEqual([
      'dispatched',
      'return_applied',
      'return_rejected',
      'accepted',
      'requester_contacted',
      'extension_applied',
      'extension_approved',
      'replied',
      'rework',
      'replied',
      'closed',
    ]);
  });

  it('the generator is deterministic for a seed', () => {
    const a = seededRng(42);
    const b = seededRng(42);
    expect(Array.from({ length: 5 }, a)).toEqual(Array.from({ length: 5 }, b));
  });
});
