import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as c from '../../../shared/contracts/tickets.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';
import { presentTicketSummary } from './tickets.presenter.js';

// Thin routes: validate, call one service method, shape the answer.
export function ticketRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // the answer is shaped for the one who asked: the unit a 举报 is about reads the text written for it (第三十三条)
  const present = (req: FastifyRequest, t: Parameters<typeof presentTicketSummary>[0]) =>
    presentTicketSummary(t, s.deps.cipher, actorOf(req));
  const tags = ['tickets'];

  r.post(
    '/api/tickets',
    { schema: { tags, summary: '创建工单（受理后不能在线答复的诉求）', body: c.createTicketBody } },
    async (req, reply) => {
      const t = await s.tickets.create(actorOf(req), req.body);
      // the tracking code is shown once, to be read out to the requester (第九条)
      return reply.status(201).send({ ...present(req, t), trackingCode: t.trackingCode });
    },
  );
  r.get(
    '/api/tickets',
    {
      schema: {
        tags,
        summary:
          '工作队列（默认按时限排序，sort 可按受理时间或时限倒序；游标分页；每项含摘录 excerpt，全文见工单详情）',
        querystring: c.queueQuery,
      },
    },
    async (req) => s.queries.queue(actorOf(req), req.query),
  );
  // POST, not GET: a phone number in a query string would end up in access logs (第六条).
  r.post(
    '/api/tickets/search',
    { schema: { tags, summary: '工单查询：工单号、来电号码或关键词（关键词检索近一年）', body: c.ticketSearchBody } },
    async (req) => s.search.search(actorOf(req), req.body),
  );
  r.get(
    '/api/tickets/:id',
    { schema: { tags, summary: '工单详情：时限、事件、申请、回访', params: c.idParams } },
    async (req) => s.queries.view(actorOf(req), req.params.id),
  );
  r.post(
    '/api/tickets/:id/requester/reveal',
    {
      schema: {
        tags,
        summary: '查看诉求人个人信息（记入访问审计；并单工单可指定其他诉求人）',
        params: c.idParams,
        body: c.ticketRevealBody,
      },
    },
    async (req) => s.queries.revealRequester(actorOf(req), req.params.id, req.body.purpose, req.body.requesterId),
  );

  r.post(
    '/api/tickets/:id/dispatch',
    { schema: { tags, summary: '派单（按派单目录或人工指定）', params: c.idParams, body: c.dispatchBody } },
    async (req) => present(req, await s.tickets.dispatch(actorOf(req), req.params.id, req.body)),
  );
  r.post(
    '/api/tickets/:id/accept',
    { schema: { tags, summary: '签收', params: c.idParams, body: c.versionBody } },
    async (req) => present(req, await s.tickets.accept(actorOf(req), req.params.id, req.body ?? {})),
  );
  r.post(
    '/api/tickets/:id/contacts',
    { schema: { tags, summary: '记录联系诉求人（第十五条）', params: c.idParams, body: c.contactBody } },
    async (req) => present(req, await s.tickets.recordContact(actorOf(req), req.params.id, req.body)),
  );
  r.post(
    '/api/tickets/:id/progress-reports',
    { schema: { tags, summary: '阶段性反馈（第十六条）', params: c.idParams, body: c.progressBody } },
    async (req) => present(req, await s.tickets.progressReport(actorOf(req), req.params.id, req.body)),
  );
  r.post(
    '/api/tickets/:id/assist-results',
    { schema: { tags, summary: '协办单位提交办理结果（第十六条）', params: c.idParams, body: c.assistResultBody } },
    async (req) => present(req, await s.tickets.submitAssistResult(actorOf(req), req.params.id, req.body)),
  );
  r.post(
    '/api/tickets/:id/reply',
    { schema: { tags, summary: '办结答复（第十五条）', params: c.idParams, body: c.replyBody } },
    async (req) => present(req, await s.tickets.reply(actorOf(req), req.params.id, req.body)),
  );
  r.post(
    '/api/tickets/:id/callback',
    { schema: { tags, summary: '回访：办结或重办（第十七条）', params: c.idParams, body: c.callbackBody } },
    async (req) => present(req, await s.tickets.callback(actorOf(req), req.params.id, req.body)),
  );

  r.post(
    '/api/tickets/:id/return-applications',
    { schema: { tags, summary: '退单申请（第十四条）', params: c.idParams, body: c.returnBody } },
    async (req, reply) =>
      reply.status(201).send(await s.applications.applyReturn(actorOf(req), req.params.id, req.body)),
  );
  r.post(
    '/api/tickets/:id/extension-applications',
    { schema: { tags, summary: '延期申请（第十六条）', params: c.idParams, body: c.extensionBody } },
    async (req, reply) =>
      reply.status(201).send(await s.applications.applyExtension(actorOf(req), req.params.id, req.body)),
  );
  r.post(
    '/api/tickets/:id/termination-applications',
    { schema: { tags, summary: '终止办理申请（第十五条第五、六项）', params: c.idParams, body: c.terminationBody } },
    async (req, reply) =>
      reply.status(201).send(await s.applications.applyTermination(actorOf(req), req.params.id, req.body)),
  );
  r.post(
    '/api/tickets/:id/dispute-applications',
    { schema: { tags, summary: '职责争议（第十六条）', params: c.idParams, body: c.disputeBody } },
    async (req, reply) =>
      reply.status(201).send(await s.applications.applyDispute(actorOf(req), req.params.id, req.body)),
  );

  const atags = ['applications'];
  r.get(
    '/api/applications',
    { schema: { tags: atags, summary: '待审核申请队列', querystring: c.applicationsQuery } },
    async (req) => s.applicationQueries.pending(actorOf(req), req.query),
  );
  r.post(
    '/api/applications/:id/review',
    {
      schema: {
        tags: atags,
        summary: '审核申请（退单、延期、终止、驳回争议）',
        params: c.idParams,
        body: c.reviewBody,
      },
    },
    async (req) => present(req, await s.applications.review(actorOf(req), req.params.id, req.body)),
  );
  r.post(
    '/api/applications/:id/consultation',
    { schema: { tags: atags, summary: '会商确定承办单位（第十六条）', params: c.idParams, body: c.consultationBody } },
    async (req) => present(req, await s.applications.holdConsultation(actorOf(req), req.params.id, req.body)),
  );
}
