// Response shapes of the intake, channel and public APIs as the web receives them. They mirror
// src/server/modules/intake/contacts.service.ts (presentContact, screenPop, history), duplicates.service.ts,
// triage.service.ts, abuse.service.ts, channels/cti.service.ts (the SSE screen pop) and public/tracking.service.ts.
import type { EmergencySuggestion, EmergencyLine } from '../../shared/domain/emergency';
import type { Satisfaction, TicketStatus } from './types';

export type { EmergencySuggestion, EmergencyLine };
export type Channel = 'phone' | 'sms' | 'wechat' | 'weibo' | 'web' | 'api';
export type DispositionKind =
  'answered' | 'transferred' | 'redirected' | 'repeat' | 'explained' | 'admonished' | 'not_accepted' | 'dispatched';

export interface Contact {
  id: number;
  channel: Channel;
  externalId: string | null;
  receivedAt: string;
  requesterId: number | null;
  content: string;
  meta: Record<string, unknown> | null;
  status: 'new' | 'disposed';
  disposition: DispositionKind | null;
  replyText: string | null;
  ticketId: number | null;
  emergencySuggestion: EmergencyLine | null;
}

/** 第九条: a picture, voice message, video or document sent with a contact; bytes at /api/attachments/:id. */
export interface AttachmentInfo {
  id: number;
  kind: 'image' | 'audio' | 'video' | 'document';
  mime: string;
  size: number;
  name: string | null;
  createdAt: string;
  contactId: number | null;
}

export interface RecordedContact {
  id: number;
  duplicate: boolean;
  requesterId: number | null;
  emergency: EmergencySuggestion | null;
}

export interface HistoryTicket {
  id: number;
  number: string;
  title: string;
  status: TicketStatus;
  statusLabel: string;
  createdAt: string;
  mergedIntoId: number | null;
}
export interface HistoryContact {
  id: number;
  channel: Channel;
  receivedAt: string;
  content: string;
  disposition: DispositionKind | null;
  ticketId: number | null;
  surveyAnswer: boolean;
}
export interface RequesterHistory {
  contacts: HistoryContact[];
  tickets: HistoryTicket[];
}

export type FlagKind = 'repeated_contacts' | 'long_occupation' | 'harassment';
export interface RequesterFlag {
  id: number;
  requester_id: number;
  kind: FlagKind;
  detail: string;
  source: 'automatic' | 'agent';
  raised_by: number | null;
  contact_id: number | null;
  status: 'open' | 'warned' | 'dismissed';
  created_at: string;
  reviewed_at?: string | null;
  review_note?: string | null;
}

export type FlagStatus = 'open' | 'warned' | 'dismissed';
/** A flag as the admin reviews it (GET /api/requester-flags): the requester masked, with what set it off. */
export interface FlagForReview {
  id: number;
  kind: FlagKind;
  detail: string;
  source: 'automatic' | 'agent';
  status: FlagStatus;
  createdAt: string;
  raisedBy: string | null;
  requester: { id: number; label: string; masked: true; warnedBefore: number; flagsTotal: number };
  contact: { id: number; channel: Channel; receivedAt: string; excerpt: string; callSeconds: number | null } | null;
  review: { by: string | null; at: string; note: string | null } | null;
}
export interface FlagEvidence {
  id: number;
  channel: Channel;
  receivedAt: string;
  excerpt: string;
  callSeconds: number | null;
  disposition: DispositionKind | null;
  ticketId: number | null;
  isFlagged: boolean;
}
export interface FlagDetail extends FlagForReview {
  evidence: FlagEvidence[];
}

export interface ScreenPop {
  contact: Contact & { attachments: AttachmentInfo[]; textMasked: boolean };
  requester: { id: number; name: string | null; phone: string | null; masked: true } | null;
  history: RequesterHistory;
  flags: Array<Pick<RequesterFlag, 'id' | 'kind' | 'detail' | 'status' | 'created_at'>>;
  emergencySuggestion: EmergencySuggestion | null;
}

export interface DuplicateCandidate {
  id: number;
  number: string;
  title: string;
  excerpt: string;
  status: TicketStatus;
  statusLabel: string;
  categoryId: number;
  regionCode: string;
  address: string | null;
  createdAt: string;
  score: number;
  reasons: string[];
}

export interface DispositionResult {
  contactId: number;
  channel: string;
  disposition: DispositionKind;
  replyText: string;
  ticketId: number | null;
  ticketNumber: string | null;
  trackingCode: string | null;
}

/** `call.offered` on GET /api/channels/cti/stream. */
export interface CallOffered {
  contactId: number;
  callId: string;
  caller: string | null;
  callee: string;
  at: string;
  requesterId: number | null;
  history: null | {
    earlierContacts: number;
    openTickets: number;
    openFlags: number;
    tickets: Array<Pick<HistoryTicket, 'id' | 'number' | 'title' | 'status' | 'statusLabel'>>;
  };
}

export interface StaffComplaint {
  id: number;
  ticket_id: number;
  against_unit_id: number | null;
  against_staff: string | null;
  content: string;
  /** 第九条: the handling's status (0028); the screen reads api/referrals.ts ComplaintRow */
  status: 'open' | 'investigating' | 'concluded' | 'replied' | 'closed' | 'escalated';
  created_at: string;
}

// ── Public portal (no login)

/** GET /api/public/categories: the staff category tree's first two levels (issue 14). */
export interface PublicCategory {
  id: number;
  name: string;
  parentId: number | null;
}
/** GET /api/public/regions: counties/districts (parentCode null) and their towns/streets (issue 14). */
export interface PublicRegion {
  code: string;
  name: string;
  parentCode: string | null;
}
export interface FormToken {
  token: string;
  minFillSeconds: number;
  expiresInSeconds: number;
}
export interface PublicSubmission {
  reference: string;
  /** the 查询码 of the message (null when the same form was sent twice: the first answer had it) */
  code: string | null;
  duplicate: boolean;
  /** 第十三条(一): the message reads like an emergency — the portal tells the sender at once whom to call */
  emergency: { line: string; label: string } | null;
  message: string;
}
/** A portal message not yet a ticket, followed by its 留言编号 (issue 14). */
export interface MessageTracking {
  kind: 'message';
  reference: string;
  stage: { label: string; receivedAt: string; handledAt: string | null };
  emergencyLine: string | null;
  answer: { text: string; at: string | null } | null;
}
export interface Tracking {
  kind: 'ticket';
  /** set when followed by the 留言编号 of the message that became this ticket */
  reference?: string;
  nextStep: { label: string; dueAt: string } | null;
  number: string;
  mergedFrom: string | null;
  title: string;
  status: TicketStatus;
  statusLabel: string;
  createdAt: string;
  handlingUnit: string | null;
  timeline: Array<{ at: string; label: string }>;
  reply: { result: string; explanation: string | null; at: string | null } | null;
  evaluation: { satisfaction: Satisfaction; comment: string | null; at: string } | null;
  canEvaluate: boolean;
}

/** POST /api/contacts/:id/reveal: a contact's clear personal data, written to the access audit. */
export interface ContactPersonalData {
  name: string | null;
  phone: string | null;
  address: string | null;
  /** the words before phone, ID card and bank card numbers in them were masked; null when nothing was masked */
  originalMessage: string | null;
}
