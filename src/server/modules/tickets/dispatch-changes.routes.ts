import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams } from '../../../shared/contracts/tickets.js';
import * as c from '../../../shared/contracts/unit-workflow.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';
import { presentTicketSummary } from './tickets.presenter.js';

// 第十四条 the dispatcher's corrections before acceptance and batch dispatch. Thin routes: validate, call, shape.
export function dispatchChangeRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const present = (req: FastifyRequest, t: Parameters<typeof presentTicketSummary>[0]) =>
    presentTicketSummary(t, s.deps.cipher, actorOf(req));
  const tags = ['tickets'];

  r.post(
    '/api/tickets/:id/recall',
    {
      schema: { tags, summary: '撤回派单：承办单位签收前退回待派单（第十四条）', params: idParams, body: c.recallBody },
    },
    async (req) => present(req, await s.dispatchChanges.recall(actorOf(req), req.params.id, req.body)),
  );
  r.post(
    '/api/tickets/:id/reassign',
    {
      schema: { tags, summary: '改派：承办单位签收前改派其他单位（第十四条）', params: idParams, body: c.reassignBody },
    },
    async (req) => present(req, await s.dispatchChanges.reassign(actorOf(req), req.params.id, req.body)),
  );
  r.post(
    '/api/tickets/dispatch-batch',
    {
      schema: {
        tags,
        summary: '批量派单：逐件按派单目录派单，每件一个事务，逐件返回结果',
        body: c.batchDispatchBody,
      },
    },
    async (req) => s.dispatchChanges.batchDispatch(actorOf(req), req.body),
  );
}

// 第十五条 审核: the handler's reply to the unit manager, the manager's decision, the admin's per-unit setting.
export function replySignoffRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const present = (req: FastifyRequest, t: Parameters<typeof presentTicketSummary>[0]) =>
    presentTicketSummary(t, s.deps.cipher, actorOf(req));
  const tags = ['tickets'];

  r.post(
    '/api/tickets/:id/reply-signoffs',
    {
      schema: {
        tags,
        summary: '答复提交单位负责人审核（第十五条；单位设置须审核时）',
        params: idParams,
        body: c.signoffSubmitBody,
      },
    },
    async (req, reply) =>
      reply.status(201).send(present(req, await s.replySignoffs.submit(actorOf(req), req.params.id, req.body))),
  );
  r.get(
    '/api/tickets/:id/reply-signoffs',
    { schema: { tags, summary: '工单的答复审核记录，及主办单位是否须审核', params: idParams } },
    async (req) => s.replySignoffs.forTicket(actorOf(req), req.params.id),
  );
  r.get(
    '/api/reply-signoffs',
    { schema: { tags, summary: '单位负责人的待审核答复（游标分页）', querystring: c.signoffQueueQuery } },
    async (req) => s.replySignoffs.queue(actorOf(req), req.query),
  );
  r.post(
    '/api/reply-signoffs/:id/approve',
    { schema: { tags, summary: '审核通过：答复送出本单位（第十五条）', params: idParams, body: c.signoffApproveBody } },
    async (req) => present(req, await s.replySignoffs.approve(actorOf(req), req.params.id, req.body)),
  );
  r.post(
    '/api/reply-signoffs/:id/return',
    { schema: { tags, summary: '退回答复给承办人（第十五条）', params: idParams, body: c.signoffReturnBody } },
    async (req) => present(req, await s.replySignoffs.returnToHandler(actorOf(req), req.params.id, req.body)),
  );
  r.get(
    '/api/unit-workflow-settings',
    { schema: { tags: ['admin'], summary: '须经单位负责人审核答复的单位' } },
    async (req) => s.replySignoffs.settings(actorOf(req)),
  );
  r.put(
    '/api/units/:id/reply-signoff',
    {
      schema: {
        tags: ['admin'],
        summary: '设置单位答复是否须经单位负责人审核（第十五条）',
        params: idParams,
        body: c.signoffSettingBody,
      },
    },
    async (req) => s.replySignoffs.setSetting(actorOf(req), req.params.id, req.body),
  );
}

// 单位内部分办: the unit manager names a handler of the unit for a ticket.
export function ticketHandlerRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['tickets'];
  r.get('/api/unit-handlers', { schema: { tags, summary: '本单位可指定的承办人（单位负责人）' } }, async (req) =>
    s.ticketHandlers.handlers(actorOf(req)),
  );
  r.get(
    '/api/tickets/:id/extension-limit',
    { schema: { tags, summary: '延期上限：累计工作日上限、已延期、尚可延期（第十六条）', params: idParams } },
    async (req) => s.ticketHandlers.extensionLimit(actorOf(req), req.params.id),
  );
  r.post(
    '/api/tickets/:id/handler',
    { schema: { tags, summary: '指定本单位承办人', params: idParams, body: c.assignHandlerBody } },
    async (req) =>
      presentTicketSummary(
        await s.ticketHandlers.assign(actorOf(req), req.params.id, req.body),
        s.deps.cipher,
        actorOf(req),
      ),
  );
}
