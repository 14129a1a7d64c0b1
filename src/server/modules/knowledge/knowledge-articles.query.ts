import { sql, type SqlBool } from 'kysely';
import { AppError } from '../../errors.js';
import type { z } from 'zod';
import type { listArticlesQuery } from '../../../shared/contracts/knowledge.js';
import { diffVersions, type ComparableVersion } from '../../domain/knowledge-diff.js';
import {
  addDays,
  countsAsCurrent,
  decide,
  freshness,
  median,
  shanghaiDay,
  type KnowledgeAction,
} from '../../domain/knowledge-workflow.js';
import { hasRole, type Actor } from '../auth/actor.js';
import type { ServiceDeps } from '../tickets/ticket-workflow.js';
import {
  articleNotFound,
  assertKnowledgeReader,
  canSeeArticle,
  readerKind,
  seesWorkings,
  standingOf,
} from './knowledge-articles.policy.js';
import * as repo from './knowledge-articles.repository.js';
import type { Article, VersionRow } from './knowledge-articles.repository.js';

/** A version's content, as shown and as compared (diffVersions): the fields a change can touch. */
const versionContent = (v: VersionRow): ComparableVersion => ({
  title: v.title,
  aliases: v.aliases,
  answer: v.answer,
  shortAnswer: v.short_answer,
  publicAnswer: v.public_answer,
  visibility: v.visibility,
  policyBasis: v.policy_basis,
  categoryIds: v.category_ids,
  regionCodes: v.region_codes,
  effectiveFrom: v.effective_from,
  expiresOn: v.expires_on,
  policyChangedOn: v.policy_changed_on,
  attachmentIds: v.attachment_ids,
});

// 第十八条 知识库: what the authoring screens read. Lists are keyset-paginated on (updated_at, id) and filtered by
// indexed columns (owner, working state, expiry, review date, trigram title) — 100 000 articles stay fast.

type ListQuery = z.infer<typeof listArticlesQuery>;
const ACTIONS: KnowledgeAction[] = [
  'edit',
  'submit',
  'approve',
  'return',
  'publish',
  'discard',
  'withdraw',
  'request_withdraw',
  'confirm_valid',
];

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export class KnowledgeQueries {
  constructor(readonly deps: ServiceDeps) {}

  private today() {
    return shanghaiDay(this.deps.clock.now());
  }

  async list(actor: Actor, q: ListQuery) {
    assertKnowledgeReader(actor);
    const settings = await repo.loadSettings(this.deps.db);
    const today = this.today();
    const kind = readerKind(actor);
    let s = this.deps.db
      .selectFrom('knowledge_articles as a')
      .innerJoin('units as u', 'u.id', 'a.owner_unit_id')
      .select([
        'a.id',
        'a.owner_unit_id',
        'u.name as owner_unit_name',
        'a.external_id',
        'a.status',
        'a.working_title',
        'a.working_state',
        'a.title',
        'a.visibility',
        'a.category_ids',
        'a.effective_from',
        'a.expires_on',
        'a.published_at',
        'a.reviewed_at',
        'a.review_cycle_days',
        'a.updated_at',
        'a.lock_version',
        'a.open_flag_count',
        'a.use_count',
        'a.withdraw_requested_at',
        'a.pending_version_id',
        'a.published_version_id',
        'a.latest_version_no',
      ]);
    if (kind === 'unit') s = s.where('a.owner_unit_id', '=', actor.unitId);
    else if (kind === 'published') s = s.where('a.status', '=', 'published');
    if (q.ownerUnitId) s = s.where('a.owner_unit_id', '=', q.ownerUnitId);
    if (q.status) s = s.where('a.status', '=', q.status);
    if (q.workingState) s = s.where('a.working_state', '=', q.workingState);
    const reviewedDay = repo.shanghaiDate('a.reviewed_at');
    if (q.stale === 'true')
      s = s
        .where('a.status', '=', 'published')
        .where(sql<SqlBool>`${reviewedDay} + a.review_cycle_days <= ${today}::date`)
        .where((eb) => eb.or([eb('a.expires_on', 'is', null), eb('a.expires_on', '>', today)]));
    if (q.stale === 'false')
      s = s.where(sql<SqlBool>`(a.reviewed_at IS NULL OR ${reviewedDay} + a.review_cycle_days > ${today}::date)`);
    if (q.expired === 'true') s = s.where('a.status', '=', 'published').where('a.expires_on', '<=', today);
    if (q.expiringWithinDays !== undefined)
      s = s
        .where('a.status', '=', 'published')
        .where('a.expires_on', '>', today)
        .where('a.expires_on', '<=', addDays(today, q.expiringWithinDays));
    if (q.categoryId) s = s.where(sql<SqlBool>`a.category_ids @> ARRAY[${q.categoryId}]::integer[]`);
    if (q.q) {
      // the trigram indexes answer ILIKE '%…%' on titles (no sequential scan of 100 000 rows)
      const p = `%${escapeLike(q.q)}%`;
      s = s.where((eb) => eb.or([eb('a.working_title', 'ilike', p), eb('a.title', 'ilike', p)]));
    }
    if (q.cursor) {
      const [ms, id] = q.cursor.split('_').map(Number) as [number, number];
      const at = new Date(ms);
      s = s.where((eb) =>
        eb.or([eb('a.updated_at', '<', at), eb.and([eb('a.updated_at', '=', at), eb('a.id', '<', id)])]),
      );
    }
    const rows = await s
      .orderBy('a.updated_at', 'desc')
      .orderBy('a.id', 'desc')
      .limit(q.limit + 1)
      .execute();
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        id: r.id,
        ownerUnitId: r.owner_unit_id,
        ownerUnitName: r.owner_unit_name,
        externalId: r.external_id,
        title: kind === 'published' ? r.title : r.working_title,
        publishedTitle: r.title,
        status: r.status,
        workingState: kind === 'published' ? 'published' : r.working_state,
        visibility: r.visibility,
        categoryIds: r.category_ids,
        effectiveFrom: r.effective_from,
        expiresOn: r.expires_on,
        publishedAt: iso(r.published_at),
        reviewedAt: iso(r.reviewed_at),
        reviewCycleDays: r.review_cycle_days,
        updatedAt: iso(r.updated_at),
        lockVersion: r.lock_version,
        openFlagCount: r.open_flag_count,
        useCount: r.use_count,
        versionCount: r.latest_version_no,
        withdrawRequested: r.withdraw_requested_at !== null,
        freshness: freshness(
          {
            status: r.status,
            effectiveFrom: r.effective_from,
            expiresOn: r.expires_on,
            reviewedOn: r.reviewed_at ? shanghaiDay(new Date(r.reviewed_at)) : null,
            reviewCycleDays: r.review_cycle_days,
          },
          settings,
          today,
        ),
      })),
      nextCursor: rows.length > q.limit && last ? `${new Date(last.updated_at).getTime()}_${last.id}` : null,
    };
  }

  private async visibleArticle(actor: Actor, id: number): Promise<Article> {
    assertKnowledgeReader(actor);
    const a = await repo.findArticle(this.deps.db, id);
    if (!a || !canSeeArticle(actor, a)) throw articleNotFound();
    return a;
  }

  private presentVersion(v: VersionRow, names: Map<number, string>) {
    return {
      id: v.id,
      articleId: v.article_id,
      versionNo: v.version_no,
      state: v.state,
      ...versionContent(v),
      changeReason: v.change_reason,
      source: v.source,
      sourceTicketId: v.source_ticket_id,
      authorName: v.author_id ? (names.get(v.author_id) ?? null) : null,
      createdAt: iso(v.created_at),
      submittedAt: iso(v.submitted_at),
      unitApprovedBy: v.unit_approved_by ? (names.get(v.unit_approved_by) ?? null) : null,
      unitApprovedAt: iso(v.unit_approved_at),
      reviewedBy: v.reviewed_by ? (names.get(v.reviewed_by) ?? null) : null,
      reviewedAt: iso(v.reviewed_at),
      reviewNote: v.review_note,
    };
  }

  private async userNames(ids: Array<number | null>) {
    const want = [...new Set(ids.filter((x): x is number => x !== null))];
    const rows = want.length
      ? await this.deps.db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', want).execute()
      : [];
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }

  async detail(actor: Actor, id: number) {
    const a = await this.visibleArticle(actor, id);
    const db = this.deps.db;
    const full = seesWorkings(actor, a);
    const settings = await repo.loadSettings(db);
    const today = this.today();
    const versions = full
      ? await db
          .selectFrom('knowledge_versions')
          .selectAll()
          .where('article_id', '=', id)
          .orderBy('version_no', 'desc')
          .limit(200)
          .execute()
      : a.published_version_id
        ? [(await repo.findVersion(db, a.published_version_id))!]
        : [];
    const events = full
      ? await db
          .selectFrom('knowledge_events')
          .selectAll()
          .where('article_id', '=', id)
          .orderBy('id', 'desc')
          .limit(200)
          .execute()
      : [];
    const byId = new Map(versions.map((v) => [v.id, v]));
    const published = a.published_version_id
      ? (byId.get(a.published_version_id) ?? (await repo.findVersion(db, a.published_version_id)))
      : undefined;
    const pending =
      full && a.pending_version_id
        ? (byId.get(a.pending_version_id) ?? (await repo.findVersion(db, a.pending_version_id)))
        : undefined;
    const names = await this.userNames([
      ...versions.flatMap((v) => [v.author_id, v.unit_approved_by, v.reviewed_by]),
      ...events.map((e) => e.actor_id),
      a.withdraw_requested_by,
    ]);
    const attachmentIds = full ? null : (published?.attachment_ids ?? []);
    let attQ = db
      .selectFrom('knowledge_attachments')
      .select(['id', 'mime', 'size', 'original_name', 'created_at'])
      .where('article_id', '=', id);
    if (attachmentIds) attQ = attQ.where('id', 'in', attachmentIds.length ? attachmentIds : [0]);
    const attachments = await attQ.orderBy('id').execute();
    const flags = full
      ? await db
          .selectFrom('knowledge_flags as f')
          .innerJoin('users as u', 'u.id', 'f.raised_by')
          .select(['f.id', 'f.reason', 'f.note', 'f.raised_at', 'f.version_id', 'u.display_name as raised_by_name'])
          .where('f.article_id', '=', id)
          .where('f.resolved_at', 'is', null)
          .orderBy('f.id', 'desc')
          .limit(100)
          .execute()
      : [];
    const owner = await db.selectFrom('units').select('name').where('id', '=', a.owner_unit_id).executeTakeFirst();
    const standing = standingOf(actor, a);
    const allowed = full
      ? ACTIONS.filter((x) => {
          const d = decide(x, { standing, articleStatus: a.status, pendingState: pending?.state ?? null, reason: 'x' });
          return d.ok;
        })
      : [];
    return {
      id: a.id,
      ownerUnitId: a.owner_unit_id,
      ownerUnitName: owner?.name ?? '',
      externalId: a.external_id,
      status: a.status,
      workingState: full ? a.working_state : 'published',
      workingTitle: full ? a.working_title : a.title,
      lockVersion: a.lock_version,
      reviewCycleDays: a.review_cycle_days,
      publishedAt: iso(a.published_at),
      reviewedAt: iso(a.reviewed_at),
      useCount: a.use_count,
      openFlagCount: a.open_flag_count,
      freshness: freshness(
        {
          status: a.status,
          effectiveFrom: a.effective_from,
          expiresOn: a.expires_on,
          reviewedOn: a.reviewed_at ? shanghaiDay(new Date(a.reviewed_at)) : null,
          reviewCycleDays: a.review_cycle_days,
        },
        settings,
        today,
      ),
      staleFrom: a.reviewed_at ? addDays(shanghaiDay(new Date(a.reviewed_at)), a.review_cycle_days) : null,
      withdrawRequest:
        full && a.withdraw_requested_at
          ? {
              at: iso(a.withdraw_requested_at),
              by: a.withdraw_requested_by ? (names.get(a.withdraw_requested_by) ?? null) : null,
              reason: a.withdraw_reason,
            }
          : null,
      published: published ? this.presentVersion(published, names) : null,
      pending: pending ? this.presentVersion(pending, names) : null,
      versions: versions.map((v) => ({
        id: v.id,
        versionNo: v.version_no,
        state: v.state,
        title: v.title,
        changeReason: v.change_reason,
        source: v.source,
        authorName: v.author_id ? (names.get(v.author_id) ?? null) : null,
        createdAt: iso(v.created_at),
        reviewNote: v.review_note,
      })),
      events: events.map((e) => ({
        id: e.id,
        action: e.action,
        versionId: e.version_id,
        actorName: e.actor_id ? (names.get(e.actor_id) ?? null) : null,
        note: e.note,
        data: e.data,
        at: iso(e.at),
      })),
      attachments: attachments.map((x) => ({
        id: x.id,
        mime: x.mime,
        size: x.size,
        name: x.original_name,
        createdAt: iso(x.created_at),
      })),
      openFlags: flags.map((f) => ({
        id: f.id,
        reason: f.reason,
        note: f.note,
        raisedAt: iso(f.raised_at),
        raisedBy: f.raised_by_name,
        versionId: f.version_id,
      })),
      allowedActions: allowed,
    };
  }

  async versions(actor: Actor, articleId: number) {
    const d = await this.detail(actor, articleId);
    return { items: d.versions };
  }

  /** A version the actor may read: all of its own unit's (or all for the centre's reviewer), else the published one. */
  private async visibleVersion(actor: Actor, versionId: number) {
    assertKnowledgeReader(actor);
    const v = await repo.findVersion(this.deps.db, versionId);
    if (!v) throw new AppError('not_found', '版本不存在或无权查看');
    const a = (await repo.findArticle(this.deps.db, v.article_id))!;
    if (!canSeeArticle(actor, a)) throw new AppError('not_found', '版本不存在或无权查看');
    if (!seesWorkings(actor, a) && a.published_version_id !== v.id)
      throw new AppError('not_found', '版本不存在或无权查看');
    return v;
  }

  async version(actor: Actor, versionId: number) {
    const v = await this.visibleVersion(actor, versionId);
    const names = await this.userNames([v.author_id, v.unit_approved_by, v.reviewed_by]);
    return this.presentVersion(v, names);
  }

  async compare(actor: Actor, articleId: number, fromId: number, toId: number) {
    await this.visibleArticle(actor, articleId);
    const a = await this.visibleVersion(actor, fromId);
    const b = await this.visibleVersion(actor, toId);
    if (a.article_id !== articleId || b.article_id !== articleId)
      throw new AppError('unprocessable', '只能对比同一条知识的版本', { fields: ['from', 'to'] });
    return {
      from: { id: a.id, versionNo: a.version_no, state: a.state },
      to: { id: b.id, versionNo: b.version_no, state: b.state },
      fields: diffVersions(versionContent(a), versionContent(b)),
    };
  }

  /** 待审核: the centre's queue (centre_review, and withdrawal requests) or a unit manager's (unit_review). */
  async reviewQueue(actor: Actor) {
    assertKnowledgeReader(actor);
    const reviewer = hasRole(actor, 'knowledge_reviewer');
    if (!reviewer && !hasRole(actor, 'unit_manager'))
      throw new AppError('forbidden', '审核队列仅供中心知识库审核员和单位负责人使用');
    const db = this.deps.db;
    const base = db
      .selectFrom('knowledge_articles as a')
      .innerJoin('units as u', 'u.id', 'a.owner_unit_id')
      .leftJoin('knowledge_versions as v', 'v.id', 'a.pending_version_id')
      .select([
        'a.id',
        'a.owner_unit_id',
        'u.name as owner_unit_name',
        'a.working_title',
        'a.working_state',
        'a.status',
        'a.lock_version',
        'a.published_version_id',
        'a.pending_version_id',
        'a.withdraw_requested_at',
        'a.withdraw_reason',
        'a.updated_at',
        'v.version_no',
        'v.change_reason',
        'v.source',
        'v.submitted_at',
      ]);
    const rows = reviewer
      ? await base
          .where((eb) =>
            eb.or([eb('a.working_state', '=', 'centre_review'), eb('a.withdraw_requested_at', 'is not', null)]),
          )
          .orderBy('a.updated_at')
          .orderBy('a.id')
          .limit(200)
          .execute()
      : await base
          .where('a.owner_unit_id', '=', actor.unitId)
          .where('a.working_state', '=', 'unit_review')
          .orderBy('a.updated_at')
          .orderBy('a.id')
          .limit(200)
          .execute();
    return {
      items: rows.map((r) => ({
        articleId: r.id,
        ownerUnitId: r.owner_unit_id,
        ownerUnitName: r.owner_unit_name,
        title: r.working_title,
        status: r.status,
        workingState: r.working_state,
        lockVersion: r.lock_version,
        publishedVersionId: r.published_version_id,
        pendingVersionId: r.pending_version_id,
        versionNo: r.version_no,
        changeReason: r.change_reason,
        source: r.source,
        submittedAt: iso(r.submitted_at),
        withdrawRequested: r.withdraw_requested_at !== null,
        withdrawReason: r.withdraw_reason,
        kind: r.withdraw_requested_at !== null && r.working_state !== 'centre_review' ? 'withdraw' : 'version',
      })),
    };
  }

  /**
   * 第二十二条(四) figure: per unit, how current its knowledge is — articles published, current, stale, expired, the
   * share current (stale within the grace period still counts), and the median days from a policy change to the
   * publication of its update (versions published in the last 365 days). One grouped scan of the articles table:
   * bounded by the size of the knowledge base (≈10^5 rows), read by the centre on demand, not on any intake path.
   */
  async freshness(actor: Actor) {
    assertKnowledgeReader(actor);
    if (!hasRole(actor, 'knowledge_reviewer', 'admin', 'supervisor', 'analyst', 'unit_manager', 'handler'))
      throw new AppError('forbidden', '无权查看知识更新及时率');
    const db = this.deps.db;
    const settings = await repo.loadSettings(db);
    const today = this.today();
    const unitOnly = readerKind(actor) === 'unit' ? actor.unitId : null;
    const reviewedDay = repo.shanghaiDate('reviewed_at');
    const grace = settings.staleGraceDays;
    let q = db
      .selectFrom('knowledge_articles')
      .select((eb) => [
        'owner_unit_id',
        eb.fn.countAll<number>().as('published'),
        sql<number>`count(*) FILTER (WHERE expires_on IS NOT NULL AND expires_on <= ${today}::date)`.as('expired'),
        sql<number>`count(*) FILTER (WHERE (expires_on IS NULL OR expires_on > ${today}::date) AND ${reviewedDay} + review_cycle_days <= ${today}::date)`.as(
          'stale',
        ),
        sql<number>`count(*) FILTER (WHERE (expires_on IS NULL OR expires_on > ${today}::date) AND effective_from <= ${today}::date AND ${reviewedDay} + review_cycle_days + ${grace}::integer > ${today}::date)`.as(
          'current',
        ),
      ])
      .where('status', '=', 'published')
      .groupBy('owner_unit_id');
    if (unitOnly) q = q.where('owner_unit_id', '=', unitOnly);
    const counts = await q.execute();
    const since = new Date(this.deps.clock.now().getTime() - 365 * 86_400_000);
    let lagQ = db
      .selectFrom('knowledge_versions as v')
      .innerJoin('knowledge_articles as a', 'a.id', 'v.article_id')
      .select(['a.owner_unit_id', sql<number>`${repo.shanghaiDate('v.reviewed_at')} - v.policy_changed_on`.as('lag')])
      .where('v.state', 'in', ['published', 'superseded'])
      .where('v.policy_changed_on', 'is not', null)
      .where('v.reviewed_at', '>=', since)
      .limit(50_000);
    if (unitOnly) lagQ = lagQ.where('a.owner_unit_id', '=', unitOnly);
    const lags = await lagQ.execute();
    const units = await db.selectFrom('units').select(['id', 'name']).where('kind', '!=', 'centre').execute();
    const byUnit = new Map(counts.map((c) => [c.owner_unit_id, c]));
    const lagBy = new Map<number, number[]>();
    for (const l of lags)
      lagBy.set(l.owner_unit_id, [...(lagBy.get(l.owner_unit_id) ?? []), Math.max(0, Number(l.lag))]);
    void countsAsCurrent; // the SQL above is countsAsCurrent (knowledge-workflow.ts) in one grouped scan
    return {
      asOf: today,
      settings: {
        expiryNoticeDays: settings.expiryNoticeDays,
        defaultReviewCycleDays: settings.defaultReviewCycleDays,
        staleGraceDays: grace,
      },
      units: units
        .filter((u) => byUnit.has(u.id) || lagBy.has(u.id))
        .map((u) => {
          const c = byUnit.get(u.id);
          const published = Number(c?.published ?? 0);
          const current = Number(c?.current ?? 0);
          return {
            unitId: u.id,
            unitName: u.name,
            published,
            current,
            stale: Number(c?.stale ?? 0),
            expired: Number(c?.expired ?? 0),
            shareCurrent: published ? Math.round((current / published) * 1000) / 1000 : null,
            medianDaysPolicyToUpdate: median(lagBy.get(u.id) ?? []),
            updatesMeasured: (lagBy.get(u.id) ?? []).length,
          };
        })
        .sort((x, y) => (x.shareCurrent ?? 2) - (y.shareCurrent ?? 2) || x.unitId - y.unitId),
    };
  }
}
