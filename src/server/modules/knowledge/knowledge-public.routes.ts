import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams } from '../../../shared/contracts/common.js';
import {
  publicKnowledgeFeedbackBody,
  publicKnowledgeSearchQuery,
} from '../../../shared/contracts/knowledge-answering.js';
import { rateLimit } from '../../http/rate-limit.js';
import type { Services } from '../../http/services.js';

// 第十八条 公众自助: no account. Reads and feedback are throttled per client address like the other public routes.
export function knowledgePublicRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['public'];
  const reads = { preHandler: rateLimit(s.deps, { max: 60, windowMs: 60_000, key: 'knowledge' }) };
  const votes = { preHandler: rateLimit(s.deps, { max: 10, windowMs: 60_000, key: 'knowledge-feedback' }) };
  r.get(
    '/api/public/knowledge/search',
    {
      ...reads,
      schema: { tags, summary: '查一查：搜索公开的知识（提交诉求前先查）', querystring: publicKnowledgeSearchQuery },
    },
    async (req) => s.knowledgePublic.find(req.query),
  );
  r.get(
    '/api/public/knowledge/articles/:id',
    { ...reads, schema: { tags, summary: '公开知识详情（已发布、公开、在有效期内）', params: idParams } },
    async (req) => s.knowledgePublic.article(req.params.id),
  );
  r.post(
    '/api/public/knowledge/articles/:id/feedback',
    {
      ...votes,
      schema: {
        tags,
        summary: '这条答复是否解决了您的问题（有用/没用）',
        params: idParams,
        body: publicKnowledgeFeedbackBody,
      },
    },
    async (req) => s.knowledgePublic.feedback(req.params.id, req.body.helpful),
  );
}
