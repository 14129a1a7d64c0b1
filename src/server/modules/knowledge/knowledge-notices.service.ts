import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import { addDays, dueNotices, shanghaiDay } from '../../domain/knowledge-workflow.js';
import { hasRole, UNIT_ROLES, type Actor } from '../auth/actor.js';
import * as repo from './knowledge-articles.repository.js';

// 第十八条: units keep their knowledge true and valid; the system tells the owner before an article expires
// (expiry_notice_days), on the day it expires, and when it has not been reviewed within its cycle.

const BATCH = 500;

/**
 * One pass of the notice job. Idempotent: each notice is unique per (article, kind, cause) — the expiry date, the
 * review date — so running it again, or on several schedulers at once, inserts nothing twice. Walks the published
 * articles due for a notice by id in batches (the expiry and review-date indexes bound the candidates).
 */
export async function sweepKnowledgeNotices(db: Kysely<DB>, clock: Clock) {
  const now = clock.now();
  const today = shanghaiDay(now);
  const settings = await repo.loadSettings(db);
  const horizon = addDays(today, settings.expiryNoticeDays);
  // the shortest review cycle is 7 days: nothing reviewed after this can be stale
  const reviewedBefore = new Date(now.getTime() - 6 * 86_400_000);
  const counts = { expiring: 0, expired: 0, stale: 0 };
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('knowledge_articles')
      .select([
        'id',
        'owner_unit_id',
        'title',
        'status',
        'effective_from',
        'expires_on',
        'reviewed_at',
        'review_cycle_days',
      ])
      .where('status', '=', 'published')
      .where('id', '>', after)
      .where((eb) => eb.or([eb('expires_on', '<=', horizon), eb('reviewed_at', '<', reviewedBefore)]))
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (!rows.length) break;
    after = rows[rows.length - 1]!.id;
    for (const r of rows) {
      const due = dueNotices(
        {
          status: r.status,
          title: r.title ?? '',
          effectiveFrom: r.effective_from,
          expiresOn: r.expires_on,
          reviewedOn: r.reviewed_at ? shanghaiDay(new Date(r.reviewed_at)) : null,
          reviewCycleDays: r.review_cycle_days,
        },
        settings,
        today,
      );
      for (const n of due) {
        const inserted = await repo.insertNotice(db, {
          unit_id: r.owner_unit_id,
          article_id: r.id,
          kind: n.kind,
          cause_key: n.causeKey,
          message: n.message,
          created_at: now,
        });
        if (inserted) counts[n.kind]++;
      }
    }
    if (rows.length < BATCH) break;
  }
  return counts;
}

export class KnowledgeNoticeService {
  constructor(readonly deps: { db: Kysely<DB>; clock: Clock }) {}

  private assertUnit(actor: Actor) {
    if (!hasRole(actor, ...UNIT_ROLES)) throw new AppError('forbidden', '知识库通知仅发送给承办单位');
  }

  /** The notices of my unit, newest first (keyset on id). */
  async list(actor: Actor, q: { unread?: 'true' | 'false'; before?: number; limit: number }) {
    this.assertUnit(actor);
    let s = this.deps.db
      .selectFrom('knowledge_notices as n')
      .innerJoin('knowledge_articles as a', 'a.id', 'n.article_id')
      .select(['n.id', 'n.article_id', 'a.working_title', 'n.kind', 'n.message', 'n.created_at', 'n.read_at'])
      .where('n.unit_id', '=', actor.unitId);
    if (q.unread === 'true') s = s.where('n.read_at', 'is', null);
    if (q.before) s = s.where('n.id', '<', q.before);
    const rows = await s
      .orderBy('n.id', 'desc')
      .limit(q.limit + 1)
      .execute();
    const page = rows.slice(0, q.limit);
    return {
      items: page.map((r) => ({
        id: r.id,
        articleId: r.article_id,
        articleTitle: r.working_title,
        kind: r.kind,
        message: r.message,
        createdAt: new Date(r.created_at).toISOString(),
        readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
      })),
      nextBefore: rows.length > q.limit ? page[page.length - 1]!.id : null,
    };
  }

  async markRead(actor: Actor, id: number) {
    this.assertUnit(actor);
    const n = await this.deps.db
      .selectFrom('knowledge_notices')
      .select(['id', 'unit_id', 'read_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!n || n.unit_id !== actor.unitId) throw new AppError('not_found', '通知不存在或无权查看');
    if (!n.read_at)
      await this.deps.db
        .updateTable('knowledge_notices')
        .set({ read_at: this.deps.clock.now(), read_by: actor.userId })
        .where('id', '=', id)
        .where('read_at', 'is', null)
        .execute();
    return { id, read: true };
  }
}
