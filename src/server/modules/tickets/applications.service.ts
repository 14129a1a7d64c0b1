import type { ApplicationKind, Material } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { unconfirmedWithin } from '../../domain/calendar.js';
import type { TicketAction } from '../../../shared/domain/transitions.js';
import { requireRole, type Actor } from '../auth/actor.js';
import { findUnit } from '../config/config.repository.js';
import { claimMaterials } from '../work-files/work-files.claim.js';
import { assertLeadUnitStaff } from './tickets.policy.js';
import * as repo from './tickets.repository.js';
import { assignUnits, runStep, unassignUnits, type ServiceDeps, type StepContext } from './ticket-workflow.js';

export interface ApplyInput {
  reason: string;
  materials?: Material[];
  expectedVersion?: number;
}

const KIND_LABELS: Record<ApplicationKind, string> = {
  return: '退单',
  extension: '延期',
  termination: '终止办理',
  dispute: '职责争议',
};

// Applications a lead unit makes to the centre and the centre's decisions on them.
export class ApplicationService {
  constructor(private readonly deps: ServiceDeps) {}

  /** 第十四条: a unit that is not responsible applies, with materials, to return the ticket — within the window. */
  async applyReturn(actor: Actor, ticketId: number, input: ApplyInput) {
    return this.apply(actor, ticketId, 'apply_return', 'return', input, async (ctx) => {
      if (!input.materials?.length)
        throw new AppError('bad_request', '申请退单须按规定提供材料（第十四条）', { field: 'materials' });
      if (ctx.ticket.return_until && ctx.now > ctx.ticket.return_until) {
        throw new AppError('too_late', '已超过退单申请时限，不能退单（第十四条 首接负责制）', {
          returnUntil: ctx.ticket.return_until,
        });
      }
      return {};
    });
  }

  /** 第十六条: a ticket that cannot be finished in time — reason plus a progress report. */
  async applyExtension(actor: Actor, ticketId: number, input: ApplyInput & { days: number; progress: string }) {
    return this.apply(actor, ticketId, 'apply_extension', 'extension', input, async (ctx) => {
      const planner = await ctx.planner();
      const lead = await findUnit(ctx.trx, ctx.ticket.lead_unit_id!);
      const max = await planner.limitFor('extension_max', {
        categoryId: ctx.ticket.category_id,
        urgency: ctx.ticket.urgency,
        unitKind: lead?.kind,
        roundTheClock: false,
      });
      if (ctx.ticket.extension_days + input.days > max.amount) {
        throw new AppError(
          'unprocessable',
          `延期累计不得超过 ${max.amount} 个工作日，已延期 ${ctx.ticket.extension_days} 个工作日`,
          { max: max.amount, used: ctx.ticket.extension_days },
        );
      }
      return { requested_days: input.days, progress: input.progress };
    });
  }

  /** 第十五条(五)(六): termination when the requester refuses information, or the request is unreasonable. */
  async applyTermination(
    actor: Actor,
    ticketId: number,
    input: ApplyInput & { case: 'refused_information' | 'unreasonable_request' },
  ) {
    return this.apply(actor, ticketId, 'apply_termination', 'termination', input, async () => {
      if (!input.materials?.length)
        throw new AppError('bad_request', '申请终止办理须提供相关材料（第十五条）', { field: 'materials' });
      return { termination_case: input.case };
    });
  }

  /** 第十六条: the lead unit disputes its duty; the centre organises a consultation (会商). */
  async applyDispute(actor: Actor, ticketId: number, input: ApplyInput & { proposedUnitIds?: number[] }) {
    return this.apply(actor, ticketId, 'apply_dispute', 'dispute', input, async () => ({}), {
      proposedUnitIds: input.proposedUnitIds ?? [],
    });
  }

  private async apply(
    actor: Actor,
    ticketId: number,
    action: TicketAction,
    kind: ApplicationKind,
    input: ApplyInput,
    check: (ctx: StepContext) => Promise<Record<string, unknown>>,
    extraEventData: Record<string, unknown> = {},
  ) {
    return runStep(this.deps, actor, ticketId, action, input.expectedVersion, async (ctx) => {
      await assertLeadUnitStaff(ctx.trx, actor, ctx.ticket);
      const extra = await check(ctx);
      const pending = await ctx.trx
        .selectFrom('applications')
        .select('id')
        .where('ticket_id', '=', ticketId)
        .where('kind', '=', kind)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (pending)
        throw new AppError('conflict', `该工单已有待审核的${KIND_LABELS[kind]}申请`, { applicationId: pending.id });
      const app = await ctx.trx
        .insertInto('applications')
        .values({
          ticket_id: ticketId,
          kind,
          unit_id: actor.unitId,
          applicant_id: actor.userId,
          reason: input.reason,
          materials: JSON.stringify(input.materials ?? []),
          status: 'pending',
          created_at: ctx.now,
          ...extra,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      // 第十四、十五条: uploaded files named in the materials become this application's (its unit's, unused)
      const materials = await claimMaterials(
        ctx.trx,
        actor,
        input.materials,
        { kind: 'application', id: app.id, ticketId },
        ctx.now,
      );
      const saved = await ctx.trx
        .updateTable('applications')
        .set({ materials: JSON.stringify(materials) })
        .where('id', '=', app.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await ctx.event(
        `${kind}_applied`,
        { applicationId: app.id, materials, ...extra, ...extraEventData },
        input.reason,
      );
      await repo.updateTicket(ctx.trx, ticketId, { updated_at: ctx.now });
      return saved;
    });
  }

  /**
   * The centre's review. Approving a return redispatches at once when a new lead unit is named, otherwise
   * the ticket goes back to the dispatch queue; approving an extension moves the reply deadline; approving
   * a termination ends the ticket. Disputes are decided by `holdConsultation`, or rejected here.
   */
  async review(
    actor: Actor,
    applicationId: number,
    input: { decision: 'approve' | 'reject'; note?: string; newLeadUnitId?: number; assistUnitIds?: number[] },
  ) {
    requireRole(actor, 'dispatcher');
    const app = await this.deps.db
      .selectFrom('applications')
      .selectAll()
      .where('id', '=', applicationId)
      .executeTakeFirst();
    if (!app) throw new AppError('not_found', '申请不存在');
    if (app.kind === 'dispute' && input.decision === 'approve')
      throw new AppError('bad_request', '职责争议须通过会商确定承办单位');
    const action = reviewAction(app.kind, input.decision, input.newLeadUnitId !== undefined);
    return runStep(this.deps, actor, app.ticket_id, action, undefined, async (ctx) => {
      const current = await ctx.trx
        .selectFrom('applications')
        .selectAll()
        .where('id', '=', applicationId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (current.status !== 'pending') throw new AppError('conflict', '该申请已审核', { status: current.status });
      await ctx.trx
        .updateTable('applications')
        .set({
          status: input.decision === 'approve' ? 'approved' : 'rejected',
          reviewer_id: actor.userId,
          review_note: input.note ?? null,
          decided_at: ctx.now,
        })
        .where('id', '=', applicationId)
        .execute();
      const base = { applicationId, decision: input.decision };
      if (input.decision === 'reject') {
        await ctx.event(`${app.kind}_rejected`, base, input.note);
        return repo.updateTicket(ctx.trx, ctx.ticket.id, { updated_at: ctx.now });
      }
      if (app.kind === 'return') {
        await unassignUnits(ctx);
        if (input.newLeadUnitId === undefined) {
          await ctx.event('return_approved', { ...base, redispatched: false }, input.note);
          return repo.updateTicket(ctx.trx, ctx.ticket.id, {
            status: ctx.to,
            lead_unit_id: null,
            due_at: ctx.now,
            return_until: null,
            accepted_at: null,
            first_contact_at: null,
            updated_at: ctx.now,
          });
        }
        const plan = await assignUnits(ctx, input.newLeadUnitId, input.assistUnitIds ?? []);
        await ctx.event(
          'return_approved',
          {
            ...base,
            redispatched: true,
            leadUnitId: input.newLeadUnitId,
            assistUnitIds: input.assistUnitIds ?? [],
            acceptDue: plan.acceptDue,
            replyDue: plan.replyDue,
          },
          input.note,
        );
        return repo.updateTicket(ctx.trx, ctx.ticket.id, {
          status: ctx.to,
          lead_unit_id: input.newLeadUnitId,
          dispatch_rule_id: null,
          dispatched_at: ctx.now,
          accepted_at: null,
          first_contact_at: null,
          due_at: plan.acceptDue,
          return_until: plan.returnUntil,
          updated_at: ctx.now,
        });
      }
      if (app.kind === 'extension') {
        const [reply] = await repo.openDeadlines(ctx.trx, ctx.ticket.id, ['rework', 'reply']);
        if (!reply) throw new AppError('conflict', '该工单没有可延期的办理时限');
        const planner = await ctx.planner();
        const moved = planner.planWith({ amount: app.requested_days!, unit: 'working_days' }, reply.due_at);
        // The old deadline is kept (cancelled) so the history shows both the original and the extended limit.
        await repo.cancelDeadlines(ctx.trx, ctx.ticket.id, [reply.kind], ctx.now);
        await repo.insertDeadline(ctx.trx, {
          ticket_id: ctx.ticket.id,
          unit_id: reply.unit_id,
          kind: reply.kind,
          starts_at: reply.starts_at,
          due_at: moved.due,
          warn_at: computeWarnAfter(moved.warn, ctx.now),
          calendar_unconfirmed: unconfirmedWithin(planner.calendar, reply.starts_at, moved.due),
        });
        await ctx.event(
          'extension_approved',
          { ...base, days: app.requested_days, previousDue: reply.due_at, newDue: moved.due },
          input.note,
        );
        return repo.updateTicket(ctx.trx, ctx.ticket.id, {
          extension_days: ctx.ticket.extension_days + app.requested_days!,
          due_at: moved.due,
          updated_at: ctx.now,
        });
      }
      // termination (第十五条(五)(六))
      await repo.cancelDeadlines(ctx.trx, ctx.ticket.id, 'all', ctx.now);
      await repo.endAssignments(ctx.trx, ctx.ticket.id, ctx.now);
      await ctx.event('termination_approved', { ...base, case: app.termination_case }, input.note);
      return repo.updateTicket(ctx.trx, ctx.ticket.id, {
        status: ctx.to,
        closed_at: ctx.now,
        due_at: null,
        updated_at: ctx.now,
      });
    });
  }

  /** 第十六条: 会商确定承办单位 — the consultation record decides the unit, and the ticket goes there. */
  async holdConsultation(
    actor: Actor,
    applicationId: number,
    input: { participantUnitIds: number[]; record: string; decidedUnitId: number; assistUnitIds?: number[] },
  ) {
    requireRole(actor, 'dispatcher');
    const app = await this.deps.db
      .selectFrom('applications')
      .selectAll()
      .where('id', '=', applicationId)
      .executeTakeFirst();
    if (!app || app.kind !== 'dispute') throw new AppError('not_found', '职责争议申请不存在');
    return runStep(this.deps, actor, app.ticket_id, 'consultation', undefined, async (ctx) => {
      const current = await ctx.trx
        .selectFrom('applications')
        .select('status')
        .where('id', '=', applicationId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (current.status !== 'pending') throw new AppError('conflict', '该申请已处理', { status: current.status });
      for (const id of input.participantUnitIds)
        if (!(await findUnit(ctx.trx, id))) throw new AppError('bad_request', '参会单位不存在', { unitId: id });
      const c = await ctx.trx
        .insertInto('consultations')
        .values({
          ticket_id: ctx.ticket.id,
          application_id: applicationId,
          participant_unit_ids: input.participantUnitIds,
          record: input.record,
          decided_unit_id: input.decidedUnitId,
          assist_unit_ids: input.assistUnitIds ?? [],
          organiser_id: actor.userId,
          held_at: ctx.now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await ctx.trx
        .updateTable('applications')
        .set({ status: 'approved', reviewer_id: actor.userId, review_note: input.record, decided_at: ctx.now })
        .where('id', '=', applicationId)
        .execute();
      await unassignUnits(ctx);
      const plan = await assignUnits(ctx, input.decidedUnitId, input.assistUnitIds ?? []);
      await ctx.event('consultation_held', {
        applicationId,
        consultationId: c.id,
        participantUnitIds: input.participantUnitIds,
        decidedUnitId: input.decidedUnitId,
        assistUnitIds: input.assistUnitIds ?? [],
        record: input.record,
      });
      return repo.updateTicket(ctx.trx, ctx.ticket.id, {
        status: ctx.to,
        lead_unit_id: input.decidedUnitId,
        dispatch_rule_id: null,
        dispatched_at: ctx.now,
        accepted_at: null,
        first_contact_at: null,
        due_at: plan.acceptDue,
        return_until: plan.returnUntil,
        updated_at: ctx.now,
      });
    });
  }
}

function reviewAction(kind: ApplicationKind, decision: 'approve' | 'reject', redispatch: boolean): TicketAction {
  if (kind === 'return')
    return decision === 'reject' ? 'reject_return' : redispatch ? 'approve_return_redispatch' : 'approve_return_hold';
  if (kind === 'extension') return 'review_extension';
  if (kind === 'termination') return decision === 'reject' ? 'reject_termination' : 'approve_termination';
  return 'reject_dispute';
}

/** A warning that would already lie in the past is moved to now, so the sweeper raises it promptly once. */
function computeWarnAfter(warn: Date, now: Date): Date {
  return warn < now ? now : warn;
}
