import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { knowledgeSearchQuery, knowledgeSuggestBody } from '../../../shared/contracts/knowledge-answering.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';
import { knowledgeFiguresRoutes } from './knowledge-figures.routes.js';
import { knowledgeFlagsRoutes } from './knowledge-flags.routes.js';
import { knowledgePublicRoutes } from './knowledge-public.routes.js';
import { knowledgeSynonymsRoutes } from './knowledge-synonyms.routes.js';

/** 第十二、十八条: searching and answering with the knowledge base, flags, synonyms, figures and the portal. */
export function knowledgeAnsweringRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['knowledge'];
  r.get(
    '/api/knowledge/search',
    {
      schema: {
        tags,
        summary: '知识库查询（已发布且在有效期内的知识；中文分词、同义词、分类与区域筛选）',
        querystring: knowledgeSearchQuery,
      },
    },
    async (req) => s.knowledgeSearch.search(actorOf(req), req.query),
  );
  r.post(
    '/api/knowledge/suggestions',
    {
      schema: {
        tags,
        summary: '受理台推荐知识：按来电来信内容（第十二条 能够即时答复的即时答复）',
        body: knowledgeSuggestBody,
      },
    },
    async (req) => s.knowledgeSearch.suggest(actorOf(req), req.body),
  );
  knowledgeFlagsRoutes(app, s);
  knowledgeSynonymsRoutes(app, s);
  knowledgeFiguresRoutes(app, s);
  knowledgePublicRoutes(app, s);
}
