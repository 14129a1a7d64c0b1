import { DEADLINE_KIND_LABELS } from './deadline-state.js';

// Issue 14 (第十四、十五、十六、十七、二十二条): what a unit's staff are told in the app. A unit's notifications are the
// rows of its own feed (unit_feed) of the kinds below — the steps a unit must act on or learn the outcome of. Its own
// routine steps (签收, 联系诉求人, 阶段性反馈, its own applications) are left out: the unit did them. What the centre
// alone may read (第二十三、三十三条, CENTRE_ONLY_EVENT_KINDS) never reaches the feed, so never the bell.
//
// The list is mirrored by the partial index unit_feed_notified (migrations 0043, 0047); a kind added here needs that
// index rebuilt by a new migration, or its rows are read without it.
export const NOTIFIED_EVENT_KINDS = [
  'dispatched',
  'reassigned',
  'consultation_held',
  'dispatch_recalled',
  'return_approved',
  'return_rejected',
  'extension_approved',
  'extension_rejected',
  'termination_approved',
  'termination_rejected',
  'dispute_rejected',
  'handler_assigned',
  'reply_returned',
  'rework',
  'closed',
  'requester_evaluated',
  'deadline_warned',
  'deadline_breached',
  'supervision_opened',
  'supervision_confirmed',
  'supervision_supervised_again',
  'supervision_escalated',
  'supervision_closed',
  'merged_into',
  // issue 14 撤销并单: the ticket comes back to the unit (migration 0047 rebuilt the index with it)
  'unmerged',
] as const;
export type NotifiedEventKind = (typeof NOTIFIED_EVENT_KINDS)[number];

/** Deadline marks are about one unit's deadline: only that unit is told, not every unit on the ticket. */
export const DEADLINE_EVENT_KINDS = ['deadline_warned', 'deadline_breached'] as const;

export type NotificationLevel = 'info' | 'warning' | 'urgent';

const TEXT: Record<NotifiedEventKind, string> = {
  dispatched: '新派单',
  reassigned: '工单改派',
  consultation_held: '会商确定承办单位',
  dispatch_recalled: '派单已撤回',
  return_approved: '退单申请已同意',
  return_rejected: '退单申请被驳回',
  extension_approved: '延期申请已同意',
  extension_rejected: '延期申请被驳回',
  termination_approved: '终止办理申请已同意',
  termination_rejected: '终止办理申请被驳回',
  dispute_rejected: '职责争议被驳回',
  handler_assigned: '已指定承办人',
  reply_returned: '答复被单位负责人退回',
  rework: '回访不满意，退回重办',
  closed: '回访办结',
  requester_evaluated: '诉求人已评价',
  deadline_warned: '办理时限即将超期',
  deadline_breached: '办理时限已超期',
  supervision_opened: '立案督办',
  supervision_confirmed: '确认督办',
  supervision_supervised_again: '再次督办',
  supervision_escalated: '提级督办',
  supervision_closed: '督办办结',
  merged_into: '工单已并入其他工单',
  unmerged: '撤销并单，工单恢复办理',
};

const URGENT = new Set<string>([
  'deadline_breached',
  'rework',
  'reply_returned',
  'supervision_opened',
  'supervision_confirmed',
  'supervision_supervised_again',
  'supervision_escalated',
]);
const WARNING = new Set<string>(['deadline_warned', 'dispatched', 'reassigned', 'consultation_held', 'unmerged']);

export function isNotified(kind: string): kind is NotifiedEventKind {
  return (NOTIFIED_EVENT_KINDS as readonly string[]).includes(kind);
}

/**
 * What happened, in Chinese, for one notification. `role` is the unit's part in the ticket at the time (a new
 * dispatch says whether the unit leads or assists); `data` is the event's data (a deadline mark names its kind).
 */
export function notificationText(kind: string, role: 'lead' | 'assist', data: Record<string, unknown> = {}): string {
  if (kind === 'dispatched') return role === 'assist' ? '新派单（协办）' : '新派单（主办）';
  if (kind === 'deadline_warned' || kind === 'deadline_breached') {
    const dk = data.deadlineKind;
    const label = (typeof dk === 'string' ? DEADLINE_KIND_LABELS[dk] : undefined) ?? '办理时限';
    return `${label}${kind === 'deadline_warned' ? '即将超期' : '已超期'}`;
  }
  return isNotified(kind) ? TEXT[kind] : kind;
}

export function notificationLevel(kind: string): NotificationLevel {
  return URGENT.has(kind) ? 'urgent' : WARNING.has(kind) ? 'warning' : 'info';
}

/** The bell's count is capped (never an unbounded count): at the cap it shows "99+". */
export const UNREAD_CAP = 99;
