import type { UnitHandler } from '../../../shared/contracts/unit-workflow.js';
import { AppError } from '../../errors.js';
import { requireRole, type Actor } from '../auth/actor.js';
import { findUnit } from '../config/config.repository.js';
import { DeadlinePlanner } from './deadline-planner.js';
import { assertCanView, assertLeadUnitStaff } from './tickets.policy.js';
import * as repo from './tickets.repository.js';
import { runStep, type ServiceDeps } from './ticket-workflow.js';

/**
 * 第十五条 单位内部分办: the unit manager names the handler of a ticket the unit leads; the handler finds it under
 * 「我的」 (the queue's 'mine' view). One handler at a time; each naming is an event of the ticket.
 */
export class TicketHandlerService {
  constructor(private readonly deps: ServiceDeps) {}

  /** The active people of the manager's unit who handle tickets. */
  async handlers(actor: Actor): Promise<{ items: UnitHandler[] }> {
    requireRole(actor, 'unit_manager');
    const rows = await this.deps.db
      .selectFrom('users')
      .select(['id', 'display_name', 'roles'])
      .where('unit_id', '=', actor.unitId)
      .where('active', '=', true)
      .orderBy('id')
      .limit(500)
      .execute();
    return {
      items: rows
        .filter((u) => u.roles.includes('handler') || u.roles.includes('unit_manager'))
        .map((u) => ({ id: u.id, name: u.display_name })),
    };
  }

  /** 第十六条: the ticket's extension limit (working days in total) and what is used, for the extension form. */
  async extensionLimit(actor: Actor, ticketId: number) {
    const { db } = this.deps;
    const ticket = await repo.findTicket(db, ticketId);
    await assertCanView(db, actor, ticket);
    const lead = ticket!.lead_unit_id ? await findUnit(db, ticket!.lead_unit_id) : undefined;
    const planner = await DeadlinePlanner.load(db);
    const max = await planner.limitFor('extension_max', {
      categoryId: ticket!.category_id,
      urgency: ticket!.urgency,
      unitKind: lead?.kind,
      roundTheClock: false,
    });
    const used = ticket!.extension_days;
    return { max: max.amount, used, remaining: Math.max(0, max.amount - used) };
  }

  async assign(actor: Actor, ticketId: number, input: { handlerId: number; expectedVersion?: number }) {
    requireRole(actor, 'unit_manager');
    return runStep(this.deps, actor, ticketId, 'assign_handler', input.expectedVersion, async (ctx) => {
      await assertLeadUnitStaff(ctx.trx, actor, ctx.ticket);
      const u = await ctx.trx
        .selectFrom('users')
        .select(['id', 'display_name', 'roles', 'unit_id', 'active'])
        .where('id', '=', input.handlerId)
        .executeTakeFirst();
      if (
        !u ||
        !u.active ||
        u.unit_id !== actor.unitId ||
        !(u.roles.includes('handler') || u.roles.includes('unit_manager'))
      )
        throw new AppError('bad_request', '所选承办人不是本单位在岗的承办人员', { field: 'handlerId' });
      const before = await ctx.trx
        .selectFrom('ticket_handlers')
        .select(['handler_id', 'unit_id'])
        .where('ticket_id', '=', ctx.ticket.id)
        .executeTakeFirst();
      const previousHandlerId = before && before.unit_id === actor.unitId ? before.handler_id : null;
      if (previousHandlerId === u.id) throw new AppError('conflict', '该工单已由此人承办');
      const row = {
        unit_id: actor.unitId,
        handler_id: u.id,
        assigned_by: actor.userId,
        assigned_at: ctx.now,
      };
      await ctx.trx
        .insertInto('ticket_handlers')
        .values({ ticket_id: ctx.ticket.id, ...row })
        .onConflict((oc) => oc.column('ticket_id').doUpdateSet(row))
        .execute();
      await ctx.event('handler_assigned', { handlerId: u.id, handlerName: u.display_name, previousHandlerId });
      return repo.updateTicket(ctx.trx, ctx.ticket.id, { updated_at: ctx.now });
    });
  }
}
