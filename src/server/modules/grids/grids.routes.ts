import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams } from '../../../shared/contracts/common.js';
import * as c from '../../../shared/contracts/grids.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';
import { GridAdminService } from './grid-admin.service.js';
import { GridReportService } from './grid-reports.service.js';
import { TownViewService } from './town-view.service.js';

// 第二十九条 网格化管理 (docs/grids.md): the grid worker's 主动发现 reports and the town/street view of its area.
export function gridRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const reports = new GridReportService(s.deps, s.tickets);
  const towns = new TownViewService(s.deps);
  const admin = new GridAdminService(s.deps);
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
  // 网格管理 (issue 12): a town/street's manager keeps its grids and assigns its grid workers; the admin any town's
  r.get(
    '/api/grid-admin/towns',
    { schema: { tags, summary: '网格管理：可管理网格的乡镇（街道）（乡镇负责人仅本乡镇；系统管理员本辖区全部）' } },
    async (req) => admin.towns(actorOf(req)),
  );
  r.get(
    '/api/grid-admin/towns/:code',
    {
      schema: {
        tags,
        summary: '网格管理：本乡镇（街道）的网格（名称、中心点、是否停用、网格员）及可指派的网格员账号',
        params: c.townParams,
      },
    },
    async (req) => admin.town(actorOf(req), req.params.code),
  );
  r.post(
    '/api/grid-admin/towns/:code/grids',
    {
      schema: {
        tags,
        summary: '网格管理：新建网格（代码自动编排为乡镇代码加三位；可填中心点经纬度）',
        params: c.townParams,
        body: c.gridCreateBody,
      },
    },
    async (req, reply) => reply.status(201).send(await admin.create(actorOf(req), req.params.code, req.body)),
  );
  r.patch(
    '/api/grid-admin/grids/:code',
    {
      schema: {
        tags,
        summary: '网格管理：改名、设置或清除中心点、停用或恢复网格（停用时解除其网格员）',
        params: c.gridParams,
        body: c.gridUpdateBody,
      },
    },
    async (req) => admin.update(actorOf(req), req.params.code, req.body),
  );
  r.put(
    '/api/grid-admin/grids/:code/workers',
    {
      schema: {
        tags,
        summary: '网格管理：指派网格员（整体替换；须为本乡镇（街道）的网格员账号）',
        params: c.gridParams,
        body: c.gridWorkersBody,
      },
    },
    async (req) => admin.setWorkers(actorOf(req), req.params.code, req.body),
  );
  r.get(
    '/api/grid-admin/grids/:code/history',
    {
      schema: {
        tags,
        summary: '网格管理：网格的变更记录（新建、改名、中心点、停用、指派），新到旧',
        params: c.gridParams,
      },
    },
    async (req) => admin.history(actorOf(req), req.params.code),
  );
}
