import type { Kysely, Transaction, Updateable } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { SubDispatchesTable, SubDispatchStatus } from '../../db/schema-sub-dispatch.js';

// The only place that writes SQL for 二级派单 (第十四至十六条): sub-dispatches and their extension applications.

/** Still with the sub-unit: waiting for its 签收, being handled, or its reply waiting for the lead unit's review. */
export const LIVE_SUB_STATUSES: SubDispatchStatus[] = ['pending', 'accepted', 'submitted'];
/** The sub-unit reads the ticket while the matter is with it, and after its reply was adopted (as an assisting unit). */
export const VISIBLE_SUB_STATUSES: SubDispatchStatus[] = [...LIVE_SUB_STATUSES, 'approved'];

export async function subUnitSeesTicket(db: Kysely<DB>, ticketId: number, unitId: number): Promise<boolean> {
  const row = await db
    .selectFrom('sub_dispatches')
    .select('id')
    .where('ticket_id', '=', ticketId)
    .where('unit_id', '=', unitId)
    .where('status', 'in', VISIBLE_SUB_STATUSES)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function findSubDispatch(db: Kysely<DB>, id: number) {
  return db.selectFrom('sub_dispatches').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function lockSubDispatch(trx: Transaction<DB>, id: number) {
  return trx.selectFrom('sub_dispatches').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
}

export async function liveSubDispatch(db: Kysely<DB>, ticketId: number) {
  return db
    .selectFrom('sub_dispatches')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .where('status', 'in', LIVE_SUB_STATUSES)
    .executeTakeFirst();
}

export async function insertSubDispatch(
  trx: Transaction<DB>,
  row: {
    ticket_id: number;
    parent_unit_id: number;
    unit_id: number;
    instructions: string;
    dispatched_by: number;
    dispatched_at: Date;
    accept_due_at: Date;
    return_until: Date;
    due_at: Date;
  },
) {
  return trx
    .insertInto('sub_dispatches')
    .values({ ...row, status: 'pending', original_due_at: row.due_at })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateSubDispatch(trx: Transaction<DB>, id: number, patch: Updateable<SubDispatchesTable>) {
  return trx.updateTable('sub_dispatches').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/**
 * Ends the ticket's sub-dispatches in the given states (the ticket left the lead unit or was terminated; the lead
 * unit answered the centre itself), and the extension applications still pending on them. Returns their ids.
 */
export async function endSubDispatches(
  trx: Transaction<DB>,
  ticketId: number,
  at: Date,
  reason: string,
  statuses: SubDispatchStatus[] = VISIBLE_SUB_STATUSES,
): Promise<number[]> {
  const ended = await trx
    .updateTable('sub_dispatches')
    .set({ status: 'ended', ended_at: at, end_reason: reason })
    .where('ticket_id', '=', ticketId)
    .where('status', 'in', statuses)
    .returning('id')
    .execute();
  const ids = ended.map((r) => r.id);
  if (ids.length)
    await trx
      .updateTable('sub_dispatch_extensions')
      .set({ status: 'rejected', decided_at: at, review_note: reason })
      .where('sub_dispatch_id', 'in', ids)
      .where('status', '=', 'pending')
      .execute();
  return ids;
}

/** The active sub-units of a unit (units.parent_id), by name. */
export async function subUnitsOf(db: Kysely<DB>, parentUnitId: number) {
  return db
    .selectFrom('units')
    .select(['id', 'name', 'kind', 'is_24x7'])
    .where('parent_id', '=', parentUnitId)
    .where('active', '=', true)
    .orderBy('name')
    .execute();
}

/** A ticket's sub-dispatches, oldest first, with the names of the units and people on them. */
export async function listForTicket(db: Kysely<DB>, ticketId: number) {
  return db
    .selectFrom('sub_dispatches as s')
    .innerJoin('units as u', 'u.id', 's.unit_id')
    .innerJoin('units as p', 'p.id', 's.parent_unit_id')
    .leftJoin('users as d', 'd.id', 's.dispatched_by')
    .selectAll('s')
    .select(['u.name as unit_name', 'p.name as parent_unit_name', 'd.display_name as dispatched_by_name'])
    .where('s.ticket_id', '=', ticketId)
    .orderBy('s.id')
    .execute();
}

export async function listExtensions(db: Kysely<DB>, subDispatchIds: number[]) {
  if (subDispatchIds.length === 0) return [];
  return db
    .selectFrom('sub_dispatch_extensions')
    .selectAll()
    .where('sub_dispatch_id', 'in', subDispatchIds)
    .orderBy('id')
    .execute();
}

export async function pendingExtension(db: Kysely<DB>, subDispatchId: number) {
  return db
    .selectFrom('sub_dispatch_extensions')
    .selectAll()
    .where('sub_dispatch_id', '=', subDispatchId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
}

export async function findExtension(db: Kysely<DB>, id: number) {
  return db.selectFrom('sub_dispatch_extensions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function lockExtension(trx: Transaction<DB>, id: number) {
  return trx
    .selectFrom('sub_dispatch_extensions')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export async function insertExtension(
  trx: Transaction<DB>,
  row: {
    sub_dispatch_id: number;
    ticket_id: number;
    unit_id: number;
    applicant_id: number;
    reason: string;
    progress: string;
    days: number;
    previous_due_at: Date;
    created_at: Date;
  },
) {
  return trx
    .insertInto('sub_dispatch_extensions')
    .values({ ...row, status: 'pending' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function decideExtension(
  trx: Transaction<DB>,
  id: number,
  patch: {
    status: 'approved' | 'rejected';
    reviewer_id: number;
    review_note: string | null;
    decided_at: Date;
    new_due_at?: Date;
  },
) {
  await trx.updateTable('sub_dispatch_extensions').set(patch).where('id', '=', id).execute();
}
