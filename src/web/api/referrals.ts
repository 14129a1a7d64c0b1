// 第二十三、三十二条 问责移送 and 第九条 the handling of complaints about staff.
import type { z } from 'zod';
import type { referralCreateBody } from '../../shared/contracts/referrals';
import type {
  ComplaintAction,
  ComplaintFinding,
  ComplaintStatus,
  ReferralAction,
  ReferralConduct,
  ReferralStatus,
  ReferralSubjectKind,
} from '../../shared/domain/referrals';
import type { TicketStatus } from './types';
import { http } from './client';

export interface ReferralRow {
  id: number;
  subject_kind: ReferralSubjectKind;
  unit_id: number;
  unit_name: string;
  staff: string | null;
  conducts: string[];
  body_name: string;
  status: ReferralStatus;
  transferred_at: string;
  accepted_on: string | null;
  result_on: string | null;
  complaint_id: number | null;
  created_by_name: string;
  ticket_count: number;
}

export interface ReferralView {
  id: number;
  subjectKind: ReferralSubjectKind;
  unitId: number;
  unitName: string;
  staff: string | null;
  conducts: string[];
  facts: string;
  bodyName: string;
  status: ReferralStatus;
  version: number;
  transferredAt: string;
  acceptedOn: string | null;
  acceptedNote: string | null;
  result: string | null;
  resultOn: string | null;
  centreName: string;
  createdByName: string;
  allowedActions: ReferralAction[];
  tickets: Array<{
    id: number;
    number: string;
    title: string;
    status: TicketStatus;
    created_at: string;
    lead_unit_name: string | null;
  }>;
  events: Array<{
    id: number;
    action: string;
    from_status: string | null;
    to_status: string | null;
    note: string | null;
    at: string;
    actor_name: string | null;
  }>;
  complaint: { id: number; ticket_id: number; content: string; finding: ComplaintFinding | null } | null;
}

interface ApplicationRow {
  at: string;
  unitName: string | null;
  reason: string;
  status: string;
  reviewNote: string;
  decidedAt: string | null;
}
export interface EvidencePack {
  generatedAt: string;
  referral: { id: number; subject: string; unitName: string; conducts: string[]; facts: string; bodyName: string };
  tickets: Array<{
    id: number;
    number: string;
    title: string;
    content: string;
    status: string;
    createdAt: string;
    leadUnitName: string | null;
    requester: { name: string | null; phone: string | null } | null;
    timeline: Array<{ at: string; label: string; unitName: string | null; actorName: string | null; reason: string }>;
    returns: ApplicationRow[];
    disputes: ApplicationRow[];
    extensions: Array<ApplicationRow & { requestedDays: number | null }>;
    breaches: Array<{ kind: string; dueAt: string; breachedAt: string; metAt: string | null; unitName: string | null }>;
    callbacks: Array<{ at: string; satisfaction: string; resolved: boolean; outcome: string; note: string }>;
    evaluations: Array<{ at: string; satisfaction: string; via: string; comment: string }>;
  }>;
  supervisionCases: Array<{
    number: string;
    trigger: string;
    status: string;
    unitName: string | null;
    reason: string;
    createdAt: string;
    dueAt: string | null;
    answer: string;
    decision: string;
  }> | null;
  unitRecord: {
    complaints: Array<{ id: number; at: string; status: string; finding: string; content: string }>;
    referrals: Array<{ id: number; at: string; status: string; conducts: string[] }>;
  };
}

export interface ComplaintRow {
  id: number;
  ticket_id: number;
  ticket_number: string;
  against_unit_id: number | null;
  against_staff: string | null;
  content: string;
  status: ComplaintStatus;
  finding: ComplaintFinding | null;
  assignee_name: string | null;
  referral_id: number | null;
  created_at: string;
}
export interface ComplaintDetail extends ComplaintRow {
  ticket_title: string;
  against_unit_name: string | null;
  finding_text: string | null;
  reply_text: string | null;
  reply_sms: boolean | null;
  replied_at: string | null;
  closed_at: string | null;
  version: number;
  complainantPhone: string | null;
  allowedActions: ComplaintAction[];
  steps: Array<{ id: number; action: string; note: string | null; at: string; actor_name: string | null }>;
}

export interface ReferralsQuery {
  status?: ReferralStatus;
  conduct?: ReferralConduct;
  unitId?: number;
  from?: string;
  to?: string;
  before?: number;
  limit?: number;
}
export type ReferralCreate = z.input<typeof referralCreateBody>;

export const referralsApi = {
  list: (q: ReferralsQuery) =>
    http.get<ReferralRow[]>('/api/referrals', q as Record<string, string | number | undefined>),
  get: (id: number) => http.get<ReferralView>(`/api/referrals/${id}`),
  create: (body: ReferralCreate) => http.post<{ id: number }>('/api/referrals', body),
  accept: (id: number, body: { acceptedOn: string; note?: string; version: number }) =>
    http.post<{ status: ReferralStatus }>(`/api/referrals/${id}/accept`, body),
  conclude: (id: number, body: { result: string; resultOn: string; version: number }) =>
    http.post<{ status: ReferralStatus }>(`/api/referrals/${id}/conclude`, body),
  evidence: (id: number) => http.get<EvidencePack>(`/api/referrals/${id}/evidence`),
  evidencePdfUrl: (id: number) => `/api/referrals/${id}/evidence.pdf`,

  complaints: (status: ComplaintStatus | 'active' | 'all') =>
    http.get<ComplaintRow[]>('/api/staff-complaints', { status }),
  complaint: (id: number) => http.get<ComplaintDetail>(`/api/staff-complaints/${id}`),
  complaintStep: (id: number, step: Exclude<ComplaintAction, 'escalate' | 'note'> | 'notes', body: object) =>
    http.post<{ status: ComplaintStatus }>(`/api/staff-complaints/${id}/${step}`, body),
};
