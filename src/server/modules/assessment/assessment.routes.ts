import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as c from '../../../shared/contracts/assessment.js';
import { idParams } from '../../../shared/contracts/common.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';

// 第二十四条 热线工作考核 and GB/T 33358-2016 service figures (docs/assessment.md).
export function assessmentRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const a = s.assessment;
  const tags = ['assessment'];
  r.get(
    '/api/assessment/schemes',
    { schema: { tags, summary: '考核方案（各类考核对象的指标、权重、计分曲线与有效期，含历史版本）' } },
    async (req) => a.schemes.list(actorOf(req)),
  );
  r.post(
    '/api/assessment/schemes',
    {
      schema: {
        tags,
        summary: '新增考核方案版本（权重之和须为 100；同类方案有效期不得重叠）',
        body: c.createSchemeBody,
      },
    },
    async (req, reply) => reply.status(201).send(await a.schemes.create(actorOf(req), req.body)),
  );
  r.post(
    '/api/assessment/schemes/:id/retire',
    { schema: { tags, summary: '设置考核方案失效日期', params: idParams, body: c.retireSchemeBody } },
    async (req) => a.schemes.retire(actorOf(req), req.params.id, req.body.effectiveTo),
  );
  r.get(
    '/api/assessment/settings',
    { schema: { tags, summary: '考核设置：申诉期限（考核期结束后的工作日数）' } },
    async (req) => a.schemes.settings(actorOf(req)),
  );
  r.put(
    '/api/assessment/settings',
    { schema: { tags, summary: '修改考核设置（申诉期限）', body: c.assessmentSettingsBody } },
    async (req) => a.schemes.updateSettings(actorOf(req), req.body),
  );
  r.get(
    '/api/assessment/results',
    {
      schema: {
        tags,
        summary: '考核结果：按类别的得分与排名（已冻结的版本，或尚未冻结时的实时结果），单位只看本单位',
        querystring: c.resultsQuery,
      },
    },
    async (req) => a.results.results(actorOf(req), req.query),
  );
  r.post(
    '/api/assessment/results',
    { schema: { tags, summary: '生成并冻结考核结果（新版本）', body: c.freezeBody } },
    async (req, reply) => reply.status(201).send(await a.results.freeze(actorOf(req), req.body.period)),
  );
  r.get(
    '/api/assessment/results/:id/verify',
    { schema: { tags, summary: '复核：按存档的输入与方案重算，结果应完全一致', params: idParams } },
    async (req) => a.results.verify(actorOf(req), req.params.id),
  );
  r.get(
    '/api/assessment/drilldown',
    { schema: { tags, summary: '下钻：单位某项指标计入的工单（游标分页）', querystring: c.drilldownQuery } },
    async (req) => a.results.drilldown(actorOf(req), req.query),
  );
  r.get(
    '/api/assessment/appeals',
    { schema: { tags, summary: '考核申诉（中心：范围内全部；单位：本单位）', querystring: c.appealsQuery } },
    async (req) => a.appeals.list(actorOf(req), req.query),
  );
  r.post(
    '/api/assessment/appeals',
    {
      schema: {
        tags,
        summary: '单位对工单的计分提出申诉（考核期结束后规定工作日内，每个工单每项指标一次）',
        body: c.createAppealBody,
      },
    },
    async (req, reply) => reply.status(201).send(await a.appeals.create(actorOf(req), req.body)),
  );
  r.post(
    '/api/assessment/appeals/:id/decision',
    {
      schema: {
        tags,
        summary: '审核申诉：采纳则该工单不再计入该指标，考核结果生成新版本',
        params: idParams,
        body: c.decideAppealBody,
      },
    },
    async (req) => a.appeals.decide(actorOf(req), req.params.id, req.body),
  );
  r.get(
    '/api/assessment/service-figures',
    {
      schema: {
        tags,
        summary: 'GB/T 33358-2016 服务指标：15 秒接听率、24 小时接通率、平均等待与通话时长、文字渠道 3 分钟响应率',
        querystring: c.serviceFiguresQuery,
      },
    },
    async (req) => a.serviceFigures.figures(actorOf(req), req.query),
  );
}
