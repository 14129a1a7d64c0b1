import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../http/services.js';
import { rateLimit } from '../../http/rate-limit.js';

const ticketRef = {
  number: z
    .string()
    .trim()
    // a ticket number, or (issue 14) the 留言编号 of a portal message, followed before and after it is a ticket
    .regex(/^(HZ\d{8}-\d{6}|WEB-\d{1,12})$/i, '请输入工单号（如 HZ20250312-000123）或留言编号（如 WEB-1024）'),
  code: z.string().trim().min(6, '查询码不正确').max(12),
};

// No login: the ticket number (or a portal message's 留言编号) and its code are the requester's key (第九条).
export function publicRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['public'];
  // Guessing codes is throttled per client address.
  const limited = { preHandler: rateLimit(s.deps, { max: 30, windowMs: 60_000, key: 'tracking' }) };
  r.get(
    '/api/public/tracking',
    {
      ...limited,
      schema: { tags, summary: '凭工单号（或留言编号）和查询码查询办理进度和结果', querystring: z.object(ticketRef) },
    },
    async (req) => s.tracking.progress(req.query.number, req.query.code),
  );
  // issue 14: the portal offers the staff's own matter categories (two levels), so what a citizen picks is what the
  // agent sees; names only, nothing internal
  r.get(
    '/api/public/categories',
    { schema: { tags, summary: '诉求类别（事项分类的前两级，供网上留言选择）' } },
    async (_req, reply) => reply.header('cache-control', 'public, max-age=300').send(await s.config.publicCategories()),
  );
  r.get(
    '/api/public/regions',
    { schema: { tags, summary: '所在区域（县区及乡镇街道，供网上留言选择）' } },
    async (_req, reply) => reply.header('cache-control', 'public, max-age=300').send(await s.config.publicRegions()),
  );
  r.post(
    '/api/public/tracking/evaluate',
    {
      ...limited,
      schema: {
        tags,
        summary: '评价办理结果',
        body: z.object({
          ...ticketRef,
          satisfaction: z.enum(['satisfied', 'basically_satisfied', 'unsatisfied']),
          comment: z.string().max(1000).optional(),
        }),
      },
    },
    async (req) => s.tracking.evaluate(req.body.number, req.body.code, req.body),
  );
  r.post(
    '/api/public/tracking/complaint',
    {
      ...limited,
      schema: {
        tags,
        summary: '投诉工作人员（转督办）',
        body: z.object({
          ...ticketRef,
          content: z.string().trim().min(5, '请具体说明投诉内容').max(2000),
          againstStaff: z.string().max(100).optional(),
        }),
      },
    },
    async (req, reply) => reply.status(201).send(await s.tracking.complain(req.body.number, req.body.code, req.body)),
  );
}
