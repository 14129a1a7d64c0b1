import { localDateOf } from './calendar.js';

// 第十五条(一)(四): a unit must contact the requester and reply to them. When the requester cannot be reached
// (calls unanswered, SMS unread) or left no way to reach them (anonymous, 第十条 only encourages real names), the
// unit still owes a reply: it may give one after documented failed attempts — enough of them, on enough
// different days that "cannot be reached" is a fact, not one missed call — or at once for an anonymous requester,
// always with an explanation that the callback agent sees. Pure: the attempts and the policy are arguments.

export type ContactMethod = 'phone' | 'sms' | 'visit' | 'other';

export interface ContactAttempt {
  at: Date;
  reached: boolean;
  method: ContactMethod;
}

/** How much trying makes a requester "unreachable"; an admin setting (reply_contact_policy). */
export interface UnreachablePolicy {
  minAttempts: number;
  minDistinctDays: number;
}

export const DEFAULT_UNREACHABLE_POLICY: UnreachablePolicy = { minAttempts: 3, minDistinctDays: 2 };

/** Bounds an admin may set: at least one attempt, never more days than attempts (one attempt is on one day). */
export const POLICY_LIMITS = { maxAttempts: 20, maxDays: 20 } as const;

export const CONTACT_METHOD_LABELS: Record<ContactMethod, string> = {
  phone: '电话',
  sms: '短信',
  visit: '上门',
  other: '其他',
};

export interface AttemptTally {
  /** failed attempts (reached: false) */
  attempts: number;
  /** distinct Asia/Shanghai calendar dates of the failed attempts, ascending */
  days: string[];
  byMethod: Partial<Record<ContactMethod, number>>;
  firstAt: Date | null;
  lastAt: Date | null;
}

/** Why a reply may go without a reached contact: failed attempts, no way to reach, or identity kept from this unit. */
export type UnreachableBasis = 'unreachable' | 'anonymous' | 'withheld';

export type ReplyContactDecision =
  | { allowed: true; basis: 'reached'; tally: AttemptTally }
  | { allowed: true; basis: 'anonymous'; tally: AttemptTally }
  | { allowed: true; basis: 'withheld'; tally: AttemptTally }
  | { allowed: true; basis: 'unreachable'; tally: AttemptTally }
  | { allowed: false; tally: AttemptTally; missingAttempts: number; missingDays: number; message: string };

/** Counts the failed attempts and the distinct local (UTC+8) days they fall on. */
export function tallyAttempts(attempts: readonly ContactAttempt[]): AttemptTally {
  const failed = attempts
    .filter((a) => !a.reached)
    .slice()
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  const byMethod: Partial<Record<ContactMethod, number>> = {};
  for (const a of failed) byMethod[a.method] = (byMethod[a.method] ?? 0) + 1;
  return {
    attempts: failed.length,
    days: [...new Set(failed.map((a) => localDateOf(a.at)))].sort(),
    byMethod,
    firstAt: failed[0]?.at ?? null,
    lastAt: failed[failed.length - 1]?.at ?? null,
  };
}

/** The Chinese reason a policy is unusable (no unit could meet it, or it means nothing), or null when it is fine. */
export function validatePolicy(p: UnreachablePolicy): string | null {
  if (!Number.isInteger(p.minAttempts) || p.minAttempts < 1 || p.minAttempts > POLICY_LIMITS.maxAttempts)
    return `尝试次数须为 1 至 ${POLICY_LIMITS.maxAttempts} 的整数`;
  if (!Number.isInteger(p.minDistinctDays) || p.minDistinctDays < 1 || p.minDistinctDays > POLICY_LIMITS.maxDays)
    return `日期数须为 1 至 ${POLICY_LIMITS.maxDays} 的整数`;
  if (p.minDistinctDays > p.minAttempts) return '不同日期数不能多于尝试次数';
  return null;
}

export function policyText(p: UnreachablePolicy): string {
  return p.minDistinctDays > 1
    ? `在不少于 ${p.minDistinctDays} 个不同日期共尝试联系不少于 ${p.minAttempts} 次`
    : `尝试联系不少于 ${p.minAttempts} 次`;
}

/**
 * May the unit reply although the requester was not reached? `reached` is true once any attempt reached them;
 * `anonymous` when the matter has no requester with a phone or a message channel; `withheld` when the unit handles a
 * 举报 about itself and may not know who made it (第三十三条), so it has no one to call.
 */
export function decideReplyContact(input: {
  attempts: readonly ContactAttempt[];
  anonymous: boolean;
  withheld?: boolean;
  policy: UnreachablePolicy;
}): ReplyContactDecision {
  const tally = tallyAttempts(input.attempts);
  if (input.attempts.some((a) => a.reached)) return { allowed: true, basis: 'reached', tally };
  if (input.withheld) return { allowed: true, basis: 'withheld', tally };
  if (input.anonymous) return { allowed: true, basis: 'anonymous', tally };
  const { minAttempts, minDistinctDays } = input.policy;
  const missingDays = Math.max(0, minDistinctDays - tally.days.length);
  const missingAttempts = Math.max(0, minAttempts - tally.attempts);
  if (missingAttempts === 0 && missingDays === 0) return { allowed: true, basis: 'unreachable', tally };
  // Each further day needs an attempt of its own, so the attempts still owed are at least the days still owed.
  const need = Math.max(missingAttempts, missingDays);
  let what: string;
  if (missingDays === 0) what = `还须再尝试联系 ${need} 次`;
  else if (need === missingDays)
    what = missingDays === 1 ? '还须在另一个日期再尝试联系' : `还须在另外 ${missingDays} 个日期各尝试联系一次`;
  else what = `还须再尝试联系 ${need} 次，其中至少 ${missingDays} 次在另外的日期`;
  const sofar =
    tally.attempts === 0
      ? '目前没有联系记录'
      : `目前已尝试 ${tally.attempts} 次${tally.days.length === 1 ? '，均在同一天' : `，分布在 ${tally.days.length} 个日期`}`;
  return {
    allowed: false,
    tally,
    missingAttempts,
    missingDays,
    message: `答复前须先联系诉求人（第十五条第一项）；确实无法联系的，须${policyText(input.policy)}：${sofar}，${what}`,
  };
}

/** The line the callback agent and the ticket history show, e.g. "诉求人无法联系：3 次尝试（电话 2 次、短信 1 次），3月3日至3月4日共 2 天". */
export function describeUnreachable(basis: UnreachableBasis, tally: AttemptTally): string {
  if (basis === 'withheld') return '举报人身份依法对本单位保密（第三十三条），本单位无法联系举报人';
  if (basis === 'anonymous') {
    return tally.attempts > 0
      ? `诉求人匿名或未留联系方式（另有 ${tally.attempts} 次未联系上的记录）`
      : '诉求人匿名或未留联系方式，无法联系';
  }
  const methods = (Object.keys(CONTACT_METHOD_LABELS) as ContactMethod[])
    .filter((m) => tally.byMethod[m])
    .map((m) => `${CONTACT_METHOD_LABELS[m]} ${tally.byMethod[m]} 次`)
    .join('、');
  const first = tally.days[0]!;
  const last = tally.days[tally.days.length - 1]!;
  const span =
    tally.days.length === 1 ? shortDate(first) : `${shortDate(first)}至${shortDate(last)}共 ${tally.days.length} 天`;
  return `诉求人无法联系：${tally.attempts} 次尝试（${methods}），${span}`;
}

function shortDate(d: string): string {
  const [, m, day] = d.split('-');
  return `${Number(m)}月${Number(day)}日`;
}
