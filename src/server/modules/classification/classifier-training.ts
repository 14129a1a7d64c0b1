import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { ClassifierEvaluation, HoldoutFigures } from '../../db/schema-classification.js';
import type { Clock } from '../../clock.js';
import {
  DEFAULT_CLASSIFIER,
  labelPlan,
  rankInto,
  type ClassifierModel,
  type ClassifierOptions,
  type LabelledText,
} from '../../domain/classifier/classifier.js';
import { sameReading, textTerms, type FeatureOptions } from '../../domain/classifier/features.js';
import { treePrior, viewTree, type TreeView } from '../../domain/classifier/category-prior.js';
import { bootstrapInterval, calibration, mostConfusedWith, score } from '../../domain/classifier/evaluation.js';
import { decodeModel, encodeModel } from '../../domain/classifier/model-codec.js';
import { drainAsync } from '../../domain/classifier/softmax-model.js';
import { TrainingCorpus } from '../../domain/classifier/training-corpus.js';
import { auditSource, insertAdminAudit } from '../audit/admin-audit.repository.js';
import type { Actor } from '../auth/actor.js';
import * as repo from './classification.repository.js';

// 第四条 智能化 / 第十二条 准确派单: the model learns from the centre's own history. One training at a time across all
// processes (a claimed row), a tenth of the tickets held out, and a gate: the new model is activated only if it is
// not worse on that holdout than the model in use — else it is kept as 'rejected' with the figures, for the admin.

export interface TrainingOptions {
  /** the most recent tickets it learns from (memory and time stay bounded whatever the history) */
  maxExamples: number;
  /** one ticket in this many is held out for the gate (by id, so reruns hold out the same ones) */
  holdoutEvery: number;
  /** the new model's macro-F1 may be this much below the active one's and still replace it */
  tolerance: number;
  /** fewer held-out tickets than this: the figures mean nothing, so only a cold-start model is replaced */
  minHoldout: number;
  /** a crashed trainer's claim expires after this */
  claimMinutes: number;
  /** a correction by a dispatcher, an approved return: these tickets count more */
  correctedWeight: number;
  returnedWeight: number;
  classifier: ClassifierOptions;
}

export const DEFAULT_TRAINING: TrainingOptions = {
  maxExamples: 100_000,
  holdoutEvery: 10,
  tolerance: 0.02,
  minHoldout: 5,
  claimMinutes: 30,
  correctedWeight: 3,
  returnedWeight: 2,
  classifier: DEFAULT_CLASSIFIER,
};

export type TrainingResult =
  | { outcome: 'busy' | 'not_due' }
  | { outcome: 'active' | 'rejected'; modelId: number; examples: number; evaluation: ClassifierEvaluation };

export interface TrainingDeps {
  db: Kysely<DB>;
  clock: Clock;
}

/**
 * A model's top 3 suggestions for each held-out ticket: for text i, slots 3i…3i+2 hold an index into `labels` (-1: no
 * suggestion) and its confidence. Typed arrays rather than a list of suggestion objects per text: 20 000 lists kept
 * alive to the end of a loop whose every other allocation dies at once let V8 promote (and on some runs pretenure)
 * that loop's garbage, and a retraining's heap grew by up to 100 MB before a full collection (issue 13's 300 MB).
 */
export interface HoldoutTop {
  labels: readonly string[];
  label: Int32Array;
  confidence: Float64Array;
}

/** Text i's suggestions of a HoldoutTop, best first (what classify() answered, without explanation words). */
export function topOf(top: HoldoutTop, i: number): Array<{ label: string; confidence: number }> {
  const out: Array<{ label: string; confidence: number }> = [];
  for (let k = i * 3; k < i * 3 + 3 && top.label[k]! >= 0; k++)
    out.push({ label: top.labels[top.label[k]!]!, confidence: top.confidence[k]! });
  return out;
}

/**
 * The top 3 suggestions (among the usable categories) of each model for each held-out ticket. A text is read into
 * terms once for all the models that read the same way (the new model and the one in use, as a rule): segmenting
 * 10 000 held-out texts is seconds of a training's budget.
 */
export function holdoutPredictions(
  models: readonly ClassifierModel[],
  holdout: readonly LabelledText[],
  allowed: ReadonlySet<string>,
  /** merges since a model was trained: the model in use is scored as it would suggest today (viewTree) */
  mergedInto?: ReadonlyMap<string, string>,
): HoldoutTop[] {
  const plans = models.map((m) => labelPlan(m, allowed, mergedInto));
  const out = models.map((_, m): HoldoutTop => {
    const label = new Int32Array(holdout.length * 3).fill(-1);
    return { labels: plans[m]!.labels, label, confidence: new Float64Array(holdout.length * 3) };
  });
  const buffers = models.map((m) => ({ p: new Float64Array(m.weights.classes), top: new Int32Array(3) }));
  holdout.forEach((h, i) => {
    const read: Array<{ features: FeatureOptions; terms: Map<string, number> }> = [];
    models.forEach((model, m) => {
      let r = read.find((x) => sameReading(x.features, model.features));
      if (!r) read.push((r = { features: model.features, terms: textTerms(h, model.features) }));
      rankInto(model, r.terms, plans[m]!, buffers[m]!, out[m]!, i * 3);
    });
  });
  return out;
}

/**
 * Figures of a model's holdout predictions (holdoutPredictions). `detail` adds what the admin's page shows of the
 * model being trained — the interval, the calibration and the per-category figures; the gate's comparison with the
 * model in use needs only the headline figures.
 */
export function holdoutFigures(
  predictions: HoldoutTop,
  holdout: readonly LabelledText[],
  detail = true,
): HoldoutFigures {
  const truth = holdout.map((h) => h.label);
  const ranked = truth.map((_, i) => topOf(predictions, i).map((s) => s.label));
  const s = score(truth, ranked);
  const r = (n: number) => Math.round(n * 10_000) / 10_000;
  const headline = { accuracy: r(s.accuracy), macroF1: r(s.macroF1), top3: r(s.top3) };
  if (!detail) return headline;
  const confused = mostConfusedWith(truth, ranked);
  const ece = calibration(
    truth.flatMap((t, i) =>
      ranked[i]!.length ? [{ confidence: predictions.confidence[i * 3]!, correct: ranked[i]![0] === t }] : [],
    ),
  ).ece;
  return {
    ...headline,
    // how far macro-F1 could move on another holdout as hard as this one: two versions whose intervals overlap
    // widely are not told apart by their figures (a few dozen held-out tickets give a wide one)
    macroF1Interval: bootstrapInterval(truth, ranked, { samples: 200, seed: 1 }).macroF1.map(r) as [number, number],
    ece: r(ece),
    // where the model is weak, per category: what the admin reads to decide which keywords or categories to look at
    perCategory: s.perClass.map((c) => {
      const w = confused.get(c.label);
      return {
        categoryId: Number(c.label),
        support: c.support,
        precision: r(c.precision),
        recall: r(c.recall),
        f1: r(c.f1),
        confusedWith: w ? { categoryId: Number(w.label), count: w.count } : null,
      };
    }),
  };
}

/**
 * The model of the history's newest tickets, and the held-out tenth as texts. Streamed newest first in batches: each
 * ticket is segmented and kept as term ids at once (TrainingCorpus), so at no point does the process hold the texts
 * of 100 000 tickets (issue 13: under 300 MB). Only the held-out tenth stays as text, because the active model (another
 * vocabulary) is scored on it too. A function of its own so that the corpus (~30 MB of rows on 100 000 tickets) is
 * garbage once the model is trained, before the model in use is read and both are scored: in trainAndGate's body it
 * stayed alive to the end, and the peak of a retraining with a model in use was 336–346 MB.
 */
async function trainFromHistory(
  db: Kysely<DB>,
  view: TreeView,
  prior: ReturnType<typeof treePrior>,
  opts: TrainingOptions,
) {
  const t0 = performance.now();
  const corpus = new TrainingCorpus(prior, opts.classifier);
  const holdout: LabelledText[] = [];
  for await (const batch of repo.recentExampleBatches(db, opts.maxExamples)) {
    for (const t of batch) {
      // a ticket of a category merged into another teaches the successor; one under a category retired without a
      // successor (or no longer a leaf) teaches nothing the agent could pick
      const category = view.successor(t.categoryId);
      if (category === null) continue;
      const text: LabelledText = {
        title: t.title,
        body: t.content,
        label: String(category),
        weight: t.recategorized ? opts.correctedWeight : t.returned ? opts.returnedWeight : 1,
      };
      if (t.id % opts.holdoutEvery === 0) holdout.push(text);
      else corpus.add(text);
    }
  }
  const examples = corpus.size;
  // in steps, so requests served by the same process are not held up by a long training
  const model = await drainAsync(corpus.trainSteps());
  // reading and segmenting included: with the texts streamed they are no longer a separate phase
  return { model, examples, holdout, trainingMs: Math.round(performance.now() - t0) };
}

/**
 * The new model and the gate's figures: it and the model in use scored on the same held-out tickets. Everything
 * large — the corpus, the held-out texts, the model in use and its bytes — is garbage when this returns, before the
 * new model is encoded and stored.
 */
async function trainAndScore(
  db: Kysely<DB>,
  tree: Awaited<ReturnType<typeof repo.loadCategoryTree>>,
  opts: TrainingOptions,
) {
  const view = viewTree(tree);
  const allowed = new Set([...view.leaves].map(String));
  const { model, examples, holdout, trainingMs } = await trainFromHistory(db, view, treePrior(tree), opts);
  const activeId = await repo.activeModelId(db);
  const activeRow = activeId !== null ? await repo.loadModelRow(db, activeId) : undefined;
  const figures: Pick<ClassifierEvaluation, 'model' | 'active'> = {};
  if (holdout.length) {
    // measured even on a handful of tickets, for the admin to see; the gate trusts only enough of them
    const models = activeRow ? [model, decodeModel(activeRow.model)] : [model];
    const [own, inUse] = holdoutPredictions(models, holdout, allowed, view.mergedInto);
    figures.model = holdoutFigures(own!, holdout);
    figures.active = activeRow ? { id: activeRow.id, ...holdoutFigures(inUse!, holdout, false) } : null;
  }
  const active = activeRow ? { id: activeRow.id, examples: activeRow.examples } : null;
  return { model, examples, trainingMs, held: holdout.length, figures, active };
}

/**
 * Trains a model from the tickets and the tree, gates it against the active model and stores it; `actor` null
 * is the scheduler. Answers 'busy' without training when another process holds the claim.
 */
export async function trainAndGate(
  deps: TrainingDeps,
  actor: Actor | null,
  opts: TrainingOptions = DEFAULT_TRAINING,
  /** the scheduler's rule: checked again under the claim, so a process that lost the race does not train twice */
  onlyIfDue?: RetrainRule,
): Promise<TrainingResult> {
  const { db, clock } = deps;
  const claimant = randomUUID();
  const now = clock.now();
  if (!(await repo.claimTraining(db, claimant, now, new Date(now.getTime() + opts.claimMinutes * 60_000))))
    return { outcome: 'busy' };
  let done: { at: Date; lastTicketId: number } | undefined;
  try {
    if (onlyIfDue && !(await trainingDue(db, now, onlyIfDue))) return { outcome: 'not_due' };
    const lastTicketId = await repo.maxTicketId(db);
    const tree = await repo.loadCategoryTree(db);
    const { model, examples, trainingMs, held, figures, active } = await trainAndScore(db, tree, opts);
    const evaluation: ClassifierEvaluation = { holdout: held, tolerance: opts.tolerance, trainingMs, ...figures };
    let activate: boolean;
    let note: string | null = null;
    if (held >= opts.minHoldout && evaluation.model) {
      activate = !evaluation.active || evaluation.model.macroF1 >= evaluation.active.macroF1 - opts.tolerance;
      if (!activate)
        note = `未启用：留出集宏平均F1 ${evaluation.model.macroF1} 低于在用模型 #${active!.id} 的 ${evaluation.active!.macroF1}`;
    } else {
      // too few tickets to judge: a model of the tree alone (or nothing) is replaced, a measured one is kept
      activate = !active || active.examples === 0;
      note = examples
        ? `留出样本少于 ${opts.minHoldout} 件，未与在用模型比较`
        : '冷启动：仅由分类树（名称与关键词）训练';
      if (!activate) note = '未启用：样本太少，无法与在用模型比较';
    }

    const bytes = encodeModel(model);
    const modelId = await db.transaction().execute(async (trx) => {
      const id = await repo.insertModel(trx, {
        status: activate ? 'active' : 'rejected',
        trainedAt: now,
        examples,
        categories: model.labels.length,
        evaluation,
        bytes,
        trainedBy: actor?.userId ?? null,
        note,
      });
      // the admin's 立即训练 is audited; the scheduler's own runs are recorded by the model row itself
      if (actor)
        await insertAdminAudit(trx, {
          userId: actor?.userId ?? null,
          entity: 'classifier_model',
          entityId: String(id),
          action: 'train',
          before: active ? { activeModelId: active.id } : null,
          after: { status: activate ? 'active' : 'rejected', examples, evaluation },
          at: now,
          source: auditSource(actor),
        });
      return id;
    });
    done = { at: now, lastTicketId };
    return { outcome: activate ? 'active' : 'rejected', modelId, examples, evaluation };
  } finally {
    await repo.releaseTraining(db, claimant, done);
  }
}

/** Weekly, or after `afterTickets` new tickets, or after the category tree changed, or when no model was ever trained. */
export interface RetrainRule {
  everyDays: number;
  afterTickets: number;
}

export async function trainingDue(db: Kysely<DB>, now: Date, rule: RetrainRule): Promise<boolean> {
  const state = await repo.trainingState(db);
  if (!state.last_trained_at) return true;
  if (now.getTime() - state.last_trained_at.getTime() >= rule.everyDays * 86_400_000) return true;
  if ((await repo.maxTicketId(db)) - Number(state.last_ticket_id) >= rule.afterTickets) return true;
  // the tree changed since (a category added, merged, retired, renamed or given keywords): a new category cannot be
  // suggested at all until a model learns it, so the next hourly check trains rather than the next week's
  const changed = await repo.lastCategoryChangeAt(db);
  return changed !== null && changed.getTime() >= state.last_trained_at.getTime();
}
