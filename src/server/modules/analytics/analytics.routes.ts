import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as c from '../../../shared/contracts/analytics.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';
import { AnalyticsService } from './analytics.service.js';

// 第二十七条 热点分析 (docs/analytics.md): every figure reads the rollups; scope by the actor's region (city centre all,
// a county centre its county); units are refused.
export function analyticsRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const a = new AnalyticsService(s.deps);
  const tags = ['analytics'];
  r.get(
    '/api/analytics/filters',
    { schema: { tags, summary: '热点分析筛选项：本人范围内的区域树、事项分类树、最长查询区间' } },
    async (req) => a.filters(actorOf(req)),
  );
  r.get(
    '/api/analytics/volume',
    {
      schema: {
        tags,
        summary: '诉求量：按区域层级（区县／乡镇街道／网格）× 分类层级，含上期与去年同期对比（地图、热力表）',
        querystring: c.volumeQuery,
      },
    },
    async (req) => a.volume(actorOf(req), req.query),
  );
  r.get(
    '/api/analytics/trend',
    {
      schema: {
        tags,
        summary: '趋势：按日／周／月的诉求量，与上期、去年同期逐点对比',
        querystring: c.trendQuery,
      },
    },
    async (req) => a.trend(actorOf(req), req.query),
  );
  r.get(
    '/api/analytics/rising',
    {
      schema: {
        tags,
        summary: '上升最快的事项：区域 × 分类较上期增量最大者（不少于最小件数）',
        querystring: c.risingQuery,
      },
    },
    async (req) => a.rising(actorOf(req), req.query),
  );
  r.get(
    '/api/analytics/tickets',
    {
      schema: {
        tags,
        summary: '下钻：某项数字计入的工单（工单号、日期、区域、分类、渠道、类型、状态；游标分页）',
        querystring: c.drillQuery,
      },
    },
    async (req) => a.tickets(actorOf(req), req.query),
  );
}
