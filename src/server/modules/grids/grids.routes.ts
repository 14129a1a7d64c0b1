import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams } from '../../../shared/contracts/common.js';
import * as c from '../../../shared/contracts/grids.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';
import { GridReportService } from './grid-reports.service.js';
import { TownViewService } from './town-view.service.js';

// 第二十九条 网格化管理 (docs/grids.md): the grid worker's 主动发现 reports and the town/street view of its area.
export function gridRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const reports = new GridReportService(s.deps, s.tickets);
  const towns = new TownViewService(s.deps);
  const tags = ['grids'];
  r.get('/api/grids/mine', { schema: { tags, summary: '网格员负责的网格及所属乡镇（街道）' } }, async (req) =>
    reports.mine(actorOf(req)),
  );
  r.post(
    '/api/grids/reports',
    {
      schema: {
        tags,
        summary: '主动发现上报（网格员；在本人负责的网格内；形成渠道为“主动发现”的待派单工单）',
        body: c.gridReportBody,
      },
    },
    async (req, reply) => reply.status(201).send(await reports.report(actorOf(req), req.body)),
  );
  r.get(
    '/api/grids/tickets',
    {
      schema: {
        tags,
        summary: '网格员：我的上报（view=reported）或本人负责网格内的工单（view=grid），新到旧，before 翻页',
        querystring: c.gridTicketsQuery,
      },
    },
    async (req) => reports.list(actorOf(req), req.query),
  );
  r.get(
    '/api/grids/tickets/:id',
    { schema: { tags, summary: '网格员查看本人上报或负责网格内的工单（地址脱敏，不含诉求人信息）', params: idParams } },
    async (req) => reports.detail(actorOf(req), req.params.id),
  );
  r.get(
    '/api/towns',
    {
      schema: { tags, summary: '可查看网格视图的乡镇（街道）及其网格（本乡镇人员仅本乡镇；督办、分析人员本辖区全部）' },
    },
    async (req) => towns.towns(actorOf(req)),
  );
  r.get(
    '/api/towns/:code/figures',
    {
      schema: {
        tags,
        summary:
          '乡镇（街道）网格视图：本辖区诉求集中的问题（网格 × 事项大类、高频事项、热点网格；可只看群众诉求或主动发现）',
        params: c.townParams,
        querystring: c.townFiguresQuery,
      },
    },
    async (req) => towns.figures(actorOf(req), req.params.code, req.query),
  );
  r.get(
    '/api/towns/:code/tickets',
    {
      schema: {
        tags,
        summary: '乡镇（街道）网格视图下钻：某网格、某事项的工单（工单号、日期、网格、分类、渠道、状态；游标分页）',
        params: c.townParams,
        querystring: c.townTicketsQuery,
      },
    },
    async (req) => towns.tickets(actorOf(req), req.params.code, req.query),
  );
}
