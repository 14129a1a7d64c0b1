import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { actorOf } from '../../http/auth-plugin.js';
import { requireRole, type Actor, type Role } from '../auth/actor.js';

/**
 * Webhooks are called by machines with a bearer token an admin issued to a machine user
 * (POST /api/auth/tokens). A person's session, even an admin's, is not a gateway.
 */
export function machineActor(req: FastifyRequest, role: Extract<Role, 'gateway' | 'partner'>): Actor {
  const actor = actorOf(req);
  requireRole(actor, role);
  return actor;
}

/**
 * Partner systems that bring requests in (Open311, /api/channels/partner) speak for a hotline centre: the contact
 * lands in that centre's inbox. A unit's own system (a unit's partner token, e.g. its knowledge push, 第十八条)
 * has no inbox and may not take requests in.
 */
export async function isCentrePartner(db: Kysely<DB>, actor: Actor): Promise<boolean> {
  const unit = await db.selectFrom('units').select('kind').where('id', '=', actor.unitId).executeTakeFirst();
  return unit?.kind === 'centre';
}

export async function requireCentrePartner(db: Kysely<DB>, actor: Actor): Promise<void> {
  if (!(await isCentrePartner(db, actor)))
    throw new AppError('forbidden', '该对接系统属于承办单位，不能转入诉求（仅热线工作机构的对接系统可以）');
}

/** Channel ids are opaque strings from other systems; trimmed, bounded and non-empty. */
export const EXTERNAL_ID_MAX = 200;
