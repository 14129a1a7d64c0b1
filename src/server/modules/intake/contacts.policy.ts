import type { ExpressionBuilder, Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { hasRole, inRegionScope, type Actor, type Role } from '../auth/actor.js';
import { canViewTicket } from '../tickets/tickets.policy.js';
import * as ticketRepo from '../tickets/tickets.repository.js';

// 第六、三十条 access control for contacts, requesters and their attachments, the same as for tickets: only
// centre staff see contacts, and a centre sees a contact that reached it (its own line or channel, or a centre
// below it: the city centre supervises the county centres), or whose ticket is in its regions. A message no
// centre was named for (web form, WeChat, Open311 without a routing) reached the city centre: the one whose
// regions cover the whole city. Anything else is answered 404, as for another centre's ticket, so the existence
// of the contact is not revealed. Every path that reads or changes a contact or a requester goes through here.

type Db = Kysely<DB>;
export interface ContactScopeRow {
  id: number;
  centre_unit_id: number | null;
  ticket_id: number | null;
}

const notFound = () => new AppError('not_found', '来电/来信记录不存在');

/**
 * The centre roles whose work is the contacts themselves. Analysts, auditors and admins work on figures, the audit
 * and the configuration: they read tickets, not a caller's words, number or pictures before they are a ticket.
 */
export const CONTACT_ROLES: Role[] = ['agent', 'dispatcher', 'supervisor', 'callback_agent'];

function centreStaff(actor: Actor): boolean {
  return actor.scope === 'region' && hasRole(actor, ...CONTACT_ROLES) && actor.regionPrefixes.length > 0;
}

/** The regions a contact belongs to before it has a ticket: those of the centre that received it. */
async function homeRegions(db: Db, centreUnitId: number | null): Promise<string[]> {
  const rows =
    centreUnitId === null
      ? await db.selectFrom('regions').select('code').where('parent_code', 'is', null).execute()
      : await db.selectFrom('unit_regions').select('region_code as code').where('unit_id', '=', centreUnitId).execute();
  return rows.map((r) => r.code);
}

export async function canViewContact(db: Db, actor: Actor, contact: ContactScopeRow): Promise<boolean> {
  if (!centreStaff(actor)) return false;
  if ((await homeRegions(db, contact.centre_unit_id)).some((code) => inRegionScope(actor, code))) return true;
  if (contact.ticket_id === null) return false;
  const t = await db
    .selectFrom('tickets')
    .select(['id', 'region_code'])
    .where('id', '=', contact.ticket_id)
    .executeTakeFirst();
  return !!t && (await canViewTicket(db, actor, t));
}

/** Loads a contact the actor may see, or answers 404 whether it is missing or outside the actor's scope. */
export async function loadVisibleContact(db: Db, actor: Actor, contactId: number): Promise<ContactScopeRow> {
  const c = await db
    .selectFrom('contacts')
    .select(['id', 'centre_unit_id', 'ticket_id'])
    .where('id', '=', contactId)
    .executeTakeFirst();
  if (!c || !(await canViewContact(db, actor, c))) throw notFound();
  return c;
}

/**
 * The same rule as a where() condition on a contacts query, for lists (a requester's history). Centres whose
 * regions lie in the actor's scope are looked up first; the ticket branch reads tickets by id.
 */
export async function visibleContacts(db: Db, actor: Actor) {
  if (!centreStaff(actor)) return (eb: ExpressionBuilder<DB, 'contacts'>) => eb.val(false);
  const centres = await db
    .selectFrom('units')
    .innerJoin('unit_regions', 'unit_regions.unit_id', 'units.id')
    .select(['units.id', 'unit_regions.region_code'])
    .where('units.kind', '=', 'centre')
    .execute();
  const centreIds = [...new Set(centres.filter((c) => inRegionScope(actor, c.region_code)).map((c) => c.id))];
  const coversCity = (await homeRegions(db, null)).some((code) => inRegionScope(actor, code));
  const prefixes = actor.regionPrefixes;
  return (eb: ExpressionBuilder<DB, 'contacts'>) =>
    eb.or([
      ...(centreIds.length ? [eb('contacts.centre_unit_id', 'in', centreIds)] : []),
      ...(coversCity ? [eb('contacts.centre_unit_id', 'is', null)] : []),
      eb.exists(
        eb
          .selectFrom('tickets')
          .select('tickets.id')
          .whereRef('tickets.id', '=', 'contacts.ticket_id')
          .where(ticketRepo.inRegions(prefixes)),
      ),
    ]);
}

/** The inbox: contacts received by the actor's own centre, and, for the city centre, those no centre was named for. */
export async function inboxScope(db: Db, actor: Actor) {
  const coversCity = centreStaff(actor) && (await homeRegions(db, null)).some((code) => inRegionScope(actor, code));
  return (eb: ExpressionBuilder<DB, 'contacts'>) =>
    eb.or([
      eb('contacts.centre_unit_id', '=', actor.unitId),
      ...(coversCity ? [eb('contacts.centre_unit_id', 'is', null)] : []),
    ]);
}

/**
 * A requester is known to the actor when one of their contacts or tickets is: their history and flags are
 * otherwise answered 404 (a county centre cannot look up a city caller by id).
 */
export async function assertRequesterVisible(db: Db, actor: Actor, requesterId: number): Promise<void> {
  if (centreStaff(actor)) {
    const contact = await db
      .selectFrom('contacts')
      .select('id')
      .where('requester_id', '=', requesterId)
      .where(await visibleContacts(db, actor))
      .limit(1)
      .executeTakeFirst();
    if (contact) return;
    const ticket = await db
      .selectFrom('tickets')
      .select('id')
      .where(ticketRepo.raisedOrJoinedBy(requesterId))
      .where(ticketRepo.inRegions(actor.regionPrefixes))
      .limit(1)
      .executeTakeFirst();
    if (ticket) return;
  }
  throw new AppError('not_found', '诉求人不存在');
}
