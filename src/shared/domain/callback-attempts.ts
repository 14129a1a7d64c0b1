// 第十七条 回访 when the requester cannot be reached (issue 14): each failed call is recorded (未接通, or 拒绝回访 when the
// requester declines), the next try is scheduled, and the callback may end without an evaluation only by this rule —
// a refusal at once; not reached in three tries on at least two different days (the same standard units meet for
// 第十五条 contact, domain/contact-attempts.ts). Such a ticket closes with no satisfaction: it counts in no 满意率.
// Pure: the caller passes the local-date function of the platform (UTC+8).

export type CallbackAttemptOutcome = 'unreached' | 'refused';
export const CALLBACK_ATTEMPT_LABELS: Record<CallbackAttemptOutcome, string> = {
  unreached: '未接通',
  refused: '拒绝回访',
};
export const CALLBACK_ATTEMPT_RULE = {
  attempts: 3,
  distinctDays: 2,
  /** the next try after a failed one, within the calling hours */
  retryMinutes: 120,
  /** calling hours, local minutes since midnight: 09:00–20:00 */
  callingFrom: 9 * 60,
  callingUntil: 20 * 60,
} as const;

export interface CallbackAttempt {
  outcome: CallbackAttemptOutcome;
  at: Date | string;
}

export interface CallbackPlan {
  unreached: number;
  distinctDays: number;
  /** how the callback may end without an evaluation now, or null while it must still be tried */
  closableAs: CallbackAttemptOutcome | null;
  /** when to call next (null once closable, or before any failed try) */
  nextTryAt: Date | null;
}

const LOCAL_OFFSET_MS = 8 * 3_600_000;
const localMinutes = (t: Date) => Math.floor(((t.getTime() + LOCAL_OFFSET_MS) % 86_400_000) / 60_000);
const localDay = (t: Date) => new Date(t.getTime() + LOCAL_OFFSET_MS).toISOString().slice(0, 10);
/** The instant of a local (UTC+8) day and minute. */
const at = (day: string, minutes: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) - LOCAL_OFFSET_MS + minutes * 60_000);

/** The next moment inside the calling hours at or after t. */
export function nextCallingTime(t: Date): Date {
  const r = CALLBACK_ATTEMPT_RULE;
  const m = localMinutes(t);
  if (m < r.callingFrom) return at(localDay(t), r.callingFrom);
  if (m >= r.callingUntil) {
    const tomorrow = new Date(Date.parse(`${localDay(t)}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    return at(tomorrow, r.callingFrom);
  }
  return t;
}

/** Where a callback stands after its failed tries (any order given; sorted here). */
export function callbackPlan(attempts: CallbackAttempt[]): CallbackPlan {
  const r = CALLBACK_ATTEMPT_RULE;
  const list = attempts.map((a) => ({ outcome: a.outcome, at: new Date(a.at) })).sort((a, b) => +a.at - +b.at);
  const unreached = list.filter((a) => a.outcome === 'unreached');
  const days = new Set(unreached.map((a) => localDay(a.at))).size;
  const refused = list.some((a) => a.outcome === 'refused');
  const closableAs: CallbackAttemptOutcome | null = refused
    ? 'refused'
    : unreached.length >= r.attempts && days >= r.distinctDays
      ? 'unreached'
      : null;
  const last = list.at(-1);
  let nextTryAt: Date | null = null;
  if (!closableAs && last) {
    // the last try needed is on another day when the tries so far share one
    const needAnotherDay = unreached.length >= r.attempts - 1 && days < r.distinctDays;
    const soon = new Date(last.at.getTime() + r.retryMinutes * 60_000);
    nextTryAt = needAnotherDay
      ? at(
          new Date(Date.parse(`${localDay(last.at)}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10),
          r.callingFrom,
        )
      : nextCallingTime(soon);
  }
  return { unreached: unreached.length, distinctDays: days, closableAs, nextTryAt };
}
