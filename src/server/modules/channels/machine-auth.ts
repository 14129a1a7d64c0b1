import type { FastifyRequest } from 'fastify';
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

/** Channel ids are opaque strings from other systems; trimmed, bounded and non-empty. */
export const EXTERNAL_ID_MAX = 200;
