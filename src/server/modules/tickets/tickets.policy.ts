import type { Kysely } from 'kysely';
import type { DB, Ticket } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { CENTRE_ROLES, hasRole, inRegionScope, UNIT_ROLES, type Actor, type Role } from '../auth/actor.js';
import { findActiveAssignment } from './tickets.repository.js';
import { subUnitSeesTicket } from './sub-dispatch.repository.js';

// 第三十条 access control: centre staff see tickets in their centre's regions; a unit's staff see only
// tickets their unit currently leads or assists on, or that the lead unit passed down to it (二级派单). Anything
// else is answered 404, so the existence of another unit's ticket is not revealed.
export async function canViewTicket(
  db: Kysely<DB>,
  actor: Actor,
  ticket: Pick<Ticket, 'id' | 'region_code'>,
): Promise<boolean> {
  if (actor.scope === 'region' && hasRole(actor, ...CENTRE_ROLES) && inRegionScope(actor, ticket.region_code))
    return true;
  if (hasRole(actor, ...UNIT_ROLES))
    return (
      (await findActiveAssignment(db, ticket.id, actor.unitId)) !== undefined ||
      // 二级派单 (第十四条): the sub-unit a lead unit passed the ticket to reads it, as any unit does (PII masked)
      (await subUnitSeesTicket(db, ticket.id, actor.unitId))
    );
  return false;
}

export async function assertCanView(
  db: Kysely<DB>,
  actor: Actor,
  ticket: Pick<Ticket, 'id' | 'region_code'> | undefined,
): Promise<void> {
  if (!ticket || !(await canViewTicket(db, actor, ticket))) throw new AppError('not_found', '工单不存在或无权查看');
}

/** The acting unit must be the ticket's current lead unit (第十四条 首接负责: the lead answers for it). */
export async function assertLeadUnitStaff(db: Kysely<DB>, actor: Actor, ticket: Ticket): Promise<void> {
  if (!hasRole(actor, ...UNIT_ROLES)) throw new AppError('forbidden', '仅承办单位人员可执行此操作');
  const a = await findActiveAssignment(db, ticket.id, actor.unitId, 'lead');
  if (!a || ticket.lead_unit_id !== actor.unitId) throw new AppError('forbidden', '本单位不是该工单的主办单位');
}

/**
 * 第三十条: a centre creates tickets only for the regions it serves — a county centre cannot make (or, from a
 * contact, dispatch) a ticket that would land in another county or at the city level.
 */
export async function assertRegionInScope(db: Kysely<DB>, actor: Actor, regionCode: string): Promise<void> {
  if (actor.scope === 'region' && inRegionScope(actor, regionCode)) return;
  // a code that does not exist is the creation's own 400 (行政区划不存在); only a real region outside is refused here
  const exists = await db.selectFrom('regions').select('code').where('code', '=', regionCode).executeTakeFirst();
  if (exists) throw new AppError('forbidden', '该区域不在本热线工作机构的受理范围内', { field: 'regionCode' });
}

/** True when the actor works for the unit this 举报 (report) is about (第三十三条). */
export function identityWithheld(
  actor: Pick<Actor, 'unitId'>,
  t: { request_type: string; reported_unit_id: number | null },
): boolean {
  return t.request_type === 'report' && t.reported_unit_id !== null && t.reported_unit_id === actor.unitId;
}

/** Roles that may see a requester's personal data in clear (always audited). */
export const PII_REVEAL_ROLES: Role[] = [
  'agent',
  'dispatcher',
  'callback_agent',
  'supervisor',
  'handler',
  'unit_manager',
];
