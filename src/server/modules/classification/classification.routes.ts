import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as c from '../../../shared/contracts/classification.js';
import { idParams } from '../../../shared/contracts/common.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';

// 第四、十二条 智能分类: thin routes over ClassificationService.
export function classificationRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['classification'];

  r.post(
    '/api/classification/suggest',
    {
      schema: {
        tags,
        summary: '智能分类建议：前三个末级事项分类、置信度、关键词和相似工单（话务员、派单员）',
        body: c.suggestBody,
      },
    },
    async (req) => s.classification.suggest(actorOf(req), req.body),
  );
  r.get(
    '/api/classification/tickets/:id/unit-suggestion',
    {
      schema: {
        tags,
        summary: '承办单位的历史建议（派单目录为准，历史仅作第二建议；派单员）',
        params: idParams,
      },
    },
    async (req) => s.classification.unitSuggestion(actorOf(req), req.params.id),
  );
  r.post(
    '/api/classification/tickets/:id/category',
    {
      schema: {
        tags,
        summary: '更正待派单工单的事项分类（派单员；记入工单记录）',
        params: idParams,
        body: c.recategorizeBody,
      },
    },
    async (req) => s.classification.recategorize(actorOf(req), req.params.id, req.body),
  );
  r.get(
    '/api/classification/models',
    { schema: { tags, summary: '分类模型的版本、状态和评估结果（管理员）' } },
    async (req) => s.classification.models(actorOf(req)),
  );
  r.get(
    '/api/classification/models/:id/categories',
    {
      schema: {
        tags,
        summary: '模型在留出样本上各事项分类的精确率、召回率、F1 和最常误判为的分类（管理员）',
        params: idParams,
      },
    },
    async (req) => s.classification.modelCategories(actorOf(req), req.params.id),
  );
  r.post(
    '/api/classification/models/train',
    { schema: { tags, summary: '立即训练分类模型（评估不低于在用模型才启用；管理员）' } },
    async (req) => s.classification.trainNow(actorOf(req)),
  );
  r.post(
    '/api/classification/models/:id/activate',
    {
      schema: {
        tags,
        summary: '回滚到此版本（启用一个曾经启用过的模型；管理员）',
        params: idParams,
        body: c.activateBody,
      },
    },
    async (req) => s.classification.activate(actorOf(req), req.params.id, req.body.note),
  );
  r.get(
    '/api/classification/take-rates',
    { schema: { tags, summary: '建议采纳率（按周、按分类；管理员、分析员）', querystring: c.takeRatesQuery } },
    async (req) => s.classification.takeRates(actorOf(req), req.query.weeks),
  );
}
