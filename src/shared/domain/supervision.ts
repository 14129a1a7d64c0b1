// 第二十二条 热线督办: the words, the case lifecycle and the rules' thresholds, shared by the server and the screens.
// Pure, so every transition and every threshold bound is tested (supervision.test.ts).

export const SUPERVISION_TRIGGERS = ['refusal', 'overdue', 'repeated', 'knowledge', 'negative', 'other'] as const;
export type SupervisionTrigger = (typeof SUPERVISION_TRIGGERS)[number];
export const SUPERVISION_METHODS = ['phone', 'written', 'onsite', 'coordination'] as const;
export type SupervisionMethod = (typeof SUPERVISION_METHODS)[number];
export const SUPERVISION_STATUSES = ['proposed', 'open', 'answered', 'escalated', 'closed', 'dismissed'] as const;
export type SupervisionStatus = (typeof SUPERVISION_STATUSES)[number];
export type SupervisionDecision = 'close' | 'supervise_again' | 'escalate';

/** The six cases of 第二十二条, in its words (the item number is part of the label). */
export const TRIGGER_LABELS: Record<SupervisionTrigger, string> = {
  refusal: '（一）对法定职责内事项拒不接收',
  overdue: '（二）超出办理时限未办结',
  repeated: '（三）多次反映或集中反映未解决',
  knowledge: '（四）知识库更新不及时',
  negative: '（五）办理不力造成负面影响',
  other: '（六）其他需要督办的事项',
};
export const METHOD_LABELS: Record<SupervisionMethod, string> = {
  phone: '电话督办',
  written: '书面督办',
  onsite: '现场督办',
  coordination: '专题协调',
};
export const STATUS_LABELS: Record<SupervisionStatus, string> = {
  proposed: '待确认',
  open: '督办中',
  answered: '已反馈',
  escalated: '已提级',
  closed: '已办结',
  dismissed: '不予督办',
};
export const DECISION_LABELS: Record<SupervisionDecision | 'dismiss', string> = {
  close: '办结',
  supervise_again: '再次督办',
  escalate: '提级督办',
  dismiss: '不予督办',
};
export const CARD_LABELS = { yellow: '黄牌', red: '红牌' } as const;

/** The triggers a supervisor raises by hand (第二十二条(五)(六)); the others come from the job. */
export const MANUAL_TRIGGERS: SupervisionTrigger[] = ['negative', 'other'];

export type CaseAction = 'confirm' | 'dismiss' | 'answer' | SupervisionDecision;

/**
 * The case lifecycle: a proposal is confirmed (open) or dismissed; the unit answers an open case; the supervisor
 * closes it, supervises it again (a new round, a new deadline) or escalates it (to the city level, where the
 * city centre decides again). Supervising again or escalating need not wait for an answer: a unit that does not
 * answer by the deadline is exactly the case for it.
 */
const TRANSITIONS: Record<SupervisionStatus, Partial<Record<CaseAction, SupervisionStatus>>> = {
  proposed: { confirm: 'open', dismiss: 'dismissed' },
  open: { answer: 'answered', supervise_again: 'open', escalate: 'escalated', close: 'closed' },
  answered: { close: 'closed', supervise_again: 'open', escalate: 'escalated' },
  escalated: { answer: 'answered', close: 'closed', supervise_again: 'open' },
  closed: {},
  dismissed: {},
};

export function nextCaseStatus(from: SupervisionStatus, action: CaseAction): SupervisionStatus | null {
  return TRANSITIONS[from][action] ?? null;
}

export function allowedCaseActions(from: SupervisionStatus): CaseAction[] {
  return Object.keys(TRANSITIONS[from]) as CaseAction[];
}

/** Whether the case still waits for someone (the workbench's "open" filter). */
export function isCaseOpen(s: SupervisionStatus): boolean {
  return s === 'proposed' || s === 'open' || s === 'answered' || s === 'escalated';
}

// ---- thresholds of the rules (data, edited by admins and supervisors) -----------------------------------------

export interface CommonThresholds {
  /** working days the unit has to answer, on the centre's calendar */
  answerDays: number;
  method: SupervisionMethod;
}
export interface RefusalThresholds extends CommonThresholds {
  /** returns and duty disputes of one ticket by one unit that make it a refusal (第二十二条(一)) */
  repeatedApplications: number;
}
export interface OverdueThresholds extends CommonThresholds {
  /** which deadlines' breach opens a case (all warnings and breaches give cards) */
  deadlineKinds: string[];
}
export interface RepeatedThresholds extends CommonThresholds {
  sameRequesterCount: number;
  distinctRequesters: number;
  windowDays: number;
}
export interface KnowledgeThresholds extends CommonThresholds {
  /** days an expired or stale article may stay so after its owner was told */
  graceDays: number;
}
export type Thresholds = CommonThresholds &
  Partial<
    Omit<RefusalThresholds & OverdueThresholds & RepeatedThresholds & KnowledgeThresholds, keyof CommonThresholds>
  >;

export const THRESHOLD_LABELS: Record<string, string> = {
  answerDays: '单位反馈时限（工作日）',
  method: '默认督办方式',
  repeatedApplications: '同一工单退单/争议次数达到',
  deadlineKinds: '超期即立案的时限',
  sameRequesterCount: '同一诉求人反映次数达到',
  distinctRequesters: '不同诉求人数达到',
  windowDays: '集中反映统计窗口（天）',
  graceDays: '知识过期/超期未复核宽限（天）',
};

/** Bounds of each number, so a rule cannot be set to nonsense (0 days, a million requesters). */
export const THRESHOLD_BOUNDS: Record<string, [number, number]> = {
  answerDays: [1, 30],
  repeatedApplications: [2, 20],
  sameRequesterCount: [2, 50],
  distinctRequesters: [2, 500],
  windowDays: [1, 90],
  graceDays: [0, 90],
};

/** The keys each trigger's thresholds have (beyond answerDays and method). */
export const THRESHOLD_KEYS: Record<SupervisionTrigger, string[]> = {
  refusal: ['repeatedApplications'],
  overdue: ['deadlineKinds'],
  repeated: ['sameRequesterCount', 'distinctRequesters', 'windowDays'],
  knowledge: ['graceDays'],
  negative: [],
  other: [],
};

export const OVERDUE_DEADLINE_KINDS = ['accept', 'first_contact', 'reply', 'assist', 'rework'] as const;

/** Checks a rule's thresholds; returns the problems in Chinese, keyed by field (empty: valid). */
export function validateThresholds(code: SupervisionTrigger, t: Record<string, unknown>): Record<string, string> {
  const problems: Record<string, string> = {};
  const keys = ['answerDays', 'method', ...THRESHOLD_KEYS[code]];
  for (const k of Object.keys(t)) if (!keys.includes(k)) problems[k] = '该规则没有此参数';
  for (const k of keys) {
    const v = t[k];
    if (k === 'method') {
      if (!SUPERVISION_METHODS.includes(v as SupervisionMethod)) problems[k] = '督办方式不正确';
    } else if (k === 'deadlineKinds') {
      if (
        !Array.isArray(v) ||
        v.length === 0 ||
        v.some((x) => !(OVERDUE_DEADLINE_KINDS as readonly unknown[]).includes(x)) ||
        new Set(v).size !== v.length
      )
        problems[k] = '请至少选择一种时限，且不能重复';
    } else {
      const [min, max] = THRESHOLD_BOUNDS[k]!;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
        problems[k] = `${THRESHOLD_LABELS[k]}应为 ${min} 至 ${max} 之间的整数`;
    }
  }
  return problems;
}
