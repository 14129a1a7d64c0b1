import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import type { Actor } from '../modules/auth/actor.js';
import type { AuthService } from '../modules/auth/auth.service.js';

export const SESSION_COOKIE = 'hz_sid';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

/** Resolves the actor from a bearer token (machine clients) or the session cookie (people). */
export function registerAuth(app: FastifyInstance, auth: AuthService) {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (req) => {
    const header = req.headers.authorization;
    let actor: Actor | null = null;
    if (header?.startsWith('Bearer ')) actor = await auth.actorFromApiToken(header.slice(7).trim());
    else {
      const sid = req.cookies[SESSION_COOKIE];
      if (sid) actor = await auth.actorFromSession(sid);
    }
    if (actor) {
      actor.requestId = req.id;
      req.actor = actor;
      req.log = req.log.child({ userId: actor.userId });
    }
  });
}

export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('unauthenticated', '请先登录');
  return req.actor;
}
