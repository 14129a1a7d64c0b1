// The six states of a ticket (DESIGN §4), shared by the server's schema and the web.
export type TicketStatus = 'pending_dispatch' | 'dispatched' | 'in_progress' | 'replied' | 'closed' | 'terminated';

// The ticket lifecycle as one pure table (DESIGN §4). Every service action asks `nextStatus` first, so an
// illegal action is refused the same way everywhere (409 with the current state).
export type TicketAction =
  | 'dispatch' // 派单 (第十二条)
  | 'accept' // 签收
  | 'recall' // 撤回派单: back to 待派单 before the unit accepts (第十四条)
  | 'reassign' // 改派: straight to another unit before the unit accepts (第十四条)
  | 'apply_return' // 退单申请 (第十四条)
  | 'approve_return_redispatch' // centre approves and redispatches at once
  | 'approve_return_hold' // centre approves; ticket waits for a new dispatch
  | 'reject_return'
  | 'record_contact' // 联系诉求人 (第十五条(一))
  | 'progress_report' // 阶段性反馈 (第十六条)
  | 'apply_extension' // 延期申请 (第十六条)
  | 'review_extension'
  | 'assist_result' // 协办结果 (第十六条)
  | 'apply_dispute' // 职责争议 (第十六条)
  | 'consultation' // 会商确定承办单位 (第十六条)
  | 'reject_dispute'
  | 'reply' // 办结答复 (第十五条(四))
  | 'submit_reply' // 答复提交单位负责人审核 (第十五条)
  | 'assign_handler' // 单位负责人指定承办人
  | 'return_reply' // 单位负责人退回答复 (第十五条)
  | 'apply_termination' // 终止办理申请 (第十五条(五)(六))
  | 'approve_termination'
  | 'reject_termination'
  | 'merge_into' // 并单: the matter continues in another ticket
  | 'callback_close' // 回访 → 办结 (第十七条)
  | 'callback_rework' // 回访 → 重办 (第十七条)
  // 二级派单 (第十四至十六条): the lead unit passes an accepted ticket to a sub-unit and stays the lead
  | 'sub_dispatch'
  | 'sub_recall'
  | 'sub_accept'
  | 'sub_return'
  | 'sub_reply'
  | 'sub_review'
  | 'sub_extension'
  | 'sub_extension_review';

const SAME = Symbol('same');
type Target = TicketStatus | typeof SAME;

const TABLE: Record<TicketAction, Partial<Record<TicketStatus, Target>>> = {
  dispatch: { pending_dispatch: 'dispatched' },
  accept: { dispatched: 'in_progress' },
  // 第十四条: only while the unit has not signed for it; once accepted, only a return application moves it
  recall: { dispatched: 'pending_dispatch' },
  reassign: { dispatched: 'dispatched' },
  apply_return: { dispatched: SAME, in_progress: SAME },
  approve_return_redispatch: { dispatched: 'dispatched', in_progress: 'dispatched' },
  approve_return_hold: { dispatched: 'pending_dispatch', in_progress: 'pending_dispatch' },
  reject_return: { dispatched: SAME, in_progress: SAME },
  record_contact: { in_progress: SAME },
  progress_report: { in_progress: SAME },
  apply_extension: { in_progress: SAME },
  review_extension: { in_progress: SAME },
  assist_result: { dispatched: SAME, in_progress: SAME },
  apply_dispute: { dispatched: SAME, in_progress: SAME },
  consultation: { dispatched: 'dispatched', in_progress: 'dispatched' },
  reject_dispute: { dispatched: SAME, in_progress: SAME },
  reply: { in_progress: 'replied' },
  // 第十五条 审核: the submission and its return keep the ticket 办理中 (deadlines run); approval is 'reply'
  submit_reply: { in_progress: SAME },
  assign_handler: { dispatched: SAME, in_progress: SAME },
  return_reply: { in_progress: SAME },
  apply_termination: { in_progress: SAME },
  approve_termination: { in_progress: 'terminated' },
  reject_termination: { in_progress: SAME },
  merge_into: { pending_dispatch: 'closed', dispatched: 'closed', in_progress: 'closed' },
  callback_close: { replied: 'closed' },
  callback_rework: { replied: 'in_progress' },
  // 二级派单 happens inside the lead unit's handling: the ticket stays 办理中 and its deadlines run
  sub_dispatch: { in_progress: SAME },
  sub_recall: { in_progress: SAME },
  sub_accept: { in_progress: SAME },
  sub_return: { in_progress: SAME },
  sub_reply: { in_progress: SAME },
  sub_review: { in_progress: SAME },
  sub_extension: { in_progress: SAME },
  sub_extension_review: { in_progress: SAME },
};

export const ALL_ACTIONS = Object.keys(TABLE) as TicketAction[];
export const ALL_STATUSES: TicketStatus[] = [
  'pending_dispatch',
  'dispatched',
  'in_progress',
  'replied',
  'closed',
  'terminated',
];
export const OPEN_STATUSES: TicketStatus[] = ['pending_dispatch', 'dispatched', 'in_progress', 'replied'];

/** The status after `action`, or null when the action is not allowed in `from`. */
export function nextStatus(from: TicketStatus, action: TicketAction): TicketStatus | null {
  const target = TABLE[action][from];
  if (target === undefined) return null;
  return target === SAME ? from : target;
}

export function allowedActions(from: TicketStatus): TicketAction[] {
  return ALL_ACTIONS.filter((a) => nextStatus(from, a) !== null);
}

export const STATUS_LABELS: Record<TicketStatus, string> = {
  pending_dispatch: '待派单',
  dispatched: '待签收',
  in_progress: '办理中',
  replied: '待回访',
  closed: '已办结',
  terminated: '已终止',
};
