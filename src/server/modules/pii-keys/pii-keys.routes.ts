import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';

// 第六条 个人信息密钥 (admin only): the key versions, rotations with their progress, and starting one.
export function piiKeyRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['admin'];
  r.get(
    '/api/admin/pii-keys',
    {
      schema: {
        tags,
        summary: '个人信息密钥：当前与旧密钥版本、轮换进度与历史、可移除的旧版本（管理员）',
      },
    },
    async (req) => s.piiKeys.status(actorOf(req)),
  );
  r.post(
    '/api/admin/pii-keys/rotations',
    {
      schema: {
        tags,
        summary: '开始密钥轮换：以当前密钥重新加密全部个人信息（后台分批进行；已有轮换进行中时 409）',
      },
    },
    async (req, reply) => reply.status(201).send(await s.piiKeys.start(actorOf(req))),
  );
}
