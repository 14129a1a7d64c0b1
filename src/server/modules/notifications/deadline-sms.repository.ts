import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { deadlineSmsText, SMS_DEADLINE_KINDS } from '../../domain/deadline-sms.js';
import { reportTitle } from '../tickets/tickets.presenter.js';

// 第十五条 临期提醒: when the sweeper marks deadlines warned, the lead unit of each (its acceptance, reply or rework
// deadline) is told by SMS on its notification phone — in the sweeper's own transaction, through the outbox
// (outbound_messages, delivered and retried by the SMS worker), so a mark and its SMS commit together or not at all.
// - Once per deadline: deadline_sms_notices is keyed by the deadline. The sweeper holds the deadline's row lock
//   (UPDATE … FOR UPDATE SKIP LOCKED) and marks it only while warned_at is null, so two sweepers never both get here
//   for one deadline; the NOT EXISTS below keeps it so even if a deadline were ever marked again. An approved
//   extension makes a new deadline row, which is told again when it in turn comes close.
// - A unit without a phone gets none. Units the centre's own kinds (callback, review) are not told.
// - No quiet hours: warn_at is one working day before the due time, which the calendar already puts inside working
//   hours for ordinary units; a 7×24 utility works round the clock. (If night-time SMS become a complaint, hold
//   them with next_attempt_at here.)
// - The text carries the ticket number, the first words of the title as the unit sees it (a 举报 about the unit: the
//   text written for it, 第三十三条) and the due time; nothing of the requester (第六条).
export async function queueDeadlineSms(trx: Transaction<DB>, deadlineIds: number[], now: Date): Promise<number> {
  if (deadlineIds.length === 0) return 0;
  const due = await sql<{
    deadline_id: number;
    unit_id: number;
    kind: string;
    due_at: Date;
    ticket_id: number;
    number: string;
    title: string;
    request_type: string;
    reported_unit_id: number | null;
    unit_text: string | null;
    phone_enc: string;
  }>`
    SELECT d.id AS deadline_id, d.unit_id, d.kind, d.due_at, t.id AS ticket_id, t.number, t.title, t.request_type,
      t.reported_unit_id, t.unit_text, p.phone_enc
    FROM deadlines d
    JOIN tickets t ON t.id = d.ticket_id AND t.lead_unit_id = d.unit_id
    JOIN unit_notify_phones p ON p.unit_id = d.unit_id
    WHERE d.id = ANY(${sql.val(deadlineIds)}::bigint[])
      AND d.kind = ANY(${sql.val(SMS_DEADLINE_KINDS)}::text[])
      AND NOT EXISTS (SELECT 1 FROM deadline_sms_notices n WHERE n.deadline_id = d.id)
    ORDER BY d.id`.execute(trx);
  for (const d of due.rows) {
    const withheld = d.request_type === 'report' && d.reported_unit_id === d.unit_id;
    const msg = await trx
      .insertInto('outbound_messages')
      .values({
        channel: 'sms',
        to_enc: d.phone_enc,
        purpose: 'deadline_warning',
        ticket_id: Number(d.ticket_id),
        created_at: now,
        body: deadlineSmsText({
          number: d.number,
          title: withheld ? reportTitle(d.unit_text) : d.title,
          deadlineKind: d.kind,
          dueAt: d.due_at,
        }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('deadline_sms_notices')
      .values({ deadline_id: Number(d.deadline_id), unit_id: d.unit_id, message_id: msg.id, created_at: now })
      .execute();
  }
  return due.rows.length;
}
