import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { localDayStart } from '../../domain/local-day.js';
import type { ReferralsQuery } from '../../../shared/contracts/referrals.js';
import type { Actor } from '../auth/actor.js';

/** A referral row locked for its step (one transaction per step). */
export async function lockReferral(trx: Transaction<DB>, id: number) {
  return trx.selectFrom('referrals').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findReferral(db: Kysely<DB>, id: number) {
  return db.selectFrom('referrals').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertReferralEvent(
  trx: Transaction<DB>,
  e: {
    referralId: number;
    action: string;
    from: string | null;
    to: string | null;
    note: string | null;
    actorId: number;
    at: Date;
  },
) {
  await trx
    .insertInto('referral_events')
    .values({
      referral_id: e.referralId,
      action: e.action,
      from_status: e.from,
      to_status: e.to,
      note: e.note,
      actor_user_id: e.actorId,
      at: e.at,
    })
    .execute();
}

export async function referralTicketIds(db: Kysely<DB>, referralId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('referral_tickets')
    .select('ticket_id')
    .where('referral_id', '=', referralId)
    .orderBy('ticket_id')
    .execute();
  return rows.map((r) => r.ticket_id);
}

/**
 * The referrals list, newest first by keyset (`before`), in the actor's regions: a prefix match on an indexed
 * column, never a count of the table. Filters: status, one conduct (GIN), the unit, the day it was transferred.
 */
export async function listReferrals(db: Kysely<DB>, actor: Actor, q: ReferralsQuery) {
  let query = db
    .selectFrom('referrals as r')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .innerJoin('users as c', 'c.id', 'r.created_by')
    .select([
      'r.id',
      'r.subject_kind',
      'r.unit_id',
      'u.name as unit_name',
      'r.staff',
      'r.conducts',
      'r.body_name',
      'r.status',
      'r.transferred_at',
      'r.accepted_on',
      'r.result_on',
      'r.complaint_id',
      'c.display_name as created_by_name',
      sql<number>`(SELECT count(*) FROM referral_tickets rt WHERE rt.referral_id = r.id)::int`.as('ticket_count'),
    ])
    .where((eb) => eb.or(actor.regionPrefixes.map((p) => eb('r.region_prefix', 'like', `${p}%`))))
    .orderBy('r.id', 'desc')
    .limit(q.limit);
  if (q.status) query = query.where('r.status', '=', q.status);
  if (q.unitId) query = query.where('r.unit_id', '=', q.unitId);
  if (q.conduct) query = query.where(sql<boolean>`r.conducts @> ARRAY[${q.conduct}]::text[]`);
  if (q.from) query = query.where('r.transferred_at', '>=', localDayStart(q.from));
  if (q.to) query = query.where('r.transferred_at', '<', localDayStart(q.to, 1));
  if (q.before) query = query.where('r.id', '<', q.before);
  return query.execute();
}

export async function referralEvents(db: Kysely<DB>, referralId: number) {
  return db
    .selectFrom('referral_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .select(['e.id', 'e.action', 'e.from_status', 'e.to_status', 'e.note', 'e.at', 'u.display_name as actor_name'])
    .where('e.referral_id', '=', referralId)
    .orderBy('e.id')
    .execute();
}
