import { sql, type Kysely } from 'kysely';
import type { Clock } from '../../src/server/clock.js';
import type { DB } from '../../src/server/db/schema.js';
import type { KnowledgeVisibility, PolicyBasis } from '../../src/server/db/schema-knowledge.js';
import { knowledgeTokens } from '../../src/server/domain/knowledge-text.js';

export interface ArticleSpec {
  ownerUnitId: number;
  title: string;
  aliases?: string[];
  answer?: string;
  shortAnswer?: string;
  publicAnswer?: string | null;
  visibility?: KnowledgeVisibility;
  policyBasis?: PolicyBasis[];
  categoryIds?: number[];
  regionCodes?: string[];
  effectiveFrom?: string;
  expiresOn?: string | null;
  reviewedAt?: Date | null;
  reviewCycleDays?: number;
  status?: 'published' | 'withdrawn' | 'draft';
  useCount?: number;
}

/**
 * A published article as publishing leaves it (a version in state published and the article's copy of it with
 * its search tokens), written directly: the answering side's tests do not depend on the authoring workflow.
 */
export async function insertPublishedArticle(db: Kysely<DB>, clock: Clock, spec: ArticleSpec) {
  const [row] = await insertPublishedArticles(db, clock, [spec]);
  return row!;
}

/** The bulk form (benchmarks): one multi-row insert per table. */
export async function insertPublishedArticles(db: Kysely<DB>, clock: Clock, specs: ArticleSpec[]) {
  const now = clock.now();
  const filled = specs.map((s) => ({
    ...s,
    aliases: s.aliases ?? [],
    answer: s.answer ?? `${s.title}：请按相关规定办理。`,
    shortAnswer: s.shortAnswer ?? `${s.title}，详情请咨询主管部门。`,
    publicAnswer: s.publicAnswer ?? null,
    visibility: s.visibility ?? 'public',
    policyBasis: s.policyBasis ?? [],
    categoryIds: s.categoryIds ?? [],
    regionCodes: s.regionCodes ?? [],
    effectiveFrom: s.effectiveFrom ?? '2024-01-01',
    expiresOn: s.expiresOn ?? null,
    reviewedAt: s.reviewedAt === undefined ? now : s.reviewedAt,
    reviewCycleDays: s.reviewCycleDays ?? 180,
    status: s.status ?? 'published',
  }));
  const tokens = filled.map((s) =>
    knowledgeTokens({
      title: s.title,
      aliases: s.aliases,
      answer: s.answer,
      shortAnswer: s.shortAnswer,
      publicAnswer: s.publicAnswer,
    }),
  );
  return db.transaction().execute(async (trx) => {
    // the article with its published copy first, its version next, then the link (one statement per table)
    const articles = await trx
      .insertInto('knowledge_articles')
      .values(
        filled.map((s, i) => {
          const draft = s.status === 'draft';
          return {
            owner_unit_id: s.ownerUnitId,
            status: s.status,
            latest_version_no: 1,
            review_cycle_days: s.reviewCycleDays,
            title: draft ? null : s.title,
            aliases: draft ? [] : s.aliases,
            answer: draft ? null : s.answer,
            short_answer: draft ? null : s.shortAnswer,
            public_answer: draft ? null : s.publicAnswer,
            visibility: s.visibility,
            category_ids: s.categoryIds,
            region_codes: s.regionCodes,
            effective_from: draft ? null : s.effectiveFrom,
            expires_on: draft ? null : s.expiresOn,
            published_at: draft ? null : now,
            reviewed_at: draft ? null : s.reviewedAt,
            title_tokens: draft ? null : tokens[i]!.titleTokens,
            body_tokens: draft ? null : tokens[i]!.bodyTokens,
            use_count: s.useCount ?? 0,
            // 0019: the authoring lists read the working copy's title and state
            working_title: s.title,
            working_state: s.status,
            created_at: now,
            updated_at: now,
          };
        }),
      )
      .returning('id')
      .execute();
    const versions = await trx
      .insertInto('knowledge_versions')
      .values(
        filled.map((s, i) => ({
          article_id: articles[i]!.id,
          version_no: 1,
          state: s.status === 'draft' ? ('draft' as const) : ('published' as const),
          title: s.title,
          aliases: s.aliases,
          answer: s.answer,
          short_answer: s.shortAnswer,
          public_answer: s.publicAnswer,
          visibility: s.visibility,
          policy_basis: JSON.stringify(s.policyBasis),
          category_ids: s.categoryIds,
          region_codes: s.regionCodes,
          effective_from: s.effectiveFrom,
          expires_on: s.expiresOn,
          change_reason: '测试数据',
          source: 'seed' as const,
          created_at: now,
          reviewed_at: s.reviewedAt,
        })),
      )
      .returning(['id', 'article_id'])
      .execute();
    const first = articles[0]!.id;
    const last = articles[articles.length - 1]!.id;
    await sql`UPDATE knowledge_articles a SET published_version_id = v.id FROM knowledge_versions v
      WHERE v.article_id = a.id AND a.id BETWEEN ${first} AND ${last} AND a.status <> 'draft'`.execute(trx);
    return articles.map((a, i) => ({ id: a.id, versionId: versions[i]!.id }));
  });
}
