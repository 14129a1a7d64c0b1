import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as c from '../../../shared/contracts/disclosure.js';
import { idParams } from '../../../shared/contracts/common.js';
import { actorOf } from '../../http/auth-plugin.js';
import { rateLimit } from '../../http/rate-limit.js';
import type { Services } from '../../http/services.js';

// 第二十一条 信息公开 (docs/disclosure.md): the centre's monthly report workflow, and the public portal's reading
// of what was published (no login; throttled per client address like the other public routes).
export function disclosureRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const d = s.disclosure;
  const tags = ['disclosure'];
  r.get(
    '/api/disclosure/reports',
    { schema: { tags, summary: '信息公开报告（本区域各月各版本及状态）', querystring: c.disclosureListQuery } },
    async (req) => d.reports.list(actorOf(req), req.query),
  );
  r.post(
    '/api/disclosure/reports',
    {
      schema: {
        tags,
        summary: '生成某月报告草稿（已发布的月份生成更正版本，须填写更正说明）',
        body: c.createDisclosureBody,
      },
    },
    async (req, reply) => reply.status(201).send(await d.reports.create(actorOf(req), req.body)),
  );
  r.get(
    '/api/disclosure/reports/:id',
    { schema: { tags, summary: '报告详情与公开预览', params: idParams } },
    async (req) => d.reports.get(actorOf(req), req.params.id),
  );
  r.put(
    '/api/disclosure/reports/:id',
    {
      schema: {
        tags,
        summary: '编辑草稿：说明、更正说明、典型案例（工作人员撰写的公开摘要）',
        params: idParams,
        body: c.updateDisclosureBody,
      },
    },
    async (req) => d.reports.update(actorOf(req), req.params.id, req.body),
  );
  r.delete(
    '/api/disclosure/reports/:id',
    { schema: { tags, summary: '删除未发布的报告版本', params: idParams } },
    async (req) => d.reports.discard(actorOf(req), req.params.id),
  );
  r.post(
    '/api/disclosure/reports/:id/regenerate',
    { schema: { tags, summary: '按最新汇总数据重新生成草稿数据', params: idParams } },
    async (req) => d.reports.regenerate(actorOf(req), req.params.id),
  );
  r.post(
    '/api/disclosure/reports/:id/submit',
    { schema: { tags, summary: '提交审核', params: idParams } },
    async (req) => d.reports.submit(actorOf(req), req.params.id),
  );
  r.post(
    '/api/disclosure/reports/:id/return',
    { schema: { tags, summary: '退回修改（审核人）', params: idParams, body: c.returnDisclosureBody } },
    async (req) => d.reports.returnToDraft(actorOf(req), req.params.id, req.body.note),
  );
  r.post(
    '/api/disclosure/reports/:id/publish',
    { schema: { tags, summary: '审核发布（起草人以外的督办员或系统管理员；发布后不可修改）', params: idParams } },
    async (req) => d.reports.publish(actorOf(req), req.params.id),
  );

  const limited = { preHandler: rateLimit(s.deps, { max: 120, windowMs: 60_000, key: 'disclosure' }) };
  const ptags = ['public'];
  r.get(
    '/api/public/disclosure',
    { ...limited, schema: { tags: ptags, summary: '已公布的月度报告列表', querystring: c.publicListQuery } },
    async (req) => d.public.months(req.query.region),
  );
  r.get(
    '/api/public/disclosure/data/:file',
    {
      ...limited,
      schema: {
        tags: ptags,
        summary: '开放数据：YYYY-MM.csv 或 YYYY-MM.json（固定字段，见数据字典）',
        params: c.openDataParams,
        querystring: c.publicMonthQuery,
      },
    },
    async (req, reply) => {
      const f = await d.public.openData(req.params.file, req.query);
      return reply
        .type(f.type)
        .header('content-disposition', `attachment; filename="${f.name}"`)
        .header('cache-control', 'public, max-age=300')
        .send(f.body);
    },
  );
  r.get(
    '/api/public/disclosure/:month',
    {
      ...limited,
      schema: {
        tags: ptags,
        summary: '某月报告（默认最新版本；更正的版本附更正说明）',
        params: c.publicMonthParams,
        querystring: c.publicMonthQuery,
      },
    },
    async (req) => d.public.month(req.params.month, req.query),
  );
}
