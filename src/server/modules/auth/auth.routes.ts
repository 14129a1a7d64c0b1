import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dbId, idParams } from '../../../shared/contracts/common.js';
import { AppError } from '../../errors.js';
import { actorOf, SESSION_COOKIE } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';
import type { Actor } from './actor.js';
import { presentActor, totpCode } from './auth.present.js';
import { accountSecurityRoutes } from './account-security.routes.js';

export function authRoutes(app: FastifyInstance, s: Services, opts: { secureCookie: boolean }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['auth'];
  r.post(
    '/api/auth/login',
    {
      schema: {
        tags,
        summary: '登录（设置 httpOnly 会话 Cookie；连续失败将延时或临时锁定，返回 429）',
        body: z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }),
      },
    },
    async (req, reply) => {
      const outcome = await withRetryAfter(reply, () => s.auth.login(req.body.username, req.body.password, req.ip));
      // 等保 2.0: with a second factor the password only earns a challenge; the session comes at /login/totp
      if (outcome.kind === 'totp')
        return {
          totpRequired: true as const,
          challenge: outcome.challenge,
          expiresAt: outcome.expiresAt.toISOString(),
        };
      return startSession(reply, outcome, opts.secureCookie);
    },
  );
  r.post(
    '/api/auth/login/totp',
    {
      schema: {
        tags,
        summary: '登录第二步：动态验证码（设置会话 Cookie；验证码错误计入登录失败次数）',
        body: z.object({
          challenge: z.string().min(20, '登录验证已过期，请重新登录').max(100, '登录验证已过期，请重新登录'),
          code: totpCode,
        }),
      },
    },
    async (req, reply) => {
      const session = await withRetryAfter(reply, () => s.auth.loginTotp(req.body.challenge, req.body.code, req.ip));
      return startSession(reply, session, opts.secureCookie);
    },
  );
  r.post('/api/auth/logout', { schema: { tags, summary: '退出登录' } }, async (req, reply) => {
    const sid = req.cookies[SESSION_COOKIE];
    // an agent signing out is no longer offered calls (坐席状态, issue 14)
    if (req.actor) await s.presence.signOut(req.actor);
    if (sid) await s.auth.logout(sid);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });
  r.get('/api/auth/me', { schema: { tags, summary: '当前用户' } }, async (req) => presentActor(actorOf(req)));
  r.post(
    '/api/auth/tokens',
    {
      schema: {
        tags,
        summary: '为机器客户端签发 API 令牌（管理员）',
        body: z.object({ userId: dbId(), name: z.string().min(1).max(100) }),
      },
    },
    async (req, reply) =>
      reply.status(201).send(await s.auth.createApiToken(actorOf(req), req.body.userId, req.body.name)),
  );

  // 第六、三十条: accounts locked or slowed down by failed logins, and their unlock (管理员)
  r.get(
    '/api/admin/login-locks',
    {
      schema: { tags: ['admin'], summary: '登录锁定与限速的账号（管理员）' },
    },
    async (req) => s.auth.throttle.list(actorOf(req)),
  );
  r.post(
    '/api/admin/users/:id/unlock',
    {
      schema: {
        tags: ['admin'],
        summary: '解除账号的登录锁定并清零失败次数（管理员）',
        params: idParams,
      },
    },
    async (req) => s.auth.throttle.unlock(actorOf(req), req.params.id),
  );

  // 等保 2.0 身份鉴别: own password and second factor, the admin's resets and the security settings
  accountSecurityRoutes(app, s);
}

function startSession(reply: FastifyReply, s: { token: string; actor: Actor; expiresAt: Date }, secure: boolean) {
  reply.setCookie(SESSION_COOKIE, s.token, {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: '/',
    expires: s.expiresAt,
  });
  return presentActor(s.actor);
}

/** 第六条: a delayed or locked attempt says when to come back, for browsers and for scripts alike. */
async function withRetryAfter<T>(reply: FastifyReply, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    if (err instanceof AppError && err.code === 'too_many_requests')
      reply.header('Retry-After', String(Number(err.details?.retryAfterSeconds ?? 1)));
    throw err;
  }
}
