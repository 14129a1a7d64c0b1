// 第十二、十八条: the web's calls for searching and answering with the knowledge base, flags, synonyms, figures
// and the portal's self-service. Request shapes are the shared zod contracts' input types.
import type { z } from 'zod';
import type { FLAG_REASONS, knowledgeFlagBody } from '../../shared/contracts/knowledge-answering';
import { http } from './client';

export type FlagReason = (typeof FLAG_REASONS)[number];
export type KnowledgeFlagInput = z.input<typeof knowledgeFlagBody>;

export interface PolicyBasis {
  document: string;
  number?: string | null;
  clause?: string | null;
}

/** An article as staff see it in a search: the internal answer included. */
export interface KnowledgeHit {
  id: number;
  versionId: number;
  title: string;
  aliases: string[];
  shortAnswer: string;
  answer: string;
  visibility: 'internal' | 'public';
  ownerUnit: { id: number; name: string };
  policyBasis: PolicyBasis[];
  categoryIds: number[];
  regionCodes: string[];
  effectiveFrom: string;
  expiresOn: string | null;
  reviewedAt: string | null;
  stale: boolean;
  useCount: number;
  openFlagCount: number;
}

export interface KnowledgeFlag {
  id: number;
  articleId: number;
  articleTitle: string | null;
  ownerUnit: { id: number; name: string };
  versionId: number | null;
  reason: FlagReason;
  reasonLabel: string;
  note: string | null;
  contactId: number | null;
  raisedBy: string;
  raisedAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
}

export interface SynonymGroup {
  id: number;
  terms: string[];
  active: boolean;
  updatedAt: string;
  updatedBy: string | null;
}

export interface ArticleFigure {
  articleId: number;
  title: string;
  ownerUnit: string;
  status: string;
  openFlags: number;
  uses: number;
  shareOfAnswered: number | null;
  flags: number;
  portalViews: number;
  helpfulYes: number;
  helpfulNo: number;
  topHits: number;
}
export interface KnowledgeFigures {
  from: string;
  to: string;
  total: {
    disposed: number;
    answered: number;
    withArticle: number;
    directAnswerRate: number | null;
    articleRate: number | null;
  };
  daily: Array<{
    day: string;
    disposed: number;
    answered: number;
    withArticle: number;
    directAnswerRate: number | null;
  }>;
  agents: Array<{
    agentId: number;
    name: string;
    disposed: number;
    answered: number;
    withArticle: number;
    directAnswerRate: number | null;
  }>;
  mostUsed: ArticleFigure[];
  mostFlagged: ArticleFigure[];
  portal: { views: number; helpfulYes: number; helpfulNo: number };
  searches: Record<'agent' | 'auto' | 'portal', { searches: number; zeroResults: number }>;
  unanswered: Array<{ query: string; count: number; lastAt: string; sources: string[] }>;
}

export interface PublicKnowledgeHit {
  id: number;
  title: string;
  excerpt: string;
  ownerUnit: string;
  updatedOn: string;
}
export interface PublicKnowledgeArticle {
  id: number;
  title: string;
  answer: string | null;
  ownerUnit: string;
  policyBasis: Array<{ document: string; number: string | null; clause: string | null }>;
  updatedOn: string;
  attachments: Array<{ id: number; name: string; mime: string; size: number; url: string }>;
}

export const knowledgeApi = {
  search: (q: { q: string; categoryId?: number; regionCode?: string; limit?: number }) =>
    http.get<{ items: KnowledgeHit[] }>('/api/knowledge/search', q),
  suggest: (body: { text: string; categoryId?: number; regionCode?: string; limit?: number }) =>
    http.post<{ items: KnowledgeHit[] }>('/api/knowledge/suggestions', body),
  flag: (articleId: number, body: KnowledgeFlagInput) =>
    http.post<{ id: number }>(`/api/knowledge/articles/${articleId}/flags`, body),
  flags: (p: { status: 'open' | 'resolved'; before?: number | null; limit?: number }) =>
    http.get<{ items: KnowledgeFlag[]; next: number | null }>('/api/knowledge/flags', {
      status: p.status,
      before: p.before,
      limit: p.limit ?? 50,
    }),
  resolveFlag: (id: number, resolution: string) =>
    http.post<{ id: number }>(`/api/knowledge/flags/${id}/resolve`, { resolution }),
  synonyms: () => http.get<{ items: SynonymGroup[] }>('/api/knowledge/synonyms'),
  createSynonyms: (terms: string[]) => http.post<SynonymGroup>('/api/knowledge/synonyms', { terms }),
  updateSynonyms: (id: number, body: { terms?: string[]; active?: boolean }) =>
    http.patch<SynonymGroup>(`/api/knowledge/synonyms/${id}`, body),
  figures: (from: string, to: string) => http.get<KnowledgeFigures>('/api/knowledge/figures', { from, to }),
  public: {
    search: (q: string, categoryId?: number) =>
      http.get<{ items: PublicKnowledgeHit[] }>('/api/public/knowledge/search', { q, categoryId }),
    article: (id: number) => http.get<PublicKnowledgeArticle>(`/api/public/knowledge/articles/${id}`),
    feedback: (id: number, helpful: boolean) =>
      http.post<{ recorded: boolean }>(`/api/public/knowledge/articles/${id}/feedback`, { helpful }),
  },
};
