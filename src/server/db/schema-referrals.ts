import type { ColumnType, Generated } from 'kysely';
import type {
  ComplaintFinding,
  ComplaintStatus,
  ReferralStatus,
  ReferralSubjectKind,
} from '../../shared/domain/referrals.js';

// Kysely types of migration 0028 (第二十三、三十二条 referrals; 第九条 the handling of complaints about staff).
type Id = Generated<number>;
type Ts = ColumnType<Date, Date | string, Date | string>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface ReferralsTable {
  id: Id;
  centre_unit_id: number;
  region_prefix: string;
  subject_kind: ReferralSubjectKind;
  unit_id: number;
  staff: string | null;
  conducts: string[];
  facts: string;
  body_name: string;
  status: Generated<ReferralStatus>;
  transferred_at: Ts;
  /** `YYYY-MM-DD` (the DATE parser returns text) */
  accepted_on: Nullable<string>;
  accepted_note: Nullable<string>;
  result: Nullable<string>;
  result_on: Nullable<string>;
  complaint_id: Nullable<number>;
  created_by: number;
  created_at: Ts;
  updated_at: Ts;
  version: Generated<number>;
}
export interface ReferralTicketsTable {
  referral_id: number;
  ticket_id: number;
}
export interface ReferralEventsTable {
  id: Id;
  referral_id: number;
  action: string;
  from_status: string | null;
  to_status: string | null;
  note: string | null;
  actor_user_id: number | null;
  at: Ts;
}
export interface StaffComplaintStepsTable {
  id: Id;
  complaint_id: number;
  action: string;
  note: string | null;
  actor_user_id: number | null;
  at: Ts;
}

/** The columns 0028 adds to staff_complaints (schema.ts's StaffComplaintsTable extends this). */
export interface StaffComplaintHandling {
  status: Generated<ComplaintStatus>;
  assignee_id: Nullable<number>;
  finding: Nullable<ComplaintFinding>;
  finding_text: Nullable<string>;
  reply_text: Nullable<string>;
  reply_sms: Nullable<boolean>;
  replied_at: Nullable<Date>;
  closed_at: Nullable<Date>;
  referral_id: Nullable<number>;
  updated_at: Nullable<Date>;
  version: Generated<number>;
}

export interface ReferralTables {
  referrals: ReferralsTable;
  referral_tickets: ReferralTicketsTable;
  referral_events: ReferralEventsTable;
  staff_complaint_steps: StaffComplaintStepsTable;
}
