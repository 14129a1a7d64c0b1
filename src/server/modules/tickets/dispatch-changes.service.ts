import type { BatchDispatchResult } from '../../../shared/contracts/unit-workflow.js';
import { STATUS_LABELS } from '../../../shared/domain/transitions.js';
import { AppError } from '../../errors.js';
import { requireRole, type Actor } from '../auth/actor.js';
import { assignUnits, runStep, unassignUnits, type ServiceDeps, type StepContext } from './ticket-workflow.js';
import type { TicketService } from './tickets.service.js';
import * as repo from './tickets.repository.js';

/** The most tickets one batch dispatch handles (the queue's page). */
export const BATCH_DISPATCH_MAX = 50;

/**
 * 第十四条 the dispatcher's corrections before a unit takes responsibility: a dispatch the lead unit has not yet
 * signed for (status 待签收) is recalled to 待派单 or reassigned to another unit. Once the unit accepted, only its
 * return application (退单) moves the ticket. And 批量派单: each selected ticket by its catalogue suggestion.
 */
export class DispatchChangeService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly tickets: TicketService,
  ) {}

  /** 第十四条 撤回派单: back to 待派单; the old unit's assignments end and its deadlines lapse. */
  async recall(actor: Actor, ticketId: number, input: { reason: string; expectedVersion?: number }) {
    requireRole(actor, 'dispatcher');
    return this.step(actor, ticketId, 'recall', input.expectedVersion, async (ctx) => {
      const oldLeadUnitId = ctx.ticket.lead_unit_id;
      await unassignUnits(ctx);
      await ctx.event('dispatch_recalled', { oldLeadUnitId }, input.reason);
      return repo.updateTicket(ctx.trx, ctx.ticket.id, {
        status: ctx.to,
        lead_unit_id: null,
        dispatch_rule_id: null,
        due_at: ctx.now,
        return_until: null,
        updated_at: ctx.now,
      });
    });
  }

  /** 第十四条 改派: straight to another lead unit, with new accept/reply deadlines and return window. */
  async reassign(
    actor: Actor,
    ticketId: number,
    input: { leadUnitId: number; assistUnitIds?: number[]; reason: string; expectedVersion?: number },
  ) {
    requireRole(actor, 'dispatcher');
    return this.step(actor, ticketId, 'reassign', input.expectedVersion, async (ctx) => {
      const oldLeadUnitId = ctx.ticket.lead_unit_id;
      if (oldLeadUnitId === input.leadUnitId)
        throw new AppError('bad_request', '改派的主办单位不能与原主办单位相同', { field: 'leadUnitId' });
      await unassignUnits(ctx);
      const plan = await assignUnits(ctx, input.leadUnitId, input.assistUnitIds ?? []);
      await ctx.event(
        'reassigned',
        {
          oldLeadUnitId,
          leadUnitId: input.leadUnitId,
          assistUnitIds: input.assistUnitIds ?? [],
          acceptDue: plan.acceptDue,
          replyDue: plan.replyDue,
        },
        input.reason,
      );
      return repo.updateTicket(ctx.trx, ctx.ticket.id, {
        status: ctx.to,
        lead_unit_id: input.leadUnitId,
        dispatch_rule_id: null,
        dispatched_at: ctx.now,
        due_at: plan.acceptDue,
        return_until: plan.returnUntil,
        updated_at: ctx.now,
      });
    });
  }

  /**
   * 批量派单: each ticket by its catalogue suggestion, each in its own transaction; a ticket that cannot be
   * dispatched (no matching rule, dispatched meanwhile, outside the centre's regions) is reported and the others go on.
   */
  async batchDispatch(actor: Actor, input: { ticketIds: number[] }): Promise<BatchDispatchResult> {
    requireRole(actor, 'dispatcher');
    const results: BatchDispatchResult['results'] = [];
    for (const ticketId of [...new Set(input.ticketIds)].slice(0, BATCH_DISPATCH_MAX)) {
      try {
        const t = await this.tickets.dispatch(actor, ticketId, { note: '批量派单（按派单目录）' });
        results.push({ ticketId, ok: true, number: t.number, leadUnitId: t.lead_unit_id! });
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        results.push({ ticketId, ok: false, code: e.code, message: e.message });
      }
    }
    return { results };
  }

  /** runStep, refusing with a message that names the cause once the unit accepted (第十四条). */
  private async step<T>(
    actor: Actor,
    ticketId: number,
    action: 'recall' | 'reassign',
    expectedVersion: number | undefined,
    body: (ctx: StepContext) => Promise<T>,
  ): Promise<T> {
    try {
      return await runStep(this.deps, actor, ticketId, action, expectedVersion, async (ctx) => {
        const pending = await ctx.trx
          .selectFrom('applications')
          .select('kind')
          .where('ticket_id', '=', ctx.ticket.id)
          .where('status', '=', 'pending')
          .execute();
        if (pending.length)
          throw new AppError('conflict', '该工单有待审核的申请，请先审核申请', {
            pendingApplications: pending.map((p) => p.kind),
          });
        return body(ctx);
      });
    } catch (e) {
      if (e instanceof AppError && e.code === 'illegal_transition') {
        const status = e.details?.status as keyof typeof STATUS_LABELS;
        const what = action === 'recall' ? '撤回' : '改派';
        const message =
          status === 'pending_dispatch'
            ? `工单尚未派出，不能${what}`
            : `承办单位已签收（工单当前状态为「${STATUS_LABELS[status]}」），不能${what}；如确需变更，请由承办单位申请退单（第十四条）`;
        throw new AppError('illegal_transition', message, e.details);
      }
      throw e;
    }
  }
}
