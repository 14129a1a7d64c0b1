import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { knowledgeFiguresQuery } from '../../../shared/contracts/knowledge-answering.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';

export function knowledgeFiguresRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/knowledge/figures',
    {
      schema: {
        tags: ['knowledge'],
        summary: '知识库统计：直接答复率（按日、话务员、知识）、使用最多、纠错最多、未解答的搜索（第十二条）',
        querystring: knowledgeFiguresQuery,
      },
    },
    async (req) => s.knowledgeFigures.figures(actorOf(req), req.query),
  );
}
