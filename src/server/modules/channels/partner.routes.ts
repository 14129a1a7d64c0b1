import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../http/services.js';
import { chineseTooLarge, decodeInlineFiles, inlineFile } from './inline-files.js';
import { addressMeta } from './personal-meta.js';
import { EXTERNAL_ID_MAX, machineActor, requireCentrePartner } from './machine-auth.js';

export const partnerContactBody = z.object({
  externalId: z
    .string()
    .trim()
    .min(1, '缺少 externalId')
    .max(EXTERNAL_ID_MAX - 20),
  receivedAt: z.iso
    .datetime({ offset: true, error: '时间格式不正确，应为 ISO 8601（含时区）' })
    .transform((s) => new Date(s))
    .optional(),
  requester: z
    .object({
      name: z.string().trim().max(100).nullish(),
      phone: z
        .string()
        .trim()
        .regex(/^\+?\d[\d\s-]{4,19}$/, '电话号码格式不正确')
        .nullish(),
    })
    .nullish(),
  content: z.string().trim().min(1, '诉求内容不能为空').max(10000),
  address: z.string().trim().max(300).nullish(),
  meta: z.record(z.string(), z.unknown()).optional(),
  attachments: z.array(inlineFile).max(10, '最多 10 个附件').optional(),
});

// 第二条 other channels: partner systems (a county platform, a unit's own app) hand over what citizens told
// them. The id is namespaced by the partner's account so two partners' ids never collide.
export function partnerRoutes(app: FastifyInstance, s: Services) {
  app.register(async (sub) => {
    chineseTooLarge(sub, '请求内容过大：图片不超过 10 MB，其他附件不超过 20 MB');
    sub.withTypeProvider<ZodTypeProvider>().post(
      '/api/channels/partner/contacts',
      {
        bodyLimit: 30 * 1024 * 1024,
        schema: {
          tags: ['channels'],
          summary: '对接系统转入来信（对接系统令牌；按 externalId 幂等）',
          body: partnerContactBody,
        },
      },
      async (req, reply) => {
        const partner = machineActor(req, 'partner');
        await requireCentrePartner(s.deps.db, partner);
        const b = req.body;
        const { files, references } = decodeInlineFiles(b.attachments);
        const rec = await s.contacts.record({
          channel: 'api',
          externalId: `${partner.userId}:${b.externalId}`,
          receivedAt: b.receivedAt,
          content: b.content,
          files,
          requester: b.requester ?? null,
          centreUnitId: partner.unitId,
          meta: {
            ...b.meta,
            partner: partner.username,
            partnerExternalId: b.externalId,
            attachmentLinks: references,
            ...addressMeta(s.deps.cipher, b.address),
          },
        });
        return reply.status(rec.duplicate ? 200 : 201).send({ contactId: rec.id, duplicate: rec.duplicate });
      },
    );
  });
}
