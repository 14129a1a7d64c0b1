import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as c from '../../../shared/contracts/supervision.js';
import { idParams } from '../../../shared/contracts/common.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';

// 第二十二条 热线督办: thin routes over the rule and case services.
export function supervisionRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['supervision'];

  r.get(
    '/api/supervision/rules',
    { schema: { tags, summary: '督办触发规则（各版本及生效期间；督办员、管理员）' } },
    async (req) => s.supervisionRules.list(actorOf(req)),
  );
  r.put(
    '/api/supervision/rules/:code',
    {
      schema: {
        tags,
        summary: '修改督办触发规则（新增版本，自生效时间起替代现行版本；记入操作审计）',
        params: c.triggerParams,
        body: c.ruleBody,
      },
    },
    async (req) => s.supervisionRules.update(actorOf(req), req.params.code, req.body),
  );
  r.get(
    '/api/supervision/cases',
    { schema: { tags, summary: '督办件（按反馈期限排序，游标分页；单位只看本单位的）', querystring: c.caseListQuery } },
    async (req) => s.supervisionCases.list(actorOf(req), req.query),
  );
  r.post(
    '/api/supervision/cases',
    { schema: { tags, summary: '手动督办（第二十二条第五、六项）', body: c.manualCaseBody } },
    async (req, reply) => reply.status(201).send(await s.supervisionCases.openManual(actorOf(req), req.body)),
  );
  r.get(
    '/api/supervision/cases/:id',
    { schema: { tags, summary: '督办件详情：事由、证据、工单、办理记录', params: idParams } },
    async (req) => s.supervisionCases.view(actorOf(req), req.params.id),
  );
  r.get(
    '/api/supervision/cases/:id/notice.pdf',
    { schema: { tags, summary: '督办通知单（PDF）', params: idParams } },
    async (req, reply) => {
      const { number, pdf } = await s.supervisionCases.noticePdf(actorOf(req), req.params.id);
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${number}.pdf"`).send(pdf);
    },
  );
  r.post(
    '/api/supervision/cases/:id/confirm',
    { schema: { tags, summary: '确认督办建议（立案督办）', params: idParams, body: c.confirmBody } },
    async (req) => s.supervisionCases.confirm(actorOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/supervision/cases/:id/dismiss',
    { schema: { tags, summary: '不予督办（督办建议）', params: idParams, body: c.dismissBody } },
    async (req) => s.supervisionCases.dismiss(actorOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/supervision/cases/:id/answer',
    { schema: { tags, summary: '被督办单位反馈办理情况', params: idParams, body: c.answerBody } },
    async (req) => s.supervisionCases.answer(actorOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/supervision/cases/:id/decide',
    { schema: { tags, summary: '督办决定：办结、再次督办、提级督办', params: idParams, body: c.decideBody } },
    async (req) => s.supervisionCases.decide(actorOf(req), req.params.id, req.body),
  );
  r.get(
    '/api/supervision/tickets/:id',
    { schema: { tags, summary: '工单的黄牌、红牌和督办件', params: idParams } },
    async (req) => s.supervisionCases.forTicket(actorOf(req), req.params.id),
  );
  r.get(
    '/api/supervision/cards',
    { schema: { tags, summary: '各单位黄牌、红牌数（近 N 天）', querystring: c.cardsQuery } },
    async (req) => s.supervisionCases.cardBoard(actorOf(req), req.query.days),
  );
}
