import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dbId, idParams, safeString } from '../../../shared/contracts/common.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';
import { presentTicketSummary } from './tickets.presenter.js';

const expectedVersion = dbId('版本号不正确').optional();

// 第十七条 回访未果 (issue 14): the failed tries of a callback and the end of a callback that never reached anyone.
export function callbackAttemptRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['tickets'];
  r.get(
    '/api/tickets/:id/callback/attempts',
    { schema: { tags, summary: '回访未果记录与下次回访时间（第十七条）', params: idParams } },
    async (req) => s.callbackAttempts.plan(actorOf(req), req.params.id),
  );
  r.post(
    '/api/tickets/:id/callback/attempts',
    {
      schema: {
        tags,
        summary: '记录回访未果：未接通或拒绝回访（第十七条）',
        params: idParams,
        body: z.object({
          outcome: z.enum(['unreached', 'refused'], { error: '回访结果只能是未接通或拒绝回访' }),
          note: safeString().trim().max(500, '说明不能超过 500 字').optional(),
        }),
      },
    },
    async (req, reply) =>
      reply.status(201).send(await s.callbackAttempts.record(actorOf(req), req.params.id, req.body)),
  );
  r.post(
    '/api/tickets/:id/callback/close-unreached',
    {
      schema: {
        tags,
        summary: '未能回访办结：拒绝回访，或两天内三次未接通（第十七条）',
        params: idParams,
        body: z.object({ note: safeString().trim().max(500).optional(), expectedVersion }),
      },
    },
    async (req) =>
      presentTicketSummary(
        await s.callbackAttempts.closeWithout(actorOf(req), req.params.id, req.body),
        s.deps.cipher,
        actorOf(req),
      ),
  );
}
