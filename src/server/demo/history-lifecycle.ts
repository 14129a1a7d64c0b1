import type { DeadlineKind, Satisfaction, TicketStatus } from '../db/schema.js';
import { nextStatus, type TicketAction } from '../../shared/domain/transitions.js';
import type { TimeLimit } from '../domain/deadline.js';
import { REPLIES } from './history-templates.js';

// One demo ticket's life, simulated step by step the way the services write it (tickets.service.ts,
// applications.service.ts, the deadline sweeper): every status change goes through the transitions table, every
// step is an event, every deadline a row that is met, cancelled or breached. Pure: the deadline arithmetic comes in
// as a function (the working calendar), randomness as a seeded generator, and nothing happens after `now`.

export type Rng = () => number;

/** mulberry32: small, fast and the same on every machine for a seed. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PlannedDeadlineLike {
  due: Date;
  warn: Date;
  calendarUnconfirmed: boolean;
}

export interface LifeContext {
  now: Date;
  rng: Rng;
  /** the working-calendar deadline of a step (DeadlinePlanner.plan / planWith) */
  plan: (
    step: 'accept' | 'reply' | 'return_window' | 'first_contact' | 'callback' | 'rework',
    from: Date,
  ) => PlannedDeadlineLike;
  planWith: (limit: TimeLimit, from: Date) => PlannedDeadlineLike;
  leadUnitId: number;
  centreUnitId: number;
  users: { agent: number; dispatcher: number; callback: number; handler: number | null };
  ruleId: number | null;
  explanation: string;
  /** how this ticket will go (drawn by the generator) */
  fate: Fate;
}

export interface Fate {
  returnRejected: boolean;
  extension: boolean;
  rework: boolean;
  /** multiplies the unit's handling time: > 1 for a slow unit or a hard matter (breaches) */
  slowness: number;
  lateAccept: boolean;
  satisfaction: Satisfaction;
}

export interface LifeEvent {
  kind: string;
  at: Date;
  actorUserId: number | null;
  actorUnitId: number | null;
  from: TicketStatus | null;
  to: TicketStatus | null;
  reason: string | null;
  data: Record<string, unknown>;
  /** which deadline (index in deadlines) or application (index in applications) the data refers to */
  deadlineRef?: number;
  applicationRef?: number;
}

export interface LifeDeadline {
  kind: DeadlineKind;
  unitId: number;
  startsAt: Date;
  dueAt: Date;
  warnAt: Date;
  warnedAt: Date | null;
  breachedAt: Date | null;
  metAt: Date | null;
  cancelledAt: Date | null;
  calendarUnconfirmed: boolean;
}

export interface LifeApplication {
  kind: 'return' | 'extension';
  unitId: number;
  applicantId: number | null;
  reason: string;
  requestedDays: number | null;
  progress: string | null;
  status: 'pending' | 'approved' | 'rejected';
  reviewerId: number | null;
  reviewNote: string | null;
  createdAt: Date;
  decidedAt: Date | null;
}

export interface LifeCallback {
  satisfaction: Satisfaction;
  resolved: boolean;
  reasonable: boolean | null;
  outcome: 'closed' | 'rework';
  at: Date;
}

export interface Life {
  status: TicketStatus;
  dispatchedAt: Date | null;
  acceptedAt: Date | null;
  firstContactAt: Date | null;
  repliedAt: Date | null;
  closedAt: Date | null;
  dueAt: Date | null;
  returnUntil: Date | null;
  extensionDays: number;
  reworkCount: number;
  reply: { result: string; explanation: string | null } | null;
  satisfaction: Satisfaction | null;
  resolved: boolean | null;
  leadUnitId: number | null;
  events: LifeEvent[];
  deadlines: LifeDeadline[];
  applications: LifeApplication[];
  callbacks: LifeCallback[];
  assignment: { dispatchedAt: Date; acceptedAt: Date | null } | null;
}

/** The sweeper runs every few minutes: a mark lands a little after its instant. */
const SWEEP_LAG_MS = 3 * 60_000;
const HOUR = 3_600_000;

/** Simulates one ticket from its creation (the `created` event is the caller's, with the ticket's number). */
export function simulateLife(createdAt: Date, cx: LifeContext): Life {
  const { rng, now, users, fate } = cx;
  const lead = cx.leadUnitId;
  const life: Life = {
    status: 'pending_dispatch',
    dispatchedAt: null,
    acceptedAt: null,
    firstContactAt: null,
    repliedAt: null,
    closedAt: null,
    dueAt: createdAt,
    returnUntil: null,
    extensionDays: 0,
    reworkCount: 0,
    reply: null,
    satisfaction: null,
    resolved: null,
    leadUnitId: null,
    events: [],
    deadlines: [],
    applications: [],
    callbacks: [],
    assignment: null,
  };
  const happened = (t: Date) => t.getTime() <= now.getTime();

  /** One lifecycle step: the table decides the next status (an impossible step is a bug in the generator). */
  const step = (
    action: TicketAction,
    kind: string,
    at: Date,
    actor: { user: number | null; unit: number | null },
    data: Record<string, unknown> = {},
    reason: string | null = null,
    refs: Pick<LifeEvent, 'applicationRef'> = {},
  ) => {
    const to = nextStatus(life.status, action);
    if (to === null) throw new Error(`demo history: ${action} is not allowed from ${life.status}`);
    life.events.push({
      kind,
      at,
      actorUserId: actor.user,
      actorUnitId: actor.unit,
      from: life.status,
      to,
      reason,
      data,
      ...refs,
    });
    life.status = to;
  };
  const addDeadline = (kind: DeadlineKind, unitId: number, start: Date, p: PlannedDeadlineLike) => {
    life.deadlines.push({
      kind,
      unitId,
      startsAt: start,
      dueAt: p.due,
      warnAt: p.warn,
      warnedAt: null,
      breachedAt: null,
      metAt: null,
      cancelledAt: null,
      calendarUnconfirmed: p.calendarUnconfirmed,
    });
  };
  /** The sweeper's marks on a deadline still open at `until` (its settlement time, or now). */
  const sweep = (i: number, until: Date) => {
    const d = life.deadlines[i]!;
    const warnAt = new Date(d.warnAt.getTime() + SWEEP_LAG_MS);
    if (warnAt < until && warnAt < d.dueAt && happened(warnAt)) {
      d.warnedAt = warnAt;
      life.events.push(overlay('deadline_warned', warnAt, d, i));
    }
    const breachAt = new Date(d.dueAt.getTime() + SWEEP_LAG_MS);
    if (breachAt < until && happened(breachAt)) {
      d.breachedAt = breachAt;
      life.events.push(overlay('deadline_breached', breachAt, d, i));
    }
  };
  const overlay = (kind: string, at: Date, d: LifeDeadline, i: number): LifeEvent => ({
    kind,
    at,
    actorUserId: null,
    actorUnitId: d.unitId,
    from: null,
    to: null,
    reason: null,
    data: { deadlineKind: d.kind, dueAt: d.dueAt },
    deadlineRef: i,
  });
  const open = (kinds: DeadlineKind[]) =>
    life.deadlines.flatMap((d, i) => (kinds.includes(d.kind) && !d.metAt && !d.cancelledAt ? [i] : []));
  const settle = (kinds: DeadlineKind[], at: Date) => {
    for (const i of open(kinds)) {
      sweep(i, at);
      life.deadlines[i]!.metAt = at;
    }
  };
  const cancel = (kinds: DeadlineKind[], at: Date) => {
    for (const i of open(kinds)) {
      sweep(i, at);
      life.deadlines[i]!.cancelledAt = at;
    }
  };
  const finish = () => {
    for (const i of open(['accept', 'first_contact', 'reply', 'rework', 'callback'])) sweep(i, now);
    return life;
  };
  const centre = { user: users.dispatcher, unit: cx.centreUnitId };
  const unit = { user: users.handler, unit: lead };
  const after = (t: Date, minH: number, maxH: number) => new Date(t.getTime() + (minH + rng() * (maxH - minH)) * HOUR);

  // 派单
  const dispatchAt = after(createdAt, 0.1, 1.5);
  if (!happened(dispatchAt)) return finish();
  const accept = cx.plan('accept', dispatchAt);
  const reply = cx.plan('reply', dispatchAt);
  const returnWindow = cx.plan('return_window', dispatchAt);
  addDeadline('accept', lead, dispatchAt, accept);
  addDeadline('reply', lead, dispatchAt, reply);
  step('dispatch', 'dispatched', dispatchAt, centre, {
    leadUnitId: lead,
    assistUnitIds: [],
    ruleId: cx.ruleId,
    explanation: cx.explanation,
    acceptDue: accept.due,
    replyDue: reply.due,
  });
  life.dispatchedAt = dispatchAt;
  life.leadUnitId = lead;
  life.dueAt = accept.due;
  life.returnUntil = returnWindow.due;
  life.assignment = { dispatchedAt: dispatchAt, acceptedAt: null };
  let t = dispatchAt;

  // 第十四条: a return the centre finds unfounded (the unit must handle it after all)
  if (fate.returnRejected) {
    const applied = new Date(
      Math.max(t.getTime() + 60_000, Math.min(after(t, 0.3, 3).getTime(), returnWindow.due.getTime() - 60_000)),
    );
    if (!happened(applied)) return finish();
    const ref = life.applications.length;
    life.applications.push({
      kind: 'return',
      unitId: lead,
      applicantId: users.handler,
      reason: '该事项不属于本单位职责范围，建议改派属地街道办理。',
      requestedDays: null,
      progress: null,
      status: 'pending',
      reviewerId: null,
      reviewNote: null,
      createdAt: applied,
      decidedAt: null,
    });
    step('apply_return', 'return_applied', applied, unit, { materials: [] }, life.applications[ref]!.reason, {
      applicationRef: ref,
    });
    const decided = after(applied, 0.5, 4);
    if (!happened(decided)) return finish();
    const note = '经审核，该事项属于本单位法定职责，退单理由不成立，请按时办理。';
    Object.assign(life.applications[ref]!, {
      status: 'rejected',
      reviewerId: users.dispatcher,
      reviewNote: note,
      decidedAt: decided,
    });
    step('reject_return', 'return_rejected', decided, centre, { decision: 'reject' }, note, { applicationRef: ref });
    t = decided;
  }

  // 签收 (late for a slow unit: the accept deadline is breached first)
  const acceptAt = fate.lateAccept
    ? new Date(accept.due.getTime() + (1 + rng() * 20) * HOUR)
    : new Date(Math.max(t.getTime() + 60_000, Math.min(after(t, 0.2, 6).getTime(), accept.due.getTime() - 60_000)));
  if (!happened(acceptAt)) return finish();
  settle(['accept'], acceptAt);
  const contact = cx.plan('first_contact', acceptAt);
  addDeadline('first_contact', lead, acceptAt, contact);
  step('accept', 'accepted', acceptAt, unit, { firstContactDue: contact.due });
  life.acceptedAt = acceptAt;
  life.assignment.acceptedAt = acceptAt;
  life.dueAt = reply.due;
  t = acceptAt;

  // 第十五条(一): the requester is contacted
  const contactAt = after(t, 0.3, 8 * fate.slowness);
  if (!happened(contactAt)) return finish();
  settle(['first_contact'], contactAt);
  step('record_contact', 'requester_contacted', contactAt, unit, {
    method: 'phone',
    reached: true,
    note: '已电话联系诉求人，了解具体情况',
  });
  life.firstContactAt = contactAt;
  t = contactAt;

  // 第十六条: an extension applied for and granted
  if (fate.extension) {
    const applied = after(t, 4, 30);
    if (!happened(applied)) return finish();
    const days = 3 + Math.floor(rng() * 5);
    const ref = life.applications.length;
    life.applications.push({
      kind: 'extension',
      unitId: lead,
      applicantId: users.handler,
      reason: '需协调多个部门并采购材料，无法在规定时限内办结。',
      requestedDays: days,
      progress: '已现场勘查并制定处理方案。',
      status: 'pending',
      reviewerId: null,
      reviewNote: null,
      createdAt: applied,
      decidedAt: null,
    });
    step(
      'apply_extension',
      'extension_applied',
      applied,
      unit,
      { materials: [], requestedDays: days },
      life.applications[ref]!.reason,
      {
        applicationRef: ref,
      },
    );
    const decided = after(applied, 0.5, 5);
    if (!happened(decided)) return finish();
    Object.assign(life.applications[ref]!, { status: 'approved', reviewerId: users.dispatcher, decidedAt: decided });
    const [ri] = open(['reply']);
    const old = life.deadlines[ri!]!;
    const moved = cx.planWith({ amount: days, unit: 'working_days' }, old.dueAt);
    cancel(['reply'], decided);
    life.deadlines.push({
      ...old,
      dueAt: moved.due,
      warnAt: moved.warn < decided ? decided : moved.warn,
      warnedAt: null,
      breachedAt: null,
      metAt: null,
      cancelledAt: null,
      calendarUnconfirmed: moved.calendarUnconfirmed,
    });
    step(
      'review_extension',
      'extension_approved',
      decided,
      centre,
      {
        decision: 'approve',
        days,
        previousDue: old.dueAt,
        newDue: moved.due,
      },
      null,
      { applicationRef: ref },
    );
    life.extensionDays += days;
    life.dueAt = moved.due;
    t = decided;
  }

  // rounds of reply and callback (a second one after a rework)
  for (let round = 0; ; round++) {
    const [open0] = open(['reply', 'rework']);
    const due = life.deadlines[open0!]!.dueAt;
    const budget = (due.getTime() - t.getTime()) / HOUR;
    const replyAt = new Date(t.getTime() + Math.max(0.5, budget * (0.2 + rng() * 0.6) * fate.slowness) * HOUR);
    if (!happened(replyAt)) return finish();
    settle(['reply', 'rework'], replyAt);
    const cb = cx.plan('callback', replyAt);
    addDeadline('callback', cx.centreUnitId, replyAt, cb);
    const r = REPLIES[Math.floor(rng() * REPLIES.length)]!;
    step('reply', 'replied', replyAt, unit, {
      result: r.result,
      explanation: r.explanation ?? null,
      solved: r.solved,
      callbackDue: cb.due,
      unreachable: null,
    });
    life.repliedAt = replyAt;
    life.reply = { result: r.result, explanation: r.explanation ?? null };
    life.dueAt = cb.due;
    t = replyAt;

    // 第十七条 回访
    const cbAt = after(t, 2, 30);
    if (!happened(cbAt)) return finish();
    settle(['callback'], cbAt);
    const agent = { user: users.callback, unit: cx.centreUnitId };
    if (fate.rework && round === 0) {
      const data = { satisfaction: 'unsatisfied', resolved: false, reasonable: true, note: '诉求人反映问题仍未解决' };
      life.callbacks.push({
        satisfaction: 'unsatisfied',
        resolved: false,
        reasonable: true,
        outcome: 'rework',
        at: cbAt,
      });
      const rw = cx.plan('rework', cbAt);
      addDeadline('rework', lead, cbAt, rw);
      step('callback_rework', 'rework', cbAt, agent, { ...data, reworkDue: rw.due, round: 1 });
      life.reworkCount = 1;
      life.satisfaction = 'unsatisfied';
      life.resolved = false;
      life.dueAt = rw.due;
      t = cbAt;
      continue;
    }
    const sat = round > 0 && fate.satisfaction === 'unsatisfied' ? 'basically_satisfied' : fate.satisfaction;
    const resolved = sat !== 'unsatisfied' && (r.solved || rng() < 0.5);
    const reasonable = sat === 'unsatisfied' ? false : null;
    life.callbacks.push({ satisfaction: sat, resolved, reasonable, outcome: 'closed', at: cbAt });
    step('callback_close', 'closed', cbAt, agent, {
      satisfaction: sat,
      resolved,
      reasonable,
      note: sat === 'unsatisfied' ? '诉求人不满意，经核实诉求不合理，予以办结' : null,
    });
    life.closedAt = cbAt;
    life.satisfaction = sat;
    life.resolved = resolved;
    life.dueAt = null;
    return finish();
  }
}
