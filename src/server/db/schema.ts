import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { TicketStatus } from '../../shared/domain/transitions.js';
import type { KnowledgeTables } from './schema-knowledge.js';
import type { SharingTables } from './schema-sharing.js';
import type { PiiKeyTables } from './schema-pii-keys.js';
import type { AuthTables } from './schema-auth.js';
import type { HealthTables } from './schema-health.js';
import type { AssessmentTables } from './schema-assessment.js';
import type { SupervisionTables } from './schema-supervision.js';
import type { ReferralTables, StaffComplaintHandling } from './schema-referrals.js';
import type { ClassificationTables } from './schema-classification.js';
import type { PresenceTables } from './schema-presence.js';
import type { SavedViewTables } from './schema-saved-views.js';
import type { CallbackTables } from './schema-callbacks.js';
import type { DisclosureTables } from './schema-disclosure.js';
import type { MatterTables } from './schema-matters.js';
import type { UnitWorkflowTables } from './schema-unit-workflow.js';
import type { SubDispatchTables } from './schema-sub-dispatch.js';
import type { WarningTables } from './schema-warnings.js';
import type { WorkFileTables } from './schema-work-files.js';
import type { GridTables } from './schema-grids.js';
import type { NotificationTables } from './schema-notifications.js';

// Table types for Kysely, kept by hand beside the migrations (0001-core.ts is the source of truth).
type Id = Generated<number>;
type Ts = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type { TicketStatus };
import type {
  ApplicationKind,
  Basis,
  LimitClock,
  LimitStep,
  LimitUnit,
  RequestType,
  Satisfaction,
  Tier,
  UnitKind,
  Urgency,
} from '../../shared/contracts/vocabulary.js';
export type * from '../../shared/contracts/vocabulary.js';
export type DeadlineKind = 'accept' | 'first_contact' | 'reply' | 'assist' | 'callback' | 'rework' | 'review';

export interface RegionsTable {
  code: string;
  name: string;
  level: number;
  parent_code: string | null;
}
export interface UnitsTable {
  id: Id;
  code: string;
  name: string;
  kind: UnitKind;
  tier: Tier;
  parent_id: number | null;
  is_24x7: Generated<boolean>;
  active: Generated<boolean>;
  created_at: Ts;
}
export interface UnitRegionsTable {
  unit_id: number;
  region_code: string;
}
export interface UsersTable {
  id: Id;
  username: string;
  display_name: string;
  password_hash: string;
  unit_id: number;
  roles: string[];
  scope: 'unit' | 'region';
  active: Generated<boolean>;
  created_at: Ts;
  /** 0022 (第六条, 等保 身份鉴别): forced change, password age and the TOTP second factor */
  must_change_password: Generated<boolean>;
  password_changed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  totp_secret_enc: ColumnType<string | null, string | null | undefined, string | null>;
  totp_pending_secret_enc: ColumnType<string | null, string | null | undefined, string | null>;
  totp_enabled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  totp_last_step: ColumnType<number | null, number | null | undefined, number | null>;
}
export interface SessionsTable {
  token_hash: string;
  user_id: number;
  created_at: Ts;
  expires_at: Ts;
  /** 0022: the idle timeout counts from here (refreshed at most once a minute) */
  last_seen_at: Ts;
}
export interface ApiTokensTable {
  id: Id;
  token_hash: string;
  user_id: number;
  name: string;
  created_at: Ts;
  revoked_at: Ts | null;
  /** 0020: NULL acts with the user's roles; a unit integration token carries e.g. 'feed:read' (第三十条) */
  scopes: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  created_by: ColumnType<number | null, number | null | undefined, number | null>;
}
export interface CategoriesTable {
  id: Id;
  code: string;
  name: string;
  parent_id: number | null;
  level: number;
  active: Generated<boolean>;
  /** 0030 (第四条 智能分类): words the category is known by besides its name, the prior of a new model */
  keywords: Generated<string[]>;
  /** 0054 (合并): merged into this category — retired, its history counts as the successor's for the classifier */
  replaced_by_id: Generated<number | null>;
}
export interface CatalogueRulesTable {
  id: Id;
  category_id: number | null;
  region_code: string | null;
  tier: Tier;
  basis: Basis;
  lead_unit_id: number;
  assist_unit_ids: Generated<number[]>;
  priority: Generated<number>;
  note: string | null;
  active: Generated<boolean>;
}
export interface CalendarDaysTable {
  date: string;
  kind: 'holiday' | 'workday';
  name: string | null;
}
/** 第八条: a year whose holiday arrangement an admin has confirmed (0014). */
export interface CalendarYearsTable {
  year: number;
  source: 'builtin' | 'manual' | 'import';
  confirmed_by: number;
  confirmed_at: Ts;
}
export interface TimeLimitsTable {
  id: Id;
  step: LimitStep;
  category_id: number | null;
  urgency: Urgency | null;
  unit_kind: UnitKind | null;
  clock: LimitClock | null;
  amount: number;
  unit: LimitUnit;
}
export interface RequestersTable {
  id: Id;
  name_enc: string | null;
  phone_enc: string | null;
  phone_hash: string | null;
  created_at: Ts;
  wechat_hash: Generated<string | null>;
  weibo_hash: Generated<string | null>;
  /** 0023: the oldest PII key version of the row's hashes and ciphertexts; null is version 1 */
  key_version: Generated<number | null>;
}
export interface TicketNumberCountersTable {
  day: string;
  last: number;
}
export interface TicketsTable {
  id: Id;
  number: string;
  request_type: RequestType;
  category_id: number;
  urgency: Urgency;
  region_code: string;
  address_enc: string | null;
  title: string;
  content: string;
  status: TicketStatus;
  version: Generated<number>;
  requester_id: number | null;
  centre_unit_id: number;
  lead_unit_id: number | null;
  dispatch_rule_id: number | null;
  channel: Generated<string>;
  created_by: number;
  created_at: Ts;
  updated_at: Ts;
  dispatched_at: Ts | null;
  accepted_at: Ts | null;
  first_contact_at: Ts | null;
  replied_at: Ts | null;
  closed_at: Ts | null;
  due_at: Ts | null;
  return_until: Ts | null;
  extension_days: Generated<number>;
  rework_count: Generated<number>;
  reply_result: string | null;
  reply_explanation: string | null;
  satisfaction: Satisfaction | null;
  resolved: boolean | null;
  tracking_code_hash: Generated<string | null>;
  /** 0023: the PII key version the tracking code was hashed with (its plaintext is not stored); null is version 1 */
  tracking_key_version: Generated<number | null>;
  merged_into_id: Generated<number | null>;
  reported_unit_id: Generated<number | null>;
  contact_id: Generated<number | null>;
  original_enc: Generated<string | null>;
  /** 第三十三条: a 举报's text as the agent wrote it for the units; the reported unit reads only this */
  unit_text: Generated<string | null>;
  /**
   * The search words (text-tokens.ts searchTokens) as a 'simple' tsvector, written by the ticket's INSERT (0053: the
   * words are not stored a second time as text); searched in SQL, its words read back with tsvector_to_array
   */
  search_vector: Generated<string | null>;
  lat: Generated<number | null>;
  long: Generated<number | null>;
  /** 第十五条: set when the reply was given without reaching the requester (0016) */
  reply_unreachable: ColumnType<UnreachableReply | null, string | null | undefined, string | null>;
}
/** The explanation a reply carries when the requester could not be reached (第十五条). */
export interface UnreachableReply {
  basis: 'unreachable' | 'anonymous' | 'withheld';
  note: string;
  summary: string;
  attempts: number;
  distinctDays: number;
  firstAttemptAt: string | null;
  lastAttemptAt: string | null;
}
export interface ReplyContactPolicyTable {
  id: Generated<number>;
  min_attempts: number;
  min_distinct_days: number;
  updated_at: Ts | null;
  updated_by: number | null;
}
export interface TicketAssignmentsTable {
  id: Id;
  ticket_id: number;
  unit_id: number;
  role: 'lead' | 'assist';
  status: 'active' | 'submitted' | 'ended';
  dispatched_at: Ts;
  accepted_at: Ts | null;
  result: string | null;
  submitted_at: Ts | null;
  ended_at: Ts | null;
}
export interface TicketEventsTable {
  id: Id;
  ticket_id: number;
  kind: string;
  at: Ts;
  actor_user_id: number | null;
  actor_unit_id: number | null;
  from_status: string | null;
  to_status: string | null;
  reason: string | null;
  data: Json<Record<string, unknown>>;
  request_id: string | null;
}
export interface ApplicationsTable {
  id: Id;
  ticket_id: number;
  kind: ApplicationKind;
  unit_id: number;
  applicant_id: number;
  reason: string;
  materials: Json<Material[]>;
  requested_days: number | null;
  progress: string | null;
  termination_case: 'refused_information' | 'unreasonable_request' | null;
  status: 'pending' | 'approved' | 'rejected';
  reviewer_id: number | null;
  review_note: string | null;
  created_at: Ts;
  decided_at: Ts | null;
}
export interface Material {
  name: string;
  description?: string;
  url?: string;
  /** 第十四、十五条: an uploaded file (work_files) the entry stands for; older entries are text only */
  fileId?: number;
  mime?: string;
  size?: number;
}
export interface ConsultationsTable {
  id: Id;
  ticket_id: number;
  application_id: number | null;
  participant_unit_ids: number[];
  record: string;
  decided_unit_id: number;
  assist_unit_ids: Generated<number[]>;
  organiser_id: number;
  held_at: Ts;
}
export interface CallbacksTable {
  id: Id;
  ticket_id: number;
  agent_id: number;
  satisfaction: Satisfaction;
  resolved: boolean;
  reasonable: boolean | null;
  outcome: 'closed' | 'rework';
  note: string | null;
  at: Ts;
}
export interface DeadlinesTable {
  id: Id;
  ticket_id: number;
  unit_id: number | null;
  kind: DeadlineKind;
  starts_at: Ts;
  due_at: Ts;
  warn_at: Ts;
  warned_at: Ts | null;
  breached_at: Ts | null;
  met_at: Ts | null;
  cancelled_at: Ts | null;
  /** 第八条: counted over a year whose holidays no admin had confirmed (0014). */
  calendar_unconfirmed: Generated<boolean>;
}
export interface PiiAccessLogTable {
  id: Id;
  user_id: number;
  ticket_id: number | null;
  requester_id: number | null;
  fields: string[];
  purpose: string;
  at: Ts;
  request_id: string | null;
  contact_id: Generated<number | null>;
}
export interface AdminAuditTable {
  id: Id;
  user_id: number | null;
  entity: string;
  entity_id: string;
  action: string;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  at: Ts;
  /** 0024: where the change came from (等保 安全审计); null for the scheduler and CLI */
  source_ip: Generated<string | null>;
  request_id: Generated<string | null>;
}

export type Channel = 'phone' | 'sms' | 'wechat' | 'weibo' | 'web' | 'api' | 'open311';
export type Disposition =
  | 'answered'
  | 'transferred'
  | 'redirected'
  | 'repeat'
  | 'explained'
  | 'admonished'
  | 'not_accepted'
  | 'dispatched'
  | 'merged';
export interface ContactsTable {
  id: Id;
  channel: Channel;
  external_id: string | null;
  received_at: Ts;
  requester_id: number | null;
  content: Generated<string>;
  meta: Json<Record<string, unknown>>;
  agent_id: number | null;
  centre_unit_id: number | null;
  status: Generated<'new' | 'disposed'>;
  disposition: Disposition | null;
  disposition_data: Json<Record<string, unknown>> | null;
  reply_text: string | null;
  disposed_at: Ts | null;
  disposed_by: number | null;
  ticket_id: number | null;
  emergency_suggestion: string | null;
  content_enc: Generated<string | null>;
  knowledge_article_id: Generated<number | null>;
  knowledge_version_id: Generated<number | null>;
  /** 0033 (第九条): a portal message's 查询码, keyed hash only, and the PII key version that made it */
  tracking_code_hash: Generated<string | null>;
  tracking_key_version: Generated<number | null>;
}
export interface AttachmentsTable {
  id: Id;
  contact_id: number | null;
  ticket_id: number | null;
  kind: 'image' | 'audio' | 'video' | 'document';
  mime: string;
  size: number;
  sha256: string;
  storage_key: string;
  original_name: string | null;
  created_at: Ts;
}
export interface TicketRequestersTable {
  ticket_id: number;
  requester_id: number;
  contact_id: number | null;
  source_ticket_id: number | null;
  added_at: Ts;
}
export interface RequesterFlagsTable {
  id: Id;
  requester_id: number;
  kind: 'repeated_contacts' | 'long_occupation' | 'harassment';
  detail: string;
  source: 'automatic' | 'agent';
  raised_by: number | null;
  contact_id: number | null;
  status: Generated<'open' | 'warned' | 'dismissed'>;
  reviewed_by: number | null;
  review_note: string | null;
  warning_text: string | null;
  created_at: Ts;
  reviewed_at: Ts | null;
}
export interface EvaluationsTable {
  id: Id;
  ticket_id: number;
  satisfaction: Satisfaction;
  comment: string | null;
  at: Ts;
  via: Generated<'portal' | 'sms' | 'wechat' | 'weibo'>;
}
export interface RateLimitWindowsTable {
  key: string;
  window_start: Ts;
  hits: number;
}
export interface LoginThrottleAccountsTable {
  account_key: string;
  user_id: number | null;
  failures: Generated<number>;
  last_attempt_at: Ts | null;
  last_failure_at: Ts | null;
  last_failure_ip_enc: string | null;
  locked_until: Ts | null;
}
export interface LoginThrottleAddressesTable {
  address_key: string;
  window_start: Ts;
  failures: Generated<number>;
  last_attempt_at: Ts | null;
}
export interface SmsSurveysTable {
  id: Id;
  ticket_id: number;
  requester_id: number;
  sent_at: Ts;
  expires_at: Ts;
  status: Generated<'open' | 'answered' | 'superseded'>;
  answered_at: Ts | null;
  satisfaction: Satisfaction | null;
  contact_id: number | null;
}
/** 第九条: 0028 adds the handling (StaffComplaintHandling: status, finding, reply, referral). */
export interface StaffComplaintsTable extends StaffComplaintHandling {
  id: Id;
  ticket_id: number;
  against_unit_id: number | null;
  against_staff: string | null;
  content: string;
  created_at: Ts;
}
export interface OutboundMessagesTable {
  id: Id;
  channel: 'sms' | 'wechat' | 'weibo';
  to_enc: string;
  purpose: string;
  body: string;
  ticket_id: number | null;
  contact_id: number | null;
  status: Generated<'pending' | 'sending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: Ts;
  sent_at: Ts | null;
  next_attempt_at: Generated<Date | null>;
  lease_until: Generated<Date | null>;
  provider_id: Generated<string | null>;
}

export interface DB
  extends
    KnowledgeTables,
    SharingTables,
    HealthTables,
    AuthTables,
    PiiKeyTables,
    ReferralTables,
    SupervisionTables,
    AssessmentTables,
    ClassificationTables,
    PresenceTables,
    SavedViewTables,
    CallbackTables,
    DisclosureTables,
    MatterTables,
    UnitWorkflowTables,
    GridTables,
    WorkFileTables,
    WarningTables,
    NotificationTables,
    SubDispatchTables {
  contacts: ContactsTable;
  attachments: AttachmentsTable;
  ticket_requesters: TicketRequestersTable;
  requester_flags: RequesterFlagsTable;
  evaluations: EvaluationsTable;
  staff_complaints: StaffComplaintsTable;
  outbound_messages: OutboundMessagesTable;
  sms_surveys: SmsSurveysTable;
  rate_limit_windows: RateLimitWindowsTable;
  login_throttle_accounts: LoginThrottleAccountsTable;
  login_throttle_addresses: LoginThrottleAddressesTable;
  regions: RegionsTable;
  units: UnitsTable;
  unit_regions: UnitRegionsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  categories: CategoriesTable;
  catalogue_rules: CatalogueRulesTable;
  calendar_days: CalendarDaysTable;
  calendar_years: CalendarYearsTable;
  time_limits: TimeLimitsTable;
  requesters: RequestersTable;
  ticket_number_counters: TicketNumberCountersTable;
  tickets: TicketsTable;
  ticket_assignments: TicketAssignmentsTable;
  ticket_events: TicketEventsTable;
  applications: ApplicationsTable;
  consultations: ConsultationsTable;
  callbacks: CallbacksTable;
  deadlines: DeadlinesTable;
  pii_access_log: PiiAccessLogTable;
  admin_audit: AdminAuditTable;
  reply_contact_policy: ReplyContactPolicyTable;
}

export type Ticket = Selectable<TicketsTable>;
export type NewTicket = Insertable<TicketsTable>;
export type Unit = Selectable<UnitsTable>;
export type User = Selectable<UsersTable>;
export type Deadline = Selectable<DeadlinesTable>;
export type Application = Selectable<ApplicationsTable>;
export type Assignment = Selectable<TicketAssignmentsTable>;
