import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { hasRole, type Actor } from '../auth/actor.js';
import type { StepContext } from './ticket-workflow.js';

// 第十五条 审核: the unit's setting and the replies waiting for the unit manager (migration 0034).

export async function signoffRequired(db: Kysely<DB>, unitId: number | null): Promise<boolean> {
  if (unitId === null) return false;
  const row = await db
    .selectFrom('unit_workflow_settings')
    .select('reply_signoff')
    .where('unit_id', '=', unitId)
    .executeTakeFirst();
  return row?.reply_signoff ?? false;
}

export async function pendingSignoff(db: Kysely<DB>, ticketId: number) {
  return db
    .selectFrom('reply_signoffs')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
}

/**
 * 第十五条 审核, checked by the direct reply: a reply waiting for sign-off is decided first, and in a unit that
 * requires sign-off only the unit manager replies directly (a handler submits).
 */
export async function assertNoSignoffPending(ctx: StepContext, actor: Actor): Promise<void> {
  if (await pendingSignoff(ctx.trx, ctx.ticket.id))
    throw new AppError('conflict', '该工单的答复已提交单位负责人审核，请先完成审核', { signoffPending: true });
  if (!hasRole(actor, 'unit_manager') && (await signoffRequired(ctx.trx, ctx.ticket.lead_unit_id)))
    throw new AppError('conflict', '本单位的答复须经单位负责人审核，请提交审核（第十五条）', { signoffRequired: true });
}

export async function lockSignoff(trx: Transaction<DB>, id: number) {
  return trx.selectFrom('reply_signoffs').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}
