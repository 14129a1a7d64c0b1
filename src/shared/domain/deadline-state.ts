// What a deadline row means right now, for screens and figures. Pure so every combination is tested.
export type DeadlineState = 'ok' | 'warning' | 'breached' | 'met' | 'met_late' | 'cancelled';

export interface DeadlineTimes {
  due_at: Date;
  warn_at: Date;
  met_at: Date | null;
  cancelled_at: Date | null;
  breached_at: Date | null;
}

export function deadlineState(d: DeadlineTimes, now: Date): DeadlineState {
  if (d.met_at) return d.met_at.getTime() <= d.due_at.getTime() ? 'met' : 'met_late';
  if (d.cancelled_at) return 'cancelled';
  // Derived from the times, not only from the sweeper's marks, so a view is right even between sweeps.
  if (d.breached_at || now.getTime() > d.due_at.getTime()) return 'breached';
  if (now.getTime() >= d.warn_at.getTime()) return 'warning';
  return 'ok';
}

export const DEADLINE_STATE_LABELS: Record<DeadlineState, string> = {
  ok: '正常',
  warning: '临期预警',
  breached: '已超期',
  met: '按时完成',
  met_late: '超期完成',
  cancelled: '已取消',
};

export const DEADLINE_KIND_LABELS: Record<string, string> = {
  accept: '签收时限',
  first_contact: '联系诉求人时限',
  reply: '办结答复时限',
  assist: '协办时限',
  callback: '回访时限',
  rework: '重办时限',
  review: '审核时限',
};
