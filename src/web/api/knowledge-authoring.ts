// 第十八条: the web's calls for writing the knowledge base — units draft and update their articles, their managers
// approve, the centre's knowledge reviewer publishes; versions, compare, notices, settings, freshness.
// Request shapes are the shared zod contracts' input types; answers mirror knowledge-articles.query.ts.
import type { z } from 'zod';
import type {
  createArticleBody,
  listArticlesQuery,
  settingsBody,
  updateArticleBody,
} from '../../shared/contracts/knowledge';
import { http, upload } from './client';
import type { PolicyBasis } from './knowledge-answering';

export type CreateArticleInput = z.input<typeof createArticleBody>;
export type UpdateArticleInput = z.input<typeof updateArticleBody>;
export type ListArticlesInput = Partial<z.input<typeof listArticlesQuery>>;
export type KnowledgeSettings = z.input<typeof settingsBody> & { updatedAt?: string | null };

export type VersionState =
  'draft' | 'unit_review' | 'centre_review' | 'published' | 'returned' | 'superseded' | 'discarded';
export type WorkingState = 'draft' | 'unit_review' | 'centre_review' | 'published' | 'returned' | 'withdrawn';
export type ArticleStatus = 'draft' | 'published' | 'withdrawn';
export type Freshness =
  'not_published' | 'withdrawn' | 'expired' | 'not_yet_in_force' | 'stale' | 'expiring' | 'current';
export type KnowledgeAction =
  'edit' | 'submit' | 'approve' | 'return' | 'publish' | 'discard' | 'withdraw' | 'request_withdraw' | 'confirm_valid';

export interface ArticleListItem {
  id: number;
  ownerUnitId: number;
  ownerUnitName: string;
  externalId: string | null;
  title: string;
  publishedTitle: string | null;
  status: ArticleStatus;
  workingState: WorkingState;
  visibility: 'internal' | 'public' | null;
  categoryIds: number[] | null;
  effectiveFrom: string | null;
  expiresOn: string | null;
  publishedAt: string | null;
  reviewedAt: string | null;
  reviewCycleDays: number;
  updatedAt: string;
  lockVersion: number;
  openFlagCount: number;
  useCount: number;
  versionCount: number;
  withdrawRequested: boolean;
  freshness: Freshness;
}

export interface ArticleVersion {
  id: number;
  articleId: number;
  versionNo: number;
  state: VersionState;
  title: string;
  aliases: string[];
  answer: string;
  shortAnswer: string;
  publicAnswer: string | null;
  visibility: 'internal' | 'public';
  policyBasis: PolicyBasis[];
  categoryIds: number[];
  regionCodes: string[];
  effectiveFrom: string;
  expiresOn: string | null;
  policyChangedOn: string | null;
  attachmentIds: number[];
  changeReason: string;
  source: string;
  sourceTicketId: number | null;
  authorName: string | null;
  createdAt: string;
  submittedAt: string | null;
  unitApprovedBy: string | null;
  unitApprovedAt: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
  reviewNote: string | null;
}

export interface VersionSummary {
  id: number;
  versionNo: number;
  state: VersionState;
  title: string;
  changeReason: string;
  source: string;
  authorName: string | null;
  createdAt: string;
  reviewNote: string | null;
}

export interface ArticleEvent {
  id: number;
  action: string;
  versionId: number | null;
  actorName: string | null;
  note: string | null;
  data: unknown;
  at: string;
}

export interface KnowledgeAttachment {
  id: number;
  mime: string;
  size: number;
  name: string;
  createdAt?: string;
}

export interface ArticleDetail {
  id: number;
  ownerUnitId: number;
  ownerUnitName: string;
  externalId: string | null;
  status: ArticleStatus;
  workingState: WorkingState;
  workingTitle: string;
  lockVersion: number;
  reviewCycleDays: number;
  publishedAt: string | null;
  reviewedAt: string | null;
  useCount: number;
  openFlagCount: number;
  freshness: Freshness;
  staleFrom: string | null;
  withdrawRequest: { at: string; by: string | null; reason: string | null } | null;
  published: ArticleVersion | null;
  pending: ArticleVersion | null;
  versions: VersionSummary[];
  events: ArticleEvent[];
  attachments: KnowledgeAttachment[];
  openFlags: Array<{
    id: number;
    reason: string;
    note: string | null;
    raisedAt: string;
    raisedBy: string;
    versionId: number | null;
  }>;
  allowedActions: KnowledgeAction[];
}

export interface ArticleState {
  id: number;
  lockVersion: number;
  status: ArticleStatus;
  workingState: WorkingState;
  publishedVersionId: number | null;
  pendingVersionId: number | null;
  versionId?: number;
}

export type TextSegment = { op: 'equal' | 'insert' | 'delete'; text: string };
export type FieldDiff =
  | { field: string; kind: 'text'; changed: boolean; segments: TextSegment[] }
  | { field: string; kind: 'list'; changed: boolean; added: string[]; removed: string[]; kept: string[] }
  | { field: string; kind: 'value'; changed: boolean; from: string | null; to: string | null };
export interface VersionCompare {
  from: { id: number; versionNo: number; state: VersionState };
  to: { id: number; versionNo: number; state: VersionState };
  fields: FieldDiff[];
}

export interface ReviewQueueItem {
  articleId: number;
  ownerUnitId: number;
  ownerUnitName: string;
  title: string;
  status: ArticleStatus;
  workingState: WorkingState;
  lockVersion: number;
  publishedVersionId: number | null;
  pendingVersionId: number | null;
  versionNo: number | null;
  changeReason: string | null;
  source: string | null;
  submittedAt: string | null;
  withdrawRequested: boolean;
  withdrawReason: string | null;
  kind: 'withdraw' | 'version';
}

export interface KnowledgeNotice {
  id: number;
  articleId: number;
  articleTitle: string;
  kind: string;
  message: string;
  createdAt: string;
  readAt: string | null;
}

export interface UnitFreshness {
  unitId: number;
  unitName: string;
  published: number;
  current: number;
  stale: number;
  expired: number;
  shareCurrent: number | null;
  medianDaysPolicyToUpdate: number | null;
  updatesMeasured: number;
}
export interface FreshnessFigure {
  asOf: string;
  settings: { expiryNoticeDays: number; defaultReviewCycleDays: number; staleGraceDays: number };
  units: UnitFreshness[];
}

const A = '/api/knowledge';

export const authoringApi = {
  list: (q: ListArticlesInput) =>
    http.get<{ items: ArticleListItem[]; nextCursor: string | null }>(`${A}/articles`, q as Record<string, string>),
  detail: (id: number) => http.get<ArticleDetail>(`${A}/articles/${id}`),
  create: (body: CreateArticleInput) => http.post<ArticleState & { versionId: number }>(`${A}/articles`, body),
  update: (id: number, body: UpdateArticleInput) =>
    http.put<ArticleState & { versionId: number }>(`${A}/articles/${id}`, body),
  /** submit, approve, publish, discard, confirm-valid: a note is optional */
  step: (
    id: number,
    action: 'submit' | 'approve' | 'publish' | 'discard' | 'confirm-valid',
    lockVersion: number,
    note?: string,
  ) => http.post<ArticleState>(`${A}/articles/${id}/${action}`, { lockVersion, note: note || undefined }),
  /** return and withdraw (or ask to withdraw): a reason is required */
  withReason: (id: number, action: 'return' | 'withdraw', lockVersion: number, reason: string) =>
    http.post<ArticleState & { withdrawRequested?: boolean }>(`${A}/articles/${id}/${action}`, {
      lockVersion,
      reason,
    }),
  version: (id: number) => http.get<ArticleVersion>(`${A}/versions/${id}`),
  compare: (articleId: number, from: number, to: number) =>
    http.get<VersionCompare>(`${A}/articles/${articleId}/compare`, { from, to }),
  reviewQueue: () => http.get<{ items: ReviewQueueItem[] }>(`${A}/review-queue`),
  notices: (q: { unread?: 'true' | 'false'; before?: number | null; limit?: number }) =>
    http.get<{ items: KnowledgeNotice[]; nextBefore: number | null }>(`${A}/notices`, q),
  markNoticeRead: (id: number) => http.post<{ id: number; read: boolean }>(`${A}/notices/${id}/read`),
  settings: () => http.get<KnowledgeSettings>(`${A}/settings`),
  saveSettings: (b: z.input<typeof settingsBody>) => http.put<KnowledgeSettings>(`${A}/settings`, b),
  freshness: () => http.get<FreshnessFigure>(`${A}/freshness`),
  uploadAttachment: (articleId: number, name: string, dataBase64: string, onProgress?: (p: number) => void) =>
    upload<KnowledgeAttachment & { attachedToDraft: boolean; lockVersion: number }>(
      `${A}/articles/${articleId}/attachments`,
      { name, dataBase64 },
      onProgress,
    ),
  attachmentUrl: (id: number) => `${A}/attachments/${id}`,
  proposeFromTicket: (ticketId: number, articleId?: number) =>
    http.post<ArticleState & { versionId: number }>(
      `${A}/proposals/from-ticket/${ticketId}`,
      articleId ? { articleId } : {},
    ),
};
