import type { Kysely } from 'kysely';
import type { DB, Ticket } from '../../db/schema.js';
import type { SubDispatchStatus } from '../../db/schema-sub-dispatch.js';
import { AppError } from '../../errors.js';
import { defaultSubDue, extendSubDue, subDueProblem } from '../../domain/sub-deadline.js';
import type { TimeLimit } from '../../domain/deadline.js';
import { DEFAULT_TIME_LIMITS } from '../../domain/time-limits.js';
import type { TicketAction } from '../../../shared/domain/transitions.js';
import { hasRole, UNIT_ROLES, type Actor } from '../auth/actor.js';
import { findUnit } from '../config/config.repository.js';
import { DeadlinePlanner } from './deadline-planner.js';
import { assertCanView, assertLeadUnitStaff } from './tickets.policy.js';
import * as repo from './tickets.repository.js';
import * as sub from './sub-dispatch.repository.js';
import { runStep, type ServiceDeps, type StepContext } from './ticket-workflow.js';

const STATUS_TEXT: Record<SubDispatchStatus, string> = {
  pending: '待签收',
  accepted: '办理中',
  submitted: '已答复待审核',
  approved: '答复已采纳',
  returned: '已退回',
  recalled: '已撤回',
  ended: '已结束',
};

/**
 * 二级派单 (第十四至十六条). The lead unit of an accepted ticket — a district or county government, a department with
 * subordinate units — passes it to one of its own sub-units with instructions and a sub-deadline, and stays the
 * lead: answerable to the centre for its own deadline (第十四条 首接负责, 第十五条), which keeps counting against it.
 * The sub-unit signs for it or returns it to the lead unit (not to the centre) within the return window (第十四条),
 * replies up to the lead unit for review, and may ask the lead unit for more time within the lead unit's own
 * deadline (第十六条); more than that is the lead unit's to ask the centre for. Each step is one transaction on the
 * ticket with its event.
 */
export class SubDispatchService {
  constructor(private readonly deps: ServiceDeps) {}

  /** What the 转派 form needs: the lead unit's sub-units, its own deadline and the default sub-deadline. */
  async options(actor: Actor, ticketId: number) {
    const { db, clock } = this.deps;
    const ticket = await repo.findTicket(db, ticketId);
    await assertCanView(db, actor, ticket);
    await assertLeadUnitStaff(db, actor, ticket!);
    const planner = await DeadlinePlanner.load(db);
    const now = clock.now();
    const parent = await parentDeadline(db, ticket!);
    const reserve = await reserveFor(planner, db, ticket!);
    const live = await sub.liveSubDispatch(db, ticketId);
    return {
      subUnits: (await sub.subUnitsOf(db, actor.unitId)).map((u) => ({ id: u.id, name: u.name })),
      parentDueAt: parent?.due_at ?? null,
      defaultDueAt: parent ? defaultSubDue(planner.calendar, now, parent.due_at, reserve) : null,
      reserve,
      liveSubDispatchId: live?.id ?? null,
    };
  }

  /** 转派: the lead unit passes the accepted ticket to one of its sub-units. */
  async dispatch(
    actor: Actor,
    ticketId: number,
    input: { unitId: number; instructions: string; dueAt?: string; expectedVersion?: number },
  ) {
    return runStep(this.deps, actor, ticketId, 'sub_dispatch', input.expectedVersion, async (ctx) => {
      await assertLeadUnitStaff(ctx.trx, actor, ctx.ticket);
      const unit = await findUnit(ctx.trx, input.unitId);
      if (!unit || !unit.active || unit.parent_id !== actor.unitId)
        throw new AppError('bad_request', '只能转派给本单位的下级单位', { field: 'unitId' });
      const live = await sub.liveSubDispatch(ctx.trx, ctx.ticket.id);
      if (live)
        throw new AppError('conflict', '该工单已转派下级单位办理，请先撤回或审核', {
          subDispatchId: live.id,
          status: live.status,
        });
      const parent = await parentDeadline(ctx.trx, ctx.ticket);
      if (!parent) throw new AppError('conflict', '该工单没有在办的办理时限，不能转派');
      const planner = await ctx.planner();
      let due: Date;
      if (input.dueAt !== undefined) {
        due = new Date(input.dueAt);
        const problem = subDueProblem(ctx.now, parent.due_at, due);
        if (problem === 'after_parent')
          throw new AppError('bad_request', '下级办理时限不得晚于本单位的办理时限（第十五条）', {
            field: 'dueAt',
            parentDueAt: parent.due_at,
          });
        if (problem === 'past') throw new AppError('bad_request', '下级办理时限须晚于当前时间', { field: 'dueAt' });
      } else {
        due = defaultSubDue(planner.calendar, ctx.now, parent.due_at, await reserveFor(planner, ctx.trx, ctx.ticket));
      }
      const base = {
        categoryId: ctx.ticket.category_id,
        urgency: ctx.ticket.urgency,
        unitKind: unit.kind,
        roundTheClock: unit.is_24x7,
      };
      // 第十四条: the sub-unit signs for it, and may return it, on the limits the first level has
      const accept = await planner.plan('accept', ctx.now, base);
      const returnWindow = await planner.plan('return_window', ctx.now, base);
      const row = await sub.insertSubDispatch(ctx.trx, {
        ticket_id: ctx.ticket.id,
        parent_unit_id: actor.unitId,
        unit_id: unit.id,
        instructions: input.instructions,
        dispatched_by: actor.userId,
        dispatched_at: ctx.now,
        accept_due_at: earliest(accept.due, due),
        return_until: earliest(returnWindow.due, due),
        due_at: due,
      });
      await ctx.event(
        'sub_dispatched',
        {
          subDispatchId: row.id,
          unitId: unit.id,
          unitName: unit.name,
          dueAt: due,
          acceptDueAt: row.accept_due_at,
          returnUntil: row.return_until,
          parentDueAt: parent.due_at,
        },
        input.instructions,
      );
      await touch(ctx);
      return row;
    });
  }

  /** 撤回: the lead unit takes back what the sub-unit has not yet signed for. */
  async recall(actor: Actor, id: number, input: { reason: string }) {
    return this.step(actor, id, 'sub_recall', 'parent', async (ctx, s) => {
      if (s.status !== 'pending')
        throw new AppError('illegal_transition', '下级单位已签收，不能撤回（第十四条）', { status: s.status });
      const row = await sub.updateSubDispatch(ctx.trx, s.id, {
        status: 'recalled',
        ended_at: ctx.now,
        end_reason: input.reason,
      });
      await ctx.event('sub_dispatch_recalled', { subDispatchId: s.id, unitId: s.unit_id }, input.reason);
      return row;
    });
  }

  /** 签收 by the sub-unit. */
  async accept(actor: Actor, id: number) {
    return this.step(actor, id, 'sub_accept', 'sub', async (ctx, s) => {
      if (s.status !== 'pending')
        throw new AppError('illegal_transition', `该转派当前为「${STATUS_TEXT[s.status]}」，不能签收`, {
          status: s.status,
        });
      const late = ctx.now > s.accept_due_at;
      const row = await sub.updateSubDispatch(ctx.trx, s.id, {
        status: 'accepted',
        accepted_at: ctx.now,
        accepted_by: actor.userId,
        late_accept: late,
      });
      await ctx.event('sub_accepted', { subDispatchId: s.id, unitId: s.unit_id, dueAt: s.due_at, late });
      return row;
    });
  }

  /** 第十四条: the sub-unit returns it to the lead unit (not to the centre), with its reason, within the window. */
  async returnToParent(actor: Actor, id: number, input: { reason: string }) {
    return this.step(actor, id, 'sub_return', 'sub', async (ctx, s) => {
      if (s.status !== 'pending' && s.status !== 'accepted')
        throw new AppError('illegal_transition', `该转派当前为「${STATUS_TEXT[s.status]}」，不能退回`, {
          status: s.status,
        });
      if (ctx.now > s.return_until)
        throw new AppError('too_late', '已超过退回期限，不能退回（第十四条 首接负责制）', {
          returnUntil: s.return_until,
        });
      const row = await sub.updateSubDispatch(ctx.trx, s.id, {
        status: 'returned',
        ended_at: ctx.now,
        end_reason: input.reason,
      });
      await ctx.event(
        'sub_returned',
        { subDispatchId: s.id, unitId: s.unit_id, parentUnitId: s.parent_unit_id },
        input.reason,
      );
      return row;
    });
  }

  /** The sub-unit's reply, up to the lead unit for review (the lead unit answers the centre). */
  async reply(actor: Actor, id: number, input: { result: string; solved: boolean; explanation?: string | null }) {
    return this.step(actor, id, 'sub_reply', 'sub', async (ctx, s) => {
      if (s.status !== 'accepted')
        throw new AppError(
          'illegal_transition',
          s.status === 'pending' ? '请先签收再答复' : `该转派当前为「${STATUS_TEXT[s.status]}」，不能答复`,
          { status: s.status },
        );
      if (!input.solved && !input.explanation?.trim())
        throw new AppError('bad_request', '未能解决的诉求须作出解释说明（第十五条第三项）', { field: 'explanation' });
      if (await sub.pendingExtension(ctx.trx, s.id))
        throw new AppError('conflict', '延期申请尚待上级单位审核，审核后方可答复');
      const late = ctx.now > s.due_at;
      const row = await sub.updateSubDispatch(ctx.trx, s.id, {
        status: 'submitted',
        result: input.result,
        solved: input.solved,
        explanation: input.explanation ?? null,
        submitted_at: ctx.now,
        submitted_by: actor.userId,
        late_reply: late,
      });
      await ctx.event('sub_replied', {
        subDispatchId: s.id,
        unitId: s.unit_id,
        result: input.result,
        solved: input.solved,
        explanation: input.explanation ?? null,
        late,
      });
      return row;
    });
  }

  /** The lead unit's review of the sub-unit's reply: adopted (it then answers the centre), or sent back. */
  async review(actor: Actor, id: number, input: { decision: 'approve' | 'return'; note?: string }) {
    return this.step(actor, id, 'sub_review', 'parent', async (ctx, s) => {
      if (s.status !== 'submitted')
        throw new AppError('illegal_transition', `该转派当前为「${STATUS_TEXT[s.status]}」，没有待审核的答复`, {
          status: s.status,
        });
      if (input.decision === 'return' && !input.note?.trim())
        throw new AppError('bad_request', '退回下级单位重新办理须说明理由', { field: 'note' });
      const approved = input.decision === 'approve';
      const row = await sub.updateSubDispatch(ctx.trx, s.id, {
        status: approved ? 'approved' : 'accepted',
        reviewed_at: ctx.now,
        reviewer_id: actor.userId,
        review_note: input.note ?? null,
      });
      await ctx.event(
        approved ? 'sub_reply_approved' : 'sub_reply_returned',
        { subDispatchId: s.id, unitId: s.unit_id },
        input.note ?? null,
      );
      return row;
    });
  }

  /** 第十六条: the sub-unit asks the lead unit for more time, never beyond the lead unit's own deadline. */
  async applyExtension(actor: Actor, id: number, input: { reason: string; progress: string; days: number }) {
    return this.step(actor, id, 'sub_extension', 'sub', async (ctx, s) => {
      if (s.status !== 'accepted' && s.status !== 'pending')
        throw new AppError('illegal_transition', `该转派当前为「${STATUS_TEXT[s.status]}」，不能申请延期`, {
          status: s.status,
        });
      if (await sub.pendingExtension(ctx.trx, s.id)) throw new AppError('conflict', '已有待审核的延期申请');
      await this.withinParent(ctx, s.due_at, input.days);
      const ext = await sub.insertExtension(ctx.trx, {
        sub_dispatch_id: s.id,
        ticket_id: s.ticket_id,
        unit_id: s.unit_id,
        applicant_id: actor.userId,
        reason: input.reason,
        progress: input.progress,
        days: input.days,
        previous_due_at: s.due_at,
        created_at: ctx.now,
      });
      await ctx.event(
        'sub_extension_applied',
        { subDispatchId: s.id, extensionId: ext.id, unitId: s.unit_id, days: input.days, progress: input.progress },
        input.reason,
      );
      return ext;
    });
  }

  /** The lead unit decides a sub-unit's extension; approving moves the sub-deadline (within its own deadline). */
  async reviewExtension(actor: Actor, extensionId: number, input: { decision: 'approve' | 'reject'; note?: string }) {
    const ext = await sub.findExtension(this.deps.db, extensionId);
    if (!ext) throw new AppError('not_found', '延期申请不存在或无权查看');
    return this.step(actor, ext.sub_dispatch_id, 'sub_extension_review', 'parent', async (ctx, s) => {
      const current = await sub.lockExtension(ctx.trx, extensionId);
      if (current.status !== 'pending') throw new AppError('conflict', '该延期申请已审核', { status: current.status });
      const note = input.note ?? null;
      if (input.decision === 'reject') {
        await sub.decideExtension(ctx.trx, extensionId, {
          status: 'rejected',
          reviewer_id: actor.userId,
          review_note: note,
          decided_at: ctx.now,
        });
        await ctx.event('sub_extension_rejected', { subDispatchId: s.id, extensionId }, note);
        return sub.findSubDispatch(ctx.trx, s.id);
      }
      const due = await this.withinParent(ctx, s.due_at, current.days);
      await sub.decideExtension(ctx.trx, extensionId, {
        status: 'approved',
        reviewer_id: actor.userId,
        review_note: note,
        decided_at: ctx.now,
        new_due_at: due,
      });
      const row = await sub.updateSubDispatch(ctx.trx, s.id, { due_at: due });
      await ctx.event(
        'sub_extension_approved',
        { subDispatchId: s.id, extensionId, days: current.days, previousDue: s.due_at, newDue: due },
        note,
      );
      return row;
    });
  }

  /** 第十六条: the extended sub-deadline, or a 400 naming the lead unit's deadline it would pass. */
  private async withinParent(ctx: StepContext, currentDue: Date, days: number): Promise<Date> {
    const parent = await parentDeadline(ctx.trx, ctx.ticket);
    if (!parent) throw new AppError('conflict', '该工单没有在办的办理时限');
    const planner = await ctx.planner();
    const r = extendSubDue(planner.calendar, currentDue, days, parent.due_at);
    if (!r.withinParent)
      throw new AppError(
        'bad_request',
        '延期后的时限不得晚于上级单位的办理时限；如需更多时间，须由上级单位向热线工作机构申请延期（第十六条）',
        { field: 'days', parentDueAt: parent.due_at, requestedDueAt: r.due },
      );
    return r.due;
  }

  /**
   * One step on a sub-dispatch: the ticket's step (lock, visibility, transition table, event), then the
   * sub-dispatch locked and the actor checked — the lead unit's staff ('parent') or the sub-unit's ('sub').
   */
  private async step<T>(
    actor: Actor,
    id: number,
    action: TicketAction,
    side: 'parent' | 'sub',
    body: (ctx: StepContext, s: Awaited<ReturnType<typeof sub.lockSubDispatch>>) => Promise<T>,
  ): Promise<T> {
    const found = await sub.findSubDispatch(this.deps.db, id);
    if (!found) throw new AppError('not_found', '转派记录不存在或无权查看');
    return runStep(this.deps, actor, found.ticket_id, action, undefined, async (ctx) => {
      const s = await sub.lockSubDispatch(ctx.trx, id);
      if (side === 'parent') {
        await assertLeadUnitStaff(ctx.trx, actor, ctx.ticket);
        if (s.parent_unit_id !== actor.unitId) throw new AppError('forbidden', '该转派不是本单位派出的');
      } else if (!hasRole(actor, ...UNIT_ROLES) || s.unit_id !== actor.unitId) {
        throw new AppError('forbidden', '本单位不是该转派的承办单位');
      }
      const out = await body(ctx, s);
      await touch(ctx);
      return out;
    });
  }
}

/** The lead unit's deadline now running: its reply deadline, or the rework deadline after a callback. */
async function parentDeadline(db: Kysely<DB>, ticket: Ticket) {
  const open = await repo.openDeadlines(db, ticket.id, ['rework', 'reply']);
  return open.find((d) => d.unit_id === ticket.lead_unit_id) ?? open[0];
}

/** What the lead unit keeps for its review (time_limits 'sub_review'; the built-in default if none is configured). */
async function reserveFor(planner: DeadlinePlanner, db: Kysely<DB>, ticket: Ticket): Promise<TimeLimit> {
  const lead = ticket.lead_unit_id ? await findUnit(db, ticket.lead_unit_id) : undefined;
  const ctx = {
    categoryId: ticket.category_id,
    urgency: ticket.urgency,
    unitKind: lead?.kind,
    roundTheClock: lead?.is_24x7 ?? false,
  };
  try {
    return await planner.limitFor('sub_review', ctx);
  } catch {
    const urgent = ctx.urgency === 'urgent' || ctx.roundTheClock;
    const row = DEFAULT_TIME_LIMITS.find((l) => l.step === 'sub_review' && (urgent ? l.unit === 'clock_hours' : true))!;
    return { amount: row.amount, unit: row.unit };
  }
}

const earliest = (a: Date, b: Date) => (a.getTime() <= b.getTime() ? a : b);

/** Every step changes the ticket's version, so a stale screen of the lead unit notices (optimistic concurrency). */
async function touch(ctx: StepContext) {
  await repo.updateTicket(ctx.trx, ctx.ticket.id, { updated_at: ctx.now });
}

/**
 * The lead unit answers the centre (第十五条(四)): not while its sub-unit's reply waits for its review; a
 * sub-dispatch still with the sub-unit ends, since the lead unit, responsible throughout, has answered itself.
 */
export async function settleSubDispatchesOnReply(ctx: StepContext): Promise<void> {
  const live = await sub.liveSubDispatch(ctx.trx, ctx.ticket.id);
  if (!live) return;
  if (live.status === 'submitted')
    throw new AppError('conflict', '下级单位的答复待本单位审核，审核后方可答复', { subDispatchId: live.id });
  await sub.endSubDispatches(ctx.trx, ctx.ticket.id, ctx.now, '主办单位已答复', ['pending', 'accepted']);
}
