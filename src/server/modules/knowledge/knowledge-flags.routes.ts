import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams } from '../../../shared/contracts/common.js';
import {
  knowledgeFlagBody,
  knowledgeFlagResolveBody,
  knowledgeFlagsQuery,
} from '../../../shared/contracts/knowledge-answering.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';

export function knowledgeFlagsRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['knowledge'];
  r.post(
    '/api/knowledge/articles/:id/flags',
    {
      schema: {
        tags,
        summary: '知识纠错：内容有误、政策过时、表述不清（通知主管单位）',
        params: idParams,
        body: knowledgeFlagBody,
      },
    },
    async (req, reply) => reply.status(201).send(await s.knowledgeFlags.raise(actorOf(req), req.params.id, req.body)),
  );
  r.get(
    '/api/knowledge/flags',
    {
      schema: {
        tags,
        summary: '知识纠错记录（主管单位看本单位的，知识库审核员看全部；before 翻页）',
        querystring: knowledgeFlagsQuery,
      },
    },
    async (req) => s.knowledgeFlags.list(actorOf(req), req.query),
  );
  r.post(
    '/api/knowledge/flags/:id/resolve',
    {
      schema: {
        tags,
        summary: '处理知识纠错（主管单位或知识库审核员）',
        params: idParams,
        body: knowledgeFlagResolveBody,
      },
    },
    async (req) => s.knowledgeFlags.resolve(actorOf(req), req.params.id, req.body.resolution),
  );
}
