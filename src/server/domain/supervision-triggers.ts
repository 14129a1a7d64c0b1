// 第二十二条 热线督办: from facts of the event history, which trigger fires, for which unit and tickets, with what
// evidence, and under which cause key (the same cause never opens a second case). Pure: the job gathers the facts
// (src/server/jobs/supervision-triggers.ts), this decides; each trigger has its own function and its own tests.
import type {
  KnowledgeThresholds,
  OverdueThresholds,
  RefusalThresholds,
  RepeatedThresholds,
  SupervisionTrigger,
  Thresholds,
} from '../../shared/domain/supervision.js';
import { DEADLINE_KIND_LABELS } from '../../shared/domain/deadline-state.js';

/** An instant as the people of Heze read it (UTC+08:00): 2025年3月4日 23:59. */
export function chinaTime(d: Date): string {
  const x = new Date(d.getTime() + 8 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${x.getUTCFullYear()}年${x.getUTCMonth() + 1}月${x.getUTCDate()}日 ${p(x.getUTCHours())}:${p(x.getUTCMinutes())}`;
}

export interface RuleVersion {
  id: number;
  code: SupervisionTrigger;
  version: number;
  enabled: boolean;
  mode: 'case' | 'proposal';
  thresholds: Thresholds;
  effectiveFrom: Date;
  effectiveTo: Date | null;
}

/** What a trigger decided: a case (or a proposal, by the rule's mode) about a unit and its tickets. */
export interface Firing {
  trigger: SupervisionTrigger;
  causeKey: string;
  unitId: number;
  ticketIds: number[];
  reason: string;
  evidence: Record<string, unknown>;
}

/** The version of a rule in force at an instant: effective_from ≤ at < effective_to; none, or disabled: null. */
export function ruleInForce(rules: RuleVersion[], code: SupervisionTrigger, at: Date): RuleVersion | null {
  const t = at.getTime();
  const r = rules.find(
    (x) => x.code === code && x.effectiveFrom.getTime() <= t && (x.effectiveTo === null || t < x.effectiveTo.getTime()),
  );
  return r && r.enabled ? r : null;
}

// ---- (一) refusal within duty ---------------------------------------------------------------------------------

/** 第二十二条(一): the centre found a unit's return application unfounded (return_rejected). */
export function refusalByRejectedReturn(f: {
  ticketId: number;
  ticketNumber: string;
  unitId: number;
  applicationId: number;
  eventId: number;
  at: Date;
  reviewNote: string | null;
}): Firing {
  return {
    trigger: 'refusal',
    causeKey: `refusal:rejected-return:${f.applicationId}`,
    unitId: f.unitId,
    ticketIds: [f.ticketId],
    reason: `工单 ${f.ticketNumber} 的退单申请经审核不成立，承办单位对法定职责内事项拒不接收`,
    evidence: {
      eventId: f.eventId,
      applicationId: f.applicationId,
      at: f.at.toISOString(),
      reviewNote: f.reviewNote,
    },
  };
}

/** 第二十二条(一): a unit returned or disputed one ticket at least N times. */
export function refusalByRepeatedApplications(
  f: { ticketId: number; ticketNumber: string; unitId: number; applicationIds: number[]; eventId: number },
  t: Pick<RefusalThresholds, 'repeatedApplications'>,
): Firing | null {
  if (f.applicationIds.length < t.repeatedApplications) return null;
  return {
    trigger: 'refusal',
    causeKey: `refusal:repeated:${f.ticketId}:${f.unitId}`,
    unitId: f.unitId,
    ticketIds: [f.ticketId],
    reason: `承办单位对工单 ${f.ticketNumber} 已提出退单或职责争议 ${f.applicationIds.length} 次（规则：${t.repeatedApplications} 次）`,
    evidence: { eventId: f.eventId, applicationIds: f.applicationIds, threshold: t.repeatedApplications },
  };
}

// ---- (二) overdue ---------------------------------------------------------------------------------------------

export interface DeadlineMark {
  eventId: number;
  mark: 'warned' | 'breached';
  deadlineId: number;
  deadlineKind: string;
  ticketId: number;
  ticketNumber: string;
  unitId: number | null;
  dueAt: Date;
  at: Date;
}

/**
 * 第二十二条(二): every warning is a 黄牌 and every breach a 红牌 on the ticket and its unit; a breach of a deadline
 * kind the rule names (a unit's own step) also opens a case. Centre steps (callback, review) have no unit: a card,
 * no case.
 */
export function overdueDecision(
  m: DeadlineMark,
  t: Pick<OverdueThresholds, 'deadlineKinds'> | null,
): { card: 'yellow' | 'red'; firing: Firing | null } {
  const card = m.mark === 'warned' ? 'yellow' : 'red';
  if (m.mark !== 'breached' || t === null || m.unitId === null || !t.deadlineKinds.includes(m.deadlineKind))
    return { card, firing: null };
  return {
    card,
    firing: {
      trigger: 'overdue',
      causeKey: `overdue:deadline:${m.deadlineId}`,
      unitId: m.unitId,
      ticketIds: [m.ticketId],
      reason: `工单 ${m.ticketNumber} 超出办理时限未办结（${DEADLINE_KIND_LABELS[m.deadlineKind] ?? m.deadlineKind}应于 ${chinaTime(m.dueAt)} 前完成）`,
      evidence: {
        eventId: m.eventId,
        deadlineId: m.deadlineId,
        deadlineKind: m.deadlineKind,
        dueAt: m.dueAt.toISOString(),
        breachedAt: m.at.toISOString(),
      },
    },
  };
}

// ---- (三) repeated or collective requests left unresolved -----------------------------------------------------

/**
 * 第二十二条(三), one requester: the same matter raised N times (the ticket itself, each repeat contact and each
 * merged ticket of the same requester count) while it is not resolved.
 */
export function repeatedBySameRequester(
  f: {
    ticketId: number;
    ticketNumber: string;
    unitId: number | null;
    requesterId: number;
    times: number;
    resolved: boolean;
    eventId: number;
  },
  t: Pick<RepeatedThresholds, 'sameRequesterCount'>,
): Firing | null {
  if (f.resolved || f.unitId === null || f.times < t.sameRequesterCount) return null;
  return {
    trigger: 'repeated',
    causeKey: `repeated:requester:${f.ticketId}:${f.requesterId}`,
    unitId: f.unitId,
    ticketIds: [f.ticketId],
    reason: `同一诉求人就工单 ${f.ticketNumber} 反映 ${f.times} 次仍未解决（规则：${t.sameRequesterCount} 次）`,
    // the requester is named by id only: no personal data in the evidence
    evidence: { eventId: f.eventId, times: f.times, threshold: t.sameRequesterCount },
  };
}

/** The window a day falls in: windows of `windowDays` days counted from 2025-01-01, so a cluster has one key. */
export function windowOf(day: string, windowDays: number): { start: string; end: string } {
  const base = Date.UTC(2025, 0, 1);
  const d = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
  const n = Math.floor((d - base) / 86_400_000 / windowDays);
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { start: iso(base + n * windowDays * 86_400_000), end: iso(base + ((n + 1) * windowDays - 1) * 86_400_000) };
}

/**
 * 第二十二条(三), many requesters: N distinct requesters raised the same category in one region within a window
 * and their tickets are not resolved. The case goes to the unit leading most of them.
 */
export function collectiveRequests(
  f: {
    regionCode: string;
    categoryId: number;
    window: { start: string; end: string };
    tickets: Array<{ id: number; requesterId: number | null; leadUnitId: number | null; resolved: boolean }>;
  },
  t: Pick<RepeatedThresholds, 'distinctRequesters' | 'windowDays'>,
): Firing | null {
  const open = f.tickets.filter((x) => !x.resolved);
  const requesters = new Set(open.map((x) => x.requesterId).filter((x): x is number => x !== null));
  if (requesters.size < t.distinctRequesters) return null;
  const byUnit = new Map<number, number>();
  for (const x of open) if (x.leadUnitId !== null) byUnit.set(x.leadUnitId, (byUnit.get(x.leadUnitId) ?? 0) + 1);
  const lead = [...byUnit.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
  if (!lead) return null;
  const ids = open.map((x) => x.id).sort((a, b) => a - b);
  return {
    trigger: 'repeated',
    causeKey: `repeated:collective:${f.regionCode}:${f.categoryId}:${f.window.start}`,
    unitId: lead[0],
    ticketIds: ids,
    reason: `${f.window.start} 至 ${f.window.end} 同一区域同类事项有 ${requesters.size} 名诉求人集中反映仍未解决（规则：${t.distinctRequesters} 人）`,
    evidence: {
      regionCode: f.regionCode,
      categoryId: f.categoryId,
      window: f.window,
      distinctRequesters: requesters.size,
      ticketIds: ids,
      threshold: t.distinctRequesters,
    },
  };
}

// ---- (四) knowledge not updated in time -----------------------------------------------------------------------

/**
 * 第二十二条(四): the owner was told an article expired or was not reviewed in its cycle (a knowledge notice), the
 * grace period has passed and the article is still expired or stale. `stillOutstanding` is false once the owner
 * renewed, re-reviewed or withdrew it.
 */
export function knowledgeNotUpdated(
  f: {
    noticeId: number;
    noticeKind: 'expired' | 'stale';
    noticeAt: Date;
    articleId: number;
    articleTitle: string;
    unitId: number;
    stillOutstanding: boolean;
  },
  t: Pick<KnowledgeThresholds, 'graceDays'>,
  now: Date,
): Firing | null {
  if (!f.stillOutstanding) return null;
  if (now.getTime() - f.noticeAt.getTime() < t.graceDays * 86_400_000) return null;
  const what = f.noticeKind === 'expired' ? '已过期' : '超期未复核';
  return {
    trigger: 'knowledge',
    causeKey: `knowledge:notice:${f.noticeId}`,
    unitId: f.unitId,
    ticketIds: [],
    reason: `知识「${f.articleTitle}」${what}，提醒后 ${t.graceDays} 天仍未更新`,
    evidence: { noticeId: f.noticeId, articleId: f.articleId, kind: f.noticeKind, noticeAt: f.noticeAt.toISOString() },
  };
}

/** Whether the job may stop walking notices: they are in id order, so one younger than the grace ends the batch. */
export function knowledgeNoticeRipe(noticeAt: Date, graceDays: number, now: Date): boolean {
  return now.getTime() - noticeAt.getTime() >= graceDays * 86_400_000;
}

// ---- (五)(六) raised by hand ----------------------------------------------------------------------------------

/** 第二十二条(五)(六): a supervisor's own case; the cause is the supervisor's act, so its key is unique per request. */
export function manualFiring(f: {
  trigger: 'negative' | 'other';
  unitId: number;
  ticketIds: number[];
  reason: string;
  source: string | null;
  userId: number;
  requestKey: string;
}): Firing {
  return {
    trigger: f.trigger,
    causeKey: `${f.trigger}:manual:${f.userId}:${f.requestKey}`,
    unitId: f.unitId,
    ticketIds: [...new Set(f.ticketIds)].sort((a, b) => a - b),
    reason: f.reason,
    evidence: { raisedBy: f.userId, source: f.source },
  };
}
