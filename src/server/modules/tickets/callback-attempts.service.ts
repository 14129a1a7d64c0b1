import { AppError } from '../../errors.js';
import {
  CALLBACK_ATTEMPT_LABELS,
  callbackPlan,
  type CallbackAttemptOutcome,
} from '../../../shared/domain/callback-attempts.js';
import { requireRole, type Actor } from '../auth/actor.js';
import { runStep, type ServiceDeps } from './ticket-workflow.js';
import { assertCanView } from './tickets.policy.js';
import * as repo from './tickets.repository.js';

// 第十七条 回访未果 (issue 14): a failed callback call is recorded with its next try; the callback ends without an
// evaluation only as the rule of shared/domain/callback-attempts.ts allows (refused at once; unreached three times on
// two days), closing the ticket with no satisfaction. Every attempt is one transaction with its ticket event.
export class CallbackAttemptService {
  constructor(private readonly deps: ServiceDeps) {}

  list(ticketId: number) {
    return this.deps.db
      .selectFrom('callback_attempts as a')
      .innerJoin('users as u', 'u.id', 'a.agent_id')
      .select(['a.id', 'a.outcome', 'a.note', 'a.at', 'u.display_name as agentName'])
      .where('a.ticket_id', '=', ticketId)
      .orderBy('a.at')
      .orderBy('a.id')
      .limit(100)
      .execute();
  }

  /** The attempts of a ticket and where its callback stands, for whoever may see the ticket. */
  async plan(actor: Actor, ticketId: number) {
    await assertCanView(this.deps.db, actor, await repo.findTicket(this.deps.db, ticketId));
    const attempts = await this.list(ticketId);
    return { attempts, ...callbackPlan(attempts) };
  }

  async record(actor: Actor, ticketId: number, input: { outcome: CallbackAttemptOutcome; note?: string | null }) {
    requireRole(actor, 'callback_agent');
    // not a status change: the ticket stays 待回访 (replied); runStep's replied → replied check is done by hand
    return this.deps.db.transaction().execute(async (trx) => {
      const ticket = await repo.lockTicket(trx, ticketId);
      if (!ticket) throw new AppError('not_found', '工单不存在');
      await assertCanView(trx, actor, ticket);
      if (ticket.status !== 'replied')
        throw new AppError('illegal_transition', '只有待回访的工单可以记录回访未果', { status: ticket.status });
      const now = this.deps.clock.now();
      await trx
        .insertInto('callback_attempts')
        .values({
          ticket_id: ticketId,
          agent_id: actor.userId,
          outcome: input.outcome,
          note: input.note ?? null,
          at: now,
        })
        .execute();
      const attempts = await trx
        .selectFrom('callback_attempts')
        .select(['outcome', 'at'])
        .where('ticket_id', '=', ticketId)
        .execute();
      const plan = callbackPlan(attempts);
      await repo.insertEvent(trx, {
        ticket_id: ticketId,
        kind: 'callback_attempt',
        at: now,
        actor_user_id: actor.userId,
        actor_unit_id: actor.unitId,
        from_status: ticket.status,
        to_status: ticket.status,
        reason: input.note ?? null,
        data: {
          outcome: input.outcome,
          label: CALLBACK_ATTEMPT_LABELS[input.outcome],
          unreached: plan.unreached,
          nextTryAt: plan.nextTryAt,
          closableAs: plan.closableAs,
        },
        request_id: actor.requestId ?? null,
      });
      return plan;
    });
  }

  /** Ends the callback without an evaluation, when the rule allows it: the ticket closes with no satisfaction. */
  async closeWithout(actor: Actor, ticketId: number, input: { note?: string | null; expectedVersion?: number }) {
    requireRole(actor, 'callback_agent');
    return runStep(this.deps, actor, ticketId, 'callback_close', input.expectedVersion, async (ctx) => {
      const attempts = await ctx.trx
        .selectFrom('callback_attempts')
        .select(['outcome', 'at'])
        .where('ticket_id', '=', ticketId)
        .execute();
      const plan = callbackPlan(attempts);
      if (!plan.closableAs)
        throw new AppError(
          'unprocessable',
          `尚不能按未能回访办结：须诉求人拒绝回访，或在不同的两天内共三次未接通（目前 ${plan.unreached} 次、${plan.distinctDays} 天）`,
          { unreached: plan.unreached, distinctDays: plan.distinctDays, nextTryAt: plan.nextTryAt },
        );
      await repo.settleDeadlines(ctx.trx, ctx.ticket.id, ['callback'], ctx.now);
      await ctx.event(
        'closed',
        { callback: plan.closableAs, attempts: attempts.length, unreached: plan.unreached },
        input.note ?? null,
      );
      return repo.updateTicket(ctx.trx, ctx.ticket.id, {
        status: ctx.to,
        closed_at: ctx.now,
        due_at: null,
        updated_at: ctx.now,
      });
    });
  }
}
