// What each role may see and do in the web. The server enforces all of it again; the web only never
// offers what would be refused: an action shows when the ticket's state allows it (allowedActions from the
// ticket view), the user has the role, and — for unit work — the user's unit is the lead (or an assisting) unit.
import type { Me, Role, TicketAction, TicketView } from '../api/types';
import { serverNow } from '../api/client';
import { unmergeRefusal } from '../../shared/domain/unmerge';

export const CENTRE_ROLES: Role[] = [
  'agent',
  'dispatcher',
  'callback_agent',
  'supervisor',
  'analyst',
  'auditor',
  'admin',
];
export const UNIT_ROLES: Role[] = ['handler', 'unit_manager'];
/** Roles allowed to reveal a requester's personal data (server: PII_REVEAL_ROLES). Always audited. */
export const PII_REVEAL_ROLES: Role[] = [
  'agent',
  'dispatcher',
  'callback_agent',
  'supervisor',
  'handler',
  'unit_manager',
];

export const hasRole = (me: Me | null | undefined, ...roles: Role[]) => !!me && roles.some((r) => me.roles.includes(r));
export const isCentre = (me: Me | null | undefined) => !!me && me.scope === 'region' && hasRole(me, ...CENTRE_ROLES);
export const isUnitStaff = (me: Me | null | undefined) => hasRole(me, ...UNIT_ROLES);

/** Screens by path: who may open them. The menu and the router both read this table. */
export const SCREEN_ACCESS: Record<string, (me: Me) => boolean> = {
  '/overview': (me) => isCentre(me),
  '/intake': (me) => hasRole(me, 'agent'),
  '/dispatch': (me) => hasRole(me, 'dispatcher'),
  '/reviews': (me) => hasRole(me, 'dispatcher', 'supervisor'),
  '/callback': (me) => hasRole(me, 'callback_agent'),
  '/tickets': (me) => isCentre(me),
  '/unit/lead': (me) => isUnitStaff(me),
  '/unit/assist': (me) => isUnitStaff(me),
  '/unit/sub-dispatches': (me) => isUnitStaff(me),
  '/admin/users': (me) => hasRole(me, 'admin', 'auditor'),
  '/admin/units': (me) => hasRole(me, 'admin'),
  '/admin/categories': (me) => hasRole(me, 'admin'),
  '/admin/catalogue': (me) => hasRole(me, 'admin'),
  '/admin/time-limits': (me) => hasRole(me, 'admin'),
  '/admin/calendar': (me) => hasRole(me, 'admin'),
  '/admin/abuse-flags': (me) => hasRole(me, 'admin'),
  '/admin/login-locks': (me) => hasRole(me, 'admin'),
  // 等保 2.0 身份鉴别: the security policy (admin edits, auditor reads)
  '/admin/security': (me) => hasRole(me, 'admin', 'auditor'),
  '/supervision/complaints': (me) => hasRole(me, 'supervisor'),
  // 第二十二条 督办: the centre's supervisors work the cases; a unit answers its own (the server scopes both)
  '/supervision': (me) => isCentre(me) && hasRole(me, 'supervisor'),
  '/supervision/cases/:id': (me) => (isCentre(me) && hasRole(me, 'supervisor')) || isUnitStaff(me),
  '/supervision/cases/:id/notice': (me) => (isCentre(me) && hasRole(me, 'supervisor')) || isUnitStaff(me),
  '/unit/supervision': (me) => isUnitStaff(me),
  // 第二十三条 问责移送: supervisors refer and record; auditors read; units never (not even about themselves)
  '/supervision/referrals': (me) => isCentre(me) && hasRole(me, 'supervisor', 'auditor'),
  '/supervision/referrals/:id': (me) => isCentre(me) && hasRole(me, 'supervisor', 'auditor'),
  // 坐席状态 (issue 14): the centre's supervisors
  '/presence': (me) => isCentre(me) && hasRole(me, 'supervisor'),
  // 第二十五、二十六条 专题治理: supervisors register and run matters, analysts and auditors read (a county centre: its
  // county's); a unit opens the matters it leads, coordinates on or has tasks in, and reports on its 专题任务
  '/matters': (me) => (isCentre(me) && hasRole(me, 'supervisor', 'analyst', 'auditor')) || isUnitStaff(me),
  '/matters/new': (me) => isCentre(me) && hasRole(me, 'supervisor'),
  '/matters/:id': (me) => (isCentre(me) && hasRole(me, 'supervisor', 'analyst', 'auditor')) || isUnitStaff(me),
  '/unit/matter-tasks': (me) => isUnitStaff(me),
  '/audit/pii': (me) => hasRole(me, 'auditor'),
  // 第三十条: the access log (auditor); data sharing subscriptions (admin, a unit's manager) and unit tokens (admin)
  '/audit/access': (me) => hasRole(me, 'auditor'),
  '/audit/admin': (me) => hasRole(me, 'auditor'),
  '/admin/sharing': (me) => hasRole(me, 'admin', 'unit_manager'),
  '/admin/api-tokens': (me) => hasRole(me, 'admin'),
  // 第六条: the PII key versions and their rotation
  '/admin/pii-keys': (me) => hasRole(me, 'admin'),
  // 第四条 智能分类: the models and their take rates
  '/admin/classification': (me) => hasRole(me, 'admin'),
  // 第十二、十八条 knowledge base (answering side)
  '/knowledge/flags': (me) => hasRole(me, 'knowledge_reviewer', 'admin', 'handler', 'unit_manager'),
  '/knowledge/synonyms': (me) => hasRole(me, 'knowledge_reviewer', 'admin'),
  '/knowledge/figures': (me) => hasRole(me, 'analyst', 'supervisor', 'knowledge_reviewer', 'admin'),
  // 第十八条 knowledge base (authoring side): units keep their own articles, the centre reviews and publishes;
  // other centre staff read the published articles
  '/knowledge/mine': (me) => isUnitStaff(me),
  '/knowledge/review': (me) => hasRole(me, 'knowledge_reviewer'),
  '/knowledge/all': (me) => hasRole(me, 'knowledge_reviewer', 'admin') || isCentre(me),
  // 第二十四条 考核: the centre's supervisors, analysts and admins; a unit sees its own score and appeals
  '/assessment': (me) => (isCentre(me) && hasRole(me, 'supervisor', 'analyst', 'admin')) || isUnitStaff(me),
  '/assessment/appeals': (me) => (isCentre(me) && hasRole(me, 'supervisor', 'analyst', 'admin')) || isUnitStaff(me),
  '/assessment/schemes': (me) => isCentre(me) && hasRole(me, 'supervisor', 'analyst', 'admin'),
  // GB/T 33358-2016 service figures
  '/service-figures': (me) => isCentre(me) && hasRole(me, 'supervisor', 'analyst', 'admin'),
  // 第二十七条 热点分析: the city centre's supervisors, analysts and admins; a county centre's staff (their county)
  '/analytics': (me) =>
    isCentre(me) &&
    (hasRole(me, 'supervisor', 'analyst', 'admin') || (me.regionPrefixes ?? []).some((p) => p.length >= 6)),
  // 第二十八条 季节预测: as 热点分析; 月度分析: a unit's people (their own unit), the centre's supervisors, analysts, admins
  '/forecast': (me) =>
    isCentre(me) &&
    (hasRole(me, 'supervisor', 'analyst', 'admin') || (me.regionPrefixes ?? []).some((p) => p.length >= 6)),
  // 第二十八条(三)(四) 新兴诉求词: as 季节预测, and a unit's people (the article is the units' duty: the city's words,
  // their own unit's tickets behind a word)
  '/emerging': (me) =>
    (isCentre(me) &&
      (hasRole(me, 'supervisor', 'analyst', 'admin') || (me.regionPrefixes ?? []).some((p) => p.length >= 6))) ||
    isUnitStaff(me),
  '/unit-analysis': (me) => (isCentre(me) && hasRole(me, 'supervisor', 'analyst', 'admin')) || isUnitStaff(me),
  // 第二十七条 风险预警: as 热点分析 (the city centre's supervisors, analysts and admins; a county centre's staff: its
  // county); the rules: admins edit, supervisors and analysts read
  '/warnings': (me) =>
    isCentre(me) &&
    (hasRole(me, 'supervisor', 'analyst', 'admin') || (me.regionPrefixes ?? []).some((p) => p.length >= 6)),
  '/admin/warning-rules': (me) => isCentre(me) && hasRole(me, 'supervisor', 'analyst', 'admin'),
  // 第二十一条 信息公开: the centre's supervisors, analysts and admins (a county centre: its county)
  '/disclosure': (me) => isCentre(me) && hasRole(me, 'supervisor', 'analyst', 'admin'),
  '/disclosure/:id': (me) => isCentre(me) && hasRole(me, 'supervisor', 'analyst', 'admin'),
  // 第二十九条 网格化管理: the grid worker reports (主动发现); the town view for a town's staff and grid workers (the server
  // answers a unit that is not a town with a clear refusal) and the centre's supervisors, analysts and admins
  '/grids/report': (me) => hasRole(me, 'grid_worker'),
  '/grids/town': (me) =>
    hasRole(me, 'grid_worker') || isUnitStaff(me) || (isCentre(me) && hasRole(me, 'supervisor', 'analyst', 'admin')),
  // 网格管理 (issue 12): a town/street's manager (the server refuses a manager of a unit that is not a town) and the admin
  '/grids/admin': (me) => hasRole(me, 'unit_manager') || (isCentre(me) && hasRole(me, 'admin')),
};

export const canOpen = (me: Me, path: string) => SCREEN_ACCESS[path]?.(me) ?? false;

/** Where a user lands after login: the first screen of their daily work. */
export function homePath(me: Me): string {
  const order = [
    '/intake',
    '/dispatch',
    '/callback',
    '/unit/lead',
    '/grids/report',
    '/knowledge/review',
    '/overview',
    '/admin/users',
  ];
  return order.find((p) => canOpen(me, p)) ?? '/tickets';
}

const stateAllows = (t: TicketView, a: TicketAction) => t.allowedActions.includes(a);
const isLeadUnit = (me: Me, t: TicketView) =>
  isUnitStaff(me) &&
  t.leadUnitId === me.unitId &&
  t.assignments.some((a) => a.role === 'lead' && a.unitId === me.unitId && a.status !== 'ended');
const isActiveAssistUnit = (me: Me, t: TicketView) =>
  isUnitStaff(me) && t.assignments.some((a) => a.role === 'assist' && a.unitId === me.unitId && a.status === 'active');
const hasPending = (t: TicketView, kind: string) =>
  t.applications.some((a) => a.kind === kind && a.status === 'pending');

/** The merged ticket's side of 撤销并单: its status, the ticket it went into and when (its last 'merged_into' event). */
export function mergeFacts(t: TicketView) {
  const e = t.mergedIntoId ? t.events.findLast((x) => x.kind === 'merged_into') : undefined;
  return { status: t.status, mergedIntoId: t.mergedIntoId ?? null, mergedAt: e ? new Date(e.at) : null };
}

export type UiAction =
  | 'dispatch'
  | 'accept'
  | 'record_contact'
  | 'progress_report'
  | 'reply'
  | 'apply_return'
  | 'apply_extension'
  | 'apply_termination'
  | 'apply_dispute'
  | 'assist_result'
  | 'callback'
  | 'review'
  | 'merge'
  | 'unmerge'
  | 'recall';

/** The actions this user may take on this ticket right now. */
export function ticketActions(me: Me, t: TicketView, now = serverNow()): Set<UiAction> {
  const out = new Set<UiAction>();
  if (hasRole(me, 'dispatcher') && stateAllows(t, 'dispatch')) out.add('dispatch');
  if (hasRole(me, 'dispatcher') && t.applications.some((a) => a.status === 'pending')) out.add('review');
  if (hasRole(me, 'dispatcher') && stateAllows(t, 'merge_into') && !t.mergedIntoId) out.add('merge');
  // issue 14 撤销并单: within the window; whether the surviving ticket is still unanswered the server judges (409)
  if (hasRole(me, 'dispatcher') && unmergeRefusal({ ...mergeFacts(t), now }) === null) out.add('unmerge');
  // 第十四条: recall or reassign a dispatch the unit has not yet accepted
  if (hasRole(me, 'dispatcher') && stateAllows(t, 'recall')) out.add('recall');
  if (hasRole(me, 'callback_agent') && (stateAllows(t, 'callback_close') || stateAllows(t, 'callback_rework')))
    out.add('callback');
  if (isLeadUnit(me, t)) {
    if (stateAllows(t, 'accept')) out.add('accept');
    if (stateAllows(t, 'record_contact')) out.add('record_contact');
    if (stateAllows(t, 'progress_report')) out.add('progress_report');
    if (stateAllows(t, 'reply')) out.add('reply');
    const returnOpen = !t.returnUntil || new Date(t.returnUntil).getTime() >= now.getTime();
    if (stateAllows(t, 'apply_return') && returnOpen && !hasPending(t, 'return')) out.add('apply_return');
    if (stateAllows(t, 'apply_extension') && !hasPending(t, 'extension')) out.add('apply_extension');
    if (stateAllows(t, 'apply_termination') && !hasPending(t, 'termination')) out.add('apply_termination');
    if (stateAllows(t, 'apply_dispute') && !hasPending(t, 'dispute')) out.add('apply_dispute');
  }
  if (isActiveAssistUnit(me, t) && stateAllows(t, 'assist_result')) out.add('assist_result');
  return out;
}
