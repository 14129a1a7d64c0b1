import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams } from '../../../shared/contracts/common.js';
import {
  matterCandidatesQuery,
  matterCreateBody,
  matterLinkBody,
  matterMeasureBody,
  matterMinuteBody,
  matterPlanBody,
  mattersQuery,
  matterTaskBody,
  matterTaskParams,
  matterTasksQuery,
  matterTaskStatusBody,
  matterTransitionBody,
  matterUnitBody,
  matterUnitParams,
  matterUnlinkBody,
} from '../../../shared/contracts/matters.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';

// 第二十五、二十六条 专题治理: the register, the proposal of similar tickets, links, coordinating units by tier, tasks,
// consultation minutes, policy measures, status steps and the before/after figures.
export function matterRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['matters'];

  r.get(
    '/api/matters',
    {
      schema: {
        tags,
        summary: '专题治理（本机构范围；单位看到其牵头、协同或有任务的专题；状态、区域、牵头单位筛选，before 翻页）',
        querystring: mattersQuery,
      },
    },
    async (req) => s.matters.list(actorOf(req), req.query),
  );
  r.post(
    '/api/matters',
    { schema: { tags, summary: '专题立项（督办员；可同时关联工单）', body: matterCreateBody } },
    async (req, reply) => reply.status(201).send(await s.matters.create(actorOf(req), req.body)),
  );
  r.get(
    '/api/matters/candidates',
    {
      schema: {
        tags,
        summary: '推荐相似工单（起始工单，或事项分类 + 区域 + 关键词；近 N 个月；不含已在专题中的工单）',
        querystring: matterCandidatesQuery,
      },
    },
    async (req) => s.matters.candidates(actorOf(req), req.query),
  );
  r.get(
    '/api/matters/tasks',
    { schema: { tags, summary: '本单位的专题任务（承办单位）', querystring: matterTasksQuery } },
    async (req) => s.matters.unitTasks(actorOf(req), req.query),
  );
  r.get(
    '/api/matters/by-ticket/:id',
    { schema: { tags, summary: '工单所属专题（能查看该工单者）', params: idParams } },
    async (req) => s.matters.byTicket(actorOf(req), req.params.id),
  );
  r.get(
    '/api/matters/:id',
    {
      schema: {
        tags,
        summary: '专题详情（概况、协同单位、任务、会商记录、政策措施、关联工单、记录）',
        params: idParams,
      },
    },
    async (req) => s.matters.get(actorOf(req), req.params.id),
  );
  r.put(
    '/api/matters/:id/plan',
    { schema: { tags, summary: '修改解决方案', params: idParams, body: matterPlanBody } },
    async (req) => s.matters.updatePlan(actorOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/matters/:id/tickets',
    { schema: { tags, summary: '关联工单（批量）', params: idParams, body: matterLinkBody } },
    async (req) => s.matters.link(actorOf(req), req.params.id, req.body.ticketIds),
  );
  r.post(
    '/api/matters/:id/tickets/unlink',
    { schema: { tags, summary: '取消关联工单（批量，说明原因）', params: idParams, body: matterUnlinkBody } },
    async (req) => s.matters.unlink(actorOf(req), req.params.id, req.body.ticketIds, req.body.reason),
  );
  r.post(
    '/api/matters/:id/units',
    { schema: { tags, summary: '增加协同单位（市、县区、乡镇街道三级）', params: idParams, body: matterUnitBody } },
    async (req, reply) => reply.status(201).send(await s.matters.addUnit(actorOf(req), req.params.id, req.body)),
  );
  r.delete(
    '/api/matters/:id/units/:unitId',
    { schema: { tags, summary: '移除协同单位', params: matterUnitParams } },
    async (req) => s.matters.removeUnit(actorOf(req), req.params.id, req.params.unitId),
  );
  r.post(
    '/api/matters/:id/tasks',
    { schema: { tags, summary: '分派任务（责任单位、完成期限）', params: idParams, body: matterTaskBody } },
    async (req, reply) => reply.status(201).send(await s.matters.createTask(actorOf(req), req.params.id, req.body)),
  );
  r.post(
    '/api/matters/:id/tasks/:taskId/status',
    {
      schema: {
        tags,
        summary: '更新任务状态与办理情况（责任单位或督办员）',
        params: matterTaskParams,
        body: matterTaskStatusBody,
      },
    },
    async (req) => s.matters.updateTask(actorOf(req), req.params.id, req.params.taskId, req.body),
  );
  r.post(
    '/api/matters/:id/minutes',
    { schema: { tags, summary: '会商记录（会商，或第二十九条民主协商）', params: idParams, body: matterMinuteBody } },
    async (req, reply) => reply.status(201).send(await s.matters.addMinute(actorOf(req), req.params.id, req.body)),
  );
  r.post(
    '/api/matters/:id/measures',
    { schema: { tags, summary: '政策措施（施行日期）', params: idParams, body: matterMeasureBody } },
    async (req, reply) => reply.status(201).send(await s.matters.addMeasure(actorOf(req), req.params.id, req.body)),
  );
  r.post(
    '/api/matters/:id/transition',
    { schema: { tags, summary: '专题状态变更（说明原因）', params: idParams, body: matterTransitionBody } },
    async (req) => s.matters.transition(actorOf(req), req.params.id, req.body),
  );
  r.get(
    '/api/matters/:id/figures',
    { schema: { tags, summary: '数据对比：关联工单按月数量，政策措施前后', params: idParams } },
    async (req) => s.matters.figures(actorOf(req), req.params.id),
  );
}
