import { textTerms, vectorize, type ClassifierText, type SparseVector, type Vocabulary } from './features.js';
import {
  DEFAULT_SOFTMAX,
  fitTemperature,
  logits,
  prng,
  shuffled,
  softmax,
  STEP_EXAMPLES,
  drain,
  drainAsync,
  trainSoftmaxSteps,
  type SoftmaxOptions,
  type SoftmaxWeights,
  type TrainingExample,
} from './softmax-model.js';

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
}

export const DEFAULT_CLASSIFIER: ClassifierOptions = {
  softmax: DEFAULT_SOFTMAX,
  minDf: 2,
  maxFeatures: 60_000,
  priorWeight: 2,
  calibrationShare: 0.1,
};

export interface ClassifierModel {
  format: 1;
  labels: string[];
  vocab: Vocabulary;
  weights: SoftmaxWeights;
  /** labelled texts it learned from (the prior's pseudo-texts not counted) */
  examples: number;
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

/** Examples the temperature probe trains on at most (a large history would otherwise be trained twice). */
const PROBE_MAX = 20_000;

/** features.ts buildVocabulary over interned term ids: the same terms, order and idf. */
function vocabularyOf(
  dict: Map<string, number>,
  docs: Int32Array[],
  weights: number[],
  opts: { minDf: number; maxFeatures: number },
): Vocabulary {
  const df = new Float64Array(dict.size);
  docs.forEach((ids, i) => {
    const w = weights[i] ?? 1;
    for (const id of ids) df[id] = df[id]! + w;
  });
  const names = new Array<string>(dict.size);
  for (const [t, id] of dict) names[id] = t;
  const kept: Array<[string, number]> = [];
  for (let id = 0; id < df.length; id++) if (df[id]! >= opts.minDf) kept.push([names[id]!, df[id]!]);
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  kept.length = Math.min(kept.length, opts.maxFeatures);
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  const terms = kept.map(([t]) => t);
  const idf = new Float32Array(kept.map(([, n]) => Math.log((1 + total) / (1 + n)) + 1));
  return { terms, index: new Map(terms.map((t, i) => [t, i])), idf };
}

/** features.ts vectorize over interned term ids. */
function sparseTfIdf(ids: Int32Array, tw: Float32Array, remap: Int32Array, idf: Float32Array): SparseVector {
  const pairs: Array<[number, number]> = [];
  for (let n = 0; n < ids.length; n++) {
    const j = remap[ids[n]!]!;
    if (j >= 0) pairs.push([j, (1 + Math.log(tw[n]!)) * idf[j]!]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  let norm = 0;
  for (const [, v] of pairs) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  return { idx: Int32Array.from(pairs, (p) => p[0]), val: Float32Array.from(pairs, (p) => p[1] / norm) };
}

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
  const labels = [...new Set([...prior.map((p) => p.label), ...examples.map((e) => e.label)])].sort();
  if (!labels.length) throw new Error('nothing to learn: no labelled text and no category');
  const labelIndex = new Map(labels.map((l, i) => [l, i]));

  // Each text's terms are interned to provisional ids as soon as they are read, so 100 000 tickets are held as small
  // typed arrays rather than 100 000 Maps of strings (bench/classifier-training.ts: memory stays bounded).
  const dict = new Map<string, number>();
  const intern = (terms: Map<string, number>) => {
    const ids = new Int32Array(terms.size);
    const tw = new Float32Array(terms.size);
    let n = 0;
    for (const [t, w] of terms) {
      let id = dict.get(t);
      if (id === undefined) dict.set(t, (id = dict.size));
      ids[n] = id;
      tw[n++] = w;
    }
    return { ids, tw };
  };
  const priorTexts = prior
    .map((p) => ({ label: p.label, ...intern(textTerms({ body: p.keywords.join('，') })), weight: opts.priorWeight }))
    .filter((p) => p.ids.length);
  const real: Array<{ label: string; ids: Int32Array; tw: Float32Array; weight: number }> = [];
  for (const e of examples) {
    real.push({ label: e.label, ...intern(textTerms(e)), weight: e.weight ?? 1 });
    if (real.length % STEP_EXAMPLES === 0) yield; // segmentation is the slow part of reading the texts
  }
  const all = [...priorTexts, ...real];
  // a prior term is known even if only its own category names it: minDf counts tickets, not tree entries
  const vocab = vocabularyOf(
    dict,
    all.map((d) => d.ids),
    all.map((d, i) => (i < priorTexts.length ? Math.max(d.weight, opts.minDf) : d.weight)),
    opts,
  );
  const remap = new Int32Array(dict.size).fill(-1);
  for (const [t, id] of dict) remap[id] = vocab.index.get(t) ?? -1;
  dict.clear();
  const toExample = (d: (typeof all)[number]): TrainingExample => ({
    x: sparseTfIdf(d.ids, d.tw, remap, vocab.idf),
    y: labelIndex.get(d.label)!,
    weight: d.weight,
  });

  // hold out a few real examples to fit the temperature, train on the rest, then train again on everything with
  // that temperature (the held-out ones are too valuable to leave out of the final model)
  const realExamples = real.map(toExample).filter((e) => e.x.idx.length);
  const priorExamples = priorTexts.map(toExample).filter((e) => e.x.idx.length);
  let temperature = 1;
  if (realExamples.length >= 50) {
    // the temperature is one number: a sample of at most PROBE_MAX examples fits it as well as all of them, at a
    // fraction of the cost of a second full training
    const order = shuffled(realExamples, prng(opts.softmax.seed + 7)).slice(0, PROBE_MAX);
    const cut = Math.max(1, Math.round(order.length * opts.calibrationShare));
    const probe = yield* trainSoftmaxSteps(
      [...priorExamples, ...order.slice(cut)],
      labels.length,
      vocab.terms.length,
      opts.softmax,
    );
    temperature = fitTemperature(probe, order.slice(0, cut));
  }
  const weights = yield* trainSoftmaxSteps(
    [...priorExamples, ...realExamples],
    labels.length,
    vocab.terms.length,
    opts.softmax,
  );
  weights.temperature = temperature;
  return { format: 1, labels, vocab, weights, examples: examples.length };
}

/**
 * The top `top` categories for a text, among `allowed` when given (a centre's usable categories; a category
 * retired after training is simply not allowed), with confidences renormalised over what may be suggested.
 */
export function classify(
  model: ClassifierModel,
  text: ClassifierText,
  opts: { top?: number; allowed?: ReadonlySet<string>; words?: number } = {},
): Prediction {
  const x = vectorize(textTerms(text), model.vocab);
  if (!x.idx.length) return { kind: 'none', reason: 'no_terms' };
  const p = softmax(logits(model.weights, x), model.weights.temperature);
  const candidates = model.labels
    .map((label, k) => ({ label, k, p: p[k]! }))
    .filter((c) => !opts.allowed || opts.allowed.has(c.label));
  if (!candidates.length) return { kind: 'none', reason: 'no_allowed_category' };
  const mass = candidates.reduce((a, c) => a + c.p, 0) || 1;
  candidates.sort((a, b) => b.p - a.p || (a.label < b.label ? -1 : 1));
  const K = model.weights.classes;
  return {
    kind: 'suggestions',
    suggestions: candidates.slice(0, opts.top ?? 3).map((c) => {
      const words: WordWeight[] = [];
      for (let n = 0; n < x.idx.length; n++) {
        const j = x.idx[n]!;
        const weight = x.val[n]! * model.weights.w[j * K + c.k]!;
        if (weight > 0) words.push({ term: model.vocab.terms[j]!, weight });
      }
      words.sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : 1));
      return { label: c.label, confidence: c.p / mass, words: words.slice(0, opts.words ?? 5) };
    }),
  };
}
