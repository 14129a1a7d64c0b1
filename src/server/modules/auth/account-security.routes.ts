import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../../../shared/contracts/common.js';
import { PASSWORD_POLICY } from '../../../shared/domain/password-policy.js';
import { AppError } from '../../errors.js';
import { actorOf, SESSION_COOKIE } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';
import { PEOPLE_ROLES, type Actor } from './actor.js';
import { presentActor, totpCode } from './auth.present.js';
import { tokenHash } from './auth.service.js';

// 等保 2.0 身份鉴别 (第六条): a person's own password and second factor (修改密码, 账户安全), an admin's reset of a user's
// second factor, and the 安全策略 settings. Field messages are Chinese: screens show them as they are.

/** The signed-in person behind a session cookie; an API token (a machine) has no password or authenticator. */
function sessionOf(req: FastifyRequest): { actor: Actor; sessionTokenHash: string } {
  const actor = actorOf(req);
  const sid = req.cookies[SESSION_COOKIE];
  if (req.headers.authorization?.startsWith('Bearer ') || !sid)
    throw new AppError('forbidden', 'API 令牌不能修改密码或二次验证，请使用账号登录');
  return { actor, sessionTokenHash: tokenHash(sid) };
}

const password = (label: string) =>
  z
    .string({ error: `请输入${label}` })
    .min(1, `请输入${label}`)
    .max(200, `${label}不能超过 200 个字符`);

export function accountSecurityRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['auth'];

  r.post(
    '/api/auth/password',
    {
      schema: {
        tags,
        summary: '修改本人密码（须验证当前密码；新密码须符合密码策略，其他会话随之退出）',
        body: z.object({ currentPassword: password('当前密码'), newPassword: password('新密码') }),
      },
    },
    async (req) => {
      const { actor, sessionTokenHash } = sessionOf(req);
      await s.auth.passwords.changeOwn(actor, req.body, { ip: req.ip, sessionTokenHash });
      return presentActor((await s.auth.actorFromSession(req.cookies[SESSION_COOKIE]!)) ?? actor);
    },
  );

  r.post(
    '/api/auth/totp/setup',
    { schema: { tags, summary: '开始绑定二次验证：生成密钥与二维码内容（确认前不生效）' } },
    async (req) => s.auth.totp.setup(sessionOf(req).actor),
  );
  r.post(
    '/api/auth/totp/enable',
    {
      schema: {
        tags,
        summary: '用验证器显示的动态验证码确认绑定，启用二次验证',
        body: z.object({ code: totpCode }),
      },
    },
    async (req) => {
      const { actor } = sessionOf(req);
      await s.auth.totp.enable(actor, req.body.code);
      return presentActor((await s.auth.actorFromSession(req.cookies[SESSION_COOKIE]!)) ?? actor);
    },
  );
  r.post(
    '/api/auth/totp/disable',
    {
      schema: {
        tags,
        summary: '停用二次验证（须输入当前动态验证码；角色要求二次验证时不能停用）',
        body: z.object({ code: totpCode }),
      },
    },
    async (req) => {
      const { actor } = sessionOf(req);
      await s.auth.totp.disable(actor, req.body.code);
      return presentActor((await s.auth.actorFromSession(req.cookies[SESSION_COOKIE]!)) ?? actor);
    },
  );

  r.post(
    '/api/users/:id/totp/reset',
    {
      schema: {
        tags: ['admin'],
        summary: '重置用户的二次验证（管理员；用于验证器丢失，该用户的会话随之退出）',
        params: idParams,
      },
    },
    async (req) => s.auth.totp.reset(actorOf(req), req.params.id),
  );

  r.get(
    '/api/admin/security-settings',
    { schema: { tags: ['admin'], summary: '安全策略：密码策略、会话时限、须二次验证的角色（管理员、审计员）' } },
    async (req) => s.auth.settings.get(actorOf(req)),
  );
  r.put(
    '/api/admin/security-settings',
    {
      schema: {
        tags: ['admin'],
        summary: '修改安全策略（管理员）',
        body: z.object({
          passwordMinLength: z
            .number({ error: '请填写密码最小长度' })
            .int('密码最小长度须为整数')
            .min(PASSWORD_POLICY.minLengthFloor, `密码最小长度不能小于 ${PASSWORD_POLICY.minLengthFloor}`)
            .max(PASSWORD_POLICY.minLengthCeiling, `密码最小长度不能大于 ${PASSWORD_POLICY.minLengthCeiling}`),
          passwordHistory: z
            .number({ error: '请填写密码历史次数' })
            .int('密码历史次数须为整数')
            .min(1, '密码历史次数至少为 1')
            .max(PASSWORD_POLICY.maxHistory, `密码历史次数不能超过 ${PASSWORD_POLICY.maxHistory}`),
          totpRequiredRoles: z
            .array(z.enum(PEOPLE_ROLES as [string, ...string[]], { error: '角色不正确' }), {
              error: '须二次验证的角色须为角色列表',
            })
            .max(PEOPLE_ROLES.length, '角色过多'),
        }),
      },
    },
    async (req) =>
      s.auth.settings.update(actorOf(req), {
        ...req.body,
        totpRequiredRoles: req.body.totpRequiredRoles as Actor['roles'],
      }),
  );
}
