import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams } from '../../../shared/contracts/common.js';
import {
  complaintCloseBody,
  complaintConcludeBody,
  complaintInvestigateBody,
  complaintNoteBody,
  complaintReplyBody,
  referralAcceptBody,
  referralConcludeBody,
  referralCreateBody,
  referralsQuery,
} from '../../../shared/contracts/referrals.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';

// 第二十三、三十二条 问责移送 and 第九条 the handling of complaints about staff.
export function referralRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['supervision'];

  r.get(
    '/api/referrals',
    {
      schema: {
        tags,
        summary: '问责移送（督办员、审计员；本机构范围；状态、情形、单位、移交日期筛选，before 翻页）',
        querystring: referralsQuery,
      },
    },
    async (req) => s.referrals.list(actorOf(req), req.query),
  );
  r.post(
    '/api/referrals',
    {
      schema: {
        tags,
        summary: '将单位或工作人员的问题线索移交纪检监察机关（督办员；可由投诉升级，complaintId）',
        body: referralCreateBody,
      },
    },
    async (req, reply) => reply.status(201).send(await s.referrals.create(actorOf(req), req.body)),
  );
  r.get(
    '/api/referrals/:id',
    { schema: { tags, summary: '问责移送详情（承办单位看不到，404）', params: idParams } },
    async (req) => s.referrals.get(actorOf(req), req.params.id),
  );
  r.post(
    '/api/referrals/:id/accept',
    { schema: { tags, summary: '记录纪检监察机关受理', params: idParams, body: referralAcceptBody } },
    async (req) => s.referrals.accept(actorOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/referrals/:id/conclude',
    { schema: { tags, summary: '记录纪检监察机关处理结果', params: idParams, body: referralConcludeBody } },
    async (req) => s.referrals.conclude(actorOf(req), req.params.id, req.body),
  );
  r.get(
    '/api/referrals/:id/evidence',
    {
      schema: {
        tags,
        summary: '证据材料（工单全过程、退单、争议、超期、延期、回访评价、督办；个人信息脱敏）',
        params: idParams,
      },
    },
    async (req) => s.referrals.evidence(actorOf(req), req.params.id),
  );
  r.get(
    '/api/referrals/:id/evidence.pdf',
    { schema: { tags, summary: '证据材料 PDF', params: idParams } },
    async (req, reply) => {
      const pdf = await s.referrals.evidencePdf(actorOf(req), req.params.id);
      return reply
        .header('content-type', 'application/pdf')
        .header(
          'content-disposition',
          `attachment; filename="referral-${req.params.id}.pdf"; filename*=UTF-8''${encodeURIComponent(`问责移送证据材料-${req.params.id}.pdf`)}`,
        )
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  );

  // 第九条: complaints about staff (the list is GET /api/staff-complaints in intake.routes.ts)
  r.get(
    '/api/staff-complaints/:id',
    { schema: { tags, summary: '投诉详情与办理记录（督办员）', params: idParams } },
    async (req) => s.staffComplaints.detail(actorOf(req), req.params.id),
  );
  r.post(
    '/api/staff-complaints/:id/investigate',
    { schema: { tags, summary: '投诉转入调查（指定调查人）', params: idParams, body: complaintInvestigateBody } },
    async (req) => s.staffComplaints.investigate(actorOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/staff-complaints/:id/notes',
    { schema: { tags, summary: '记录调查情况', params: idParams, body: complaintNoteBody } },
    async (req) => s.staffComplaints.note(actorOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/staff-complaints/:id/conclude',
    { schema: { tags, summary: '调查结论（属实、部分属实、不属实）', params: idParams, body: complaintConcludeBody } },
    async (req) => s.staffComplaints.conclude(actorOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/staff-complaints/:id/reply',
    { schema: { tags, summary: '答复投诉人（留有电话时发送短信）', params: idParams, body: complaintReplyBody } },
    async (req) => s.staffComplaints.reply(actorOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/staff-complaints/:id/close',
    { schema: { tags, summary: '投诉办结', params: idParams, body: complaintCloseBody } },
    async (req) => s.staffComplaints.close(actorOf(req), req.params.id, req.body),
  );
}
