import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { KnowledgeWorkingState } from '../../db/schema-knowledge.js';
import { AppError } from '../../errors.js';
import type { ArticleContent } from '../../../shared/contracts/knowledge.js';
import {
  decide,
  initialState,
  shanghaiDay,
  type KnowledgeAction,
  type VersionState,
} from '../../domain/knowledge-workflow.js';
import { contentErrors, errorsMessage } from '../../domain/knowledge-validation.js';
import { hasRole, UNIT_ROLES, type Actor } from '../auth/actor.js';
import type { ServiceDeps } from '../tickets/ticket-workflow.js';
import { articleNotFound, assertKnowledgeReader, canSeeArticle, standingOf } from './knowledge-articles.policy.js';
import * as repo from './knowledge-articles.repository.js';
import type { Article, VersionRow } from './knowledge-articles.repository.js';

// 第十八条 知识库: every step of an article's life as one transaction — lock the article, check the client's
// lockVersion (a stale one is a 409, never a silent overwrite), ask the domain who may do what, write, and append
// the event row.

export const CONFLICT_MESSAGE = '该知识已被他人修改，请刷新后再编辑';

export interface StepCtx {
  trx: Transaction<DB>;
  article: Article;
  pending: VersionRow | null;
  now: Date;
  event: (
    action: string,
    versionId: number | null,
    note?: string | null,
    data?: Record<string, unknown>,
  ) => Promise<void>;
  /** writes the article's changes with the next lock_version */
  save: (patch: Partial<Record<string, unknown>>) => Promise<void>;
}

export interface ArticleState {
  id: number;
  lockVersion: number;
  status: string;
  workingState: string;
  publishedVersionId: number | null;
  pendingVersionId: number | null;
}

export async function validateContent(trx: Transaction<DB> | ServiceDeps['db'], c: ArticleContent): Promise<void> {
  const cats = c.categoryIds?.length
    ? await trx.selectFrom('categories').select('id').where('id', 'in', c.categoryIds).execute()
    : [];
  const regions = c.regionCodes?.length
    ? await trx.selectFrom('regions').select('code').where('code', 'in', c.regionCodes).execute()
    : [];
  const errors = contentErrors(
    {
      title: c.title,
      aliases: c.aliases ?? [],
      visibility: c.visibility,
      publicAnswer: c.publicAnswer,
      categoryIds: c.categoryIds ?? [],
      regionCodes: c.regionCodes ?? [],
      effectiveFrom: c.effectiveFrom,
      expiresOn: c.expiresOn,
      policyChangedOn: c.policyChangedOn,
    },
    { categoryIds: new Set(cats.map((x) => x.id)), regionCodes: new Set(regions.map((x) => x.code)) },
  );
  if (errors.length)
    throw new AppError('unprocessable', errorsMessage(errors), { fields: errors.map((e) => e.field), errors });
}

export class KnowledgeWorkflowService {
  constructor(readonly deps: ServiceDeps) {}

  /** One step in one transaction. `lockVersion` undefined: the caller is the unit's system (idempotent by its id). */
  async step<T>(
    actor: Actor,
    articleId: number,
    lockVersion: number | undefined,
    fn: (ctx: StepCtx) => Promise<T>,
  ): Promise<T> {
    return this.deps.db.transaction().execute(async (trx) => {
      const article = await repo.lockArticle(trx, articleId);
      if (!article) throw articleNotFound();
      if (!canSeeArticle(actor, article) && standingOf(actor, article) === 'outsider') throw articleNotFound();
      if (lockVersion !== undefined && lockVersion !== article.lock_version)
        throw new AppError('conflict', CONFLICT_MESSAGE, { lockVersion: article.lock_version });
      const pending = article.pending_version_id
        ? ((await repo.findVersion(trx, article.pending_version_id)) ?? null)
        : null;
      const now = this.deps.clock.now();
      return fn({
        trx,
        article,
        pending,
        now,
        event: (action, versionId, note, data) =>
          repo.insertEvent(trx, {
            article_id: article.id,
            version_id: versionId,
            action,
            actor_id: actor.userId,
            note,
            data,
            at: now,
          }),
        save: async (patch) => {
          await trx
            .updateTable('knowledge_articles')
            .set({ ...patch, lock_version: article.lock_version + 1, updated_at: now })
            .where('id', '=', article.id)
            .execute();
        },
      });
    });
  }

  /** The domain's answer, as an error when refused (403 for who can see the article, 404 for who cannot). */
  check(actor: Actor, action: KnowledgeAction, article: Article, pending: VersionRow | null, reason?: string | null) {
    const d = decide(action, {
      standing: standingOf(actor, article),
      articleStatus: article.status,
      pendingState: pending?.state ?? null,
      reason,
    });
    if (d.ok) return d;
    if (d.status === 404) {
      if (canSeeArticle(actor, article))
        throw new AppError('forbidden', '无权修改该知识（只有所属单位和中心知识库审核员可以）');
      throw articleNotFound();
    }
    const code = d.status === 403 ? 'forbidden' : d.status === 422 ? 'unprocessable' : 'illegal_transition';
    throw new AppError(code, d.message, { action, state: pending?.state ?? null, status: article.status });
  }

  async state(articleId: number): Promise<ArticleState> {
    const a = (await repo.findArticle(this.deps.db, articleId))!;
    return {
      id: a.id,
      lockVersion: a.lock_version,
      status: a.status,
      workingState: a.working_state,
      publishedVersionId: a.published_version_id,
      pendingVersionId: a.pending_version_id,
    };
  }

  // ---- writing ------------------------------------------------------------------------------------------------

  async create(
    actor: Actor,
    body: ArticleContent & { changeReason?: string; ownerUnitId?: number; submit?: boolean },
    source: { kind: 'person' | 'ticket_reply'; ticketId?: number } = { kind: 'person' },
  ): Promise<ArticleState & { versionId: number }> {
    assertKnowledgeReader(actor);
    let ownerUnitId: number;
    if (hasRole(actor, 'knowledge_reviewer')) {
      if (!body.ownerUnitId) throw new AppError('unprocessable', '请选择知识的所属单位', { fields: ['ownerUnitId'] });
      ownerUnitId = body.ownerUnitId;
    } else if (hasRole(actor, ...UNIT_ROLES)) {
      if (body.ownerUnitId && body.ownerUnitId !== actor.unitId)
        throw new AppError('forbidden', '只能为本单位新建知识', { fields: ['ownerUnitId'] });
      ownerUnitId = actor.unitId;
    } else throw new AppError('forbidden', '只有承办单位人员或中心知识库审核员可以新建知识');
    const id = await this.deps.db.transaction().execute(async (trx) => {
      const unit = await trx
        .selectFrom('units')
        .select(['id', 'kind', 'active'])
        .where('id', '=', ownerUnitId)
        .executeTakeFirst();
      if (!unit || !unit.active || unit.kind === 'centre')
        throw new AppError('unprocessable', '所属单位不存在或不是承办单位', { fields: ['ownerUnitId'] });
      await validateContent(trx, body);
      const settings = await repo.loadSettings(trx);
      const now = this.deps.clock.now();
      const standing = standingOf(actor, { owner_unit_id: ownerUnitId });
      let state: VersionState = initialState(standing);
      if (body.submit && state === 'draft') state = standing === 'manager' ? 'centre_review' : 'unit_review';
      const a = await trx
        .insertInto('knowledge_articles')
        .values({
          owner_unit_id: ownerUnitId,
          status: 'draft',
          review_cycle_days: body.reviewCycleDays ?? settings.defaultReviewCycleDays,
          created_at: now,
          created_by: actor.userId,
          updated_at: now,
          working_title: body.title,
          working_state: state as KnowledgeWorkingState,
          latest_version_no: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (body.attachmentIds?.length)
        throw new AppError('unprocessable', '新建知识后再上传附件', { fields: ['attachmentIds'] });
      const v = await repo.insertVersion(trx, {
        ...repo.versionContent(body),
        article_id: a.id,
        version_no: 1,
        state,
        change_reason: body.changeReason ?? (source.kind === 'ticket_reply' ? '由工单答复提议' : '新建'),
        author_id: actor.userId,
        source: source.kind,
        source_ticket_id: source.ticketId ?? null,
        created_at: now,
        submitted_at: state === 'draft' ? null : now,
        unit_approved_by: standing === 'manager' && state === 'centre_review' ? actor.userId : null,
        unit_approved_at: standing === 'manager' && state === 'centre_review' ? now : null,
        attachment_ids: [],
      });
      await trx.updateTable('knowledge_articles').set({ pending_version_id: v.id }).where('id', '=', a.id).execute();
      await repo.insertEvent(trx, {
        article_id: a.id,
        version_id: v.id,
        action: source.kind === 'ticket_reply' ? 'proposed_from_ticket' : 'created',
        actor_id: actor.userId,
        note: body.changeReason ?? null,
        data: { state, ticketId: source.ticketId ?? null },
        at: now,
      });
      return { articleId: a.id, versionId: v.id };
    });
    return { ...(await this.state(id.articleId)), versionId: id.versionId };
  }

  /** A change is a new version (第十八条: every change with author, time and reason). */
  async update(
    actor: Actor,
    articleId: number,
    body: ArticleContent & { changeReason: string; lockVersion: number; submit?: boolean },
    opts: { source?: 'person' | 'ticket_reply'; ticketId?: number; action?: string } = {},
  ): Promise<ArticleState & { versionId: number }> {
    assertKnowledgeReader(actor);
    const versionId = await this.step(actor, articleId, body.lockVersion, async (ctx) => {
      this.check(actor, 'edit', ctx.article, ctx.pending);
      await validateContent(ctx.trx, body);
      const v = await this.newVersion(ctx, actor, body, {
        source: opts.source ?? 'person',
        ticketId: opts.ticketId,
        submit: body.submit,
      });
      await ctx.event(opts.action ?? 'edited', v.id, body.changeReason, { state: v.state, versionNo: v.version_no });
      return v.id;
    });
    return { ...(await this.state(articleId)), versionId };
  }

  /** Writes a new version in place of the pending one (which is superseded; a returned one stays returned). */
  async newVersion(
    ctx: StepCtx,
    actor: Actor,
    body: ArticleContent & { changeReason?: string; reviewCycleDays?: number | null },
    o: { source: 'person' | 'push' | 'ticket_reply'; ticketId?: number; submit?: boolean },
  ): Promise<VersionRow> {
    const { trx, article, pending, now } = ctx;
    const standing = standingOf(actor, article);
    const base =
      pending ?? (article.published_version_id ? await repo.findVersion(trx, article.published_version_id) : null);
    const attachmentIds = body.attachmentIds ?? base?.attachment_ids ?? [];
    if (attachmentIds.length) {
      const own = await trx
        .selectFrom('knowledge_attachments')
        .select('id')
        .where('article_id', '=', article.id)
        .where('id', 'in', attachmentIds)
        .execute();
      if (own.length !== new Set(attachmentIds).size)
        throw new AppError('unprocessable', '附件不属于该知识', { fields: ['attachmentIds'] });
    }
    if (pending && pending.state !== 'returned')
      await trx.updateTable('knowledge_versions').set({ state: 'superseded' }).where('id', '=', pending.id).execute();
    let state: VersionState = initialState(standing);
    if (o.submit && state === 'draft') state = standing === 'manager' ? 'centre_review' : 'unit_review';
    const unitApproved = (standing === 'manager' && state === 'centre_review') || standing === 'unit_system';
    const v = await repo.insertVersion(trx, {
      ...repo.versionContent(body),
      article_id: article.id,
      version_no: article.latest_version_no + 1,
      state,
      change_reason: body.changeReason ?? '更新',
      author_id: actor.userId,
      source: o.source,
      source_ticket_id: o.ticketId ?? null,
      created_at: now,
      submitted_at: state === 'draft' ? null : now,
      unit_approved_by: unitApproved ? actor.userId : null,
      unit_approved_at: unitApproved ? now : null,
      attachment_ids: [...new Set(attachmentIds)],
    });
    await ctx.save({
      pending_version_id: v.id,
      latest_version_no: v.version_no,
      working_title: v.title,
      working_state: state,
      ...(body.reviewCycleDays ? { review_cycle_days: body.reviewCycleDays } : {}),
    });
    return v;
  }

  async submit(actor: Actor, articleId: number, b: { lockVersion: number; note?: string | null }) {
    return this.transition(actor, articleId, b.lockVersion, 'submit', b.note ?? null);
  }
  async approve(actor: Actor, articleId: number, b: { lockVersion: number; note?: string | null }) {
    return this.transition(actor, articleId, b.lockVersion, 'approve', b.note ?? null);
  }
  async returnVersion(actor: Actor, articleId: number, b: { lockVersion: number; reason: string }) {
    return this.transition(actor, articleId, b.lockVersion, 'return', b.reason);
  }
  async discard(actor: Actor, articleId: number, b: { lockVersion: number; note?: string | null }) {
    return this.transition(actor, articleId, b.lockVersion, 'discard', b.note ?? null);
  }

  private async transition(
    actor: Actor,
    articleId: number,
    lockVersion: number,
    action: KnowledgeAction,
    note: string | null,
  ) {
    assertKnowledgeReader(actor);
    await this.step(actor, articleId, lockVersion, async (ctx) => {
      const d = this.check(actor, action, ctx.article, ctx.pending, note);
      const v = ctx.pending!;
      const to = d.to!;
      const patch: Record<string, unknown> = { state: to };
      if (action === 'submit') {
        patch.submitted_at = ctx.now;
        if (to === 'centre_review') Object.assign(patch, { unit_approved_by: actor.userId, unit_approved_at: ctx.now });
      }
      if (action === 'approve') Object.assign(patch, { unit_approved_by: actor.userId, unit_approved_at: ctx.now });
      if (action === 'return')
        Object.assign(patch, { reviewed_by: actor.userId, reviewed_at: ctx.now, review_note: note });
      await ctx.trx.updateTable('knowledge_versions').set(patch).where('id', '=', v.id).execute();
      const discarded = to === 'discarded';
      await ctx.save({
        working_state: discarded ? (ctx.article.status === 'published' ? 'published' : 'draft') : to,
        ...(discarded ? { pending_version_id: null, working_title: ctx.article.title ?? v.title } : {}),
      });
      await ctx.event(
        { submit: 'submitted', approve: 'approved', return: 'returned', discard: 'discarded' }[action as string] ??
          action,
        v.id,
        note,
        { from: v.state, to, versionNo: v.version_no },
      );
      if (action === 'return')
        await repo.insertNotice(ctx.trx, {
          unit_id: ctx.article.owner_unit_id,
          article_id: ctx.article.id,
          kind: 'returned',
          cause_key: `v${v.id}`,
          message: `知识「${v.title}」第 ${v.version_no} 版被退回：${note}`,
          created_at: ctx.now,
        });
    });
    return this.state(articleId);
  }

  /** 第十八条: the centre's reviewer publishes a version that went through review; the older one is superseded. */
  async publish(actor: Actor, articleId: number, b: { lockVersion: number; note?: string | null }) {
    assertKnowledgeReader(actor);
    await this.step(actor, articleId, b.lockVersion, async (ctx) => {
      this.check(actor, 'publish', ctx.article, ctx.pending);
      const v = ctx.pending!;
      if (ctx.article.published_version_id)
        await ctx.trx
          .updateTable('knowledge_versions')
          .set({ state: 'superseded' })
          .where('id', '=', ctx.article.published_version_id)
          .execute();
      await ctx.trx
        .updateTable('knowledge_versions')
        .set({ state: 'published', reviewed_by: actor.userId, reviewed_at: ctx.now, review_note: b.note ?? null })
        .where('id', '=', v.id)
        .execute();
      await ctx.save({
        ...repo.publishedCopy({ ...v, state: 'published' }, ctx.now),
        pending_version_id: null,
        working_title: v.title,
        working_state: 'published',
      });
      await ctx.event('published', v.id, b.note ?? null, {
        versionNo: v.version_no,
        replaced: ctx.article.published_version_id,
      });
      await repo.insertNotice(ctx.trx, {
        unit_id: ctx.article.owner_unit_id,
        article_id: ctx.article.id,
        kind: 'published',
        cause_key: `v${v.id}`,
        message: `知识「${v.title}」第 ${v.version_no} 版已发布`,
        created_at: ctx.now,
      });
    });
    return this.state(articleId);
  }

  /** The centre withdraws (下架, kept forever); the owner unit asks for it (the centre then decides). */
  async withdraw(actor: Actor, articleId: number, b: { lockVersion?: number; reason: string }) {
    assertKnowledgeReader(actor);
    let requested = false;
    await this.step(actor, articleId, b.lockVersion, async (ctx) => {
      if (standingOf(actor, ctx.article) === 'reviewer') {
        this.check(actor, 'withdraw', ctx.article, ctx.pending, b.reason);
        if (ctx.pending && ctx.pending.state !== 'returned')
          await ctx.trx
            .updateTable('knowledge_versions')
            .set({ state: 'discarded' })
            .where('id', '=', ctx.pending.id)
            .execute();
        await ctx.save({
          status: 'withdrawn',
          working_state: 'withdrawn',
          pending_version_id: null,
          withdraw_requested_at: null,
        });
        await ctx.event('withdrawn', ctx.article.published_version_id, b.reason, {
          requestedBy: ctx.article.withdraw_requested_by,
        });
      } else {
        this.check(actor, 'request_withdraw', ctx.article, ctx.pending, b.reason);
        requested = true;
        await ctx.save({
          withdraw_requested_at: ctx.now,
          withdraw_requested_by: actor.userId,
          withdraw_reason: b.reason,
        });
        await ctx.event('withdraw_requested', ctx.article.published_version_id, b.reason);
      }
    });
    return { ...(await this.state(articleId)), withdrawRequested: requested };
  }

  /** 复核确认: the content is still valid — the review date moves, no new version (the event records it). */
  async confirmValid(actor: Actor, articleId: number, b: { lockVersion: number; note?: string | null }) {
    assertKnowledgeReader(actor);
    await this.step(actor, articleId, b.lockVersion, async (ctx) => {
      this.check(actor, 'confirm_valid', ctx.article, ctx.pending);
      await ctx.save({ reviewed_at: ctx.now });
      await ctx.event('confirmed', ctx.article.published_version_id, b.note ?? null, {
        previousReviewedOn: ctx.article.reviewed_at ? shanghaiDay(new Date(ctx.article.reviewed_at)) : null,
      });
    });
    return this.state(articleId);
  }
}
