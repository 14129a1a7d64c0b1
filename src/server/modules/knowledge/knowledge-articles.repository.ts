import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { KnowledgeArticlesTable, KnowledgeVersionsTable } from '../../db/schema-knowledge.js';
import type { ArticleContent } from '../../../shared/contracts/knowledge.js';
import { knowledgeTokens } from '../../domain/knowledge-text.js';

// 第十八条 知识库: the rows of articles, versions and their events. Writes take a transaction from the service (one
// step = one transaction with its event row).

export type ArticleRow = Selectable<KnowledgeArticlesTable>;
export type VersionRow = Selectable<KnowledgeVersionsTable>;
type Db = Kysely<DB>;

/** The article's columns without the generated tsvector (never sent anywhere). */
export const ARTICLE_COLUMNS = [
  'id',
  'owner_unit_id',
  'external_id',
  'status',
  'published_version_id',
  'pending_version_id',
  'latest_version_no',
  'lock_version',
  'review_cycle_days',
  'title',
  'aliases',
  'answer',
  'short_answer',
  'public_answer',
  'visibility',
  'category_ids',
  'region_codes',
  'effective_from',
  'expires_on',
  'published_at',
  'reviewed_at',
  'policy_changed_on',
  'title_tokens',
  'body_tokens',
  'use_count',
  'open_flag_count',
  'created_at',
  'created_by',
  'updated_at',
  'working_title',
  'working_state',
  'withdraw_requested_at',
  'withdraw_requested_by',
  'withdraw_reason',
] as const;
export type Article = Omit<ArticleRow, 'search_vector'>;

export async function findArticle(db: Db, id: number): Promise<Article | undefined> {
  return db.selectFrom('knowledge_articles').select(ARTICLE_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** The row locked for this transaction: a concurrent step waits, then sees the new lock_version. */
export async function lockArticle(db: Db, id: number): Promise<Article | undefined> {
  return db
    .selectFrom('knowledge_articles')
    .select(ARTICLE_COLUMNS)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function findVersion(db: Db, id: number): Promise<VersionRow | undefined> {
  return db.selectFrom('knowledge_versions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The version rows to write for a content: the same mapping for a person's edit, a push and a proposal. */
export function versionContent(c: ArticleContent) {
  return {
    title: c.title,
    aliases: c.aliases ?? [],
    answer: c.answer,
    short_answer: c.shortAnswer,
    public_answer: c.publicAnswer ?? null,
    visibility: c.visibility,
    policy_basis: JSON.stringify(
      (c.policyBasis ?? []).map((p) => ({ document: p.document, number: p.number ?? null, clause: p.clause ?? null })),
    ),
    category_ids: [...new Set(c.categoryIds ?? [])],
    region_codes: [...new Set(c.regionCodes ?? [])],
    effective_from: c.effectiveFrom,
    expires_on: c.expiresOn ?? null,
    policy_changed_on: c.policyChangedOn ?? null,
  };
}

/** A version as the content contract (for comparing a push with what is there, and for prefilling a form). */
export function contentOf(v: VersionRow): ArticleContent {
  return {
    title: v.title,
    aliases: v.aliases,
    answer: v.answer,
    shortAnswer: v.short_answer,
    publicAnswer: v.public_answer,
    visibility: v.visibility,
    policyBasis: v.policy_basis.map((p) => ({
      document: p.document,
      number: p.number ?? null,
      clause: p.clause ?? null,
    })),
    categoryIds: v.category_ids,
    regionCodes: v.region_codes,
    effectiveFrom: v.effective_from,
    expiresOn: v.expires_on,
    policyChangedOn: v.policy_changed_on,
    attachmentIds: v.attachment_ids,
  };
}

export async function insertVersion(
  db: Db,
  row: ReturnType<typeof versionContent> & {
    article_id: number;
    version_no: number;
    state: VersionRow['state'];
    change_reason: string;
    author_id: number | null;
    source: 'person' | 'push' | 'ticket_reply' | 'seed';
    source_ticket_id?: number | null;
    created_at: Date;
    submitted_at?: Date | null;
    unit_approved_by?: number | null;
    unit_approved_at?: Date | null;
    attachment_ids: number[];
  },
): Promise<VersionRow> {
  return db.insertInto('knowledge_versions').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function insertEvent(
  db: Db,
  e: {
    article_id: number;
    version_id: number | null;
    action: string;
    actor_id: number | null;
    note?: string | null;
    data?: Record<string, unknown>;
    at: Date;
  },
): Promise<void> {
  await db
    .insertInto('knowledge_events')
    .values({ ...e, note: e.note ?? null, data: JSON.stringify(e.data ?? {}) })
    .execute();
}

/** Copies a version into the article's published copy with its search tokens (what the search reads, knowledge-search.repository.ts). */
export function publishedCopy(v: VersionRow, now: Date) {
  const tokens = knowledgeTokens({
    title: v.title,
    aliases: v.aliases,
    answer: v.answer,
    shortAnswer: v.short_answer,
    publicAnswer: v.public_answer,
  });
  return {
    status: 'published' as const,
    published_version_id: v.id,
    title: v.title,
    aliases: v.aliases,
    answer: v.answer,
    short_answer: v.short_answer,
    public_answer: v.public_answer,
    visibility: v.visibility,
    category_ids: v.category_ids,
    region_codes: v.region_codes,
    effective_from: v.effective_from,
    expires_on: v.expires_on,
    policy_changed_on: v.policy_changed_on,
    published_at: now,
    reviewed_at: now,
    title_tokens: tokens.titleTokens,
    body_tokens: tokens.bodyTokens,
  };
}

export async function insertNotice(
  db: Db,
  n: {
    unit_id: number;
    article_id: number;
    kind: 'published' | 'returned' | 'expiring' | 'expired' | 'stale';
    cause_key: string;
    message: string;
    created_at: Date;
  },
): Promise<boolean> {
  const r = await db
    .insertInto('knowledge_notices')
    .values(n)
    .onConflict((oc) => oc.columns(['article_id', 'kind', 'cause_key']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** The Asia/Shanghai date of an instant column, in SQL (UTC+08:00 all year; no time-zone database needed). */
export const shanghaiDate = (column: string) =>
  sql<string>`((${sql.ref(column)} AT TIME ZONE 'UTC') + interval '8 hours')::date`;

/**
 * 第十二条: the article an agent answers with — for 在线答复. Only a published article in force today
 * (effective_from ≤ today < expires_on); `today` is the caller's clock day (YYYY-MM-DD, Asia/Shanghai).
 */
export async function publishedArticleForUse(
  db: Db,
  articleId: number,
  today?: string,
): Promise<
  { id: number; versionId: number; title: string; shortAnswer: string; answer: string; ownerUnitId: number } | undefined
> {
  const day = today
    ? sql<string>`${today}::date`
    : sql<string>`((now() AT TIME ZONE 'UTC') + interval '8 hours')::date`;
  const r = await db
    .selectFrom('knowledge_articles')
    .select(['id', 'published_version_id', 'title', 'short_answer', 'answer', 'owner_unit_id'])
    .where('id', '=', articleId)
    .where('status', '=', 'published')
    .where(sql<boolean>`effective_from <= ${day} AND (expires_on IS NULL OR expires_on > ${day})`)
    .executeTakeFirst();
  if (!r || r.published_version_id === null) return undefined;
  return {
    id: r.id,
    versionId: r.published_version_id,
    title: r.title ?? '',
    shortAnswer: r.short_answer ?? '',
    answer: r.answer ?? '',
    ownerUnitId: r.owner_unit_id,
  };
}

export async function loadSettings(db: Db) {
  const s = await db.selectFrom('knowledge_settings').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  return {
    expiryNoticeDays: s.expiry_notice_days,
    defaultReviewCycleDays: s.default_review_cycle_days,
    staleGraceDays: s.stale_grace_days,
    updatedAt: s.updated_at,
    updatedBy: s.updated_by,
  };
}
