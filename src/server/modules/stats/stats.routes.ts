import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DB_ID_MAX, hasNoNul, NUL_MESSAGE } from '../../../shared/contracts/common.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';
import { StatsService } from './stats.service.js';

const ticketIds = z
  .string()
  .max(2000)
  .refine(hasNoNul, NUL_MESSAGE)
  .transform((s, ctx) => {
    const ids = s.split(',').filter(Boolean).map(Number);
    if (ids.length > 200 || ids.some((n) => !Number.isInteger(n) || n <= 0 || n > DB_ID_MAX)) {
      ctx.addIssue({ code: 'custom', message: '工单编号列表不正确（最多 200 个正整数）' });
      return z.NEVER;
    }
    return ids;
  });

/** GET /api/stats/overview for the centre's overview screen, and deadline states for queue colouring. */
export function statsRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const stats = new StatsService(s.deps.db, s.deps.clock);
  const tags = ['stats'];
  r.get(
    '/api/stats/overview',
    { schema: { tags, summary: '概览：今日受理量（按渠道、分类）、在办工单按状态、临期与超期时限（热线工作机构）' } },
    async (req) => stats.overview(actorOf(req)),
  );
  r.get(
    '/api/stats/queue-deadlines',
    {
      schema: {
        tags,
        summary: '队列中各工单最紧迫的未完成时限及其状态（用于着色）',
        querystring: z.object({ ticketIds }),
      },
    },
    async (req) => stats.queueDeadlines(actorOf(req), req.query.ticketIds),
  );
}
