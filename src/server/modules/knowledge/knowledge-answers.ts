import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { localDateOf } from '../../domain/calendar.js';
import { AppError } from '../../errors.js';
import { countArticle, countDisposition } from './knowledge-figures.repository.js';
import { articleInForce } from './knowledge-search.repository.js';

/**
 * 第十二条 在线答复 with an article: the article's CURRENT published version, which must be in force today, is
 * what answered the contact; its use is counted. In the disposition's transaction.
 */
export async function answerWithArticle(trx: Kysely<DB>, articleId: number, now: Date) {
  const today = localDateOf(now);
  const a = await articleInForce(trx, articleId, today, false);
  if (!a || a.published_version_id === null)
    throw new AppError('unprocessable', '该知识已下架或已过期', { field: 'knowledgeArticleId' });
  await trx
    .updateTable('knowledge_articles')
    .set({ use_count: sql`use_count + 1` })
    .where('id', '=', articleId)
    .execute();
  await countArticle(trx, today, articleId, 'uses');
  return { articleId, versionId: a.published_version_id, shortAnswer: a.short_answer ?? '' };
}

/**
 * 第十二条 直接答复率: every disposition an agent gives is counted once, in its transaction — disposed, answered
 * online, answered with an article — for the agent and the local day.
 */
export async function countAgentDisposition(
  trx: Kysely<DB>,
  x: { at: Date; agentId: number; disposition: string; withArticle: boolean },
) {
  await countDisposition(trx, {
    day: localDateOf(x.at),
    agentId: x.agentId,
    answered: x.disposition === 'answered',
    withArticle: x.disposition === 'answered' && x.withArticle,
  });
}
