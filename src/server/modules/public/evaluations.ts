import type { Transaction } from 'kysely';
import type { DB, Satisfaction } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import * as repo from '../tickets/tickets.repository.js';

/**
 * 第九条: the requester's own evaluation of a replied ticket — once per matter, from the portal or by answering
 * the SMS survey. The caller holds the ticket's row lock. Any SMS survey still open for the ticket stops asking.
 */
export async function recordEvaluation(
  trx: Transaction<DB>,
  ticketId: number,
  input: {
    satisfaction: Satisfaction;
    comment?: string | null;
    via: 'portal' | 'sms' | 'wechat' | 'weibo';
    contactId?: number;
  },
  now: Date,
) {
  const prior = await trx.selectFrom('evaluations').select('id').where('ticket_id', '=', ticketId).executeTakeFirst();
  if (prior) throw new AppError('conflict', '该工单已评价');
  const row = await trx
    .insertInto('evaluations')
    .values({
      ticket_id: ticketId,
      satisfaction: input.satisfaction,
      comment: input.comment ?? null,
      at: now,
      via: input.via,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('sms_surveys')
    .set({ status: 'superseded' })
    .where('ticket_id', '=', ticketId)
    .where('status', '=', 'open')
    .execute();
  await repo.insertEvent(trx, {
    ticket_id: ticketId,
    kind: 'requester_evaluated',
    at: now,
    actor_user_id: null,
    actor_unit_id: null,
    data: {
      satisfaction: input.satisfaction,
      via: input.via,
      ...(input.contactId ? { contactId: input.contactId } : {}),
    },
  });
  return row;
}
