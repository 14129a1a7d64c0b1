import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BREAK_REASONS, SETTABLE_STATES } from '../../../shared/domain/agent-presence.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';
import { machineActor } from '../channels/machine-auth.js';
import { SHIFT_MAX_HOURS } from './presence.service.js';

// 坐席状态 (issue 14): the agent's own state and shift figures, the supervisors' board, the CTI gateway's routing list.
export function presenceRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['presence'];
  r.get('/api/presence/me', { schema: { tags, summary: '本人坐席状态（兼作控制台心跳）' } }, async (req) =>
    s.presence.mine(actorOf(req)),
  );
  r.put(
    '/api/presence/me',
    {
      schema: {
        tags,
        summary: '示闲、示忙或小休（小休须选择原因）',
        body: z.object({
          state: z.enum(SETTABLE_STATES, { error: '状态只能是示闲、示忙或小休' }),
          reason: z.enum(BREAK_REASONS, { error: `小休原因只能是：${BREAK_REASONS.join('、')}` }).nullish(),
        }),
      },
    },
    async (req) => s.presence.set(actorOf(req), req.body),
  );
  r.get(
    '/api/presence/me/shift',
    {
      schema: {
        tags,
        summary: '本班次工作量：处置数、工单数、通话时长、示闲/示忙/小休时长',
        querystring: z.object({
          hours: z.coerce
            .number()
            .int()
            .min(1, '统计时长至少 1 小时')
            .max(SHIFT_MAX_HOURS, `统计时长不能超过 ${SHIFT_MAX_HOURS} 小时`)
            .default(12),
        }),
      },
    },
    async (req) => s.presence.shift(actorOf(req), req.query.hours),
  );
  r.get('/api/presence', { schema: { tags, summary: '坐席状态（本热线工作机构的话务员）' } }, async (req) =>
    s.presence.board(actorOf(req)),
  );
  r.get(
    '/api/channels/cti/agents',
    { schema: { tags: ['channels'], summary: '话务系统（CTI）路由：话务员当前是否示闲可接听（渠道网关令牌）' } },
    async (req) => {
      machineActor(req, 'gateway');
      return s.presence.routing();
    },
  );
}
