import { z } from 'zod';
import { COMPLAINT_FINDINGS, COMPLAINT_STATUSES, REFERRAL_CONDUCTS, REFERRAL_STATUSES } from '../domain/referrals.js';
import { dbId, dbIdParam, isoDay, safeString } from './common.js';

// 第二十三、三十二条 referrals and 第九条 complaint handling: the requests the web and the API share.

const text = (label: string, max: number) =>
  safeString().trim().min(1, `请填写${label}`).max(max, `${label}不能超过 ${max} 字`);

export const referralCreateBody = z
  .object({
    subjectKind: z.enum(['unit', 'staff'], { error: '请选择移送对象' }),
    unitId: dbId('请选择单位'),
    staff: safeString().trim().max(100, '工作人员不能超过 100 字').optional(),
    conducts: z
      .array(z.enum(REFERRAL_CONDUCTS, { error: '情形不正确' }))
      .min(1, '请至少选择一种情形')
      .max(REFERRAL_CONDUCTS.length)
      .refine((a) => new Set(a).size === a.length, '情形不能重复'),
    ticketIds: z
      .array(dbId('工单编号不正确'))
      .max(50, '一次最多关联 50 件工单')
      .refine((a) => new Set(a).size === a.length, '工单不能重复')
      .default([]),
    /** the same tickets by number (HZ20250303-000001), as a supervisor reads them on screen */
    ticketNumbers: z
      .array(
        safeString()
          .trim()
          .regex(/^[A-Z]{1,4}\d{8}-\d{1,8}$/, '工单号格式不正确'),
      )
      .max(50, '一次最多关联 50 件工单')
      .default([]),
    facts: text('问题事实', 5000),
    bodyName: text('纪检监察机关', 100),
    complaintId: dbId('投诉编号不正确').optional(),
  })
  .refine((b) => b.subjectKind === 'unit' || !!b.staff, {
    message: '移送工作人员时请填写其姓名或岗位',
    path: ['staff'],
  });
export type ReferralCreateBody = z.infer<typeof referralCreateBody>;

export const referralAcceptBody = z.object({
  acceptedOn: isoDay,
  note: safeString().trim().max(1000, '说明不能超过 1000 字').optional(),
  version: z.number().int().min(1).optional(),
});
export const referralConcludeBody = z.object({
  result: text('处理结果', 5000),
  resultOn: isoDay,
  version: z.number().int().min(1).optional(),
});

export const referralsQuery = z.object({
  status: z.enum(REFERRAL_STATUSES).optional(),
  conduct: z.enum(REFERRAL_CONDUCTS).optional(),
  unitId: dbIdParam().optional(),
  from: isoDay.optional(),
  to: isoDay.optional(),
  before: dbIdParam().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type ReferralsQuery = z.infer<typeof referralsQuery>;

export const complaintsQuery = z.object({
  status: z.enum([...COMPLAINT_STATUSES, 'active', 'all'] as const).default('active'),
  before: dbIdParam().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export const complaintInvestigateBody = z.object({
  assigneeId: dbId('调查人不正确').optional(),
  note: text('调查说明', 2000),
});
export const complaintNoteBody = z.object({ note: text('调查记录', 2000) });
export const complaintConcludeBody = z.object({
  finding: z.enum(COMPLAINT_FINDINGS, { error: '请选择调查结论' }),
  findingText: text('查明情况', 5000),
});
export const complaintReplyBody = z.object({ text: text('答复内容', 500) });
export const complaintCloseBody = z.object({
  note: safeString().trim().max(1000, '说明不能超过 1000 字').optional(),
});
