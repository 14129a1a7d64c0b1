import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams } from '../../../shared/contracts/common.js';
import * as c from '../../../shared/contracts/emerging.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';
import { EmergingReminderService } from './emerging-reminders.service.js';
import { EmergingService } from './emerging.service.js';

// 第二十八条(三)(四) 新兴诉求词 (the hot-spot analysis's readers; scope by region) and 新兴诉求提醒 (the units').
export function emergingRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const emerging = new EmergingService(s.deps);
  const reminders = new EmergingReminderService(s.deps);
  const tags = ['emerging'];
  r.get(
    '/api/emerging-terms',
    {
      schema: {
        tags,
        summary: '新兴诉求词：近 4 周工单中较此前 26 周明显增多或新出现的词语（每周一统计上一周，按全市或区县）',
        querystring: c.emergingTermsQuery,
      },
    },
    async (req) => emerging.list(actorOf(req), req.query),
  );
  r.get(
    '/api/emerging-terms/tickets',
    {
      schema: {
        tags,
        summary: '新兴诉求词的工单：该周近 4 周内含此词的最新工单及其事项分类分布',
        querystring: c.emergingTicketsQuery,
      },
    },
    async (req) => emerging.tickets(actorOf(req), req.query),
  );
  r.get(
    '/api/emerging-terms/reminders',
    {
      schema: {
        tags,
        summary: '新兴诉求提醒：明显增多的诉求词语中本单位已承办其工单的；承办单位看本单位，热线工作机构可看各单位',
        querystring: c.emergingRemindersQuery,
      },
    },
    async (req) => reminders.list(actorOf(req), req.query),
  );
  r.post(
    '/api/emerging-terms/reminders/:id/acknowledge',
    { schema: { tags, summary: '承办单位确认已阅新兴诉求提醒', params: idParams } },
    async (req) => reminders.acknowledge(actorOf(req), req.params.id),
  );
}
