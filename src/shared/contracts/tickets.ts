import { z } from 'zod';
import { dbId, dbIdParam, idParams, isoDay, safeString } from './common.js';
import { UNIT_TEXT_MAX } from '../domain/report-text.js';
import { workFileId, workFileIds } from './work-files.js';
import { DEFAULT_TICKET_SORT, TICKET_SORTS } from '../domain/ticket-sort.js';

export { idParams };

// Request shapes shared by the server (validation, OpenAPI) and the web client. Messages are Chinese
// because they reach users as they are.
const text = (max: number, label: string) =>
  safeString().trim().min(1, `${label}不能为空`).max(max, `${label}不能超过 ${max} 字`);

export const materialSchema = z.object({
  name: text(200, '材料名称'),
  description: safeString().max(2000).optional(),
  url: safeString().max(2000).optional(),
  // 第十四、十五条: an uploaded file (POST /api/work-files); a text-only entry stays valid
  fileId: workFileId.optional().describe('id of a file uploaded with POST /api/work-files'),
});

const expectedVersion = dbId('版本号不正确')
  .optional()
  .describe('optimistic concurrency: the version the client last saw');

/**
 * 第三十三条: a 举报's text as the agent writes it for the units — the matter, not who reported it. Required for a
 * 举报 (checked by the server with the request type); the unit reported on reads only this.
 */
export const unitTextField = safeString()
  .trim()
  .max(UNIT_TEXT_MAX, `转述内容不能超过 ${UNIT_TEXT_MAX} 字`)
  .optional()
  .describe(
    "举报: the text written for the handling units; the reported unit never sees the requester's own words (第三十三条)",
  );

export const createTicketBody = z.object({
  requestType: z.enum(['consult', 'help', 'complaint', 'report', 'suggestion', 'praise']),
  categoryId: dbId(),
  urgency: z.enum(['normal', 'urgent']).default('normal'),
  regionCode: safeString().regex(/^\d{6,12}$/, '行政区划代码格式不正确'),
  address: safeString().max(500).nullish(),
  title: text(200, '标题'),
  content: text(10000, '诉求内容'),
  channel: z.enum(['phone', 'sms', 'wechat', 'weibo', 'web', 'api']).optional(),
  reportedUnitId: dbId()
    .optional()
    .describe('举报: the unit reported on, which never sees who reported it (第三十三条)'),
  unitText: unitTextField,
  requester: z
    .object({
      name: safeString().max(100).nullish(),
      phone: safeString()
        .regex(/^[+\d][\d\s-]{4,19}$/, '电话号码格式不正确')
        .nullish(),
    })
    .nullish(),
});

export const dispatchBody = z.object({
  leadUnitId: dbId().optional(),
  assistUnitIds: z.array(dbId()).max(20).optional(),
  note: safeString().max(2000).optional(),
  expectedVersion,
});
export const versionBody = z.object({ expectedVersion }).default({});
export const contactBody = z.object({
  method: z.enum(['phone', 'sms', 'visit', 'other']),
  reached: z.boolean(),
  note: text(2000, '联系情况'),
  expectedVersion,
});
export const progressBody = z.object({ content: text(5000, '阶段性情况'), expectedVersion });
export const assistResultBody = z.object({ result: text(5000, '协办结果') });
export const replyBody = z.object({
  result: text(10000, '办理结果'),
  explanation: safeString().max(5000).nullish(),
  solved: z.boolean(),
  // 第十五条: required when the requester was not reached (failed attempts under the policy, or anonymous)
  unreachableNote: safeString()
    .max(2000, '联系情况说明不能超过 2000 字')
    .nullish()
    .describe('why the requester could not be reached; shown at callback'),
  // 第十五条: photos of the result (uploaded first)
  fileIds: workFileIds,
  expectedVersion,
});
export const callbackBody = z.object({
  satisfaction: z.enum(['satisfied', 'basically_satisfied', 'unsatisfied']),
  resolved: z.boolean(),
  reasonable: z.boolean().optional(),
  outcome: z.enum(['close', 'rework']),
  note: safeString().max(2000).optional(),
  expectedVersion,
});
const applyBase = {
  reason: text(2000, '申请理由'),
  materials: z.array(materialSchema).max(20).optional(),
  expectedVersion,
};
export const returnBody = z.object(applyBase);
export const extensionBody = z.object({
  ...applyBase,
  days: z.number().int().min(1).max(30),
  progress: text(5000, '阶段性工作情况'),
});
export const terminationBody = z.object({
  ...applyBase,
  case: z.enum(['refused_information', 'unreasonable_request']),
});
export const disputeBody = z.object({ ...applyBase, proposedUnitIds: z.array(dbId()).max(10).optional() });
export const reviewBody = z.object({
  decision: z.enum(['approve', 'reject']),
  note: safeString().max(2000).optional(),
  newLeadUnitId: dbId().optional(),
  assistUnitIds: z.array(dbId()).max(20).optional(),
});
export const consultationBody = z.object({
  participantUnitIds: z.array(dbId()).min(2, '会商须至少两个单位参加').max(20),
  record: text(10000, '会商纪要'),
  decidedUnitId: dbId(),
  assistUnitIds: z.array(dbId()).max(20).optional(),
});
/**
 * Issue 14 "Every list": the filters a ticket list offers beside status and unit — created date range (China days),
 * matter category (its subtree), region (its subtree), channel, deadline state. The same on screen and in its export.
 */
export const TICKET_CHANNELS = ['phone', 'sms', 'wechat', 'weibo', 'web', 'api', 'open311', 'grid'] as const;
export const DEADLINE_STATES = ['overdue', 'warning'] as const;
export const ticketListFilters = z.object({
  from: isoDay.optional(),
  to: isoDay.optional(),
  categoryId: dbIdParam('事项分类不正确').optional(),
  regionCode: safeString()
    .regex(/^\d{6,15}$/, '区域代码不正确')
    .optional(),
  channel: z.enum(TICKET_CHANNELS, { error: '未知渠道' }).optional(),
  deadline: z.enum(DEADLINE_STATES, { error: '未知时限状态' }).optional(),
});
export type TicketListFilters = z.infer<typeof ticketListFilters>;

/** Issue 14: the order a ticket list is read in, sorted by the server (see shared/domain/ticket-sort.ts). */
export const ticketListSort = z
  .enum(TICKET_SORTS, { error: '未知排序方式' })
  .describe(
    'deadline: 办理期限最近的在前（默认）; -deadline: 最晚的在前; created / -created: 受理时间最早 / 最新的在前',
  );

export const queueQuery = ticketListFilters.extend({
  // 'mine': the lead unit's tickets its manager named this handler for (issue 14)
  view: z.enum(['lead', 'assist', 'centre', 'mine']).default('lead'),
  status: safeString()
    .optional()
    .transform((s, ctx) => {
      if (!s) return undefined;
      const all = ['pending_dispatch', 'dispatched', 'in_progress', 'replied', 'closed', 'terminated'] as const;
      const parts = s.split(',');
      for (const p of parts)
        if (!all.includes(p as never)) {
          ctx.addIssue({ code: 'custom', message: `未知状态 ${p}` });
          return z.NEVER;
        }
      return parts as (typeof all)[number][];
    }),
  unitId: dbIdParam().optional(),
  sort: ticketListSort.default(DEFAULT_TICKET_SORT),
  after: safeString().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const ticketSearchBody = z.object({
  q: safeString().trim().min(1, '请输入工单号、来电号码或关键词').max(100, '查询内容不能超过 100 字'),
  limit: z.number().int().min(1).max(50).default(20),
});
export const revealBody = z.object({ purpose: text(200, '查看事由') });
/** 第十七条: a merged ticket's other requester is revealed by id (none: the ticket's own requester). */
export const ticketRevealBody = revealBody.extend({ requesterId: dbId('诉求人不正确').optional() });
export const applicationsQuery = z.object({
  kind: z.enum(['return', 'extension', 'termination', 'dispute']).optional(),
  after: dbIdParam().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
