import { z } from 'zod';
import { dbId, dbIdParam, safeString } from './common.js';
import { workFileIds } from './work-files.js';

// Request shapes of the dispatcher's and the unit's day (issue 14): recall and reassign before acceptance, batch
// dispatch (第十四条), the unit manager's sign-off of a reply (第十五条).

const text = (max: number, label: string) =>
  safeString().trim().min(1, `${label}不能为空`).max(max, `${label}不能超过 ${max} 字`);
const expectedVersion = dbId('版本号不正确')
  .optional()
  .describe('optimistic concurrency: the version the client last saw');

/** 第十四条: recall a dispatch the unit has not accepted, back to 待派单. */
export const recallBody = z.object({ reason: text(2000, '撤回理由'), expectedVersion });

/** 第十四条: reassign a dispatch the unit has not accepted, straight to another lead unit. */
export const reassignBody = z.object({
  leadUnitId: dbId(),
  assistUnitIds: z.array(dbId()).max(20).optional(),
  reason: text(2000, '改派理由'),
  expectedVersion,
});

/** 批量派单: each ticket by its catalogue suggestion, one transaction per ticket. */
export const batchDispatchBody = z.object({
  ticketIds: z.array(dbId()).min(1, '请选择工单').max(50, '一次最多派 50 件工单'),
});

export interface BatchDispatchResult {
  results: Array<
    | { ticketId: number; ok: true; number: string; leadUnitId: number }
    | { ticketId: number; ok: false; code: string; message: string }
  >;
}

/** 第十五条 审核: a handler's reply submitted to the unit manager (the fields of a direct reply). */
export const signoffSubmitBody = z.object({
  result: text(10000, '办理结果'),
  explanation: safeString().max(5000, '解释说明不能超过 5000 字').nullish(),
  solved: z.boolean(),
  unreachableNote: safeString().max(2000, '联系情况说明不能超过 2000 字').nullish(),
  fileIds: workFileIds,
  expectedVersion,
});
export const signoffApproveBody = z.object({ note: safeString().max(2000).optional() });
export const signoffReturnBody = z.object({ reason: text(2000, '退回理由') });
export const signoffQueueQuery = z.object({
  after: dbIdParam().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
/** the admin's per-unit setting (单位与区划) */
export const signoffSettingBody = z.object({ replySignoff: z.boolean() });

export interface ReplySignoffItem {
  id: number;
  ticketId: number;
  status: 'pending' | 'approved' | 'returned';
  result: string;
  explanation: string | null;
  solved: boolean;
  unreachableNote: string | null;
  submittedByName: string;
  submittedAt: string;
  reviewerName: string | null;
  reviewedAt: string | null;
  reviewNote: string | null;
}
export interface TicketSignoffs {
  /** the lead unit requires its manager's sign-off before a handler's reply leaves it */
  required: boolean;
  items: ReplySignoffItem[];
}
export interface SignoffQueueItem {
  id: number;
  ticketId: number;
  ticketNumber: string;
  ticketTitle: string;
  dueAt: string | null;
  submittedByName: string;
  submittedAt: string;
  result: string;
  solved: boolean;
}

/** The unit manager names the handler of a ticket within the unit. */
export const assignHandlerBody = z.object({ handlerId: dbId('请选择承办人'), expectedVersion });
export interface UnitHandler {
  id: number;
  name: string;
}
