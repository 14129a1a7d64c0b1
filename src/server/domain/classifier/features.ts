import { termCounts } from '../text-tokens.js';

// 第四、十二条 智能分类: what the classifier sees of a citizen's words. Terms are the same as search and duplicate
// detection use (jieba words plus Chinese character bigrams, text-tokens.ts), so one segmentation serves all three.
// A term in the title counts twice: a citizen's title names the matter ("路灯不亮"), the body tells the story.

/** A text as the classifier reads it: a title (may be empty) and a body. */
export interface ClassifierText {
  title?: string | null;
  body: string;
}

/** How a text becomes terms; a trained model keeps the options it was trained with (model-codec.ts). */
export interface FeatureOptions {
  /** how much a title term counts against a body term's 1 */
  titleWeight: number;
  /** also the character trigrams of each run of Chinese characters */
  charTrigrams: boolean;
  /**
   * A term counts as often as it occurs in a part, at most this many times (TF-IDF then takes 1 + log of the sum:
   * sublinear tf); absent or 0, once per part however often it occurs (the first models).
   */
  termCounts?: number;
  /**
   * jieba's mode: 'search' (absent: every model before 2026-12-06) adds the dictionary words inside a long word;
   * 'precise' cuts each word once — the bigrams already cover the two-character words inside, and it takes a
   * quarter less of jieba's time, the largest share of training on a long history.
   */
  segmentation?: 'search' | 'precise';
}

/** The terms of the first models (stored models without feature options were trained with these). */
export const LEGACY_FEATURES: FeatureOptions = { titleWeight: 2, charTrigrams: false };

// Occurrences counted (2026-12-06): on the 1 521 TipDM labels macro-F1 rose on each of fold seeds 1–6 (mean of 1–3
// 0.865 → 0.876) and top-3 with it, on the 1 832 on seeds 1–3; a cap of 8 scored the same (docs/classification.md).
// Precise mode (2026-12-06): on the 1 521 TipDM labels macro-F1 over fold seeds 1–3 0.876 (search) → 0.878, seeds
// 1–6 0.872 → 0.876; on the 1 832, seeds 1–3, 0.867 → 0.869; jieba 61 → 46 µs a part (docs/classification.md).
export const DEFAULT_FEATURES: FeatureOptions = { ...LEGACY_FEATURES, termCounts: 32, segmentation: 'precise' };

/** Whether two models read a text into the same terms (then one reading of a text serves both: textTerms). */
export const sameReading = (a: FeatureOptions, b: FeatureOptions) =>
  a.titleWeight === b.titleWeight &&
  a.charTrigrams === b.charTrigrams &&
  (a.termCounts ?? 0) === (b.termCounts ?? 0) &&
  (a.segmentation ?? 'search') === (b.segmentation ?? 'search');

/** Term → raw weight (per occurrence, or once per part: titleWeight for a title term, 1 for a body term, summed). */
export function textTerms(text: ClassifierText, opts: FeatureOptions = DEFAULT_FEATURES): Map<string, number> {
  const terms = new Map<string, number>();
  const read = (s: string, w: number) => {
    // the first models' once per part is a cap of 1 (a trigram jieba also found then counts once too)
    const cap = Math.max(1, opts.termCounts ?? 0);
    const own = termCounts(s, cap, opts.segmentation === 'precise');
    if (opts.charTrigrams) for (const [t, n] of trigrams(s)) own.set(t, Math.min(cap, (own.get(t) ?? 0) + n));
    for (const [t, n] of own) terms.set(t, (terms.get(t) ?? 0) + w * n);
  };
  read(text.body, 1);
  if (text.title) read(text.title, opts.titleWeight);
  return terms;
}

/** Character trigrams of the runs of Chinese characters ("路灯不亮" → 路灯不, 灯不亮) with their occurrences. */
function trigrams(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const run of text.match(/\p{Script=Han}{3,}/gu) ?? [])
    for (let i = 0; i + 3 <= run.length; i++) {
      const t = run.slice(i, i + 3);
      out.set(t, (out.get(t) ?? 0) + 1);
    }
  return out;
}

/** A sparse vector: parallel arrays of feature indices (ascending) and values. */
export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

/**
 * The vocabulary of a trained model and its inverse document frequencies. Terms seen in fewer than `minDf`
 * training texts are dropped (a word seen once teaches nothing and costs memory), and at most `maxFeatures` terms
 * are kept, the most frequent first, so the weights stay bounded whatever the history's size.
 */
export interface Vocabulary {
  terms: string[];
  index: Map<string, number>;
  idf: Float32Array;
}

export function buildVocabulary(
  docs: Array<Map<string, number>>,
  weights: number[],
  opts: { minDf: number; maxFeatures: number },
): Vocabulary {
  const df = new Map<string, number>();
  docs.forEach((d, i) => {
    const w = weights[i] ?? 1;
    for (const t of d.keys()) df.set(t, (df.get(t) ?? 0) + w);
  });
  const kept = [...df.entries()]
    .filter(([, n]) => n >= opts.minDf)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, opts.maxFeatures);
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  const terms = kept.map(([t]) => t);
  const idf = new Float32Array(kept.map(([, n]) => Math.log((1 + total) / (1 + n)) + 1));
  return { terms, index: new Map(terms.map((t, i) => [t, i])), idf };
}

/** Reused by vectorize(): a text's known term indexes and raw weights before they are sorted and normalised. */
let scratchIds = new Int32Array(512);
let scratchRaw = new Float64Array(512);

/**
 * TF-IDF of a text's terms over the vocabulary, L2-normalised; unknown terms are ignored. No object per term: a
 * [index, value] pair per term made the 20 000 predictions of a training's holdout allocate ~200 MB, and once V8
 * pretenured those pairs they filled the old generation as garbage — a retraining peaked at ~390 MB instead of ~290 MB
 * on some runs (issue 13). The indexes are sorted as numbers; each value is found again through its term.
 */
export function vectorize(terms: Map<string, number>, vocab: Vocabulary): SparseVector {
  if (scratchIds.length < terms.size) scratchIds = new Int32Array(terms.size * 2);
  let n = 0;
  for (const t of terms.keys()) {
    const j = vocab.index.get(t);
    if (j !== undefined) scratchIds[n++] = j;
  }
  const idx = scratchIds.slice(0, n).sort();
  if (scratchRaw.length < n) scratchRaw = new Float64Array(n * 2);
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const j = idx[i]!;
    const v = (1 + Math.log(terms.get(vocab.terms[j]!)!)) * vocab.idf[j]!;
    scratchRaw[i] = v;
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  const val = new Float32Array(n);
  for (let i = 0; i < n; i++) val[i] = scratchRaw[i]! / norm;
  return { idx, val };
}
