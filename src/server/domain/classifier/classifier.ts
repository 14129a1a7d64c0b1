import {
  DEFAULT_FEATURES,
  textTerms,
  vectorize,
  type ClassifierText,
  type FeatureOptions,
  type SparseVector,
  type Vocabulary,
} from './features.js';
import { DEFAULT_NAIVE_BAYES, type NaiveBayesOptions } from './naive-bayes.js';
import {
  DEFAULT_SOFTMAX,
  logits,
  softmax,
  STEP_EXAMPLES,
  drain,
  drainAsync,
  type SoftmaxOptions,
  type SoftmaxWeights,
} from './softmax-model.js';
import { TrainingCorpus } from './training-corpus.js';

// 第四、十二条 智能分类: the matter category suggested from a citizen's words. Pure: trained from labelled texts and
// the category tree, it predicts the top categories with calibrated confidences and says which words weighed.
// The platform (modules/classification) feeds it the centre's history and stores the model; `npm run
// classify:eval` runs this same code on anyone's labelled file.

export interface LabelledText extends ClassifierText {
  label: string;
  /** an agent's or dispatcher's correction counts more than a ticket nobody touched (default 1) */
  weight?: number;
}

/**
 * What the category tree says about a label before any ticket was seen: the names along its path and its keywords
 * (a lower level's names, for a label that is an upper level). A new centre gets suggestions from these on day one;
 * as history grows they weigh less and less.
 */
export interface CategoryPrior {
  label: string;
  keywords: string[];
}

export interface ClassifierOptions {
  softmax: SoftmaxOptions;
  minDf: number;
  maxFeatures: number;
  /** the weight of a category's prior pseudo-text, as if it were this many tickets */
  priorWeight: number;
  /** share of the examples held out to fit the confidence temperature (when there are enough) */
  calibrationShare: number;
  /** examples a temperature probe trains on at most (default 20 000; training-corpus.ts calibrationPlan) */
  probeMax?: number;
  /** how texts become terms (default DEFAULT_FEATURES) */
  features?: FeatureOptions;
  /** the complement naive Bayes folded into the regression (default DEFAULT_NAIVE_BAYES, naive-bayes.ts) */
  naiveBayes?: NaiveBayesOptions;
}

// Tuned on the 785 hand-labelled TipDM messages (bench/labels, 5-fold CV, seeds 1–3; docs/classification.md): a
// step of 0.6 and L2 1e-4 instead of 0.2 and 1e-5 (the regression was under-trained in 12 epochs on few texts),
// with complement naive Bayes beside it. Character trigrams, a title weight of 3 or 4, class-balanced weights and
// other prior weights moved macro-F1 by less than the seed-to-seed spread and were left out.
export const DEFAULT_CLASSIFIER: ClassifierOptions = {
  // 120 000 updates: every epoch up to 10 000 examples (the 785 labels' figures do not move); 100 000 tickets get one
  // pass, the temperature probe's 18 000 six (docs/classification.md "Training at scale")
  softmax: { ...DEFAULT_SOFTMAX, learningRate: 0.6, l2: 1e-4, maxSteps: 120_000 },
  minDf: 2,
  maxFeatures: 60_000,
  priorWeight: 2,
  calibrationShare: 0.1,
  features: DEFAULT_FEATURES,
  naiveBayes: DEFAULT_NAIVE_BAYES,
};

export interface ClassifierModel {
  format: 1;
  labels: string[];
  vocab: Vocabulary;
  weights: SoftmaxWeights;
  /** labelled texts it learned from (the prior's pseudo-texts not counted) */
  examples: number;
  /** how it read its texts: a text to classify is read the same way */
  features: FeatureOptions;
}

export interface WordWeight {
  term: string;
  /** the word's contribution to this category's score (TF-IDF × weight) */
  weight: number;
}

export interface Suggestion {
  label: string;
  confidence: number;
  /** the words that weighed most for this category, heaviest first */
  words: WordWeight[];
}

export type Prediction =
  | { kind: 'suggestions'; suggestions: Suggestion[] }
  /** nothing to go on: no known word (empty, very short, digits only, another language), or no allowed category */
  | { kind: 'none'; reason: 'no_terms' | 'no_allowed_category' };

export function trainClassifier(
  examples: readonly LabelledText[],
  prior: readonly CategoryPrior[],
  opts: ClassifierOptions = DEFAULT_CLASSIFIER,
): ClassifierModel {
  return drain(trainClassifierSteps(examples, prior, opts));
}

/** trainClassifier giving the event loop a turn every few thousand texts: for a process that also serves requests. */
export function trainClassifierAsync(
  examples: readonly LabelledText[],
  prior: readonly CategoryPrior[],
  opts: ClassifierOptions = DEFAULT_CLASSIFIER,
): Promise<ClassifierModel> {
  return drainAsync(trainClassifierSteps(examples, prior, opts));
}

function* trainClassifierSteps(
  examples: readonly LabelledText[],
  prior: readonly CategoryPrior[],
  opts: ClassifierOptions,
): Generator<void, ClassifierModel> {
  // each text is segmented and kept as term ids as soon as it is read (training-corpus.ts: memory stays bounded)
  const corpus = new TrainingCorpus(prior, opts);
  for (const e of examples) {
    corpus.add(e);
    if (corpus.size % STEP_EXAMPLES === 0) yield; // segmentation is the slow part of reading the texts
  }
  return yield* corpus.trainSteps();
}

/**
 * The `into.length` best of a model's categories for a text's vector, among those the plan allows (labelPlan), best
 * first, ties to the label first in string order. Answers how many categories are allowed (`found`;
 * `into` holds the first min(found, into.length) as label indexes) and their probability mass (a confidence is
 * p / mass). `p` holds the probabilities afterwards (a buffer of the model's size, reused). Nothing is allocated per
 * category: classify() and a training's 20 000 holdout predictions (rankInto) share it.
 */
function rankAllowed(
  model: ClassifierModel,
  x: SparseVector,
  plan: LabelPlan,
  p: Float64Array<ArrayBuffer>,
  into: Int32Array,
): { found: number; mass: number } {
  softmax(logits(model.weights, x, p), model.weights.temperature);
  const { allowed, joins, labels } = plan;
  // a merged category's probability goes to its successor's (joins[k] is k itself for the others)
  if (joins)
    for (let k = 0; k < joins.length; k++) {
      const j = joins[k]!;
      if (j !== k) p[j] = p[j]! + p[k]!;
    }
  // b goes before a: a higher probability, or the same and the label first in string order
  const before = (b: number, a: number) => p[b]! > p[a]! || (p[b] === p[a] && labels[b]! < labels[a]!);
  let mass = 0;
  let count = 0;
  for (let k = 0; k < labels.length; k++) {
    if (allowed && !allowed[k]) continue;
    mass += p[k]!;
    // insertion into the few best so far
    let at = Math.min(count, into.length);
    while (at > 0 && before(k, into[at - 1]!)) {
      if (at < into.length) into[at] = into[at - 1]!;
      at--;
    }
    if (at < into.length) into[at] = k;
    count++;
  }
  return { found: count, mass: mass || 1 };
}

/**
 * How a model's labels are suggested under today's category tree (rankAllowed): which may be, and which were merged
 * into another since the model was trained.
 */
export interface LabelPlan {
  /** 1 where label k may be suggested (null: all) */
  allowed: Uint8Array | null;
  /** the label index whose probability label k's joins (k itself unless k was merged; null: none merged) */
  joins: Int32Array | null;
  /** what label k is suggested as: its own, or the category it was merged into */
  labels: readonly string[];
}

/**
 * A model's labels under a set of usable categories (`allowed`; none given: all) and the merges since its training
 * (`mergedInto`, label → successor). A merged label's probability joins its successor's label when the model has
 * one; otherwise the merged label stands for its successor (the first of several merged into the same new one, the
 * others joining it) — so a model trained before a merge suggests the merged category's matters as the successor
 * rather than not at all.
 */
export function labelPlan(
  model: ClassifierModel,
  allowed?: ReadonlySet<string>,
  mergedInto?: ReadonlyMap<string, string>,
): LabelPlan {
  if (!mergedInto?.size)
    return {
      allowed: allowed ? Uint8Array.from(model.labels, (l) => (allowed.has(l) ? 1 : 0)) : null,
      joins: null,
      labels: model.labels,
    };
  const own = new Map(model.labels.map((l, k) => [l, k]));
  const standsFor = new Map<string, number>(); // successor → the index that carries it
  const joins = Int32Array.from(model.labels, (_, k) => k);
  const labels = [...model.labels];
  model.labels.forEach((l, k) => {
    const into = mergedInto.get(l);
    if (into === undefined) return;
    const carrier = own.get(into) ?? standsFor.get(into);
    if (carrier !== undefined) joins[k] = carrier;
    else {
      standsFor.set(into, k);
      labels[k] = into;
    }
  });
  return {
    allowed: Uint8Array.from(labels, (l, k) => (joins[k] === k && (!allowed || allowed.has(l)) ? 1 : 0)),
    joins,
    labels,
  };
}

/**
 * The top `top` categories for a text, among `allowed` when given (a centre's usable categories; a category
 * retired after training is simply not allowed), with confidences renormalised over what may be suggested.
 */
export function classify(
  model: ClassifierModel,
  text: ClassifierText,
  opts: {
    top?: number;
    allowed?: ReadonlySet<string>;
    words?: number;
    /** the text's terms when the caller has read it already, the way this model reads (features.ts sameReading) */
    terms?: Map<string, number>;
    /** categories merged since the model was trained: label → successor (category-prior.ts viewTree) */
    mergedInto?: ReadonlyMap<string, string>;
  } = {},
): Prediction {
  const x = vectorize(opts.terms ?? textTerms(text, model.features), model.vocab);
  if (!x.idx.length) return { kind: 'none', reason: 'no_terms' };
  const p = new Float64Array(model.weights.classes);
  const top = new Int32Array(opts.top ?? 3);
  const plan = labelPlan(model, opts.allowed, opts.mergedInto);
  const { found, mass } = rankAllowed(model, x, plan, p, top);
  if (!found) return { kind: 'none', reason: 'no_allowed_category' };
  const count = Math.min(found, top.length);
  const K = model.weights.classes;
  const wanted = opts.words ?? 5;
  return {
    kind: 'suggestions',
    suggestions: [...top.subarray(0, count)].map((k) => {
      const label = plan.labels[k]!;
      // none asked for: none gathered, rather than every weighed term of each suggestion allocated and sorted only to
      // be dropped
      if (wanted <= 0) return { label, confidence: p[k]! / mass, words: [] };
      // a suggestion that carries merged categories (合并) is explained by whichever of them a term weighed for most:
      // its probability is theirs together, and the successor's own weights may have learnt none of the text's words
      const carried = [k];
      if (plan.joins) for (let i = 0; i < plan.joins.length; i++) if (i !== k && plan.joins[i] === k) carried.push(i);
      const words: WordWeight[] = [];
      for (let n = 0; n < x.idx.length; n++) {
        const j = x.idx[n]!;
        let weight = 0;
        for (const c of carried) weight = Math.max(weight, x.val[n]! * model.weights.w[j * K + c]!);
        if (weight > 0) words.push({ term: model.vocab.terms[j]!, weight });
      }
      words.sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : 1));
      return { label, confidence: p[k]! / mass, words: words.slice(0, wanted) };
    }),
  };
}

/**
 * classify()'s top `buffers.top.length` of a text already read, without words, written from slot `at` of
 * `into.label` (label indexes; left as they are where there are fewer) and `into.confidence`. For a training's
 * holdout, whose 20 000 predictions through classify() allocated lists and objects per text in a loop whose other
 * allocations all die at once: V8 promoted that garbage, and on some runs a retraining's heap grew by ~100 MB before
 * a full collection (issue 13's 300 MB). `plan` from labelPlan() (`into.label` indexes its labels); `buffers.p` of the
 * model's size.
 */
export function rankInto(
  model: ClassifierModel,
  terms: Map<string, number>,
  plan: LabelPlan,
  buffers: { p: Float64Array<ArrayBuffer>; top: Int32Array },
  into: { label: Int32Array; confidence: Float64Array },
  at: number,
): void {
  const x = vectorize(terms, model.vocab);
  if (!x.idx.length) return;
  const { p, top } = buffers;
  const { found, mass } = rankAllowed(model, x, plan, p, top);
  for (let n = 0; n < Math.min(found, top.length); n++) {
    into.label[at + n] = top[n]!;
    into.confidence[at + n] = p[top[n]!]! / mass;
  }
}
