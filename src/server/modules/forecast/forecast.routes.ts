import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams } from '../../../shared/contracts/common.js';
import * as c from '../../../shared/contracts/forecast.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';
import { ForecastService } from './forecast.service.js';
import { ForecastReminderService } from './forecast-reminders.service.js';

// 第二十八条(二) 季节预测 (the hot-spot analysis's readers; scope by region) and 预案提醒 (a unit its own; the centre reads).
export function forecastRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const forecasts = new ForecastService(s.deps);
  const reminders = new ForecastReminderService(s.deps);
  const tags = ['forecast'];
  r.get(
    '/api/forecast/series',
    {
      schema: {
        tags,
        summary: '季节预测：近 12–24 个月实际量与当月预测值（含区间、模型、回测误差）及下月预测',
        querystring: c.forecastSeriesQuery,
      },
    },
    async (req) => forecasts.series(actorOf(req), req.query),
  );
  r.get(
    '/api/forecast/rises',
    {
      schema: { tags, summary: '下月预测较上月实际增幅最大的区县 × 事项', querystring: c.forecastRisesQuery },
    },
    async (req) => forecasts.rises(actorOf(req), req.query),
  );
  r.get(
    '/api/forecast/reminders',
    {
      schema: {
        tags,
        summary: '预案提醒：季节性高峰前的提醒（去年同月数据与预测）；承办单位看本单位，热线工作机构可看各单位',
        querystring: c.forecastRemindersQuery,
      },
    },
    async (req) => reminders.list(actorOf(req), req.query),
  );
  r.post(
    '/api/forecast/reminders/:id/acknowledge',
    { schema: { tags, summary: '承办单位确认已阅预案提醒', params: idParams } },
    async (req) => reminders.acknowledge(actorOf(req), req.params.id),
  );
}
