import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Clock } from '../../clock.js';
import type { DB } from '../../db/schema.js';
import { FLAG_REASON_LABELS, FLAG_REASONS } from '../../../shared/contracts/knowledge-answering.js';
import { localDateOf } from '../../domain/calendar.js';
import { AppError } from '../../errors.js';
import { hasRole, requireRole, type Actor, type Role } from '../auth/actor.js';
import { canViewContact } from '../intake/contacts.policy.js';
import { countArticle } from './knowledge-figures.repository.js';

/** Who may say an article is wrong: the centre's staff who answer with it. */
export const FLAG_RAISERS: Role[] = ['agent', 'dispatcher', 'supervisor', 'callback_agent'];
const CENTRE_READERS: Role[] = ['knowledge_reviewer', 'admin'];
const OWNER_ROLES: Role[] = ['handler', 'unit_manager'];

// 第十八条 (真实、有效、准确): an agent who finds an article wrong or outdated flags it; the flag goes to the
// article's owner unit as a notice, and the owner (or the centre's reviewer) resolves it with what was done.
export class KnowledgeFlagService {
  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock }) {}

  async raise(
    actor: Actor,
    articleId: number,
    input: { reason: (typeof FLAG_REASONS)[number]; note?: string; contactId?: number },
  ) {
    requireRole(actor, ...FLAG_RAISERS);
    const { db, clock } = this.deps;
    const now = clock.now();
    return db.transaction().execute(async (trx) => {
      const article = await trx
        .selectFrom('knowledge_articles')
        .select(['id', 'owner_unit_id', 'published_version_id', 'title', 'status'])
        .where('id', '=', articleId)
        .forUpdate()
        .executeTakeFirst();
      if (!article || article.status !== 'published') throw new AppError('not_found', '该知识不存在或已下架');
      if (input.contactId !== undefined) {
        const contact = await trx
          .selectFrom('contacts')
          .select(['id', 'centre_unit_id', 'ticket_id'])
          .where('id', '=', input.contactId)
          .executeTakeFirst();
        if (!contact || !(await canViewContact(trx, actor, contact)))
          throw new AppError('bad_request', '关联的来电/来信不存在', { field: 'contactId' });
      }
      const note = input.note?.trim() || null;
      const flag = await trx
        .insertInto('knowledge_flags')
        .values({
          article_id: articleId,
          version_id: article.published_version_id,
          reason: input.reason,
          note,
          contact_id: input.contactId ?? null,
          raised_by: actor.userId,
          raised_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('knowledge_articles')
        .set({ open_flag_count: sql`open_flag_count + 1` })
        .where('id', '=', articleId)
        .execute();
      const label = FLAG_REASON_LABELS[input.reason];
      await trx
        .insertInto('knowledge_notices')
        .values({
          unit_id: article.owner_unit_id,
          article_id: articleId,
          kind: 'flagged',
          cause_key: String(flag.id),
          message: `话务员纠错（${label}）：“${article.title ?? ''}”${note ? `。说明：${note}` : ''}`,
          created_at: now,
        })
        .execute();
      await trx
        .insertInto('knowledge_events')
        .values({
          article_id: articleId,
          version_id: article.published_version_id,
          action: 'flagged',
          actor_id: actor.userId,
          note,
          data: JSON.stringify({ flagId: flag.id, reason: input.reason, contactId: input.contactId ?? null }),
          at: now,
        })
        .execute();
      await countArticle(trx, localDateOf(now), articleId, 'flags');
      return { id: flag.id, articleId, reason: input.reason, raisedAt: now };
    });
  }

  /** The owner unit's flags (its handlers and managers), or all of them (the centre's reviewer, the admin); newest first. */
  async list(actor: Actor, q: { status: 'open' | 'resolved'; before?: number; limit: number }) {
    const all = hasRole(actor, ...CENTRE_READERS);
    if (!all) requireRole(actor, ...CENTRE_READERS, ...OWNER_ROLES);
    let query = this.deps.db
      .selectFrom('knowledge_flags as f')
      .innerJoin('knowledge_articles as a', 'a.id', 'f.article_id')
      .innerJoin('units as u', 'u.id', 'a.owner_unit_id')
      .innerJoin('users as r', 'r.id', 'f.raised_by')
      .leftJoin('users as s', 's.id', 'f.resolved_by')
      .select([
        'f.id',
        'f.article_id',
        'a.title',
        'a.owner_unit_id',
        'u.name as owner_unit_name',
        'f.version_id',
        'f.reason',
        'f.note',
        'f.contact_id',
        'r.display_name as raised_by_name',
        'f.raised_at',
        'f.resolved_at',
        's.display_name as resolved_by_name',
        'f.resolution',
      ])
      .where('f.resolved_at', q.status === 'open' ? 'is' : 'is not', null);
    if (!all) query = query.where('a.owner_unit_id', '=', actor.unitId);
    if (q.before) query = query.where('f.id', '<', q.before);
    const rows = await query
      .orderBy('f.id', 'desc')
      .limit(q.limit + 1)
      .execute();
    const items = rows.slice(0, q.limit).map((r) => ({
      id: r.id,
      articleId: r.article_id,
      articleTitle: r.title,
      ownerUnit: { id: r.owner_unit_id, name: r.owner_unit_name },
      versionId: r.version_id,
      reason: r.reason,
      reasonLabel: FLAG_REASON_LABELS[r.reason],
      note: r.note,
      contactId: r.contact_id,
      raisedBy: r.raised_by_name,
      raisedAt: r.raised_at,
      resolvedAt: r.resolved_at,
      resolvedBy: r.resolved_by_name,
      resolution: r.resolution,
    }));
    return { items, next: rows.length > q.limit ? items[items.length - 1]!.id : null };
  }

  /** The owner unit's staff or the centre's reviewer close a flag with what was done (另一单位: 404). */
  async resolve(actor: Actor, id: number, resolution: string) {
    requireRole(actor, 'knowledge_reviewer', ...OWNER_ROLES);
    const { db, clock } = this.deps;
    const now = clock.now();
    return db.transaction().execute(async (trx) => {
      const flag = await trx
        .selectFrom('knowledge_flags as f')
        .innerJoin('knowledge_articles as a', 'a.id', 'f.article_id')
        .select(['f.id', 'f.article_id', 'f.version_id', 'f.resolved_at', 'a.owner_unit_id'])
        .where('f.id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!flag || (!hasRole(actor, 'knowledge_reviewer') && flag.owner_unit_id !== actor.unitId))
        throw new AppError('not_found', '纠错记录不存在或无权查看');
      if (flag.resolved_at) throw new AppError('conflict', '该纠错已处理');
      await trx
        .updateTable('knowledge_flags')
        .set({ resolved_at: now, resolved_by: actor.userId, resolution })
        .where('id', '=', id)
        .execute();
      await trx
        .updateTable('knowledge_articles')
        .set({ open_flag_count: sql`greatest(open_flag_count - 1, 0)` })
        .where('id', '=', flag.article_id)
        .execute();
      await trx
        .insertInto('knowledge_events')
        .values({
          article_id: flag.article_id,
          version_id: flag.version_id,
          action: 'flag_resolved',
          actor_id: actor.userId,
          note: resolution,
          data: JSON.stringify({ flagId: id }),
          at: now,
        })
        .execute();
      return { id, resolvedAt: now, resolution };
    });
  }
}
