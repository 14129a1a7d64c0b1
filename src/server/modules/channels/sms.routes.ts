import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../http/services.js';
import { EXTERNAL_ID_MAX, machineActor } from './machine-auth.js';

export const smsInboundBody = z.object({
  messageId: z.string().trim().min(1, '缺少 messageId').max(EXTERNAL_ID_MAX),
  from: z
    .string()
    .trim()
    .regex(/^\+?\d[\d\s-]{4,19}$/, '发送号码格式不正确'),
  to: z.string().trim().min(1, '缺少接收号码').max(32),
  // the gateway joins the parts of a long SMS before posting it
  text: z.string().trim().min(1, '短信内容为空').max(5000),
  receivedAt: z.iso
    .datetime({ offset: true, error: '时间格式不正确，应为 ISO 8601（含时区）' })
    .transform((s) => new Date(s)),
});

// 第二条 短信: one inbound message of the SMS gateway is one contact, idempotent on the gateway's message id.
export function smsRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/channels/sms/inbound',
    {
      schema: {
        tags: ['channels'],
        summary: '短信网关上行短信（渠道网关令牌；按 messageId 幂等；对短信回访的数字回复记为评价）',
        body: smsInboundBody,
      },
    },
    async (req, reply) => {
      const gateway = machineActor(req, 'gateway');
      const b = req.body;
      const rec = await s.contacts.record({
        channel: 'sms',
        externalId: b.messageId,
        receivedAt: b.receivedAt,
        content: b.text,
        requester: { phone: b.from },
        centreUnitId: gateway.unitId,
        meta: { to: b.to },
      });
      // 第十七条 短信回访: a bare "1/2/3" answering an open survey becomes the evaluation, not an agent's work.
      // The contact is stored first either way; a redelivery does not answer twice.
      const survey = rec.duplicate
        ? null
        : await s.smsSurvey.answer({ id: rec.id, requesterId: rec.requesterId, text: b.text });
      return reply.status(rec.duplicate ? 200 : 201).send({
        contactId: rec.id,
        duplicate: rec.duplicate,
        emergencySuggestion: rec.emergency?.line ?? null,
        survey,
      });
    },
  );
}
