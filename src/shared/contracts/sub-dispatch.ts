import { z } from 'zod';
import { dbIdParam, dbId, safeString } from './common.js';

// Request and answer shapes of 二级派单 (第十四至十六条): a lead unit passes an accepted ticket to one of its
// sub-units and stays the lead.

const text = (max: number, label: string) =>
  safeString().trim().min(1, `${label}不能为空`).max(max, `${label}不能超过 ${max} 字`);

/** 转派: the sub-unit, the instructions and (optionally) the sub-deadline; by default the lead's less a working day. */
export const subDispatchBody = z.object({
  unitId: dbId('请选择下级单位'),
  instructions: text(2000, '转派要求'),
  dueAt: z.iso.datetime({ offset: true, error: '时限格式不正确' }).optional(),
  expectedVersion: dbId('版本号不正确').optional(),
});
export const subReasonBody = z.object({ reason: text(2000, '理由') });
export const subReplyBody = z.object({
  result: text(10000, '办理结果'),
  solved: z.boolean(),
  explanation: safeString().max(5000, '解释说明不能超过 5000 字').nullish(),
});
export const subReviewBody = z.object({
  decision: z.enum(['approve', 'return']),
  note: safeString().max(2000, '审核意见不能超过 2000 字').optional(),
});
export const subExtensionBody = z.object({
  reason: text(2000, '延期理由'),
  progress: text(2000, '阶段性办理情况'),
  days: z.number().int('延期天数须为整数').min(1, '延期天数至少 1 天').max(30, '延期天数不能超过 30 天'),
});
export const subExtensionReviewBody = z.object({
  decision: z.enum(['approve', 'reject']),
  note: safeString().max(2000, '审核意见不能超过 2000 字').optional(),
});
export const SUB_STATUS_VALUES = [
  'pending',
  'accepted',
  'submitted',
  'approved',
  'returned',
  'recalled',
  'ended',
] as const;
export type SubDispatchStatus = (typeof SUB_STATUS_VALUES)[number];
export const subQueueQuery = z.object({
  /** 'received': passed to my unit; 'sent': my unit passed down to its sub-units */
  view: z.enum(['received', 'sent']),
  status: z
    .preprocess((v) => (typeof v === 'string' ? v.split(',') : v), z.array(z.enum(SUB_STATUS_VALUES)).max(7))
    .optional(),
  after: safeString().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export const subIdParams = z.object({ id: dbIdParam() });

export const SUB_STATUS_LABELS: Record<SubDispatchStatus, string> = {
  pending: '待签收',
  accepted: '办理中',
  submitted: '已答复待审核',
  approved: '答复已采纳',
  returned: '已退回',
  recalled: '已撤回',
  ended: '已结束',
};

export interface SubExtensionItem {
  id: number;
  days: number;
  reason: string;
  progress: string;
  status: 'pending' | 'approved' | 'rejected';
  previousDueAt: string;
  newDueAt: string | null;
  reviewNote: string | null;
  createdAt: string;
  decidedAt: string | null;
}

export interface SubDispatchItem {
  id: number;
  ticketId: number;
  ticketNumber: string;
  ticketTitle: string;
  ticketStatus: string;
  /** the lead unit's own deadline (the ticket's current one) */
  ticketDueAt: string | null;
  parentUnitId: number;
  parentUnitName: string;
  unitId: number;
  unitName: string;
  status: SubDispatchStatus;
  statusLabel: string;
  instructions: string;
  dispatchedAt: string;
  dispatchedByName: string | null;
  acceptDueAt: string;
  returnUntil: string;
  dueAt: string;
  originalDueAt: string;
  acceptedAt: string | null;
  result: string | null;
  solved: boolean | null;
  explanation: string | null;
  submittedAt: string | null;
  reviewedAt: string | null;
  reviewNote: string | null;
  endedAt: string | null;
  endReason: string | null;
  lateAccept: boolean | null;
  lateReply: boolean | null;
  /** past its sub-deadline: still open after it, or replied after it */
  overdue: boolean;
  /** 第十四条: the sub-unit may still return it to the lead unit */
  canReturn: boolean;
  extensions?: SubExtensionItem[];
}

export interface SubDispatchOptions {
  subUnits: Array<{ id: number; name: string }>;
  parentDueAt: string | null;
  defaultDueAt: string | null;
  reserve: { amount: number; unit: 'working_days' | 'working_hours' | 'clock_hours' };
  liveSubDispatchId: number | null;
}
