import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams } from '../../../shared/contracts/common.js';
import { notificationsQuery, notificationsReadBody, notifyPhoneBody } from '../../../shared/contracts/notifications.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';
import { NotificationService } from './notifications.service.js';
import { NotifyPhoneService } from './notify-phones.service.js';

// Issue 14 (第十四、十五条): the units' staff's notifications (the bell), and the phone a unit is told on by SMS when a
// deadline is about to breach (set by the admin).
export function notificationRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const n = new NotificationService(s.deps);
  const phones = new NotifyPhoneService(s.deps);
  const tags = ['notifications'];
  r.get(
    '/api/notifications',
    {
      schema: {
        tags,
        summary: '本单位通知（新派单、重办、临期、超期、审核结果、督办等；最新在前，before 翻页）',
        querystring: notificationsQuery,
      },
    },
    async (req) => n.list(actorOf(req), req.query),
  );
  r.get(
    '/api/notifications/unread',
    { schema: { tags, summary: '未读通知数（最多计到 99，超过显示 99+）' } },
    async (req) => n.unread(actorOf(req)),
  );
  r.post(
    '/api/notifications/read',
    { schema: { tags, summary: '标记已读：到某条通知为止（upTo），或全部已读（all）', body: notificationsReadBody } },
    async (req) => n.markRead(actorOf(req), req.body),
  );
  r.get(
    '/api/unit-notify-phones',
    { schema: { tags: ['admin'], summary: '各单位临期提醒短信号码（脱敏；管理员）' } },
    async (req) => phones.list(actorOf(req)),
  );
  r.put(
    '/api/units/:id/notify-phone',
    {
      schema: {
        tags: ['admin'],
        summary: '设置单位临期提醒短信号码（第十五条；null 为不发送；管理员）',
        params: idParams,
        body: notifyPhoneBody,
      },
    },
    async (req) => phones.set(actorOf(req), req.params.id, req.body),
  );
}
