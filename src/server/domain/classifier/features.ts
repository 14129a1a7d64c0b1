import { tokenize } from '../text-tokens.js';

// 第四、十二条 智能分类: what the classifier sees of a citizen's words. Terms are the same as search and duplicate
// detection use (jieba words plus Chinese character bigrams, text-tokens.ts), so one segmentation serves all three.
// A term in the title counts twice: a citizen's title names the matter ("路灯不亮"), the body tells the story.

/** A text as the classifier reads it: a title (may be empty) and a body. */
export interface ClassifierText {
  title?: string | null;
  body: string;
}

/** Term → raw weight (2 for a title term, 1 for a body term, 3 for both). */
export function textTerms(text: ClassifierText): Map<string, number> {
  const terms = new Map<string, number>();
  for (const t of tokenize(text.body)) terms.set(t, 1);
  if (text.title) for (const t of tokenize(text.title)) terms.set(t, (terms.get(t) ?? 0) + 2);
  return terms;
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

/** TF-IDF of a text's terms over the vocabulary, L2-normalised; unknown terms are ignored. */
export function vectorize(terms: Map<string, number>, vocab: Vocabulary): SparseVector {
  const pairs: Array<[number, number]> = [];
  for (const [t, w] of terms) {
    const j = vocab.index.get(t);
    if (j !== undefined) pairs.push([j, (1 + Math.log(w)) * vocab.idf[j]!]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  let norm = 0;
  for (const [, v] of pairs) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  return {
    idx: Int32Array.from(pairs, (p) => p[0]),
    val: Float32Array.from(pairs, (p) => p[1] / norm),
  };
}
