import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams } from '../../../shared/contracts/common.js';
import { synonymCreateBody, synonymUpdateBody } from '../../../shared/contracts/knowledge-answering.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';

export function knowledgeSynonymsRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['knowledge'];
  r.get('/api/knowledge/synonyms', { schema: { tags, summary: '知识库同义词组' } }, async (req) => {
    actorOf(req);
    return { items: await s.knowledgeSynonyms.list() };
  });
  r.post(
    '/api/knowledge/synonyms',
    { schema: { tags, summary: '新增同义词组（知识库审核员、系统管理员）', body: synonymCreateBody } },
    async (req, reply) => reply.status(201).send(await s.knowledgeSynonyms.create(actorOf(req), req.body.terms)),
  );
  r.patch(
    '/api/knowledge/synonyms/:id',
    {
      schema: {
        tags,
        summary: '修改或停用同义词组（知识库审核员、系统管理员）',
        params: idParams,
        body: synonymUpdateBody,
      },
    },
    async (req) => s.knowledgeSynonyms.update(actorOf(req), req.params.id, req.body),
  );
}
