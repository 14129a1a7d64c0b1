import { z } from 'zod';

// Request shapes shared by the server (validation, OpenAPI) and the web client. Messages are Chinese
// because they reach users as they are.
const text = (max: number, label: string) => z.string().trim().min(1, `${label}不能为空`).max(max, `${label}不能超过 ${max} 字`);

export const materialSchema = z.object({
  name: text(200, '材料名称'),
  description: z.string().max(2000).optional(),
  url: z.string().max(2000).optional(),
});

export const idParams = z.object({ id: z.coerce.number().int().positive() });
const expectedVersion = z.number().int().positive().optional().describe('optimistic concurrency: the version the client last saw');

export const createTicketBody = z.object({
  requestType: z.enum(['consult', 'help', 'complaint', 'report', 'suggestion', 'praise']),
  categoryId: z.number().int().positive(),
  urgency: z.enum(['normal', 'urgent']).default('normal'),
  regionCode: z.string().regex(/^\d{6,12}$/, '行政区划代码格式不正确'),
  address: z.string().max(500).nullish(),
  title: text(200, '标题'),
  content: text(10000, '诉求内容'),
  channel: z.enum(['phone', 'sms', 'wechat', 'weibo', 'web', 'api']).optional(),
  requester: z.object({
    name: z.string().max(100).nullish(),
    phone: z.string().regex(/^[+\d][\d\s-]{4,19}$/, '电话号码格式不正确').nullish(),
  }).nullish(),
});

export const dispatchBody = z.object({
  leadUnitId: z.number().int().positive().optional(),
  assistUnitIds: z.array(z.number().int().positive()).max(20).optional(),
  note: z.string().max(2000).optional(),
  expectedVersion,
});
export const versionBody = z.object({ expectedVersion }).default({});
export const contactBody = z.object({ method: z.enum(['phone', 'sms', 'visit', 'other']), reached: z.boolean(), note: text(2000, '联系情况'), expectedVersion });
export const progressBody = z.object({ content: text(5000, '阶段性情况'), expectedVersion });
export const assistResultBody = z.object({ result: text(5000, '协办结果') });
export const replyBody = z.object({ result: text(10000, '办理结果'), explanation: z.string().max(5000).nullish(), solved: z.boolean(), expectedVersion });
export const callbackBody = z.object({
  satisfaction: z.enum(['satisfied', 'basically_satisfied', 'unsatisfied']),
  resolved: z.boolean(),
  reasonable: z.boolean().optional(),
  outcome: z.enum(['close', 'rework']),
  note: z.string().max(2000).optional(),
  expectedVersion,
});
const applyBase = { reason: text(2000, '申请理由'), materials: z.array(materialSchema).max(20).optional(), expectedVersion };
export const returnBody = z.object(applyBase);
export const extensionBody = z.object({ ...applyBase, days: z.number().int().min(1).max(30), progress: text(5000, '阶段性工作情况') });
export const terminationBody = z.object({ ...applyBase, case: z.enum(['refused_information', 'unreasonable_request']) });
export const disputeBody = z.object({ ...applyBase, proposedUnitIds: z.array(z.number().int().positive()).max(10).optional() });
export const reviewBody = z.object({
  decision: z.enum(['approve', 'reject']),
  note: z.string().max(2000).optional(),
  newLeadUnitId: z.number().int().positive().optional(),
  assistUnitIds: z.array(z.number().int().positive()).max(20).optional(),
});
export const consultationBody = z.object({
  participantUnitIds: z.array(z.number().int().positive()).min(2, '会商须至少两个单位参加').max(20),
  record: text(10000, '会商纪要'),
  decidedUnitId: z.number().int().positive(),
  assistUnitIds: z.array(z.number().int().positive()).max(20).optional(),
});
export const queueQuery = z.object({
  view: z.enum(['lead', 'assist', 'centre']).default('lead'),
  status: z.string().optional().transform((s, ctx) => {
    if (!s) return undefined;
    const all = ['pending_dispatch', 'dispatched', 'in_progress', 'replied', 'closed', 'terminated'] as const;
    const parts = s.split(',');
    for (const p of parts) if (!all.includes(p as never)) { ctx.addIssue({ code: 'custom', message: `未知状态 ${p}` }); return z.NEVER; }
    return parts as (typeof all)[number][];
  }),
  unitId: z.coerce.number().int().positive().optional(),
  after: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const ticketSearchBody = z.object({
  q: z.string().trim().min(1, '请输入工单号、来电号码或关键词').max(100, '查询内容不能超过 100 字'),
  limit: z.number().int().min(1).max(50).default(20),
});
export const revealBody = z.object({ purpose: text(200, '查看事由') });
export const applicationsQuery = z.object({
  kind: z.enum(['return', 'extension', 'termination', 'dispute']).optional(),
  after: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
