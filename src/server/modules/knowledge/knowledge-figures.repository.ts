import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { KnowledgeSearchSource } from '../../db/schema-knowledge.js';

// 第十二条 (直接答复率) and 第十八条: the rollups, each written in the caller's transaction together with the event
// it counts, one upsert of one (day, key) row. The figures read these and never count contacts or searches.

/** One agent's disposition of one contact: counted once, where the disposition is written (triage.service.ts). */
export async function countDisposition(
  trx: Kysely<DB>,
  x: { day: string; agentId: number; answered: boolean; withArticle: boolean },
) {
  const answered = x.answered ? 1 : 0;
  const withArticle = x.withArticle ? 1 : 0;
  await trx
    .insertInto('knowledge_agent_daily')
    .values({ day: x.day, agent_id: x.agentId, disposed: 1, answered, answered_with_article: withArticle })
    .onConflict((oc) =>
      oc.columns(['day', 'agent_id']).doUpdateSet({
        disposed: sql`knowledge_agent_daily.disposed + 1`,
        answered: sql`knowledge_agent_daily.answered + ${answered}`,
        answered_with_article: sql`knowledge_agent_daily.answered_with_article + ${withArticle}`,
      }),
    )
    .execute();
}

export type ArticleCounter = 'uses' | 'flags' | 'portal_views' | 'helpful_yes' | 'helpful_no' | 'top_hits';

/** One event of an article on a day (an answer given with it, a flag, a portal read, feedback, a best match). */
export async function countArticle(trx: Kysely<DB>, day: string, articleId: number, counter: ArticleCounter) {
  await trx
    .insertInto('knowledge_article_daily')
    .values({ day, article_id: articleId, [counter]: 1 })
    .onConflict((oc) =>
      oc
        .columns(['day', 'article_id'])
        .doUpdateSet({ [counter]: sql`knowledge_article_daily.${sql.ref(counter)} + 1` }),
    )
    .execute();
}

/**
 * One search: the day's count per source, and for a search that found nothing its (masked) query in the
 * unanswered list. Suggestions from a contact's own words (auto) are counted but their text is not kept.
 */
export async function countSearch(
  db: Kysely<DB>,
  x: {
    day: string;
    at: Date;
    source: KnowledgeSearchSource;
    results: number;
    topArticleId: number | null;
    storedQuery: string | null;
  },
) {
  const zero = x.results === 0 ? 1 : 0;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('knowledge_search_daily')
      .values({ day: x.day, source: x.source, searches: 1, zero_results: zero })
      .onConflict((oc) =>
        oc.columns(['day', 'source']).doUpdateSet({
          searches: sql`knowledge_search_daily.searches + 1`,
          zero_results: sql`knowledge_search_daily.zero_results + ${zero}`,
        }),
      )
      .execute();
    if (x.topArticleId !== null) await countArticle(trx, x.day, x.topArticleId, 'top_hits');
    if (zero && x.source !== 'auto' && x.storedQuery) {
      await trx
        .insertInto('knowledge_search_misses')
        .values({
          day: x.day,
          query_norm: x.storedQuery,
          sample: x.storedQuery,
          source: x.source,
          count: 1,
          first_at: x.at,
          last_at: x.at,
        })
        .onConflict((oc) =>
          oc.columns(['day', 'query_norm', 'source']).doUpdateSet({
            count: sql`knowledge_search_misses.count + 1`,
            last_at: x.at,
          }),
        )
        .execute();
    }
  });
}
