// Typed functions for every endpoint the web uses. Request bodies are the shared zod contracts' input types.
import type { z } from 'zod';
import type { UnmergeBody } from '../../shared/contracts/unmerge';
import type { TicketSort } from '../../shared/domain/ticket-sort';
import type * as c from '../../shared/contracts/tickets';
import type { dispositionBody } from '../../shared/contracts/dispositions';
import { http, upload } from './client';
import type {
  Channel,
  Contact,
  DispositionResult,
  ContactPersonalData,
  DuplicateCandidate,
  FlagDetail,
  FlagForReview,
  FlagKind,
  FlagStatus,
  FormToken,
  PublicSubmission,
  RecordedContact,
  RequesterFlag,
  RequesterHistory,
  ScreenPop,
  StaffComplaint,
  MessageTracking,
  PublicCategory,
  PublicRegion,
  Tracking,
} from './contact-types';
import type {
  CalendarDay,
  CalendarYear,
  CalendarCoverage,
  CalendarYearArrangement,
  CalendarYearStatus,
  YearArrangement,
  CatalogueRule,
  Category,
  LimitClock,
  LimitStep,
  LimitUnit,
  Me,
  Overview,
  Page,
  PendingApplication,
  PiiAccess,
  QueueDeadline,
  Region,
  RevealedPersonalData,
  Satisfaction,
  TicketApplication,
  TicketListItem,
  TicketSearchResult,
  TicketStatus,
  TicketSummary,
  TicketView,
  TimeLimit,
  Unit,
  UnreachablePolicy,
  Urgency,
  User,
  ApplicationKind,
  Tier,
  Basis,
  CreateCategoryInput,
  CreateUnitInput,
  CreateUserInput,
  MergeCategoryInput,
  UpdateCategoryInput,
  UpdateUnitInput,
  UpdateUserInput,
} from './types';

export type CreateTicketInput = z.input<typeof c.createTicketBody>;
export type DispatchInput = z.input<typeof c.dispatchBody>;
export type ContactInput = z.input<typeof c.contactBody>;
export type ProgressInput = z.input<typeof c.progressBody>;
export type AssistResultInput = z.input<typeof c.assistResultBody>;
export type ReplyInput = z.input<typeof c.replyBody>;
export type CallbackInput = z.input<typeof c.callbackBody>;
export type ReturnInput = z.input<typeof c.returnBody>;
export type ExtensionInput = z.input<typeof c.extensionBody>;
export type TerminationInput = z.input<typeof c.terminationBody>;
export type DisputeInput = z.input<typeof c.disputeBody>;
export type ReviewInput = z.input<typeof c.reviewBody>;
export type ConsultationInput = z.input<typeof c.consultationBody>;
export type DispositionInput = z.input<typeof dispositionBody>;

/** An account locked or slowed down by failed logins (GET /api/admin/login-locks). */
export interface LoginLock {
  userId: number;
  username: string;
  displayName: string;
  failures: number;
  status: 'locked' | 'throttled' | 'failing';
  lockedUntil: string | null;
  lastFailureAt: string | null;
  lastFailureIp: string | null;
}

/** 个人信息访问审计's filter (issue 14): a person, a ticket number, local days. */
export interface PiiAccessFilter {
  userId?: number;
  ticketNumber?: string;
  from?: string;
  to?: string;
}
export interface RecordContactInput {
  channel: Channel;
  requester?: { name?: string | null; phone?: string | null } | null;
  content: string;
  /** the place the caller gave: kept (encrypted) with the contact and carried into the ticket (issue 14) */
  address?: string;
  files?: Array<{ name?: string; dataBase64: string }>;
}
export interface DuplicateSearch {
  text: string;
  requesterId?: number;
  categoryId?: number;
  regionCode?: string;
}

/** Issue 14: a list's filters beside status and unit (as the URL and the API spell them). */
export interface ListFilters {
  from?: string;
  to?: string;
  categoryId?: number;
  regionCode?: string;
  channel?: string;
  deadline?: 'overdue' | 'warning';
}
export interface QueueParams extends ListFilters {
  view: 'lead' | 'assist' | 'centre' | 'mine';
  status?: TicketStatus[];
  unitId?: number;
  /** issue 14: the server's order (default: deadline, soonest first) */
  sort?: TicketSort;
  after?: string | null;
  limit?: number;
}

export interface CatalogueRuleInput {
  categoryId: number | null;
  regionCode: string | null;
  tier: Tier;
  basis: Basis;
  leadUnitId: number;
  assistUnitIds: number[];
  priority: number;
  note?: string | null;
}
export interface TimeLimitInput {
  step: LimitStep;
  categoryId: number | null;
  urgency: Urgency | null;
  clock: LimitClock | null;
  amount: number;
  unit: LimitUnit;
}

const t = (id: number, action: string) => `/api/tickets/${id}/${action}`;

export const api = {
  auth: {
    // the login itself (one or two steps) is in api/account.ts
    logout: () => http.post<{ ok: true }>('/api/auth/logout'),
    me: () => http.get<Me>('/api/auth/me'),
  },
  tickets: {
    create: (body: CreateTicketInput) => http.post<TicketSummary>('/api/tickets', body),
    queue: (p: QueueParams) =>
      http.get<Page<TicketListItem>>('/api/tickets', {
        view: p.view,
        status: p.status?.join(','),
        unitId: p.unitId,
        from: p.from,
        to: p.to,
        categoryId: p.categoryId,
        regionCode: p.regionCode,
        channel: p.channel,
        deadline: p.deadline,
        sort: p.sort,
        after: p.after,
        limit: p.limit ?? 50,
      }),
    search: (q: string, limit = 20) => http.post<TicketSearchResult>('/api/tickets/search', { q, limit }),
    view: (id: number) => http.get<TicketView>(`/api/tickets/${id}`),
    reveal: (id: number, purpose: string, requesterId?: number) =>
      http.post<RevealedPersonalData>(t(id, 'requester/reveal'), { purpose, requesterId }),
    dispatch: (id: number, body: DispatchInput) => http.post<TicketSummary>(t(id, 'dispatch'), body),
    accept: (id: number, expectedVersion?: number) => http.post<TicketSummary>(t(id, 'accept'), { expectedVersion }),
    contact: (id: number, body: ContactInput) => http.post<TicketSummary>(t(id, 'contacts'), body),
    progress: (id: number, body: ProgressInput) => http.post<TicketSummary>(t(id, 'progress-reports'), body),
    assistResult: (id: number, body: AssistResultInput) => http.post<TicketSummary>(t(id, 'assist-results'), body),
    reply: (id: number, body: ReplyInput) => http.post<TicketSummary>(t(id, 'reply'), body),
    callback: (id: number, body: CallbackInput) => http.post<TicketSummary>(t(id, 'callback'), body),
    applyReturn: (id: number, body: ReturnInput) => http.post<TicketApplication>(t(id, 'return-applications'), body),
    applyExtension: (id: number, body: ExtensionInput) =>
      http.post<TicketApplication>(t(id, 'extension-applications'), body),
    applyTermination: (id: number, body: TerminationInput) =>
      http.post<TicketApplication>(t(id, 'termination-applications'), body),
    applyDispute: (id: number, body: DisputeInput) => http.post<TicketApplication>(t(id, 'dispute-applications'), body),
  },
  applications: {
    pending: (p: { kind?: ApplicationKind; after?: number | null; limit?: number }) =>
      http.get<Page<PendingApplication, number>>('/api/applications', {
        kind: p.kind,
        after: p.after,
        limit: p.limit ?? 50,
      }),
    review: (id: number, body: ReviewInput) => http.post<TicketSummary>(`/api/applications/${id}/review`, body),
    consultation: (id: number, body: ConsultationInput) =>
      http.post<TicketSummary>(`/api/applications/${id}/consultation`, body),
  },
  contacts: {
    /** With upload progress: attachments travel as base64 in the JSON body. */
    record: (body: RecordContactInput, onProgress?: (percent: number) => void) =>
      upload<RecordedContact>('/api/contacts', body, onProgress),
    inbox: (p: { after?: number | null; limit?: number } = {}) =>
      http.get<Page<Contact, number>>('/api/contacts', { after: p.after, limit: p.limit ?? 50 }),
    screenPop: (id: number) => http.get<ScreenPop>(`/api/contacts/${id}/screen-pop`),
    reveal: (id: number, purpose: string) => http.post<ContactPersonalData>(`/api/contacts/${id}/reveal`, { purpose }),
    duplicates: (id: number, hint: { categoryId?: number | null; regionCode?: string | null }) =>
      http.get<DuplicateCandidate[]>(`/api/contacts/${id}/duplicates`, {
        categoryId: hint.categoryId,
        regionCode: hint.regionCode,
      }),
    dispose: (id: number, body: DispositionInput) =>
      http.post<DispositionResult>(`/api/contacts/${id}/disposition`, body),
  },
  duplicates: {
    search: (body: DuplicateSearch) => http.post<DuplicateCandidate[]>('/api/duplicates/search', body),
    merge: (ticketId: number, intoTicketId: number, note?: string) =>
      http.post<TicketSummary>(`/api/tickets/${ticketId}/merge`, { intoTicketId, note }),
    // issue 14 撤销并单
    unmerge: (ticketId: number, body: UnmergeBody = {}) =>
      http.post<TicketSummary>(`/api/tickets/${ticketId}/unmerge`, body),
  },
  requesters: {
    history: (id: number) => http.get<RequesterHistory>(`/api/requesters/${id}/history`),
    flag: (id: number, body: { kind: FlagKind; detail: string; contactId?: number }) =>
      http.post<RequesterFlag>(`/api/requesters/${id}/flags`, body),
    flags: (p: { status: FlagStatus; cursor?: number | null; limit?: number }) =>
      http.get<{ items: FlagForReview[]; next: number | null }>('/api/requester-flags', {
        status: p.status,
        [p.status === 'open' ? 'after' : 'before']: p.cursor,
        limit: p.limit ?? 50,
      }),
    flagDetail: (id: number) => http.get<FlagDetail>(`/api/requester-flags/${id}`),
    reviewFlag: (id: number, decision: 'warn' | 'dismiss', note?: string) =>
      http.post<RequesterFlag>(`/api/requester-flags/${id}/review`, { decision, note }),
  },
  supervision: {
    staffComplaints: () => http.get<StaffComplaint[]>('/api/staff-complaints'),
  },
  /** The public portal's endpoints: no session, the ticket number and tracking code are the key. */
  public: {
    formToken: () => http.get<FormToken>('/api/public/form-token'),
    categories: () => http.get<PublicCategory[]>('/api/public/categories'),
    regions: () => http.get<PublicRegion[]>('/api/public/regions'),
    submit: (form: FormData, onProgress?: (percent: number) => void) =>
      upload<PublicSubmission>('/api/public/requests', form, onProgress),
    tracking: (number: string, code: string) =>
      http.get<Tracking | MessageTracking>('/api/public/tracking', { number, code }),
    evaluate: (body: { number: string; code: string; satisfaction: Satisfaction; comment?: string }) =>
      http.post<{ satisfaction: Satisfaction; at: string }>('/api/public/tracking/evaluate', body),
    complain: (body: { number: string; code: string; content: string; againstStaff?: string }) =>
      http.post<{ id: number; receivedAt: string; message: string }>('/api/public/tracking/complaint', body),
  },
  reference: {
    regions: () => http.get<Region[]>('/api/regions'),
    units: () => http.get<Unit[]>('/api/units'),
    categories: () => http.get<Category[]>('/api/categories'),
  },
  admin: {
    users: () => http.get<User[]>('/api/users'),
    /** 第三十条: a token for a channel gateway or partner system account (shown once, audited) */
    issueMachineToken: (userId: number, name: string) =>
      http.post<{ token: string; id: number }>('/api/auth/tokens', { userId, name }),
    createUser: (body: CreateUserInput) => http.post<User>('/api/users', body),
    updateUser: (id: number, body: UpdateUserInput) => http.patch<User>(`/api/users/${id}`, body),
    resetPassword: (id: number, password: string) =>
      http.post<{ id: number; passwordChanged: true; mustChangePassword: boolean }>(`/api/users/${id}/password`, {
        password,
      }),
    createUnit: (body: CreateUnitInput) => http.post<Unit>('/api/units', body),
    updateUnit: (id: number, body: UpdateUnitInput) => http.patch<Unit>(`/api/units/${id}`, body),
    createCategory: (body: CreateCategoryInput) => http.post<Category>('/api/categories', body),
    updateCategory: (id: number, body: UpdateCategoryInput) => http.patch<Category>(`/api/categories/${id}`, body),
    /** every category, retired and merged ones too (the reference data holds the active ones) */
    categories: () => http.get<Category[]>('/api/admin/categories'),
    /** 合并: retire `id` into `intoId`; the classifier learns its tickets as intoId's */
    mergeCategory: (id: number, body: MergeCategoryInput) => http.post<Category>(`/api/categories/${id}/merge`, body),
    catalogueRules: () => http.get<CatalogueRule[]>('/api/catalogue-rules'),
    createCatalogueRule: (body: CatalogueRuleInput) => http.post<CatalogueRule>('/api/catalogue-rules', body),
    setCatalogueRuleActive: (id: number, active: boolean) =>
      http.patch<CatalogueRule>(`/api/catalogue-rules/${id}`, { active }),
    resolveCatalogue: (categoryId: number, regionCode: string) =>
      http.post<{ leadUnitId: number | null; leadUnitName?: string; explanation: string }>('/api/catalogue/resolve', {
        categoryId,
        regionCode,
      }),
    timeLimits: () => http.get<TimeLimit[]>('/api/time-limits'),
    putTimeLimit: (body: TimeLimitInput) => http.put<TimeLimit>('/api/time-limits', body),
    // 第十五条: when a unit may reply to a requester it could not reach
    unreachablePolicy: () => http.get<UnreachablePolicy>('/api/unreachable-reply-policy'),
    putUnreachablePolicy: (body: UnreachablePolicy) =>
      http.put<UnreachablePolicy>('/api/unreachable-reply-policy', body),
    calendar: (year: number) => http.get<CalendarYear>(`/api/calendar/${year}`),
    setCalendarDay: (date: string, kind: CalendarDay['kind'], name: string | null) =>
      http.put<CalendarDay | null>(`/api/calendar/days/${date}`, { kind, name }),
    clearCalendarDay: (date: string) => http.del<{ cleared: boolean }>(`/api/calendar/days/${date}`),
    // 第八条: coverage of the working calendar and a year's arrangement, entered and confirmed (docs/calendar-import.md)
    calendarCoverage: () =>
      http.get<CalendarCoverage & { years: CalendarYearStatus[] }>('/api/admin/calendar/coverage'),
    calendarArrangement: (year: number) => http.get<CalendarYearArrangement>(`/api/admin/calendar/years/${year}`),
    confirmCalendarYear: (year: number, body: YearArrangement & { source?: 'manual' | 'import' }) =>
      http.put<CalendarYearArrangement>(`/api/admin/calendar/years/${year}`, body),
    confirmBuiltinCalendarYear: (year: number) =>
      http.post<CalendarYearArrangement>(`/api/admin/calendar/years/${year}/confirm-builtin`, {}),
    importCalendarYear: (year: number, content: string, confirm = false) =>
      http.post<{ confirmed: boolean; arrangement: YearArrangement; year: CalendarYearArrangement | null }>(
        `/api/admin/calendar/years/${year}/import`,
        { content, confirm },
      ),
    piiAccess: (p: PiiAccessFilter & { before?: number; limit?: number }) =>
      http.get<PiiAccess[]>('/api/audit/pii-access', { ...p, limit: p.limit ?? 100 }),
    // 第六、三十条: accounts locked or slowed down by failed logins, and their unlock
    loginLocks: () => http.get<LoginLock[]>('/api/admin/login-locks'),
    unlockLogin: (userId: number) =>
      http.post<{ userId: number; username: string; unlocked: boolean }>(`/api/admin/users/${userId}/unlock`, {}),
  },
  stats: {
    overview: () => http.get<Overview>('/api/stats/overview'),
    queueDeadlines: (ids: number[]) =>
      http.get<{ items: QueueDeadline[] }>('/api/stats/queue-deadlines', { ticketIds: ids.join(',') }),
  },
};
