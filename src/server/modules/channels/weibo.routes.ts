import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../http/services.js';
import { idParams } from '../../../shared/contracts/tickets.js';
import { chineseTooLarge, decodeInlineFiles, inlineFile } from './inline-files.js';
import { EXTERNAL_ID_MAX, machineActor } from './machine-auth.js';

export const weiboMessageBody = z
  .object({
    messageId: z.string().trim().min(1, '缺少 messageId').max(EXTERNAL_ID_MAX),
    senderUid: z
      .string()
      .trim()
      .regex(/^\d{1,20}$/, 'senderUid 应为微博用户数字 ID'),
    // the public screen name, not a real name: kept in meta, never as the requester's name
    senderName: z.string().trim().max(100).nullish(),
    text: z.string().trim().max(5000).default(''),
    createdAt: z.iso
      .datetime({ offset: true, error: '时间格式不正确，应为 ISO 8601（含时区）' })
      .transform((s) => new Date(s)),
    images: z.array(inlineFile).max(9, '最多 9 张图片').optional(),
  })
  .refine((b) => b.text || b.images?.length, { message: '私信内容和图片不能都为空', path: ['text'] });

// 第二条 微博: a private message to the hotline's Weibo account, relayed by the Weibo gateway.
export function weiboRoutes(app: FastifyInstance, s: Services) {
  app.register(async (sub) => {
    chineseTooLarge(sub, '私信内容过大：单张图片不超过 10 MB');
    sub.withTypeProvider<ZodTypeProvider>().post(
      '/api/channels/weibo/messages',
      {
        bodyLimit: 20 * 1024 * 1024,
        schema: { tags: ['channels'], summary: '微博私信（渠道网关令牌；按 messageId 幂等）', body: weiboMessageBody },
      },
      async (req, reply) => {
        const gateway = machineActor(req, 'gateway');
        const b = req.body;
        const { files, references } = decodeInlineFiles(b.images);
        const rec = await s.contacts.record({
          channel: 'weibo',
          externalId: b.messageId,
          receivedAt: b.createdAt,
          content: b.text || '[图片]',
          files,
          requester: { weiboUid: b.senderUid },
          centreUnitId: gateway.unitId,
          // the uid, encrypted, is where the centre's answers are sent back (the gateway fetches them, below)
          meta: {
            senderName: b.senderName ?? null,
            imageLinks: references,
            senderUidEnc: s.deps.cipher.encrypt(b.senderUid),
          },
        });
        // 第十七条: a bare "1/2/3" answering the survey of a reply notice is the evaluation
        const survey =
          rec.duplicate || !b.text
            ? null
            : await s.smsSurvey.answer({ id: rec.id, requesterId: rec.requesterId, text: b.text });
        return reply.status(rec.duplicate ? 200 : 201).send({ contactId: rec.id, duplicate: rec.duplicate, survey });
      },
    );
  });

  // The centre's answers to Weibo users: the gateway fetches what is due and sends it as private messages.
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/channels/weibo/outbox',
    {
      schema: {
        tags: ['channels'],
        summary: '待发的微博私信（渠道网关令牌；领取后 5 分钟内须回报结果）',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }),
      },
    },
    async (req) => {
      machineActor(req, 'gateway');
      return s.channels.weiboOutbox.fetch(req.query.limit);
    },
  );
  r.post(
    '/api/channels/weibo/outbox/:id/result',
    {
      schema: {
        tags: ['channels'],
        summary: '回报一条微博私信的发送结果',
        params: idParams,
        body: z.object({
          delivered: z.boolean(),
          providerId: z.string().max(200).optional(),
          error: z.string().max(500).optional(),
          permanent: z.boolean().optional(),
        }),
      },
    },
    async (req) => {
      machineActor(req, 'gateway');
      return s.channels.weiboOutbox.report(req.params.id, req.body);
    },
  );
}
