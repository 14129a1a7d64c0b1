import type { Kysely } from 'kysely';
import type { DB, Ticket } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { CENTRE_ROLES, hasRole, inRegionScope, UNIT_ROLES, type Actor, type Role } from '../auth/actor.js';
import { findActiveAssignment } from './tickets.repository.js';

// 第三十条 access control: centre staff see tickets in their centre's regions; a unit's staff see only
// tickets their unit currently leads or assists on. Anything else is answered 404, so the existence of
// another unit's ticket is not revealed.
export async function canViewTicket(db: Kysely<DB>, actor: Actor, ticket: Pick<Ticket, 'id' | 'region_code'>): Promise<boolean> {
  if (actor.scope === 'region' && hasRole(actor, ...CENTRE_ROLES) && inRegionScope(actor, ticket.region_code)) return true;
  if (hasRole(actor, ...UNIT_ROLES)) return (await findActiveAssignment(db, ticket.id, actor.unitId)) !== undefined;
  return false;
}

export async function assertCanView(db: Kysely<DB>, actor: Actor, ticket: Pick<Ticket, 'id' | 'region_code'> | undefined): Promise<void> {
  if (!ticket || !(await canViewTicket(db, actor, ticket))) throw new AppError('not_found', '工单不存在或无权查看');
}

/** The acting unit must be the ticket's current lead unit (第十四条 首接负责: the lead answers for it). */
export async function assertLeadUnitStaff(db: Kysely<DB>, actor: Actor, ticket: Ticket): Promise<void> {
  if (!hasRole(actor, ...UNIT_ROLES)) throw new AppError('forbidden', '仅承办单位人员可执行此操作');
  const a = await findActiveAssignment(db, ticket.id, actor.unitId, 'lead');
  if (!a || ticket.lead_unit_id !== actor.unitId) throw new AppError('forbidden', '本单位不是该工单的主办单位');
}

/** Roles that may see a requester's personal data in clear (always audited). */
export const PII_REVEAL_ROLES: Role[] = ['agent', 'dispatcher', 'callback_agent', 'supervisor', 'handler', 'unit_manager'];
