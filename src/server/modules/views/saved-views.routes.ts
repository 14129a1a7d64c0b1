import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams } from '../../../shared/contracts/common.js';
import { savedViewBody, savedViewsQuery } from '../../../shared/contracts/saved-views.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';

// Issue 14 "Every list": saved views per user.
export function savedViewRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['views'];
  r.get(
    '/api/saved-views',
    { schema: { tags, summary: '本人保存的列表视图', querystring: savedViewsQuery } },
    async (req) => s.savedViews.list(actorOf(req), req.query.screen),
  );
  r.post(
    '/api/saved-views',
    { schema: { tags, summary: '保存列表视图（同名覆盖）', body: savedViewBody } },
    async (req, reply) => reply.code(201).send(await s.savedViews.save(actorOf(req), req.body)),
  );
  r.delete(
    '/api/saved-views/:id',
    { schema: { tags, summary: '删除本人保存的视图', params: idParams } },
    async (req, reply) => {
      await s.savedViews.remove(actorOf(req), req.params.id);
      return reply.code(204).send();
    },
  );
}
