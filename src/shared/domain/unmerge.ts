import type { TicketStatus } from './transitions.js';

// 撤销并单 (issue 14 "undo where the law allows it"; 第十三条第三项 并单). A merge is the centre's own act on its own
// tickets: until the matter has been answered, taking the duplicate back out harms nobody — its requester has
// been told nothing the merge changed, and no unit has answered on it. Once the surviving ticket has a reply, its
// result went to every requester the merge brought (第九条 知情权, 第十五条(四)), and what was sent to a citizen
// cannot be called back; a closed ticket's callback result is the requester's word (第十七条). The window is
// 24 clock hours: long enough for a dispatcher's shift and the next one to notice a wrong merge, short enough that
// the requester of the merged ticket has not waited on the wrong matter for a day (docs/undo.md).

export const UNMERGE_WINDOW_HOURS = 24;

/** The states of the surviving ticket in which a merge into it may still be undone: nothing answered yet. */
export const UNMERGE_TARGET_STATUSES: readonly TicketStatus[] = ['pending_dispatch', 'dispatched', 'in_progress'];

export type UnmergeRefusal = 'not_merged' | 'window_passed' | 'target_answered' | 'target_closed';

export const UNMERGE_REFUSAL_TEXT: Record<UnmergeRefusal, string> = {
  not_merged: '该工单未被并单，无需撤销',
  window_passed: `并单已超过 ${UNMERGE_WINDOW_HOURS} 小时，不能撤销；如确属不同诉求，请另行受理`,
  target_answered: '主工单已答复，办理结果已告知并单的诉求人，不能撤销并单',
  target_closed: '主工单已办结或终止，不能撤销并单',
};

/** Until when a merge made at `mergedAt` may be undone. */
export function unmergeUntil(mergedAt: Date): Date {
  return new Date(mergedAt.getTime() + UNMERGE_WINDOW_HOURS * 3_600_000);
}

export interface UnmergeFacts {
  /** the merged ticket: its status and the ticket it went into */
  status: TicketStatus;
  mergedIntoId: number | null;
  /** when the (last) merge happened: its 'merged_into' event */
  mergedAt: Date | null;
  now: Date;
  /** the surviving ticket, when known (the web does not know it; the server always does) */
  target?: { status: TicketStatus; repliedAt: Date | null } | null;
}

/** Why the merge cannot be undone, or null when it can. */
export function unmergeRefusal(f: UnmergeFacts): UnmergeRefusal | null {
  if (f.status !== 'closed' || f.mergedIntoId === null || f.mergedAt === null) return 'not_merged';
  if (f.now.getTime() > unmergeUntil(f.mergedAt).getTime()) return 'window_passed';
  if (!f.target) return null;
  // a reply since the merge reached the requesters it brought, even if a callback has since sent it back (重办)
  if (f.target.repliedAt && f.target.repliedAt.getTime() >= f.mergedAt.getTime()) return 'target_answered';
  if (f.target.status === 'replied') return 'target_answered';
  if (!UNMERGE_TARGET_STATUSES.includes(f.target.status)) return 'target_closed';
  return null;
}

/**
 * What the merge took from the merged ticket, recorded on its 'merged_into' event so an undo puts exactly that
 * back: its status and due time, the unit assignments it ended (with their state) and the deadlines it cancelled.
 */
export interface MergeSnapshot {
  status: TicketStatus;
  dueAt: string | null;
  assignments: { id: number; status: 'active' | 'submitted' }[];
  deadlineIds: number[];
}

const RESTORABLE: readonly TicketStatus[] = ['pending_dispatch', 'dispatched', 'in_progress'];

/**
 * The snapshot of a 'merged_into' event's data, or null when it has none or it is not one this version wrote
 * (merges recorded before undo existed): such a ticket comes back 待派单 for a fresh dispatch.
 */
export function readMergeSnapshot(data: unknown): MergeSnapshot | null {
  const s = (data as { restore?: unknown } | null)?.restore as Partial<MergeSnapshot> | undefined;
  if (!s || typeof s !== 'object') return null;
  if (!RESTORABLE.includes(s.status as TicketStatus)) return null;
  if (s.dueAt !== null && (typeof s.dueAt !== 'string' || Number.isNaN(Date.parse(s.dueAt)))) return null;
  if (!Array.isArray(s.assignments) || !Array.isArray(s.deadlineIds)) return null;
  const okId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;
  if (!s.assignments.every((a) => a && okId(a.id) && (a.status === 'active' || a.status === 'submitted'))) return null;
  if (!s.deadlineIds.every(okId)) return null;
  // a ticket at a unit has that unit's assignment; without one it can only wait for a dispatch
  if (s.status !== 'pending_dispatch' && s.assignments.length === 0) return null;
  return {
    status: s.status as TicketStatus,
    dueAt: s.dueAt,
    assignments: s.assignments.map((a) => ({ id: a.id, status: a.status })),
    deadlineIds: [...s.deadlineIds],
  };
}
