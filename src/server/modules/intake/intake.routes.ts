import { addressMeta } from '../channels/personal-meta.js';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dbId, dbIdParam } from '../../../shared/contracts/common.js';
import { dispositionBody } from '../../../shared/contracts/dispositions.js';
import { idParams, revealBody } from '../../../shared/contracts/tickets.js';
import { unmergeBody } from '../../../shared/contracts/unmerge.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';
import { requireRole } from '../auth/actor.js';
import { presentTicketSummary } from '../tickets/tickets.presenter.js';
import { chineseTooLarge, decodeInlineFiles } from '../channels/inline-files.js';
import { complaintsQuery } from '../../../shared/contracts/referrals.js';
import { listStaffComplaints } from '../referrals/staff-complaints.repository.js';

export const AGENT_FILES_MAX = 5;
export const AGENT_FILES_TOTAL_MB = 28;

const phone = z.string().regex(/^[+\d][\d\s-]{4,19}$/, '电话号码格式不正确');

/** A client's meta without keys that name encrypted fields (only the server writes those). */
function clientMeta(meta: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(meta ?? {}).filter(([k]) => !/(Enc|_enc)$/.test(k) && k !== 'address'));
}

export function intakeRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['intake'];

  // An agent's contact may carry attachments inline as base64 (a photo a caller sent, a scanned letter); its
  // own scope gives it a larger body limit and a Chinese 413 without touching the app's other routes.
  app.register(async (sub) => {
    chineseTooLarge(sub, `附件过大：一次记录的附件合计不超过 ${AGENT_FILES_TOTAL_MB} MB（图片每张不超过 10 MB）`);
    sub.withTypeProvider<ZodTypeProvider>().post(
      '/api/contacts',
      {
        bodyLimit: Math.ceil((AGENT_FILES_TOTAL_MB * 1024 * 1024 * 4) / 3) + 1024 * 1024,
        schema: {
          tags,
          summary: '记录一次来电/来信（话务员或对接系统；按渠道消息号幂等；附件 base64，最多 5 个）',
          body: z.object({
            channel: z.enum(['phone', 'sms', 'wechat', 'weibo', 'web', 'api']),
            externalId: z.string().max(200).optional(),
            receivedAt: z.coerce.date().optional(),
            requester: z.object({ name: z.string().max(100).nullish(), phone: phone.nullish() }).nullish(),
            content: z.string().trim().min(1, '诉求内容不能为空').max(10000),
            // issue 14: the place the caller gave, kept with the contact (masked + encrypted) so it reaches the ticket
            // even when the contact is reopened later
            address: z.string().trim().max(500, '地址不能超过 500 字').optional(),
            meta: z.record(z.string(), z.unknown()).optional(),
            files: z
              .array(
                z.object({
                  name: z.string().trim().max(200).optional(),
                  dataBase64: z.string().min(1, '附件内容为空').max(28_000_000, '附件过大'),
                }),
              )
              .max(AGENT_FILES_MAX, `附件最多 ${AGENT_FILES_MAX} 个`)
              .optional(),
          }),
        },
      },
      async (req, reply) => {
        const actor = actorOf(req);
        requireRole(actor, 'agent');
        const { files, address, meta, ...body } = req.body;
        const decoded = decodeInlineFiles(files?.map((f) => ({ name: f.name, data: f.dataBase64 }))).files;
        const rec = await s.contacts.record({
          ...body,
          // encrypted fields are the server's to write: a client's "…Enc" keys are dropped (第六条)
          meta: { ...clientMeta(meta), ...addressMeta(s.deps.cipher, address) },
          files: decoded,
          agentId: actor.userId,
          centreUnitId: actor.unitId,
        });
        return reply.status(rec.duplicate ? 200 : 201).send(rec);
      },
    );
  });
  r.get(
    '/api/contacts',
    {
      schema: {
        tags,
        summary: '待处理来电/来信',
        querystring: z.object({
          after: dbIdParam().optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
    },
    async (req) => s.contacts.inbox(actorOf(req), req.query),
  );
  r.get(
    '/api/contacts/:id/screen-pop',
    { schema: { tags, summary: '来电弹屏：诉求人历史、标记、紧急事项提示', params: idParams } },
    async (req) => s.contacts.screenPop(actorOf(req), req.params.id),
  );
  r.get(
    '/api/contacts/:id/duplicates',
    {
      schema: {
        tags,
        summary: '可能重复的未办结工单',
        params: idParams,
        querystring: z.object({
          categoryId: dbIdParam().optional(),
          regionCode: z
            .string()
            .regex(/^\d{6,12}$/)
            .optional(),
        }),
      },
    },
    async (req) => s.duplicates.suggestForContact(actorOf(req), req.params.id, req.query),
  );
  r.post(
    '/api/contacts/:id/disposition',
    { schema: { tags, summary: '受理分类处置（第十二、十三条）', params: idParams, body: dispositionBody } },
    async (req) => s.triage.dispose(actorOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/duplicates/search',
    {
      schema: {
        tags,
        summary: '按内容查找可能重复的工单',
        body: z.object({
          text: z.string().trim().min(2).max(10000),
          requesterId: dbId().optional(),
          categoryId: dbId().optional(),
          regionCode: z
            .string()
            .regex(/^\d{6,12}$/)
            .optional(),
        }),
      },
    },
    async (req) => s.duplicates.suggest(actorOf(req), req.body),
  );
  r.post(
    '/api/tickets/:id/merge',
    {
      schema: {
        tags,
        summary: '并单',
        params: idParams,
        body: z.object({ intoTicketId: dbId(), note: z.string().max(2000).optional() }),
      },
    },
    async (req) =>
      presentTicketSummary(
        await s.duplicates.merge(actorOf(req), req.params.id, req.body),
        s.deps.cipher,
        actorOf(req),
      ),
  );

  // issue 14 撤销并单: within 24 hours and before the surviving ticket is answered (src/shared/domain/unmerge.ts)
  r.post(
    '/api/tickets/:id/unmerge',
    {
      schema: {
        tags,
        summary: '撤销并单：并单后 24 小时内、主工单答复前，恢复被并入的工单',
        params: idParams,
        body: unmergeBody,
      },
    },
    async (req) =>
      presentTicketSummary(
        await s.duplicates.unmerge(actorOf(req), req.params.id, req.body ?? {}),
        s.deps.cipher,
        actorOf(req),
      ),
  );

  r.get(
    '/api/requesters/:id/history',
    { schema: { tags, summary: '诉求人历史来电与工单（仅限本机构可查看的部分）', params: idParams } },
    async (req) => s.contacts.requesterHistory(actorOf(req), req.params.id),
  );
  r.post(
    '/api/requesters/:id/flags',
    {
      schema: {
        tags: ['abuse'],
        summary: '记录骚扰、恶意反复来电等（第十一条）',
        params: idParams,
        body: z.object({
          kind: z.enum(['harassment', 'repeated_contacts', 'long_occupation']),
          detail: z.string().trim().min(1).max(2000),
          contactId: dbId().optional(),
        }),
      },
    },
    async (req, reply) => reply.status(201).send(await s.abuse.recordByAgent(actorOf(req), req.params.id, req.body)),
  );
  r.get(
    '/api/requester-flags',
    {
      schema: {
        tags: ['abuse'],
        summary:
          '滥用标记（第十一、三十四条）：待审核的按先后（after 翻页），已警告、已撤销的按新近（before 翻页）；诉求人信息已脱敏',
        querystring: z.object({
          status: z.enum(['open', 'warned', 'dismissed']).default('open'),
          after: dbIdParam().optional(),
          before: dbIdParam().optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
    },
    async (req) => s.abuse.flags(actorOf(req), req.query),
  );
  r.get(
    '/api/requester-flags/:id',
    { schema: { tags: ['abuse'], summary: '一条标记及其前后 7 天该诉求人的来电来信（审核依据）', params: idParams } },
    async (req) => s.abuse.flag(actorOf(req), req.params.id),
  );
  r.post(
    '/api/requester-flags/:id/review',
    {
      schema: {
        tags: ['abuse'],
        summary: '审核标记：警告或撤销（第三十四条）',
        params: idParams,
        body: z.object({ decision: z.enum(['warn', 'dismiss']), note: z.string().max(2000).optional() }),
      },
    },
    async (req) => s.abuse.review(actorOf(req), req.params.id, req.body),
  );

  r.post(
    '/api/contacts/:id/reveal',
    {
      schema: {
        tags,
        summary: '查看来电来信中的个人信息（诉求人姓名电话、表单地址、号码未隐藏的原文；记入访问审计）',
        params: idParams,
        body: revealBody,
      },
    },
    async (req) => s.contacts.reveal(actorOf(req), req.params.id, req.body.purpose),
  );
  r.get(
    '/api/attachments/:id',
    { schema: { tags, summary: '附件（仅限可查看该工单的人员）', params: idParams } },
    async (req, reply) => {
      const file = await s.contacts.attachment(actorOf(req), req.params.id);
      // inline, so pictures, voice and video show in the page; the stored name for a download
      const name = file.name ? `; filename*=UTF-8''${encodeURIComponent(file.name)}` : '';
      return reply
        .header('content-type', file.mime)
        .header('content-disposition', `inline${name}`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(file.data);
    },
  );
  r.get(
    '/api/staff-complaints',
    {
      schema: {
        tags: ['supervision'],
        summary: '对工作人员的投诉（督办；默认办理中的，status 筛选，before 翻页）',
        querystring: complaintsQuery,
      },
    },
    async (req) => {
      const actor = actorOf(req);
      requireRole(actor, 'supervisor');
      return listStaffComplaints(s.deps.db, actor, req.query);
    },
  );
}
