import type { ColumnType, Generated } from 'kysely';

// Table types of the knowledge base (0017-knowledge.ts is the source of truth).
type Id = Generated<number>;
type Ts = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;
/** A date column (no time): read as 'YYYY-MM-DD' text by the pg type parser set in database.ts, written as text. */
type Day = ColumnType<string, string, string>;

export type KnowledgeArticleStatus = 'draft' | 'published' | 'withdrawn';
export type KnowledgeVersionState =
  'draft' | 'unit_review' | 'centre_review' | 'published' | 'returned' | 'superseded' | 'discarded';
/** The state of the version being worked on, or 'published' / 'withdrawn' when none is (0019). */
export type KnowledgeWorkingState = 'draft' | 'unit_review' | 'centre_review' | 'published' | 'returned' | 'withdrawn';
export type KnowledgeVisibility = 'internal' | 'public';
export interface PolicyBasis {
  document: string;
  number?: string | null;
  clause?: string | null;
}

export interface KnowledgeSettingsTable {
  id: Generated<number>;
  expiry_notice_days: number;
  default_review_cycle_days: number;
  stale_grace_days: number;
  updated_at: Ts | null;
  updated_by: number | null;
}
export interface KnowledgeArticlesTable {
  id: Id;
  owner_unit_id: number;
  external_id: string | null;
  status: KnowledgeArticleStatus;
  published_version_id: number | null;
  pending_version_id: number | null;
  latest_version_no: Generated<number>;
  lock_version: Generated<number>;
  review_cycle_days: number;
  title: string | null;
  aliases: Generated<string[]>;
  answer: string | null;
  short_answer: string | null;
  public_answer: string | null;
  visibility: Generated<KnowledgeVisibility>;
  category_ids: Generated<number[]>;
  region_codes: Generated<string[]>;
  effective_from: Day | null;
  expires_on: Day | null;
  published_at: Ts | null;
  reviewed_at: Ts | null;
  policy_changed_on: Day | null;
  title_tokens: string | null;
  body_tokens: string | null;
  search_vector: ColumnType<string, never, never>;
  use_count: Generated<number>;
  open_flag_count: Generated<number>;
  created_at: Ts;
  created_by: number | null;
  updated_at: Ts;
  // 0019-knowledge-authoring
  working_title: Generated<string>;
  working_state: Generated<KnowledgeWorkingState>;
  withdraw_requested_at: Ts | null;
  withdraw_requested_by: number | null;
  withdraw_reason: string | null;
}
export interface KnowledgeVersionsTable {
  id: Id;
  article_id: number;
  version_no: number;
  state: KnowledgeVersionState;
  title: string;
  aliases: Generated<string[]>;
  answer: string;
  short_answer: string;
  public_answer: string | null;
  visibility: KnowledgeVisibility;
  policy_basis: Json<PolicyBasis[]>;
  category_ids: Generated<number[]>;
  region_codes: Generated<string[]>;
  effective_from: Day;
  expires_on: Day | null;
  policy_changed_on: Day | null;
  change_reason: string;
  author_id: number | null;
  source: Generated<'person' | 'push' | 'ticket_reply' | 'seed'>;
  source_ticket_id: number | null;
  created_at: Ts;
  submitted_at: Ts | null;
  unit_approved_by: number | null;
  unit_approved_at: Ts | null;
  reviewed_by: number | null;
  reviewed_at: Ts | null;
  review_note: string | null;
  attachment_ids: Generated<number[]>;
}
export interface KnowledgeAttachmentsTable {
  id: Id;
  article_id: number;
  mime: string;
  size: number;
  sha256: string;
  storage_key: string;
  original_name: string;
  uploaded_by: number | null;
  created_at: Ts;
}
export interface KnowledgeEventsTable {
  id: Id;
  article_id: number;
  version_id: number | null;
  action: string;
  actor_id: number | null;
  note: string | null;
  data: Json<Record<string, unknown>>;
  at: Ts;
}
export interface KnowledgeNoticesTable {
  id: Id;
  unit_id: number;
  article_id: number;
  kind: 'expiring' | 'expired' | 'stale' | 'flagged' | 'returned' | 'published';
  cause_key: string;
  message: string;
  created_at: Ts;
  read_at: Ts | null;
  read_by: number | null;
}
export interface KnowledgeFlagsTable {
  id: Id;
  article_id: number;
  version_id: number | null;
  reason: 'wrong' | 'outdated' | 'unclear' | 'other';
  note: string | null;
  contact_id: number | null;
  raised_by: number;
  raised_at: Ts;
  resolved_by: number | null;
  resolved_at: Ts | null;
  resolution: string | null;
}
export interface KnowledgeSynonymsTable {
  id: Id;
  terms: string[];
  active: Generated<boolean>;
  updated_by: number | null;
  updated_at: Ts;
}

/** 0018-knowledge-usage.ts: rollups of how the knowledge base is used (第十二条 直接答复率). */
export interface KnowledgeAgentDailyTable {
  day: Day;
  agent_id: number;
  disposed: Generated<number>;
  answered: Generated<number>;
  answered_with_article: Generated<number>;
}
export interface KnowledgeArticleDailyTable {
  day: Day;
  article_id: number;
  uses: Generated<number>;
  flags: Generated<number>;
  portal_views: Generated<number>;
  helpful_yes: Generated<number>;
  helpful_no: Generated<number>;
  top_hits: Generated<number>;
}
export type KnowledgeSearchSource = 'agent' | 'auto' | 'portal';
export interface KnowledgeSearchDailyTable {
  day: Day;
  source: KnowledgeSearchSource;
  searches: Generated<number>;
  zero_results: Generated<number>;
}
export interface KnowledgeTermStatsTable {
  lexeme: string;
  ndoc: number;
  refreshed_at: Ts;
}
export interface KnowledgeSearchMissesTable {
  day: Day;
  query_norm: string;
  sample: string;
  source: 'agent' | 'portal';
  count: Generated<number>;
  first_at: Ts;
  last_at: Ts;
}

export interface KnowledgeTables {
  knowledge_settings: KnowledgeSettingsTable;
  knowledge_articles: KnowledgeArticlesTable;
  knowledge_versions: KnowledgeVersionsTable;
  knowledge_attachments: KnowledgeAttachmentsTable;
  knowledge_events: KnowledgeEventsTable;
  knowledge_notices: KnowledgeNoticesTable;
  knowledge_flags: KnowledgeFlagsTable;
  knowledge_synonyms: KnowledgeSynonymsTable;
  knowledge_agent_daily: KnowledgeAgentDailyTable;
  knowledge_article_daily: KnowledgeArticleDailyTable;
  knowledge_search_daily: KnowledgeSearchDailyTable;
  knowledge_search_misses: KnowledgeSearchMissesTable;
  knowledge_term_stats: KnowledgeTermStatsTable;
}
