// 坐席状态 (issue 14; GB/T 33358 counts answered calls against staffed time): an agent says whether calls may be put
// through — 示闲 (available), 示忙 (busy: working a contact, writing up) or 小休 (a break, with its reason) — and the
// CTI gateway routes only to agents who are available and whose console is still open. Pure: no I/O here.

export const PRESENCE_STATES = ['available', 'busy', 'break', 'offline'] as const;
export type PresenceState = (typeof PRESENCE_STATES)[number];
/** What an agent may set by hand (offline is set by signing out or by silence). */
export const SETTABLE_STATES = ['available', 'busy', 'break'] as const;
export type SettableState = (typeof SETTABLE_STATES)[number];

export const PRESENCE_LABELS: Record<PresenceState, string> = {
  available: '示闲',
  busy: '示忙',
  break: '小休',
  offline: '离线',
};
export const BREAK_REASONS = ['小休', '就餐', '培训', '会议', '其他'] as const;
export type BreakReason = (typeof BREAK_REASONS)[number];

/** A console that has not been heard from for this long is offline, whatever it said last (closed tab, lost network). */
export const PRESENCE_STALE_MS = 3 * 60_000;

export interface PresenceRow {
  state: PresenceState;
  since: Date;
  seenAt: Date;
}

/** The state that counts now: what the agent said, unless the console fell silent (then offline). */
export function effectiveState(row: PresenceRow | null | undefined, now: Date): PresenceState {
  if (!row) return 'offline';
  if (row.state !== 'offline' && now.getTime() - row.seenAt.getTime() > PRESENCE_STALE_MS) return 'offline';
  return row.state;
}

/** Checks a requested change; a break needs one of the reasons, other states none. Returns an error text or null. */
export function checkChange(state: string, reason: string | null | undefined): string | null {
  if (!(SETTABLE_STATES as readonly string[]).includes(state)) return '状态只能是示闲、示忙或小休';
  if (state === 'break') {
    if (!reason) return '小休请选择原因';
    if (!(BREAK_REASONS as readonly string[]).includes(reason)) return `小休原因只能是：${BREAK_REASONS.join('、')}`;
  } else if (reason) return '只有小休需要填写原因';
  return null;
}

export interface PresenceChange {
  state: PresenceState;
  at: Date;
}

/**
 * Milliseconds spent in each state within [from, to], from the log of changes (oldest first). The state before the
 * first change in the window is `before` (the last change earlier than `from`, or offline when there is none).
 */
export function timeInStates(
  changes: PresenceChange[],
  from: Date,
  to: Date,
  before: PresenceState = 'offline',
): Record<PresenceState, number> {
  const out: Record<PresenceState, number> = { available: 0, busy: 0, break: 0, offline: 0 };
  if (to.getTime() <= from.getTime()) return out;
  let state = before;
  let t = from.getTime();
  for (const c of changes) {
    const at = Math.min(Math.max(c.at.getTime(), from.getTime()), to.getTime());
    if (at > t) {
      out[state] += at - t;
      t = at;
    }
    if (c.at.getTime() <= to.getTime()) state = c.state;
  }
  out[state] += to.getTime() - t;
  return out;
}
