// 第二十五、二十六条 专题治理: a long-running or hard matter (持续时间长、解决难度大的诉求事项) studied as a whole, with
// a lead unit and coordinating units at city, county and town level (三级协同联动), tasks, consultation minutes
// (会商记录), a solution plan and the policy measures adopted. The vocabularies and the state machines, shared by
// the server (which enforces them) and the web (which offers only the allowed steps).

/** 立项 → 研究中 → 推进中 → 已解决 → 已归档 (第二十五条: 专题研究、会商研判、制定方案、完善政策措施). */
export const MATTER_STATUSES = ['registered', 'studying', 'advancing', 'resolved', 'archived'] as const;
export type MatterStatus = (typeof MATTER_STATUSES)[number];
export const MATTER_STATUS_LABELS: Record<MatterStatus, string> = {
  registered: '立项',
  studying: '研究中',
  advancing: '推进中',
  resolved: '已解决',
  archived: '已归档',
};

export const MATTER_ACTIONS = ['study', 'advance', 'resolve', 'reopen', 'archive'] as const;
export type MatterAction = (typeof MATTER_ACTIONS)[number];
export const MATTER_ACTION_LABELS: Record<MatterAction, string> = {
  study: '开始专题研究',
  advance: '方案推进实施',
  resolve: '确认已解决',
  reopen: '重新推进',
  archive: '归档',
};

const MATTER_NEXT: Record<MatterStatus, Partial<Record<MatterAction, MatterStatus>>> = {
  registered: { study: 'studying', archive: 'archived' },
  studying: { advance: 'advancing', archive: 'archived' },
  // the plan is carried out; when the matter recurs after 已解决 it goes back to 推进中
  advancing: { resolve: 'resolved' },
  resolved: { reopen: 'advancing', archive: 'archived' },
  archived: {},
};

/** The status after the action, or null when the matter's status does not allow it. */
export function nextMatterStatus(from: MatterStatus, action: MatterAction): MatterStatus | null {
  return MATTER_NEXT[from][action] ?? null;
}
export function matterActions(from: MatterStatus): MatterAction[] {
  return Object.keys(MATTER_NEXT[from]) as MatterAction[];
}

/**
 * A matter holds its tickets until it is archived: a ticket belongs to at most one open (not archived) matter,
 * so a resolved matter's tickets still count in its before/after figures and are not proposed to another one.
 */
export function isOpenMatter(status: MatterStatus): boolean {
  return status !== 'archived';
}
/** Tickets, units, tasks, minutes and measures change while the matter is open; an archived matter is read-only. */
export function canEditMatter(status: MatterStatus): boolean {
  return isOpenMatter(status);
}

/** 第二十六条 三级协同联动: the tier a coordinating unit works at. */
export const MATTER_TIERS = ['city', 'county', 'town'] as const;
export type MatterTier = (typeof MATTER_TIERS)[number];
export const MATTER_TIER_LABELS: Record<MatterTier, string> = {
  city: '市级',
  county: '县区级',
  town: '乡镇（街道）级',
};

export const TASK_STATUSES = ['open', 'in_progress', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const TASK_STATUS_LABELS: Record<TaskStatus, string> = { open: '待办', in_progress: '进行中', done: '已完成' };
const TASK_NEXT: Record<TaskStatus, TaskStatus[]> = {
  open: ['in_progress', 'done'],
  in_progress: ['done'],
  // a task reported done that turns out not to be is taken up again
  done: ['in_progress'],
};
export function canMoveTask(from: TaskStatus, to: TaskStatus): boolean {
  return TASK_NEXT[from].includes(to);
}
export function taskMoves(from: TaskStatus): TaskStatus[] {
  return TASK_NEXT[from];
}

/** A task is overdue when its deadline day has passed (the day itself still counts) and it is not done. */
export function isTaskOverdue(task: { status: TaskStatus; due_on: string | null }, today: string): boolean {
  return task.status !== 'done' && task.due_on !== null && task.due_on < today;
}

/** 进度: tasks done out of all tasks, as a whole percentage (0 when there are none). */
export function matterProgress(tasks: Array<{ status: TaskStatus }>): { done: number; total: number; percent: number } {
  const done = tasks.filter((t) => t.status === 'done').length;
  return { done, total: tasks.length, percent: tasks.length ? Math.round((done * 100) / tasks.length) : 0 };
}

/** `YYYY-MM` of a `YYYY-MM-DD` day. */
export const monthOf = (day: string): string => day.slice(0, 7);

/** The months from `from` to `to` (both `YYYY-MM`, inclusive), at most `max` of them. */
export function monthRange(from: string, to: string, max = 60): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  while (out.length < max) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    if (key > to) break;
    out.push(key);
    if (++m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

/**
 * 数据对比: the matter's volume per month, and the average per month before and after the first policy measure took
 * effect (the month it took effect counts as after). Months with no ticket are zeros, so an average is per calendar
 * month, not per month that happened to have tickets.
 */
export function beforeAfter(
  counts: Array<{ month: string; tickets: number }>,
  measureDays: string[],
  lastMonth: string,
): {
  months: Array<{ month: string; tickets: number }>;
  firstMeasureMonth: string | null;
  before: number | null;
  after: number | null;
} {
  const sorted = [...counts].sort((a, b) => a.month.localeCompare(b.month));
  const firstMeasureMonth = measureDays.length ? monthOf([...measureDays].sort()[0]!) : null;
  const start = [sorted[0]?.month, firstMeasureMonth].filter((m): m is string => !!m).sort()[0];
  if (!start) return { months: [], firstMeasureMonth, before: null, after: null };
  const byMonth = new Map(sorted.map((c) => [c.month, c.tickets]));
  const end = [lastMonth, sorted.at(-1)?.month ?? lastMonth].sort().at(-1)!;
  const months = monthRange(start, end).map((month) => ({ month, tickets: byMonth.get(month) ?? 0 }));
  const avg = (xs: typeof months) =>
    xs.length ? Math.round((xs.reduce((s, x) => s + x.tickets, 0) / xs.length) * 10) / 10 : null;
  if (!firstMeasureMonth) return { months, firstMeasureMonth, before: avg(months), after: null };
  return {
    months,
    firstMeasureMonth,
    before: avg(months.filter((m) => m.month < firstMeasureMonth)),
    after: avg(months.filter((m) => m.month >= firstMeasureMonth)),
  };
}

/** What a matter's history (matter_events) records, as its page shows it. */
export const MATTER_EVENT_LABELS: Record<string, string> = {
  created: '立项',
  plan_updated: '修改解决方案',
  tickets_linked: '关联工单',
  tickets_unlinked: '取消关联工单',
  unit_added: '增加协同单位',
  unit_removed: '移除协同单位',
  task_created: '分派任务',
  task_updated: '任务进展',
  minute_added: '会商记录',
  measure_added: '政策措施',
  study: MATTER_ACTION_LABELS.study,
  advance: MATTER_ACTION_LABELS.advance,
  resolve: MATTER_ACTION_LABELS.resolve,
  reopen: MATTER_ACTION_LABELS.reopen,
  archive: MATTER_ACTION_LABELS.archive,
};

/** The most tickets one matter may hold (its figures read its links: bounded by this). */
export const MATTER_MAX_TICKETS = 2000;

/**
 * 第二十六条第二款: the fields in which the centres coordinate a matter jointly with the bodies outside the usual
 * handling units (联合协调处置) — a matter of such a field is a 专题 like any other (lead unit, coordinating units,
 * tasks, minutes), marked with its field, so it can be found, counted and handed its partner.
 */
export const JOINT_FIELDS = ['public_interest_litigation', 'dispute_resolution', 'enforcement_supervision'] as const;
export type JointField = (typeof JOINT_FIELDS)[number];
export const JOINT_FIELD_LABELS: Record<JointField, string> = {
  public_interest_litigation: '公益诉讼',
  dispute_resolution: '矛盾纠纷多元化解',
  enforcement_supervision: '行政执法监督',
};
/** whom a centre usually brings in for the field, as the hint beside it says */
export const JOINT_FIELD_PARTNERS: Record<JointField, string> = {
  public_interest_litigation: '检察机关（公益诉讼线索移送、诉前检察建议）',
  dispute_resolution: '矛盾纠纷调处化解中心、人民调解组织',
  enforcement_supervision: '司法行政部门（行政执法监督机构）',
};

/**
 * 会商记录 of two kinds: a consultation of the units (第二十五条 会商交流), or a 民主协商 (第二十九条) that a town or
 * street office organises with the villagers' and residents' committees, enterprises and social organisations of
 * its area about what its people keep raising — those taking part are named, not picked from the units.
 */
export const MINUTE_KINDS = ['consultation', 'democratic'] as const;
export type MinuteKind = (typeof MINUTE_KINDS)[number];
export const MINUTE_KIND_LABELS: Record<MinuteKind, string> = { consultation: '会商', democratic: '民主协商' };
