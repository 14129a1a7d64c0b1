import type { Kysely, Transaction } from 'kysely';
import type { DB, Ticket, TicketStatus } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import { allowedActions, nextStatus, STATUS_LABELS, type TicketAction } from '../../../shared/domain/transitions.js';
import type { PiiCipher } from '../../security/pii-cipher.js';
import type { Actor } from '../auth/actor.js';
import { findUnit } from '../config/config.repository.js';
import { DeadlinePlanner } from './deadline-planner.js';
import { assertCanView } from './tickets.policy.js';
import * as repo from './tickets.repository.js';

export interface ServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  cipher: PiiCipher;
}

export interface StepContext {
  trx: Transaction<DB>;
  ticket: Ticket;
  from: TicketStatus;
  to: TicketStatus;
  now: Date;
  planner: () => Promise<DeadlinePlanner>;
  /** Appends the step's immutable event with actor, time and the status change filled in. */
  event: (kind: string, data?: Record<string, unknown>, reason?: string | null) => Promise<void>;
}

/**
 * Runs one lifecycle step as one transaction: lock the ticket, check it is visible to the actor, check
 * the optimistic version, check the transition table, then let the step change rows and append its event.
 * A concurrent change to the same ticket waits on the row lock and then sees the new state, so it gets a
 * 409 instead of overwriting.
 */
export async function runStep<T>(
  deps: ServiceDeps,
  actor: Actor,
  ticketId: number,
  action: TicketAction,
  expectedVersion: number | undefined,
  step: (ctx: StepContext) => Promise<T>,
): Promise<T> {
  return deps.db.transaction().execute(async (trx) => {
    const ticket = await repo.lockTicket(trx, ticketId);
    await assertCanView(trx, actor, ticket);
    if (expectedVersion !== undefined && expectedVersion !== ticket!.version) {
      throw new AppError('version_conflict', '工单已被他人修改，请刷新后重试', {
        currentVersion: ticket!.version,
        status: ticket!.status,
      });
    }
    const from = ticket!.status;
    const to = nextStatus(from, action);
    if (to === null) {
      throw new AppError('illegal_transition', `工单当前状态为「${STATUS_LABELS[from]}」，不能执行该操作`, {
        status: from,
        action,
        allowedActions: allowedActions(from),
      });
    }
    const now = deps.clock.now();
    let planner: DeadlinePlanner | undefined;
    return step({
      trx,
      ticket: ticket!,
      from,
      to,
      now,
      planner: async () => (planner ??= await DeadlinePlanner.load(trx)),
      event: async (kind, data, reason) => {
        await repo.insertEvent(trx, {
          ticket_id: ticketId,
          kind,
          at: now,
          actor_user_id: actor.userId,
          actor_unit_id: actor.unitId,
          from_status: from,
          to_status: to,
          reason: reason ?? null,
          data: data ?? {},
          request_id: actor.requestId ?? null,
        });
      },
    });
  });
}

/**
 * Hands a ticket to a lead unit (and assisting units): assignments, the accept/reply/assist deadlines
 * and the return window (第十四条). Shared by dispatch, redispatch after a return, and consultation.
 */
export async function assignUnits(
  ctx: StepContext,
  leadUnitId: number,
  assistUnitIds: number[],
): Promise<{ acceptDue: Date; replyDue: Date; returnUntil: Date }> {
  const { trx, ticket, now } = ctx;
  const lead = await findUnit(trx, leadUnitId);
  if (!lead || !lead.active || lead.kind === 'centre')
    throw new AppError('bad_request', '主办单位不存在或不可派单', { leadUnitId });
  const assists = [...new Set(assistUnitIds)].filter((id) => id !== leadUnitId);
  for (const id of assists) {
    const u = await findUnit(trx, id);
    if (!u || !u.active || u.kind === 'centre')
      throw new AppError('bad_request', '协办单位不存在或不可派单', { assistUnitId: id });
  }
  const planner = await ctx.planner();
  const base = {
    categoryId: ticket.category_id,
    urgency: ticket.urgency,
    unitKind: lead.kind,
    roundTheClock: lead.is_24x7,
  };
  const accept = await planner.plan('accept', now, base);
  const reply = await planner.plan('reply', now, base);
  const returnWindow = await planner.plan('return_window', now, base);

  await repo.insertAssignment(trx, { ticket_id: ticket.id, unit_id: leadUnitId, role: 'lead', dispatched_at: now });
  await repo.insertDeadline(trx, {
    ticket_id: ticket.id,
    unit_id: leadUnitId,
    kind: 'accept',
    starts_at: now,
    due_at: accept.due,
    warn_at: accept.warn,
    calendar_unconfirmed: accept.calendarUnconfirmed,
  });
  await repo.insertDeadline(trx, {
    ticket_id: ticket.id,
    unit_id: leadUnitId,
    kind: 'reply',
    starts_at: now,
    due_at: reply.due,
    warn_at: reply.warn,
    calendar_unconfirmed: reply.calendarUnconfirmed,
  });
  for (const id of assists) {
    const u = (await findUnit(trx, id))!;
    const assist = await planner.plan('assist', now, { ...base, unitKind: u.kind, roundTheClock: u.is_24x7 });
    await repo.insertAssignment(trx, { ticket_id: ticket.id, unit_id: id, role: 'assist', dispatched_at: now });
    await repo.insertDeadline(trx, {
      ticket_id: ticket.id,
      unit_id: id,
      kind: 'assist',
      starts_at: now,
      due_at: assist.due,
      warn_at: assist.warn,
      calendar_unconfirmed: assist.calendarUnconfirmed,
    });
  }
  return { acceptDue: accept.due, replyDue: reply.due, returnUntil: returnWindow.due };
}

/** Takes the ticket away from its current units: their assignments end and their open deadlines lapse. */
export async function unassignUnits(ctx: StepContext): Promise<void> {
  await repo.endAssignments(ctx.trx, ctx.ticket.id, ctx.now);
  await repo.cancelDeadlines(ctx.trx, ctx.ticket.id, ['accept', 'first_contact', 'reply', 'rework', 'assist'], ctx.now);
  // 第十五条 审核: a reply the old unit's manager had not yet decided does not leave with the ticket
  await ctx.trx
    .updateTable('reply_signoffs')
    .set({ status: 'returned', reviewed_at: ctx.now, review_note: '工单已转出本单位，答复未送出' })
    .where('ticket_id', '=', ctx.ticket.id)
    .where('status', '=', 'pending')
    .execute();
}
