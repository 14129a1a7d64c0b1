import { z } from 'zod';
import { dbId, dbIdParam, isoDay, safeString } from './common.js';
import { workFileId } from './work-files.js';

// 第二十四条 考核: request schemas shared by the server routes and the web screens.

export const ASSESSMENT_INDICATORS = [
  'accept_timely',
  'contact_timely',
  'ontime_completion',
  'completion',
  'resolution',
  'satisfaction',
  'rework',
  'unfounded_return',
  'extension',
  'supervision',
  'knowledge_timely',
] as const;
export const ASSESSMENT_TICKET_INDICATORS = ASSESSMENT_INDICATORS.filter((i) => i !== 'knowledge_timely');
export const ASSESSMENT_UNIT_GROUPS = ['department', 'county_government', 'town', 'utility'] as const;

export const INDICATOR_LABELS: Record<(typeof ASSESSMENT_INDICATORS)[number], string> = {
  accept_timely: '签收及时率',
  contact_timely: '联系及时率',
  ontime_completion: '按期办结率',
  completion: '办结率',
  resolution: '解决率',
  satisfaction: '满意率',
  rework: '重办率',
  unfounded_return: '退单率',
  extension: '延期率',
  supervision: '督办次数',
  knowledge_timely: '知识库更新及时率',
};
export const UNIT_GROUP_LABELS: Record<(typeof ASSESSMENT_UNIT_GROUPS)[number], string> = {
  department: '市直部门',
  county_government: '县区政府',
  town: '乡镇（街道）',
  utility: '公共服务企业',
};

/** A month `2025-03` or a quarter `2025-Q1`. */
export const periodKey = safeString().regex(
  /^(19|20)\d{2}-(0[1-9]|1[0-2]|Q[1-4])$/,
  '考核期格式应为 YYYY-MM 或 YYYY-Qn',
);

const number = (label: string) => z.number({ error: `${label}须为数字` }).finite(`${label}须为数字`);
export const schemeLine = z.object({
  indicator: z.enum(ASSESSMENT_INDICATORS, { error: '考核指标不正确' }),
  weight: number('权重').min(0).max(100),
  target: number('目标值').min(0).max(100_000),
  cutoff: number('零分线').min(0).max(100_000),
});
export const createSchemeBody = z.object({
  unitGroup: z.enum(ASSESSMENT_UNIT_GROUPS, { error: '考核对象类别不正确' }),
  name: safeString().trim().min(1, '请填写方案名称').max(100),
  effectiveFrom: isoDay,
  effectiveTo: isoDay.nullable().optional(),
  indicators: z.array(schemeLine).min(1, '至少需要一项考核指标').max(20),
  note: safeString().max(2000).optional(),
});
export type CreateSchemeBody = z.infer<typeof createSchemeBody>;
export const retireSchemeBody = z.object({ effectiveTo: isoDay });

export const resultsQuery = z.object({
  period: periodKey,
  unitGroup: z.enum(ASSESSMENT_UNIT_GROUPS).optional(),
  /** a frozen version of the period; absent: the latest frozen one, or the live figures when none is frozen */
  version: z.coerce.number().int().min(1).max(100_000).optional(),
});
export const freezeBody = z.object({ period: periodKey });

export const drilldownQuery = z.object({
  period: periodKey,
  unitId: dbIdParam('单位不正确'),
  indicator: z.enum(ASSESSMENT_INDICATORS.filter((i) => i !== 'knowledge_timely') as [string, ...string[]], {
    error: '考核指标不正确',
  }),
  /** only the tickets that lost points (in the denominator, not in the numerator; for counts: counted) */
  against: z.enum(['true', 'false']).optional(),
  /** keyset cursor `YYYY-MM-DD_ticketId` (nextAfter of the previous page): the order of the index (unit, day, ticket) */
  after: safeString()
    .regex(/^(19|20)\d{2}-\d{2}-\d{2}_\d{1,10}$/, '分页游标不正确')
    .refine((c) => Number(c.slice(11)) <= 2_147_483_647, '分页游标不正确')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const appealsQuery = z.object({
  status: z.enum(['pending', 'accepted', 'rejected']).optional(),
  unitId: dbIdParam('单位不正确').optional(),
  before: dbIdParam('分页游标不正确').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const createAppealBody = z.object({
  ticketId: dbId('工单不正确'),
  indicator: z.enum(ASSESSMENT_INDICATORS.filter((i) => i !== 'knowledge_timely') as [string, ...string[]], {
    error: '考核指标不正确',
  }),
  reason: safeString().trim().min(5, '申诉理由至少 5 个字').max(2000, '申诉理由不能超过 2000 字'),
  materials: z
    .array(
      z.object({
        name: safeString().trim().min(1).max(200),
        description: safeString().max(1000).optional(),
        url: safeString().max(1000).optional(),
        // 第二十四条: an uploaded file (POST /api/work-files)
        fileId: workFileId.optional(),
      }),
    )
    .max(20)
    .optional(),
});
export const decideAppealBody = z.object({
  decision: z.enum(['accept', 'reject'], { error: '请选择采纳或驳回' }),
  note: safeString().trim().min(2, '请填写审核意见').max(2000),
});

export const serviceFiguresQuery = z.object({ from: isoDay, to: isoDay });

/** 申诉期限: working days after a month closes during which a unit may appeal (default 5). */
export const assessmentSettingsBody = z.object({
  appealWindowWorkingDays: z
    .number({ error: '申诉期限须为整数' })
    .int('申诉期限须为整数')
    .min(0, '申诉期限不能为负数')
    .max(30, '申诉期限最多 30 个工作日'),
});
