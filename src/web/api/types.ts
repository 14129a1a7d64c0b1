// Response shapes of the JSON API as the web receives them (dates are ISO strings). They mirror
// src/server/modules/tickets/tickets.presenter.ts, tickets.query.ts, applications.query.ts, config.service.ts
// and stats.service.ts.
import type { TicketAction } from '../../shared/domain/transitions';
import type { AttachmentInfo } from './contact-types';
import type { DeadlineState } from '../../shared/domain/deadline-state';

export type { TicketAction, DeadlineState };
import type { PersonRole, Role as AnyRoleCode } from '../../shared/contracts/roles';
import type {
  ApplicationKind,
  Basis,
  LimitClock,
  LimitStep,
  LimitUnit,
  RequestType,
  Satisfaction,
  TerminationCase,
  TicketStatus,
  Tier,
  Urgency,
} from '../../shared/contracts/vocabulary';
export type * from '../../shared/contracts/vocabulary';
/** A person's role (the web shows people; machine clients only in the admin's user list, as AnyRole). */
export type Role = PersonRole;

export interface Me {
  userId: number;
  username: string;
  displayName: string;
  unitId: number;
  roles: Role[];
  roleLabels: string[];
  scope: 'unit' | 'region';
  /** region-code prefixes of the user's area (第三十条); a county centre's are its county's */
  regionPrefixes?: string[];
  /** 等保 2.0 身份鉴别: the password an admin set must be changed before anything else */
  mustChangePassword: boolean;
  /** the user's role requires a second factor they have not enrolled yet */
  totpEnrolmentRequired: boolean;
  totpEnabled: boolean;
}

export interface TicketSummary {
  id: number;
  number: string;
  status: TicketStatus;
  statusLabel: string;
  version: number;
  requestType: RequestType;
  categoryId: number;
  urgency: Urgency;
  regionCode: string;
  address: string | null;
  title: string;
  content: string;
  channel: string;
  centreUnitId: number;
  leadUnitId: number | null;
  dispatchRuleId: number | null;
  createdAt: string;
  dispatchedAt: string | null;
  acceptedAt: string | null;
  firstContactAt: string | null;
  repliedAt: string | null;
  closedAt: string | null;
  dueAt: string | null;
  returnUntil: string | null;
  extensionDays: number;
  reworkCount: number;
  /** 第十五条: unreachableNote/unreachable are set when the unit replied without reaching the requester */
  reply: {
    result: string;
    explanation: string | null;
    unreachableNote?: string | null;
    unreachable?: UnreachableReply | null;
  } | null;
  satisfaction: Satisfaction | null;
  resolved: boolean | null;
  /** 并单: the ticket this one was merged into. */
  mergedIntoId?: number | null;
}

/** A work-queue row: the summary without the full text and reply (the ticket page has them). */
export type TicketListItem = Omit<TicketSummary, 'content' | 'reply'> & {
  excerpt: string;
  hasReply: boolean;
  /** 第十五条: the reply was given without reaching the requester (the callback queue shows it) */
  unreachable?: { basis: 'unreachable' | 'anonymous' | 'withheld'; summary: string; note: string } | null;
};

/** 第十五条: the explanation a reply carries when the requester could not be reached. */
export interface UnreachableReply {
  basis: 'unreachable' | 'anonymous' | 'withheld';
  note: string;
  summary: string;
  attempts: number;
  distinctDays: number;
  firstAttemptAt: string | null;
  lastAttemptAt: string | null;
}
/** 第十五条: how many failed attempts, on how many different days, let a unit reply without reaching the requester. */
export interface UnreachablePolicy {
  minAttempts: number;
  minDistinctDays: number;
}
/** While the unit handles a ticket whose requester it has not reached: may it reply anyway, and why not. */
export interface ReplyContactState {
  reached: boolean;
  anonymous: boolean;
  failedAttempts: number;
  distinctDays: number;
  policy: UnreachablePolicy;
  policyText: string;
  unreachableAllowed: boolean;
  summary: string | null;
  blockedReason: string | null;
}

/** POST /api/tickets/search: what the box was read as, the newest matches, and whether there are more. */
export interface TicketSearchResult {
  kind: 'number' | 'reference' | 'phone' | 'text';
  items: TicketListItem[];
  more: boolean;
}

export interface Material {
  name: string;
  description?: string;
  url?: string;
  /** 第十四、十五、二十四条: an uploaded file (GET /api/work-files/:id) */
  fileId?: number;
  mime?: string;
  size?: number;
}

export interface TicketDeadline {
  id: number;
  kind: string;
  kindLabel: string;
  unitId: number | null;
  unitName: string | null;
  startsAt: string;
  dueAt: string;
  warnAt: string;
  warnedAt: string | null;
  breachedAt: string | null;
  metAt: string | null;
  cancelledAt: string | null;
  /** 第八条: counted over a year whose holidays no admin had confirmed */
  calendarUnconfirmed?: boolean;
  state: DeadlineState;
  stateLabel: string;
  met: boolean | null;
}

export interface TicketEvent {
  id: number;
  kind: string;
  at: string;
  fromStatus: TicketStatus | null;
  toStatus: TicketStatus | null;
  reason: string | null;
  data: Record<string, unknown>;
  actorUserId: number | null;
  actorName: string | null;
  actorUnitId: number | null;
  actorUnitName: string | null;
}

export interface TicketAssignment {
  id: number;
  unitId: number;
  unitName: string;
  role: 'lead' | 'assist';
  status: 'active' | 'submitted' | 'ended';
  dispatchedAt: string;
  acceptedAt: string | null;
  result: string | null;
  submittedAt: string | null;
  endedAt: string | null;
}

export interface TicketApplication {
  id: number;
  kind: ApplicationKind;
  unitId: number;
  reason: string;
  materials: Material[];
  requestedDays: number | null;
  progress: string | null;
  terminationCase: TerminationCase | null;
  status: 'pending' | 'approved' | 'rejected';
  reviewNote: string | null;
  createdAt: string;
  decidedAt: string | null;
}

export interface TicketCallback {
  id: number;
  satisfaction: Satisfaction;
  resolved: boolean;
  reasonable: boolean | null;
  outcome: 'closed' | 'rework';
  note: string | null;
  at: string;
}

export interface TicketConsultation {
  id: number;
  participantUnitIds: number[];
  record: string;
  decidedUnitId: number;
  assistUnitIds: number[];
  heldAt: string;
}

export interface DispatchSuggestion {
  leadUnitId: number;
  leadUnitName: string;
  assistUnitIds: number[];
  ruleId: number;
  basis: Basis;
  explanation: string;
}

export interface TicketView extends TicketSummary {
  requester: { id: number; name: string | null; phone: string | null; masked: true } | null;
  /** 第十七条: a merged ticket's other requesters (masked), each told the result at callback */
  coRequesters?: {
    id: number;
    name: string | null;
    phone: string | null;
    masked: true;
    sourceTicketNumber: string | null;
    addedAt: string;
  }[];
  allowedActions: TicketAction[];
  assignments: TicketAssignment[];
  deadlines: TicketDeadline[];
  events: TicketEvent[];
  applications: TicketApplication[];
  callbacks: TicketCallback[];
  consultations: TicketConsultation[];
  dispatchSuggestion: DispatchSuggestion | null;
  /** the requester's pictures, voice, video and documents: the ticket's own and those of contacts linked to it */
  attachments: AttachmentInfo[];
  /** phone, ID card or bank card numbers in the text (or its message) are masked; the audited reveal shows them */
  textMasked: boolean;
  /** the requester's own evaluation: on the portal, or by answering the SMS survey */
  evaluation: {
    satisfaction: Satisfaction;
    comment: string | null;
    via: 'portal' | 'sms' | 'wechat' | 'weibo';
    at: string;
  } | null;
  /** set while in progress and the requester was not reached (第十五条) */
  replyContact?: ReplyContactState | null;
}

export interface Page<T, C = string> {
  items: T[];
  next: C | null;
}

export interface PendingApplication {
  id: number;
  kind: ApplicationKind;
  ticketId: number;
  ticketNumber: string;
  ticketTitle: string;
  regionCode: string;
  unitId: number;
  unitName: string;
  reason: string;
  materials: Material[];
  requestedDays: number | null;
  progress: string | null;
  terminationCase: TerminationCase | null;
  /** a dispute's proposed handling units; null for the other kinds */
  proposedUnitIds: number[] | null;
  createdAt: string;
}

export interface Region {
  code: string;
  name: string;
  level: number;
  parent_code: string | null;
  /** a grid retired at 网格管理 (第二十九条): named in lists and filters, not offered for a new ticket */
  retired: boolean;
}
export interface Unit {
  id: number;
  code: string;
  name: string;
  kind: 'centre' | 'department' | 'town' | 'utility' | 'other';
  tier: Tier;
  parent_id: number | null;
  is_24x7: boolean;
  active: boolean;
  created_at: string;
  region_codes: string[];
}
export interface Category {
  id: number;
  code: string;
  name: string;
  parent_id: number | null;
  level: number;
  active: boolean;
  /** 第四条 智能分类: words the category is known by (the classifier's prior) */
  keywords?: string[];
  /** 合并 (0054): merged into this category; in the admin's full list only */
  replaced_by_id?: number | null;
}
export interface User {
  id: number;
  username: string;
  display_name: string;
  unit_id: number;
  roles: Role[];
  scope: 'unit' | 'region';
  active: boolean;
  created_at: string;
  /** 等保 2.0 身份鉴别: an admin-set password not yet changed; a second factor enrolled */
  must_change_password?: boolean;
  password_changed_at?: string | null;
  totp_enabled?: boolean;
}
/** Every role an account may hold, including the machine clients (channel gateways, partner systems). */
export type AnyRole = AnyRoleCode;
export type * from '../../shared/contracts/admin';
export interface CatalogueRule {
  id: number;
  category_id: number | null;
  region_code: string | null;
  tier: Tier;
  basis: Basis;
  lead_unit_id: number;
  assist_unit_ids: number[];
  priority: number;
  note: string | null;
  active: boolean;
}
export interface TimeLimit {
  id: number;
  step: LimitStep;
  category_id: number | null;
  urgency: Urgency | null;
  clock: LimitClock | null;
  amount: number;
  unit: LimitUnit;
}
export interface CalendarDay {
  date: string;
  kind: 'holiday' | 'workday';
  name: string | null;
}
export interface CalendarYear {
  year: number;
  overrides: CalendarDay[];
  workingDays: number;
}
/** 第八条: years within the next 90 days whose holiday arrangement no admin has confirmed (GET /api/calendar/coverage). */
export interface CalendarCoverage {
  today: string;
  horizonDays: number;
  horizonEnd: string;
  unconfirmedYears: number[];
  warnings: string[];
}
export type CalendarYearSource = 'builtin' | 'manual' | 'import';
export interface CalendarYearStatus {
  year: number;
  confirmed: boolean;
  source: CalendarYearSource | null;
  confirmedAt: string | null;
  confirmedBy: string | null;
  builtinAvailable: boolean;
  days: number;
}
export interface YearArrangement {
  holidays: Array<{ name: string; from: string; to: string }>;
  workdays: Array<{ date: string; name?: string | null }>;
}
export interface CalendarYearArrangement extends Omit<CalendarYearStatus, 'days'> {
  prefill: 'database' | 'builtin' | 'empty';
  matchesBuiltin: boolean;
  arrangement: YearArrangement;
}
export interface PiiAccess {
  id: number;
  user_id: number;
  /** the person's name (never the login id on screen) */
  userName: string;
  ticket_id: number | null;
  ticketNumber: string | null;
  contact_id: number | null;
  fields: string[];
  purpose: string;
  at: string;
  request_id: string | null;
}

export interface QueueDeadline {
  ticketId: number;
  kind: string;
  kindLabel: string;
  dueAt: string;
  state: DeadlineState;
  stateLabel: string;
}

export interface Overview {
  date: string;
  generatedAt: string;
  todayTotal: number;
  byChannel: Array<{ channel: string; label: string; count: number }>;
  byCategory: Array<{ name: string; count: number }>;
  openByStatus: Array<{ status: TicketStatus; label: string; count: number }>;
  deadlines: {
    warning: number;
    breached: number;
    byKind: Array<{ kind: string; label: string; warning: number; breached: number }>;
  };
  atRisk: Array<{
    ticketId: number;
    number: string;
    title: string;
    status: TicketStatus;
    statusLabel: string;
    kind: string;
    kindLabel: string;
    unitName: string | null;
    dueAt: string;
    state: 'warning' | 'breached';
    stateLabel: string;
  }>;
}

/** POST /api/tickets/:id/requester/reveal: clear personal data, written to the access audit. */
export interface RevealedPersonalData {
  name: string | null;
  phone: string | null;
  address: string | null;
  /** the ticket's title and text before numbers in them were masked; null when nothing was masked */
  originalText: { title: string; content: string } | null;
  /** the message the ticket came from, before masking; null when nothing was masked */
  originalMessage: string | null;
}
