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
      actor.sourceIp = req.ip;
      req.actor = actor;
      req.log = req.log.child({ userId: actor.userId });
      if (actor.mustChangePassword || actor.totpEnrolmentRequired) refuseUntilDone(req, actor);
    }
  });
}

// 等保 2.0 身份鉴别: a session whose user must first change the password (after an admin's reset, admin:create) or
// enrol the second factor their role requires may do that, read who they are and sign out — every other API call
// answers 403 with a code the web recognises. The web app's own files are not API calls and stay reachable.
const WHILE_PASSWORD_CHANGE = new Set([
  'GET /api/auth/me',
  'POST /api/auth/logout',
  'POST /api/auth/login',
  'POST /api/auth/login/totp',
  'POST /api/auth/password',
]);
const WHILE_TOTP_ENROLMENT = new Set([
  'GET /api/auth/me',
  'POST /api/auth/logout',
  'POST /api/auth/login',
  'POST /api/auth/login/totp',
  'POST /api/auth/totp/setup',
  'POST /api/auth/totp/enable',
]);

function refuseUntilDone(req: FastifyRequest, actor: Actor) {
  const url = req.routeOptions.url;
  if (!url?.startsWith('/api/') || url.startsWith('/api/docs')) return;
  const op = `${req.method} ${url}`;
  if (actor.mustChangePassword) {
    if (!WHILE_PASSWORD_CHANGE.has(op))
      throw new AppError(
        'PASSWORD_CHANGE_REQUIRED',
        '请先修改密码：您正在使用管理员设置的临时密码，修改后才能继续使用系统',
      );
  } else if (!WHILE_TOTP_ENROLMENT.has(op))
    throw new AppError(
      'TOTP_ENROLMENT_REQUIRED',
      '请先绑定二次验证：您的角色须使用动态验证码登录，绑定后才能继续使用系统',
    );
}

export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('unauthenticated', '请先登录');
  return req.actor;
}
