import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import type { DB } from '../../db/schema.js';
import { localDateOf } from '../../domain/calendar.js';
import { AppError } from '../../errors.js';
import { countArticle } from './knowledge-figures.repository.js';
import { articleDetails, articleInForce } from './knowledge-search.repository.js';
import { presentPublic, type KnowledgeSearchService } from './knowledge-search.service.js';

const NOT_FOUND = () => new AppError('not_found', '该知识不存在或已下架');

// 第十八条 公众自助: citizens search and read public articles (published, public, in force) without an account,
// before they submit a request. Only the public fields leave here (presentPublic); the internal answer never.
export class KnowledgePublicService {
  constructor(
    private readonly deps: { db: Kysely<DB>; clock: Clock },
    private readonly search: KnowledgeSearchService,
  ) {}

  async find(input: { q: string; categoryId?: number }) {
    const found = await this.search.find({
      q: input.q,
      categoryId: input.categoryId,
      limit: 10,
      publicOnly: true,
      source: 'portal',
    });
    return {
      items: found.map((d) => {
        const p = presentPublic(d);
        return {
          id: p.id,
          title: p.title,
          excerpt: excerpt(p.answer ?? ''),
          ownerUnit: p.ownerUnit,
          updatedOn: p.updatedOn,
        };
      }),
    };
  }

  /** One public article; its read counted for the day (figures). */
  async article(id: number) {
    const { db, clock } = this.deps;
    const now = clock.now();
    const today = localDateOf(now);
    if (!(await articleInForce(db, id, today, true))) throw NOT_FOUND();
    const [d] = await articleDetails(db, [id]);
    if (!d) throw NOT_FOUND();
    const files = d.attachmentIds.length
      ? await db
          .selectFrom('knowledge_attachments')
          .select(['id', 'original_name', 'mime', 'size'])
          .where('id', 'in', d.attachmentIds)
          .where('article_id', '=', id)
          .orderBy('id')
          .execute()
      : [];
    await countArticle(db, today, id, 'portal_views');
    return {
      ...presentPublic(d),
      attachments: files.map((f) => ({
        id: f.id,
        name: f.original_name,
        mime: f.mime,
        size: f.size,
        url: `/api/public/knowledge/attachments/${f.id}`,
      })),
    };
  }

  /** "这条答复是否解决了您的问题？" — a counter per article and day; nothing about who answered. */
  async feedback(id: number, helpful: boolean) {
    const { db, clock } = this.deps;
    const today = localDateOf(clock.now());
    if (!(await articleInForce(db, id, today, true))) throw NOT_FOUND();
    await countArticle(db, today, id, helpful ? 'helpful_yes' : 'helpful_no');
    return { recorded: true };
  }
}

function excerpt(text: string, max = 120) {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('');
}
