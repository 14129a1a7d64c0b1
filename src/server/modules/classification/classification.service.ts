import type { SuggestBody, RecategorizeBody } from '../../../shared/contracts/classification.js';
import { AppError, notFound } from '../../errors.js';
import { classify, trainClassifier, type ClassifierModel } from '../../domain/classifier/classifier.js';
import {
  mergeTarget,
  treeChanges,
  treePrior,
  viewTree,
  type TreeView,
} from '../../domain/classifier/category-prior.js';
import { decodeModel } from '../../domain/classifier/model-codec.js';
import { explanationWords } from '../../domain/classifier/explanation-words.js';
import { anyWordQuery, similarity, termsAndWords } from '../../domain/text-tokens.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';
import { requireRole, type Actor } from '../auth/actor.js';
import { loadVisibleContact } from '../intake/contacts.policy.js';
import { assertCanView } from '../tickets/tickets.policy.js';
import * as ticketRepo from '../tickets/tickets.repository.js';
import type { ServiceDeps } from '../tickets/ticket-workflow.js';
import type { TicketService } from '../tickets/tickets.service.js';
import { DEFAULT_TRAINING, trainAndGate, type TrainingOptions } from './classifier-training.js';
import * as repo from './classification.repository.js';
import { recordTake, weekOf } from './take-rates.js';

// 第四、十二条 智能分类: suggestions for agents and dispatchers, the dispatcher's category correction, and the
// admin's view of the models. The model in use is cached per process and reloaded when the active id changes
// (one indexed read per suggestion); with no model yet, the tree alone is the model (cold start).

// candidates: per suggested category, the newest matching tickets among its recent ones in scope (repo.RECENT_WINDOW)
export const SUGGEST_LIMITS = { top: 3, words: 5, similar: 3, candidates: 20, queryWords: 16, textChars: 4000 };

/** The categories merged into `id` (合并): their tickets are its history. */
function mergedFrom(view: TreeView, id: number): number[] {
  const into = String(id);
  return [...view.mergedInto].filter(([, to]) => to === into).map(([from]) => Number(from));
}

export class ClassificationService {
  private cached: { id: number; model: ClassifierModel } | null = null;
  private prior: { key: string; model: ClassifierModel } | null = null;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly tickets: TicketService,
    private readonly training: TrainingOptions = DEFAULT_TRAINING,
  ) {}

  /** The model in use: the active one (cached until its id changes) or, on a new platform, the tree prior. */
  private async model(tree: repo.CategoryNode[]): Promise<{ model: ClassifierModel; modelId: number | null }> {
    const { db } = this.deps;
    const id = await repo.activeModelId(db);
    if (id !== null) {
      if (this.cached?.id !== id) {
        const row = await repo.loadModelRow(db, id);
        if (row) this.cached = { id, model: decodeModel(row.model) };
      }
      if (this.cached?.id === id) return { model: this.cached.model, modelId: id };
    }
    // 冷启动: nothing trained yet; the tree's names and keywords are the model (trained in milliseconds)
    const key = JSON.stringify(tree);
    if (this.prior?.key !== key) this.prior = { key, model: trainClassifier([], treePrior(tree)) };
    return { model: this.prior.model, modelId: null };
  }

  async suggest(actor: Actor, input: SuggestBody) {
    requireRole(actor, 'agent', 'dispatcher');
    const { db } = this.deps;
    let excludeTicketId: number | undefined;
    if (input.contactId) await loadVisibleContact(db, actor, input.contactId);
    if (input.ticketId) {
      await assertCanView(db, actor, await ticketRepo.findTicket(db, input.ticketId));
      excludeTicketId = input.ticketId;
    }
    const tree = await repo.loadCategoryTree(db);
    const view = viewTree(tree);
    const { model, modelId } = await this.model(tree);
    const source = modelId === null ? ('tree_prior' as const) : ('model' as const);
    // a long letter says what it is about early; the cap keeps prediction within a few milliseconds
    const text = { title: input.title ?? '', body: input.body.slice(0, SUGGEST_LIMITS.textChars) };
    const allowed = new Set([...view.leaves].map(String));
    // more weighed terms than are shown: explanationWords keeps the words a reader finds in the text
    // a category merged since the model was trained is suggested as its successor (合并)
    const p = classify(model, text, {
      top: SUGGEST_LIMITS.top,
      allowed,
      words: 4 * SUGGEST_LIMITS.words,
      mergedInto: view.mergedInto,
    });
    if (p.kind === 'none')
      return {
        modelId,
        source,
        suggestions: [],
        note:
          p.reason === 'no_terms'
            ? '内容太短或没有可识别的词语，暂无分类建议，请人工选择'
            : '没有可用的事项分类，暂无分类建议',
      };
    const ids = p.suggestions.map((s) => Number(s.label));
    // one cut of the text: its terms find the similar tickets, its words are the reasons shown
    const { terms, words } = termsAndWords(`${text.title}\n${text.body}`);
    const similar = await this.similar(actor, terms, ids, view, excludeTicketId);
    const readerWords = new Set(words);
    return {
      modelId,
      source,
      note: source === 'tree_prior' ? '尚无训练好的模型，建议仅依据分类名称和关键词' : null,
      suggestions: p.suggestions.map((s) => {
        const id = Number(s.label);
        const path = view.path(id);
        return {
          categoryId: id,
          name: path[path.length - 1] ?? '',
          path,
          confidence: Math.round(s.confidence * 1000) / 1000,
          words: explanationWords(s.words, readerWords, SUGGEST_LIMITS.words).map((w) => ({
            term: w.term,
            weight: Math.round(w.weight * 1000) / 1000,
          })),
          similar: similar.get(id) ?? [],
        };
      }),
    };
  }

  /** Two or three recent tickets of each suggested category that read most like the text (its terms), in the actor's regions. */
  private async similar(
    actor: Actor,
    terms: string[],
    categoryIds: number[],
    view: TreeView,
    excludeTicketId?: number,
  ) {
    // the longest words say most about the matter; numbers alone (years, house numbers) say nothing of it
    const query = anyWordQuery(
      [...new Set(terms)].filter((w) => !/^\d+$/.test(w)).sort((a, b) => b.length - a.length),
      SUGGEST_LIMITS.queryWords,
    );
    const out = new Map<
      number,
      Array<{
        id: number;
        number: string;
        title: string;
        category: string;
        leadUnit: string | null;
        similarity: number;
      }>
    >();
    if (!query) return out;
    // a suggested category's past tickets include those filed under the categories merged into it (合并)
    const rows = await repo.similarCandidates(this.deps.db, {
      query,
      categoryIds: [...categoryIds, ...categoryIds.flatMap((id) => mergedFrom(view, id))],
      regionPrefixes: actor.regionPrefixes,
      excludeTicketId,
      limit: SUGGEST_LIMITS.candidates,
    });
    const scored = rows
      .map((r) => ({ r, sim: similarity(terms, r.search_words ?? []) }))
      .sort((a, b) => b.sim - a.sim || b.r.id - a.r.id);
    for (const { r, sim } of scored) {
      const suggested = view.successor(r.category_id) ?? r.category_id;
      const list = out.get(suggested) ?? [];
      if (list.length >= SUGGEST_LIMITS.similar) continue;
      list.push({
        id: r.id,
        number: r.number,
        title: r.title,
        category: view.path(r.category_id).join(' / '),
        leadUnit: r.lead_unit_name,
        similarity: Math.round(sim * 100) / 100,
      });
      out.set(suggested, list);
    }
    return out;
  }

  /**
   * 第十二条: the catalogue's unit stays the rule; history adds a second suggestion when tickets of this category in
   * this county ended with another unit after an approved return (with the evidence: how many, which tickets).
   */
  async unitSuggestion(actor: Actor, ticketId: number) {
    requireRole(actor, 'dispatcher');
    const { db } = this.deps;
    const ticket = await ticketRepo.findTicket(db, ticketId);
    await assertCanView(db, actor, ticket);
    const t = ticket!;
    const catalogue = await this.tickets.suggestDispatch(t);
    const regionPrefix = t.region_code.slice(0, 6); // the county (区县) the ticket is in
    const view = viewTree(await repo.loadCategoryTree(db));
    const rows = await repo.returnedElsewhere(db, {
      categoryId: t.category_id,
      mergedIds: mergedFrom(view, t.category_id),
      regionPrefix,
      catalogueUnitId: catalogue?.leadUnitId ?? null,
      limit: 200,
    });
    const byUnit = new Map<number, { unitId: number; unitName: string; count: number; evidence: string[] }>();
    for (const r of rows) {
      if (r.id === t.id || r.lead_unit_id === null) continue;
      const e = byUnit.get(r.lead_unit_id) ?? { unitId: r.lead_unit_id, unitName: r.unit_name, count: 0, evidence: [] };
      e.count++;
      if (e.evidence.length < 5) e.evidence.push(r.number);
      byUnit.set(r.lead_unit_id, e);
    }
    const history = [...byUnit.values()].sort((a, b) => b.count - a.count || a.unitId - b.unitId).slice(0, 3);
    return {
      catalogue: catalogue
        ? { unitId: catalogue.leadUnitId, unitName: catalogue.leadUnitName, explanation: catalogue.explanation }
        : null,
      history: history.map((h) => ({
        ...h,
        explanation: `本区县近期同类工单中有 ${h.count} 件经退单审批后改由「${h.unitName}」承办`,
      })),
      note: '派单以派单目录为准（第十二条）；历史建议仅供参考，不会自动改派',
    };
  }

  /** 第十二条: the dispatcher corrects the category of a ticket awaiting dispatch: one transaction, one event. */
  async recategorize(actor: Actor, ticketId: number, input: RecategorizeBody) {
    requireRole(actor, 'dispatcher');
    const { db, clock } = this.deps;
    return db.transaction().execute(async (trx) => {
      const ticket = await ticketRepo.lockTicket(trx, ticketId);
      await assertCanView(trx, actor, ticket);
      const t = ticket!;
      if (input.expectedVersion !== undefined && input.expectedVersion !== t.version)
        throw new AppError('version_conflict', '工单已被他人修改，请刷新后重试', { currentVersion: t.version });
      if (t.status !== 'pending_dispatch')
        throw new AppError('illegal_transition', '只有待派单的工单可以更正事项分类', { status: t.status });
      const view = viewTree(await repo.loadCategoryTree(trx));
      if (!view.leaves.has(input.categoryId))
        throw new AppError('bad_request', '请选择启用中的末级事项分类', { field: 'categoryId' });
      const now = clock.now();
      const updated = await trx
        .updateTable('tickets')
        .set({ category_id: input.categoryId, version: t.version + 1, updated_at: now })
        .where('id', '=', t.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (t.category_id !== input.categoryId)
        await ticketRepo.insertEvent(trx, {
          ticket_id: t.id,
          kind: 'recategorized',
          at: now,
          actor_user_id: actor.userId,
          actor_unit_id: actor.unitId,
          reason: input.note ?? null,
          data: { from: t.category_id, to: input.categoryId, suggested: input.suggestedCategoryIds ?? [] },
          request_id: actor.requestId ?? null,
        });
      await recordTake(trx, {
        role: 'dispatcher',
        at: now,
        categoryId: input.categoryId,
        suggested: input.suggestedCategoryIds,
      });
      return {
        id: updated.id,
        version: updated.version,
        categoryId: updated.category_id,
        path: view.path(updated.category_id),
      };
    });
  }

  // ---- the admin's page --------------------------------------------------------------------------------------

  async models(actor: Actor) {
    requireRole(actor, 'admin');
    const rows = await repo.listModels(this.deps.db, 100);
    const tree = await repo.loadCategoryTree(this.deps.db);
    const { model, modelId } = await this.model(tree);
    return {
      // what the tree changed since the model in use was trained: the admin's cue to train now
      activeTreeChanges: modelId === null ? null : treeChanges(model.labels, viewTree(tree)),
      items: rows.map((r) => ({
        id: r.id,
        status: r.status,
        trainedAt: r.trained_at,
        examples: r.examples,
        categories: r.categories,
        evaluation: r.evaluation,
        size: r.size,
        trainedBy: r.trained_by_name ?? null,
        note: r.note,
        activatedAt: r.activated_at,
      })),
    };
  }

  /**
   * Where a model is weak, per category of its holdout, weakest first: the admin's cue to look at a category's
   * keywords or at two categories whose matters overlap. Models trained before these figures were kept have none.
   */
  async modelCategories(actor: Actor, id: number) {
    requireRole(actor, 'admin');
    const row = await repo.modelEvaluation(this.deps.db, id);
    if (!row) throw notFound('模型');
    const figures = row.evaluation.model?.perCategory;
    const view = viewTree(await repo.loadCategoryTree(this.deps.db));
    const items = (figures ?? [])
      .map((c) => ({
        ...c,
        path: view.path(c.categoryId),
        // retired or merged since the training: the figures stay, the admin sees why it is no longer suggested
        usable: view.leaves.has(c.categoryId),
        // 合并: where its suggestions go now
        mergedInto: mergeTarget(view, c.categoryId),
        confusedWith: c.confusedWith ? { ...c.confusedWith, path: view.path(c.confusedWith.categoryId) } : null,
      }))
      .sort((a, b) => a.f1 - b.f1 || b.support - a.support || a.categoryId - b.categoryId);
    return {
      modelId: row.id,
      recorded: figures !== undefined,
      holdout: row.evaluation.holdout ?? 0,
      ece: row.evaluation.model?.ece ?? null,
      items,
    };
  }

  async trainNow(actor: Actor) {
    requireRole(actor, 'admin');
    const r = await trainAndGate(this.deps, actor, this.training);
    if (r.outcome === 'busy' || r.outcome === 'not_due')
      throw new AppError('conflict', '另一个训练正在进行，请稍后再试');
    return r;
  }

  /** 回滚: a previous (retired) model becomes the one in use again; audited. */
  async activate(actor: Actor, id: number, note?: string) {
    requireRole(actor, 'admin');
    const { db, clock } = this.deps;
    return db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('classifier_models')
        .select(['id', 'status'])
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!row) throw notFound('模型');
      if (row.status === 'active') throw new AppError('conflict', '该模型已在使用中');
      if (row.status !== 'retired')
        throw new AppError('conflict', '只能回滚到曾经启用过的模型（未通过评估的模型不能启用）', {
          status: row.status,
        });
      const now = clock.now();
      const before = await repo.retireActive(trx);
      await trx
        .updateTable('classifier_models')
        .set({ status: 'active', activated_at: now })
        .where('id', '=', id)
        .execute();
      await insertActorAudit(trx, actor, {
        entity: 'classifier_model',
        entityId: String(id),
        action: 'rollback',
        before: { activeModelId: before },
        after: { activeModelId: id, note: note ?? null },
        at: now,
      });
      return { id, status: 'active' as const, previous: before };
    });
  }

  /** Take rates per week and per category, from the rollup (no scan of tickets). */
  async takeRates(actor: Actor, weeks: number) {
    requireRole(actor, 'admin', 'analyst');
    const since = weekOf(new Date(this.deps.clock.now().getTime() - (weeks - 1) * 7 * 86_400_000));
    const rows = await repo.takeRates(this.deps.db, since);
    const weekly = new Map<
      string,
      { week: string; role: string; shown: number; firstTaken: number; anyTaken: number }
    >();
    const perCategory = new Map<
      string,
      { categoryId: number; name: string; role: string; shown: number; firstTaken: number; anyTaken: number }
    >();
    for (const r of rows) {
      const wk = weekly.get(`${r.week}|${r.role}`) ?? {
        week: r.week,
        role: r.role,
        shown: 0,
        firstTaken: 0,
        anyTaken: 0,
      };
      wk.shown += r.shown;
      wk.firstTaken += r.first_taken;
      wk.anyTaken += r.any_taken;
      weekly.set(`${r.week}|${r.role}`, wk);
      const c = perCategory.get(`${r.category_id}|${r.role}`) ?? {
        categoryId: r.category_id,
        name: r.name,
        role: r.role,
        shown: 0,
        firstTaken: 0,
        anyTaken: 0,
      };
      c.shown += r.shown;
      c.firstTaken += r.first_taken;
      c.anyTaken += r.any_taken;
      perCategory.set(`${r.category_id}|${r.role}`, c);
    }
    return {
      since,
      weeks: [...weekly.values()],
      categories: [...perCategory.values()].sort((a, b) => b.shown - a.shown || a.categoryId - b.categoryId),
    };
  }
}
