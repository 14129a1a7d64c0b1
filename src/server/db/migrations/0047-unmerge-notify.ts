import { sql, type Kysely } from 'kysely';

// Issue 14 撤销并单: a unit whose ticket was merged away (notified: merged_into) is told when the undo gives it back
// ('unmerged', in NOTIFIED_EVENT_KINDS). The bell reads a unit's notifications through the partial index of 0043,
// whose predicate must cover every notified kind, so it is rebuilt with the new kind. Frozen once released.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
DROP INDEX unit_feed_notified;
CREATE INDEX unit_feed_notified ON unit_feed(unit_id, id DESC) WHERE kind IN (
  'dispatched','reassigned','consultation_held','dispatch_recalled','return_approved','return_rejected',
  'extension_approved','extension_rejected','termination_approved','termination_rejected','dispute_rejected',
  'handler_assigned','reply_returned','rework','closed','requester_evaluated','deadline_warned','deadline_breached',
  'supervision_opened','supervision_confirmed','supervision_supervised_again','supervision_escalated',
  'supervision_closed','merged_into','unmerged');
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0047-unmerge-notify is not reversible');
}
