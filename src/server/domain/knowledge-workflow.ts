// 第十八条 知识库: who may do what to an article and its versions, and into which state it goes. Pure: the service
// loads the article, asks here, and writes what this answers in one transaction with its event.
//
// A version goes draft → unit_review (the unit's manager approves) → centre_review (the centre's knowledge
// reviewer) → published; either reviewer may send it back (returned, with a reason); a newer published version
// makes the older one superseded; a draft its unit abandons is discarded. Nothing is ever deleted.

export type VersionState =
  'draft' | 'unit_review' | 'centre_review' | 'published' | 'returned' | 'superseded' | 'discarded';
export type ArticleStatus = 'draft' | 'published' | 'withdrawn';

/** How the acting person stands to this article. */
export type KnowledgeStanding =
  /** the centre's knowledge reviewer: edits any article, publishes, returns, withdraws */
  | 'reviewer'
  /** the owner unit's manager (单位负责人): drafts, approves for the unit, sends back, confirms still valid */
  | 'manager'
  /** the owner unit's editor (承办人): drafts and submits */
  | 'editor'
  /** the owner unit's own system (第十八条第二款): speaks for the unit, so its versions are unit-approved */
  | 'unit_system'
  /** anyone else: another unit, centre staff who only read, the admin */
  | 'outsider';

export type KnowledgeAction =
  'edit' | 'submit' | 'approve' | 'return' | 'publish' | 'discard' | 'withdraw' | 'request_withdraw' | 'confirm_valid';

export const ACTION_LABELS: Record<KnowledgeAction, string> = {
  edit: '编辑',
  submit: '提交审核',
  approve: '单位审核通过',
  return: '退回',
  publish: '发布',
  discard: '放弃草稿',
  withdraw: '下架',
  request_withdraw: '申请下架',
  confirm_valid: '复核确认',
};

export const STATE_LABELS: Record<VersionState, string> = {
  draft: '草稿',
  unit_review: '待本单位审核',
  centre_review: '待中心审核',
  published: '已发布',
  returned: '已退回',
  superseded: '已被新版本取代',
  discarded: '已放弃',
};

export interface WorkflowInput {
  standing: KnowledgeStanding;
  articleStatus: ArticleStatus;
  /** the state of the version being worked on (pending), or null when there is none */
  pendingState: VersionState | null;
  /** the reason or note given with the action (required for return and withdraw) */
  reason?: string | null;
}

export type Decision =
  | { ok: true; to: VersionState | null; articleStatus?: ArticleStatus }
  | { ok: false; status: 403 | 404 | 409 | 422; message: string };

const refuse = (status: 403 | 404 | 409 | 422, message: string): Decision => ({ ok: false, status, message });
const isOwner = (s: KnowledgeStanding) => s === 'manager' || s === 'editor' || s === 'unit_system';

/** The state a new version starts in, by who wrote it: the unit's drafts wait for its own submission. */
export function initialState(standing: KnowledgeStanding): VersionState {
  // the centre's edit and the unit's own system's push have been reviewed by the unit in effect: straight to the
  // centre's review (an edit by the centre may then be published by it)
  return standing === 'reviewer' || standing === 'unit_system' ? 'centre_review' : 'draft';
}

/** What happens if `standing` does `action` now. 404 for an outsider (its existence is not revealed by a write). */
export function decide(action: KnowledgeAction, w: WorkflowInput): Decision {
  const { standing, articleStatus, pendingState } = w;
  if (standing === 'outsider') return refuse(404, '知识条目不存在或无权查看');
  const withdrawn = articleStatus === 'withdrawn';
  switch (action) {
    case 'edit':
      if (withdrawn) return refuse(409, '该知识已下架，不能再编辑');
      return { ok: true, to: initialState(standing) };
    case 'submit':
      if (standing === 'reviewer' || standing === 'unit_system') return refuse(403, '只有本单位人员可提交本单位的知识');
      if (withdrawn) return refuse(409, '该知识已下架');
      if (pendingState !== 'draft') return refuse(409, notIn(pendingState, '草稿'));
      // 第十八条: a manager's own submission is the unit's approval
      return { ok: true, to: standing === 'manager' ? 'centre_review' : 'unit_review' };
    case 'approve':
      if (standing !== 'manager') return refuse(403, '只有本单位负责人可以审核通过');
      if (pendingState !== 'unit_review') return refuse(409, notIn(pendingState, '待本单位审核'));
      return { ok: true, to: 'centre_review' };
    case 'return':
      if (!w.reason?.trim()) return refuse(422, '退回须说明理由');
      if (standing === 'manager') {
        if (pendingState !== 'unit_review') return refuse(409, notIn(pendingState, '待本单位审核'));
        return { ok: true, to: 'returned' };
      }
      if (standing === 'reviewer') {
        if (pendingState !== 'centre_review') return refuse(409, notIn(pendingState, '待中心审核'));
        return { ok: true, to: 'returned' };
      }
      return refuse(403, '只有本单位负责人或中心知识库审核员可以退回');
    case 'publish':
      if (standing !== 'reviewer') return refuse(403, '只有中心知识库审核员可以发布知识');
      if (withdrawn) return refuse(409, '该知识已下架');
      if (pendingState !== 'centre_review')
        return refuse(
          409,
          pendingState === null
            ? '没有待发布的版本'
            : `未经审核不能发布：该版本当前为「${STATE_LABELS[pendingState]}」，须经单位审核后提交中心审核`,
        );
      return { ok: true, to: 'published', articleStatus: 'published' };
    case 'discard':
      if (!isOwner(standing) && standing !== 'reviewer') return refuse(403, '无权放弃该版本');
      if (pendingState !== 'draft' && pendingState !== 'returned')
        return refuse(409, notIn(pendingState, '草稿或已退回'));
      return { ok: true, to: 'discarded' };
    case 'withdraw':
      if (standing !== 'reviewer') return refuse(403, '只有中心知识库审核员可以下架知识；本单位可申请下架');
      if (withdrawn) return refuse(409, '该知识已下架');
      if (!w.reason?.trim()) return refuse(422, '下架须说明理由');
      return { ok: true, to: null, articleStatus: 'withdrawn' };
    case 'request_withdraw':
      if (!isOwner(standing)) return refuse(403, '只有本单位人员可以申请下架');
      if (articleStatus !== 'published') return refuse(409, '只有已发布的知识可以申请下架');
      if (!w.reason?.trim()) return refuse(422, '申请下架须说明理由');
      return { ok: true, to: null };
    case 'confirm_valid':
      if (standing !== 'manager' && standing !== 'reviewer')
        return refuse(403, '只有本单位负责人或中心知识库审核员可以复核确认');
      if (articleStatus !== 'published') return refuse(409, '只有已发布的知识可以复核确认');
      return { ok: true, to: null };
  }
}

function notIn(state: VersionState | null, wanted: string): string {
  return state === null
    ? `没有处于「${wanted}」状态的版本`
    : `该版本当前为「${STATE_LABELS[state]}」，不是「${wanted}」`;
}

// ---- freshness (第十八条: true, valid and accurate; 第二十二条(四) assessment) -------------------------------------

export interface FreshnessSettings {
  expiryNoticeDays: number;
  staleGraceDays: number;
}
export interface FreshnessArticle {
  status: ArticleStatus;
  effectiveFrom: string | null;
  expiresOn: string | null;
  /** YYYY-MM-DD (Asia/Shanghai) of the last publication or confirmation */
  reviewedOn: string | null;
  reviewCycleDays: number;
}
export type Freshness =
  'not_published' | 'withdrawn' | 'expired' | 'not_yet_in_force' | 'stale' | 'expiring' | 'current';

export const FRESHNESS_LABELS: Record<Freshness, string> = {
  not_published: '未发布',
  withdrawn: '已下架',
  expired: '已过期',
  not_yet_in_force: '未生效',
  stale: '超期未复核',
  expiring: '即将过期',
  current: '有效',
};

/** Days from a to b (YYYY-MM-DD, calendar days, no time zone involved). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
/** The Asia/Shanghai calendar day of an instant (China keeps UTC+08:00 all year). */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The day an article becomes stale: its last review plus its cycle. */
export function staleFrom(a: Pick<FreshnessArticle, 'reviewedOn' | 'reviewCycleDays'>): string | null {
  return a.reviewedOn ? addDays(a.reviewedOn, a.reviewCycleDays) : null;
}

/**
 * Where an article stands today. An article is offered while published and in force (effective_from ≤ today <
 * expires_on); it is stale when its last review is older than its review cycle; expiring when it expires within the
 * notice period. Expiry wins over staleness: an expired article is not offered at all.
 */
export function freshness(
  a: FreshnessArticle,
  s: Pick<FreshnessSettings, 'expiryNoticeDays'>,
  today: string,
): Freshness {
  if (a.status === 'withdrawn') return 'withdrawn';
  if (a.status !== 'published') return 'not_published';
  if (a.expiresOn && a.expiresOn <= today) return 'expired';
  if (a.effectiveFrom && a.effectiveFrom > today) return 'not_yet_in_force';
  const stale = staleFrom(a);
  if (stale && stale <= today) return 'stale';
  if (a.expiresOn && daysBetween(today, a.expiresOn) <= s.expiryNoticeDays) return 'expiring';
  return 'current';
}

/**
 * Whether the assessment counts the article as current: offered, and not stale beyond the grace period the centre
 * allows units to confirm it (stale_grace_days). An expiring article is still current.
 */
export function countsAsCurrent(a: FreshnessArticle, s: FreshnessSettings, today: string): boolean {
  const f = freshness(a, s, today);
  if (f === 'current' || f === 'expiring') return true;
  if (f !== 'stale') return false;
  return daysBetween(staleFrom(a)!, today) < s.staleGraceDays;
}

export type NoticeKind = 'expiring' | 'expired' | 'stale';
export interface DueNotice {
  kind: NoticeKind;
  /** with the article and kind, the uniqueness key: one notice per expiry date and per review */
  causeKey: string;
  message: string;
}

/** The notices an article's owner is owed today (the job inserts them once each: UNIQUE(article, kind, cause)). */
export function dueNotices(
  a: FreshnessArticle & { title: string },
  s: Pick<FreshnessSettings, 'expiryNoticeDays'>,
  today: string,
): DueNotice[] {
  if (a.status !== 'published') return [];
  const out: DueNotice[] = [];
  if (a.expiresOn) {
    const left = daysBetween(today, a.expiresOn);
    if (left <= 0)
      out.push({
        kind: 'expired',
        causeKey: a.expiresOn,
        message: `知识「${a.title}」已于 ${a.expiresOn} 到期，已停止向话务员和公众提供，请尽快更新或申请下架。`,
      });
    else if (left <= s.expiryNoticeDays)
      out.push({
        kind: 'expiring',
        causeKey: a.expiresOn,
        message: `知识「${a.title}」将于 ${a.expiresOn} 到期（还有 ${left} 天），到期后将停止提供，请及时更新。`,
      });
  }
  const stale = staleFrom(a);
  if (stale && stale <= today && !(a.expiresOn && a.expiresOn <= today))
    out.push({
      kind: 'stale',
      causeKey: a.reviewedOn!,
      message: `知识「${a.title}」自 ${a.reviewedOn} 以来已超过 ${a.reviewCycleDays} 天未复核，请核实内容后复核确认或提交更新。`,
    });
  return out;
}

/** Median of whole numbers (the freshness figure's time from a policy change to its update), null when empty. */
export function median(values: number[]): number | null {
  if (!values.length) return null;
  const v = [...values].sort((x, y) => x - y);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}
