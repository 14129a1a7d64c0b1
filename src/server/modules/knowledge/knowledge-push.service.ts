import { AppError } from '../../errors.js';
import type { z } from 'zod';
import type { pushArticleBody } from '../../../shared/contracts/knowledge.js';
import { hasRole, type Actor } from '../auth/actor.js';
import type { ServiceDeps } from '../tickets/ticket-workflow.js';
import * as repo from './knowledge-articles.repository.js';
import { validateContent, type KnowledgeWorkflowService } from './knowledge-workflow.service.js';

// 第十八条第二款: a unit's own system pushes its newest policies and answers in real time. Idempotent on the unit's
// own id (UNIQUE(owner_unit_id, external_id)): the same content again changes nothing; changed content is a new
// version that waits for the centre's review (the unit's system speaks for the unit, so it counts as unit-approved);
// `withdrawn: true` asks the centre to withdraw it. The same review rules as people's edits: nothing is published
// without the centre.

type PushBody = z.infer<typeof pushArticleBody>;

/** What identifies a content (order of aliases and lists kept: a reordering is a change the unit made). */
function fingerprint(c: ReturnType<typeof repo.contentOf> | PushBody): string {
  return JSON.stringify([
    c.title,
    c.aliases ?? [],
    c.answer,
    c.shortAnswer,
    c.publicAnswer ?? null,
    c.visibility,
    (c.policyBasis ?? []).map((p) => [p.document, p.number ?? null, p.clause ?? null]),
    [...new Set(c.categoryIds ?? [])],
    [...new Set(c.regionCodes ?? [])],
    c.effectiveFrom,
    c.expiresOn ?? null,
    c.policyChangedOn ?? null,
  ]);
}

export class KnowledgePushService {
  constructor(
    readonly deps: ServiceDeps,
    readonly workflow: KnowledgeWorkflowService,
  ) {}

  private async unitOf(actor: Actor): Promise<number> {
    if (!hasRole(actor, 'partner'))
      throw new AppError('forbidden', '仅承办单位的对接系统可以推送知识（需要对接系统令牌）');
    const u = await this.deps.db
      .selectFrom('units')
      .select(['id', 'kind', 'active'])
      .where('id', '=', actor.unitId)
      .executeTakeFirst();
    if (!u || u.kind === 'centre' || !u.active) throw new AppError('forbidden', '对接系统不属于承办单位，不能推送知识');
    return u.id;
  }

  async state(actor: Actor, externalId: string) {
    const unitId = await this.unitOf(actor);
    const a = await this.deps.db
      .selectFrom('knowledge_articles')
      .select(['id'])
      .where('owner_unit_id', '=', unitId)
      .where('external_id', '=', externalId)
      .executeTakeFirst();
    if (!a) throw new AppError('not_found', '该编号的知识不存在');
    return this.present(a.id, externalId);
  }

  private async present(articleId: number, externalId: string, extra: Record<string, unknown> = {}) {
    const a = (await repo.findArticle(this.deps.db, articleId))!;
    const pub = a.published_version_id ? await repo.findVersion(this.deps.db, a.published_version_id) : undefined;
    const pending = a.pending_version_id ? await repo.findVersion(this.deps.db, a.pending_version_id) : undefined;
    const lastReturned = await this.deps.db
      .selectFrom('knowledge_versions')
      .select(['version_no', 'review_note'])
      .where('article_id', '=', articleId)
      .where('state', '=', 'returned')
      .orderBy('version_no', 'desc')
      .executeTakeFirst();
    return {
      externalId,
      articleId: a.id,
      status: a.status,
      workingState: a.working_state,
      publishedVersionNo: pub?.version_no ?? null,
      pendingVersionNo: pending?.version_no ?? null,
      pendingState: pending?.state ?? null,
      lastReturn: lastReturned ? { versionNo: lastReturned.version_no, reason: lastReturned.review_note } : null,
      withdrawRequested: a.withdraw_requested_at !== null,
      ...extra,
    };
  }

  async push(actor: Actor, externalId: string, body: PushBody) {
    const unitId = await this.unitOf(actor);
    if (!body.withdrawn) await validateContent(this.deps.db, body);
    // create the article row once (a concurrent first push of the same id waits on the unique key)
    const now = this.deps.clock.now();
    const settings = await repo.loadSettings(this.deps.db);
    const created = await this.deps.db
      .insertInto('knowledge_articles')
      .values({
        owner_unit_id: unitId,
        external_id: externalId,
        status: 'draft',
        review_cycle_days: body.reviewCycleDays ?? settings.defaultReviewCycleDays,
        created_at: now,
        created_by: actor.userId,
        updated_at: now,
        working_title: body.title,
        working_state: 'draft',
      })
      .onConflict((oc) => oc.columns(['owner_unit_id', 'external_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    const id =
      created?.id ??
      (
        await this.deps.db
          .selectFrom('knowledge_articles')
          .select('id')
          .where('owner_unit_id', '=', unitId)
          .where('external_id', '=', externalId)
          .executeTakeFirstOrThrow()
      ).id;
    type Outcome = 'created' | 'updated' | 'unchanged' | 'withdraw_requested' | 'discarded';
    let outcome = 'unchanged' as Outcome;
    await this.workflow.step(actor, id, undefined, async (ctx) => {
      if (body.withdrawn) {
        if (ctx.article.status === 'withdrawn' || ctx.article.withdraw_requested_at) return;
        if (ctx.article.status === 'published') {
          await ctx.save({
            withdraw_requested_at: ctx.now,
            withdraw_requested_by: actor.userId,
            withdraw_reason: body.changeReason ?? '对接系统申请下架',
          });
          await ctx.event(
            'withdraw_requested',
            ctx.article.published_version_id,
            body.changeReason ?? '对接系统申请下架',
            { source: 'push' },
          );
          outcome = 'withdraw_requested';
        } else if (ctx.pending) {
          // never published: what waits for review is abandoned
          await ctx.trx
            .updateTable('knowledge_versions')
            .set({ state: 'discarded' })
            .where('id', '=', ctx.pending.id)
            .execute();
          await ctx.save({ pending_version_id: null, working_state: 'draft' });
          await ctx.event('discarded', ctx.pending.id, body.changeReason ?? '对接系统撤回', { source: 'push' });
          outcome = 'discarded';
        }
        return;
      }
      const latestId =
        ctx.pending && ctx.pending.state !== 'returned' ? ctx.pending.id : ctx.article.published_version_id;
      const latest = latestId ? await repo.findVersion(ctx.trx, latestId) : undefined;
      if (latest && fingerprint(repo.contentOf(latest)) === fingerprint(body)) return;
      this.workflow.check(actor, 'edit', ctx.article, ctx.pending);
      const v = await this.workflow.newVersion(
        ctx,
        actor,
        { ...body, changeReason: body.changeReason ?? '对接系统推送更新' },
        { source: 'push' },
      );
      await ctx.event('pushed', v.id, v.change_reason, { externalId, versionNo: v.version_no });
      outcome = created ? 'created' : 'updated';
    });
    return { status: outcome === 'created' ? 201 : 200, body: await this.present(id, externalId, { outcome }) };
  }
}
