import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Actor } from '../auth/actor.js';
import { inRegions } from '../tickets/tickets.repository.js';

/**
 * Open complaints about staff (第九条 → 督办), oldest first, of the tickets in the supervisor's regions only
 * (第三十条): a county centre's supervisor does not read complaints about the city's tickets.
 */
export async function openStaffComplaints(db: Kysely<DB>, actor: Actor) {
  return db
    .selectFrom('staff_complaints')
    .innerJoin('tickets', 'tickets.id', 'staff_complaints.ticket_id')
    .selectAll('staff_complaints')
    .where('staff_complaints.status', '=', 'open')
    .where(inRegions(actor.regionPrefixes))
    .orderBy('staff_complaints.id')
    .limit(200)
    .execute();
}
