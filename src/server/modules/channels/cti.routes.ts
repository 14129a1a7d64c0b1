import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/auth-plugin.js';
import { requireRole } from '../auth/actor.js';
import type { ChannelServices } from './channels.services.js';
import { EXTERNAL_ID_MAX, machineActor } from './machine-auth.js';
import { sseSubscriber } from './screen-pop-hub.js';

const at = z.iso
  .datetime({ offset: true, error: '时间格式不正确，应为 ISO 8601（含时区）' })
  .transform((s) => new Date(s));
const callId = z.string().trim().min(1, '缺少 callId').max(EXTERNAL_ID_MAX);

export const ctiEventBody = z.discriminatedUnion(
  'type',
  [
    z.object({
      type: z.literal('call.offered'),
      callId,
      caller: z.string().trim().max(32),
      callee: z.string().trim().min(1, '缺少 callee').max(32),
      at,
      agent: z.string().trim().max(100).nullish(),
    }),
    z.object({
      type: z.literal('call.answered'),
      callId,
      agentUsername: z.string().trim().min(1, '缺少 agentUsername').max(100),
      at,
    }),
    z.object({
      type: z.literal('call.ended'),
      callId,
      at,
      durationSeconds: z
        .number()
        .int()
        .min(0)
        .max(7 * 86_400),
      recordingRef: z.string().trim().max(500).nullish(),
    }),
  ],
  { error: 'type 必须是 call.offered、call.answered 或 call.ended' },
);

export function ctiRoutes(app: FastifyInstance, ch: ChannelServices) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['channels'];

  r.post(
    '/api/channels/cti/events',
    {
      schema: {
        tags,
        summary: '话务系统（CTI）事件：来电振铃、接听、挂机（渠道网关令牌；按 callId 幂等）',
        body: ctiEventBody,
      },
    },
    async (req, reply) => {
      const gateway = machineActor(req, 'gateway');
      const res = await ch.cti.handle(gateway, req.body);
      return reply.status(req.body.type === 'call.offered' && res.applied ? 201 : 200).send(res);
    },
  );

  // The agent's browser opens this with its session cookie (EventSource sends cookies on the same origin).
  r.get(
    '/api/channels/cti/stream',
    { schema: { tags, summary: '来电弹屏事件流（Server-Sent Events，话务员会话）' } },
    async (req, reply) => {
      const actor = actorOf(req);
      requireRole(actor, 'agent');
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': req.id,
      });
      res.write('retry: 3000\n\n');
      const sub = sseSubscriber(res, { userId: actor.userId, username: actor.username, unitId: actor.unitId });
      const unsubscribe = ch.hub.subscribe(sub);
      sub.send('ready', { username: actor.username });
      res.on('close', () => {
        unsubscribe();
        sub.close();
      });
    },
  );
}
