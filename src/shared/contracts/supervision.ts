import { z } from 'zod';
import { dbId, dbIdParam, safeString } from './common.js';
import { SUPERVISION_METHODS, SUPERVISION_STATUSES, SUPERVISION_TRIGGERS } from '../domain/supervision.js';

// 第二十二条 热线督办: what the supervision routes accept. Bad input is a 400 with the field, never a 500.

export const triggerParams = z.object({ code: z.enum(SUPERVISION_TRIGGERS, { error: '督办情形不正确' }) });

const method = z.enum(SUPERVISION_METHODS, { error: '督办方式不正确' });
const answerDays = z
  .number({ error: '反馈时限不正确' })
  .int('反馈时限应为整数')
  .min(1, '反馈时限至少 1 个工作日')
  .max(30, '反馈时限至多 30 个工作日');
const note = (max = 2000) => safeString().trim().max(max, `不能超过 ${max} 字`);

export const ruleBody = z.object({
  enabled: z.boolean({ error: '请指定是否启用' }),
  mode: z.enum(['case', 'proposal'], { error: '触发后的处理方式不正确' }),
  thresholds: z.record(safeString().max(50), z.unknown()),
  /** from when the new version applies (absent: now); never before the version in force began */
  effectiveFrom: z.coerce.date({ error: '生效时间不正确' }).optional(),
  note: note(500).optional(),
});

export const caseListQuery = z.object({
  status: safeString()
    .optional()
    .transform((s, ctx) => {
      if (!s) return undefined;
      if (s === 'active') return ['proposed', 'open', 'answered', 'escalated'] as const;
      const parts = s.split(',');
      for (const p of parts)
        if (!(SUPERVISION_STATUSES as readonly string[]).includes(p)) {
          ctx.addIssue({ code: 'custom', message: `未知状态 ${p.slice(0, 40)}` });
          return z.NEVER;
        }
      return parts as (typeof SUPERVISION_STATUSES)[number][];
    }),
  trigger: z.enum(SUPERVISION_TRIGGERS, { error: '督办情形不正确' }).optional(),
  unitId: dbIdParam().optional(),
  overdue: z.enum(['true', 'false']).optional(),
  after: safeString()
    .regex(/^(-?\d{1,15}|none):\d{1,10}$/, '分页游标不正确')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const manualCaseBody = z.object({
  trigger: z.enum(['negative', 'other'], { error: '手动督办只能是第（五）、（六）项情形' }),
  ticketIds: z.array(dbId('工单编号不正确')).max(50, '一次最多关联 50 件工单').default([]),
  /** the unit supervised; absent: the lead unit of the first ticket */
  unitId: dbId('单位编号不正确').optional(),
  reason: note().min(2, '请填写督办理由'),
  /** 第二十二条(五): where the negative effect showed (e.g. a media report) */
  source: note(500).optional(),
  method,
  answerDays,
});

export const confirmBody = z.object({
  method: method.optional(),
  answerDays: answerDays.optional(),
  note: note().optional(),
});
export const dismissBody = z.object({ note: note().min(2, '请填写不予督办的理由') });
export const answerBody = z.object({
  answer: note(4000).min(5, '请填写办理情况（至少 5 个字）'),
  version: z.number().int().positive().optional(),
});
export const decideBody = z.object({
  decision: z.enum(['close', 'supervise_again', 'escalate'], { error: '督办决定不正确' }),
  note: note().min(2, '请填写决定意见'),
  method: method.optional(),
  answerDays: answerDays.optional(),
  version: z.number().int().positive().optional(),
});
export const cardsQuery = z.object({ days: z.coerce.number().int().min(1).max(366).default(30) });

export type CaseListQuery = z.infer<typeof caseListQuery>;
export type ManualCaseBody = z.infer<typeof manualCaseBody>;
export type RuleBody = z.infer<typeof ruleBody>;
