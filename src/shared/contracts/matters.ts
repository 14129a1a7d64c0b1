import { z } from 'zod';
import { JOINT_FIELDS, MATTER_ACTIONS, MATTER_STATUSES, MINUTE_KINDS, TASK_STATUSES } from '../domain/matters.js';
import { dbId, dbIdParam, isoDay, safeString } from './common.js';

// 第二十五、二十六条 专题治理: the requests the web and the API share.

const text = (label: string, max: number) =>
  safeString().trim().min(1, `请填写${label}`).max(max, `${label}不能超过 ${max} 字`);
const optionalText = (label: string, max: number) =>
  safeString().trim().max(max, `${label}不能超过 ${max} 字`).optional();
const regionCode = safeString().regex(/^\d{6,12}$/, '行政区划代码不正确');
const ticketIds = z
  .array(dbId('工单编号不正确'))
  .min(1, '请至少选择一件工单')
  .max(200, '一次最多关联 200 件工单')
  .refine((a) => new Set(a).size === a.length, '工单不能重复');

export const matterCreateBody = z.object({
  title: text('专题名称', 100),
  description: text('问题描述', 5000),
  categoryId: dbId('事项分类不正确').optional(),
  regionCode,
  leadUnitId: dbId('请选择牵头单位'),
  keywords: optionalText('关键词', 200),
  plan: optionalText('解决方案', 10000),
  ticketIds: ticketIds.optional(),
  jointField: z.enum(JOINT_FIELDS, { error: '联合协调处置领域不正确' }).optional(),
});
export type MatterCreateBody = z.infer<typeof matterCreateBody>;

export const mattersQuery = z.object({
  status: z.enum([...MATTER_STATUSES, 'open'] as const).optional(),
  regionCode: regionCode.optional(),
  leadUnitId: dbIdParam().optional(),
  /** 第二十六条第二款: one field, or 'any' for every jointly coordinated matter */
  jointField: z.enum([...JOINT_FIELDS, 'any'] as const, { error: '联合协调处置领域不正确' }).optional(),
  before: dbIdParam().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type MattersQuery = z.infer<typeof mattersQuery>;

/** The proposal of similar tickets: from a seed ticket, or a category + region + keywords. */
export const matterCandidatesQuery = z
  .object({
    seedTicketId: dbIdParam().optional(),
    categoryId: dbIdParam().optional(),
    regionCode: regionCode.optional(),
    keywords: safeString().trim().max(200, '关键词不能超过 200 字').optional(),
    months: z.coerce.number().int().min(1).max(24).default(12),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .refine((q) => q.seedTicketId !== undefined || q.categoryId !== undefined || !!q.keywords, {
    message: '请选择起始工单，或填写事项分类、关键词',
    path: ['keywords'],
  });
export type MatterCandidatesQuery = z.infer<typeof matterCandidatesQuery>;

export const matterPlanBody = z.object({
  description: optionalText('问题描述', 5000),
  plan: safeString().trim().max(10000, '解决方案不能超过 10000 字'),
  version: z.number().int().min(1).optional(),
});
export const matterLinkBody = z.object({ ticketIds });
export const matterUnlinkBody = z.object({ ticketIds, reason: text('取消关联的原因', 500) });
export const matterUnitBody = z.object({
  unitId: dbId('请选择单位'),
  role: text('职责分工', 200),
});
export const matterUnitParams = z.object({ id: dbIdParam(), unitId: dbIdParam() });
export const matterTaskBody = z.object({
  title: text('任务内容', 500),
  ownerUnitId: dbId('请选择责任单位'),
  dueOn: isoDay.optional(),
});
export const matterTaskParams = z.object({ id: dbIdParam(), taskId: dbIdParam() });
export const matterTaskStatusBody = z.object({
  status: z.enum(TASK_STATUSES, { error: '任务状态不正确' }),
  result: optionalText('办理情况', 2000),
  version: z.number().int().min(1).optional(),
});
export const matterMinuteBody = z
  .object({
    kind: z.enum(MINUTE_KINDS, { error: '会商形式不正确' }).default('consultation'),
    /** 第二十九条: who took part in a 民主协商 (required for one) */
    participants: optionalText('参与组织', 1000),
    heldOn: isoDay,
    unitIds: z
      .array(dbId('参会单位不正确'))
      .min(1, '请选择参会单位')
      .max(50, '参会单位最多 50 个')
      .refine((a) => new Set(a).size === a.length, '参会单位不能重复'),
    summary: text('会商情况', 5000),
    decisions: text('议定事项', 5000),
  })
  .refine((b) => b.kind !== 'democratic' || !!b.participants, {
    message: '民主协商须写明参与的村（居）委会、企业或社会组织',
    path: ['participants'],
  });
export type MatterMinuteBody = z.infer<typeof matterMinuteBody>;
export const matterMeasureBody = z.object({
  title: text('措施名称', 200),
  content: text('措施内容', 5000),
  issuedBy: optionalText('发文单位', 100),
  effectiveOn: isoDay,
});
export const matterTransitionBody = z.object({
  action: z.enum(MATTER_ACTIONS, { error: '操作不正确' }),
  reason: text('说明', 1000),
  version: z.number().int().min(1).optional(),
});
export const matterTasksQuery = z.object({
  status: z.enum([...TASK_STATUSES, 'active'] as const).default('active'),
  before: dbIdParam().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type MatterTasksQuery = z.infer<typeof matterTasksQuery>;
