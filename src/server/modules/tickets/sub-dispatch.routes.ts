import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams } from '../../../shared/contracts/tickets.js';
import * as c from '../../../shared/contracts/sub-dispatch.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';

// 二级派单 (第十四至十六条): the lead unit passes an accepted ticket down to a sub-unit and stays the lead. Thin
// routes: validate, call one service method, answer.
export function subDispatchRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['sub-dispatch'];
  const one = async (id: number, req: Parameters<typeof actorOf>[0]) =>
    (await s.subDispatchQueries.forTicket(actorOf(req), id)).items;

  r.get(
    '/api/tickets/:id/sub-dispatch-options',
    { schema: { tags, summary: '转派表单：本单位的下级单位、本单位时限与默认下级时限（二级派单）', params: idParams } },
    async (req) => s.subDispatches.options(actorOf(req), req.params.id),
  );
  r.get(
    '/api/tickets/:id/sub-dispatches',
    { schema: { tags, summary: '工单的二级派单链：下级单位、状态、下级时限、是否超期', params: idParams } },
    async (req) => ({ items: await one(req.params.id, req) }),
  );
  r.post(
    '/api/tickets/:id/sub-dispatches',
    {
      schema: {
        tags,
        summary: '转派下级单位办理：主办单位仍负首接责任，下级时限不得晚于本单位时限（第十四、十五条）',
        params: idParams,
        body: c.subDispatchBody,
      },
    },
    async (req, reply) => {
      const row = await s.subDispatches.dispatch(actorOf(req), req.params.id, req.body);
      const items = await one(req.params.id, req);
      return reply.status(201).send(items.find((i) => i.id === row.id));
    },
  );
  r.get(
    '/api/sub-dispatches',
    {
      schema: {
        tags,
        summary: '转派工单队列：收到的（下级单位）或派出的（上级单位），按下级时限排序',
        querystring: c.subQueueQuery,
      },
    },
    async (req) => s.subDispatchQueries.queue(actorOf(req), req.query),
  );

  r.post(
    '/api/sub-dispatches/:id/accept',
    { schema: { tags, summary: '下级单位签收转派', params: c.subIdParams } },
    async (req) => presentStep(await s.subDispatches.accept(actorOf(req), req.params.id)),
  );
  r.post(
    '/api/sub-dispatches/:id/return',
    {
      schema: {
        tags,
        summary: '下级单位退回上级单位（退单期限内，第十四条）',
        params: c.subIdParams,
        body: c.subReasonBody,
      },
    },
    async (req) => presentStep(await s.subDispatches.returnToParent(actorOf(req), req.params.id, req.body)),
  );
  r.post(
    '/api/sub-dispatches/:id/recall',
    { schema: { tags, summary: '上级单位撤回转派（下级签收前）', params: c.subIdParams, body: c.subReasonBody } },
    async (req) => presentStep(await s.subDispatches.recall(actorOf(req), req.params.id, req.body)),
  );
  r.post(
    '/api/sub-dispatches/:id/reply',
    { schema: { tags, summary: '下级单位答复上级单位（待上级审核）', params: c.subIdParams, body: c.subReplyBody } },
    async (req) => presentStep(await s.subDispatches.reply(actorOf(req), req.params.id, req.body)),
  );
  r.post(
    '/api/sub-dispatches/:id/review',
    { schema: { tags, summary: '上级单位审核下级答复：采纳或退回重办', params: c.subIdParams, body: c.subReviewBody } },
    async (req) => presentStep(await s.subDispatches.review(actorOf(req), req.params.id, req.body)),
  );
  r.post(
    '/api/sub-dispatches/:id/extensions',
    {
      schema: {
        tags,
        summary: '下级单位向上级单位申请延期（不得超过上级单位时限，第十六条）',
        params: c.subIdParams,
        body: c.subExtensionBody,
      },
    },
    async (req, reply) =>
      reply.status(201).send(presentStep(await s.subDispatches.applyExtension(actorOf(req), req.params.id, req.body))),
  );
  r.post(
    '/api/sub-dispatch-extensions/:id/review',
    {
      schema: {
        tags,
        summary: '上级单位审核下级延期申请（第十六条）',
        params: c.subIdParams,
        body: c.subExtensionReviewBody,
      },
    },
    async (req) => presentStep(await s.subDispatches.reviewExtension(actorOf(req), req.params.id, req.body)),
  );
}

/** A step's answer: the row's id, status and sub-deadline (the screen reloads the chain). */
function presentStep(row: { id: number; status: string; due_at?: Date; days?: number } | undefined) {
  if (!row) return {};
  return { id: row.id, status: row.status, ...(row.due_at ? { dueAt: new Date(row.due_at).toISOString() } : {}) };
}
