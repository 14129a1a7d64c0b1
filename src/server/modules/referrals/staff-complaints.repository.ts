import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { ComplaintStatus } from '../../../shared/domain/referrals.js';
import type { Actor } from '../auth/actor.js';
import { inRegions } from '../tickets/tickets.repository.js';

/** One step of a complaint's handling, as the drawer shows it (the admin audit keeps before/after too). */
export async function insertComplaintStep(
  trx: Transaction<DB>,
  complaintId: number,
  action: string,
  note: string | null,
  actor: Actor,
  at: Date,
) {
  await trx
    .insertInto('staff_complaint_steps')
    .values({ complaint_id: complaintId, action, note, actor_user_id: actor.userId, at })
    .execute();
}

/** The complaint with its ticket's region, locked for a step. */
export async function lockComplaint(trx: Transaction<DB>, id: number) {
  return trx
    .selectFrom('staff_complaints as c')
    .innerJoin('tickets as t', 't.id', 'c.ticket_id')
    .select([
      'c.id',
      'c.status',
      'c.finding',
      'c.version',
      'c.ticket_id',
      't.region_code',
      't.number',
      't.requester_id',
    ])
    .where('c.id', '=', id)
    .forUpdate('c')
    .executeTakeFirst();
}

const ACTIVE: ComplaintStatus[] = ['open', 'investigating', 'concluded', 'replied'];

/**
 * Complaints about staff (第九条 → 督办) of the tickets in the supervisor's regions only (第三十条): the active ones
 * (not closed or escalated) by default, oldest first so the longest waiting comes first; any one status; or all,
 * newest first. At most `limit` rows by keyset.
 */
export async function listStaffComplaints(
  db: Kysely<DB>,
  actor: Actor,
  q: { status: ComplaintStatus | 'active' | 'all'; before?: number; limit: number },
) {
  let query = db
    .selectFrom('staff_complaints')
    .innerJoin('tickets', 'tickets.id', 'staff_complaints.ticket_id')
    .leftJoin('users as a', 'a.id', 'staff_complaints.assignee_id')
    .selectAll('staff_complaints')
    .select(['tickets.number as ticket_number', 'a.display_name as assignee_name'])
    .where(inRegions(actor.regionPrefixes))
    .limit(q.limit);
  if (q.status === 'active') query = query.where('staff_complaints.status', 'in', ACTIVE);
  else if (q.status !== 'all') query = query.where('staff_complaints.status', '=', q.status);
  if (q.status === 'all') {
    query = query.orderBy('staff_complaints.id', 'desc');
    if (q.before) query = query.where('staff_complaints.id', '<', q.before);
  } else {
    query = query.orderBy('staff_complaints.id');
    if (q.before) query = query.where('staff_complaints.id', '>', q.before);
  }
  return query.execute();
}
