import { DEFAULT_CLASSIFIER, type LabelledText } from '../src/server/domain/classifier/classifier.js';
import { score } from '../src/server/domain/classifier/evaluation.js';
import {
  buildVocabulary,
  DEFAULT_FEATURES,
  textTerms,
  vectorize,
  type SparseVector,
} from '../src/server/domain/classifier/features.js';

// Two reference baselines of issue 13, scored by `npm run classify:eval -- --baselines` in the same stratified folds
// as the product's classifier (only that script uses this file; it is not product code):
// - TF-IDF centroids: the product's own terms (features.ts, title weight included), idf from the training fold,
//   each text's vector L2-normalised; a class's centroid is the mean of its training vectors, normalised; a text
//   goes to the most cosine-similar centroids.
// - keyword matching on the category tree alone: a class's keywords are its level2 and level3 names, split on
//   ，、/ and spaces, pieces of at least 2 characters; a text scores the number of the class's distinct keywords
//   found in title + body (substring match). No training data is used except for ties.
// Both rank by score; ties (and texts with no term or no keyword) go to the class most frequent in the training
// fold, then by name.

/** Labels best first: by score, ties by the label's count in the training fold, then by name. */
export function rankByScore(scores: ReadonlyMap<string, number>, trainCount: ReadonlyMap<string, number>): string[] {
  return [...scores.keys()].sort(
    (a, b) =>
      scores.get(b)! - scores.get(a)! ||
      (trainCount.get(b) ?? 0) - (trainCount.get(a) ?? 0) ||
      (a < b ? -1 : a > b ? 1 : 0),
  );
}

function counts(labels: readonly string[]): Map<string, number> {
  const n = new Map<string, number>();
  for (const l of labels) n.set(l, (n.get(l) ?? 0) + 1);
  return n;
}

/** Splits a category name into keywords: on ，、/ (and commas) and white space, pieces of at least 2 characters. */
export function namePieces(name: string): string[] {
  return name
    .split(/[，、/,\s]+/u)
    .map((p) => p.trim())
    .filter((p) => [...p].length >= 2);
}

/**
 * Each class's keywords from the tree's rows (level1, level2, level3): its level2 and level3 names split into pieces
 * (`split`, namePieces by default); only the classes in `classes`.
 */
export function treeKeywords(
  rows: ReadonlyArray<Record<string, string | undefined>>,
  classes: ReadonlySet<string>,
  split: (name: string) => string[] = namePieces,
): Map<string, string[]> {
  const keywords = new Map<string, Set<string>>([...classes].map((c) => [c, new Set<string>()]));
  for (const r of rows) {
    const set = keywords.get(r.level1?.trim() ?? '');
    if (!set) continue;
    for (const name of [r.level2, r.level3]) for (const k of split(name ?? '')) set.add(k);
  }
  return new Map([...keywords].map(([c, set]) => [c, [...set]]));
}

/** Rankings of the keyword baseline for the texts `test`, ties by `trainCount`. */
export function keywordRankings(
  keywords: ReadonlyMap<string, readonly string[]>,
  test: readonly LabelledText[],
  trainCount: ReadonlyMap<string, number>,
): string[][] {
  return test.map((t) => {
    const text = `${t.title ?? ''}\n${t.body}`;
    const scores = new Map([...keywords].map(([c, ks]) => [c, ks.filter((k) => text.includes(k)).length]));
    return rankByScore(scores, trainCount);
  });
}

/** Rankings of the TF-IDF centroid baseline for the term maps `test`, trained on `train` (term maps and labels). */
export function centroidRankings(
  train: ReadonlyArray<{ terms: Map<string, number>; label: string }>,
  test: ReadonlyArray<Map<string, number>>,
  trainCount: ReadonlyMap<string, number>,
  vocabulary: { minDf: number; maxFeatures: number } = DEFAULT_CLASSIFIER,
): string[][] {
  // the product's vocabulary rule (minDf, maxFeatures) and TF-IDF (1 + log tf) × idf, L2-normalised
  const vocab = buildVocabulary(
    train.map((d) => d.terms),
    train.map(() => 1),
    vocabulary,
  );
  const centroids = new Map<string, Float64Array>();
  for (const d of train) {
    let c = centroids.get(d.label);
    if (!c) centroids.set(d.label, (c = new Float64Array(vocab.terms.length)));
    const x = vectorize(d.terms, vocab);
    for (let n = 0; n < x.idx.length; n++) c[x.idx[n]!]! += x.val[n]!;
  }
  // the mean's direction is the sum's: normalising the sum normalises the mean
  for (const c of centroids.values()) {
    const norm = Math.sqrt(c.reduce((a, v) => a + v * v, 0)) || 1;
    for (let j = 0; j < c.length; j++) c[j]! /= norm;
  }
  const cosine = (x: SparseVector, c: Float64Array) => {
    let s = 0;
    for (let n = 0; n < x.idx.length; n++) s += x.val[n]! * c[x.idx[n]!]!;
    return s;
  };
  return test.map((terms) => {
    const x = vectorize(terms, vocab);
    return rankByScore(new Map([...centroids].map(([label, c]) => [label, cosine(x, c)])), trainCount);
  });
}

/**
 * Both baselines in the folds `fold` (fold number of each text), as the lines of the block printed by classify:eval;
 * `treeRows` null: the keyword baseline is not run (it needs the tree).
 */
export function baselineLines(
  data: readonly LabelledText[],
  fold: readonly number[],
  folds: number,
  treeRows: ReadonlyArray<Record<string, string | undefined>> | null,
): string[] {
  const terms = data.map((d) => textTerms(d, DEFAULT_CLASSIFIER.features ?? DEFAULT_FEATURES));
  const keywords = treeRows && treeKeywords(treeRows, new Set(data.map((d) => d.label)));
  const centroid: string[][] = Array.from({ length: data.length }, () => []);
  const keyword: string[][] = Array.from({ length: data.length }, () => []);
  for (let f = 0; f < folds; f++) {
    const trainIdx = data.flatMap((_, i) => (fold[i] !== f ? [i] : []));
    const testIdx = data.flatMap((_, i) => (fold[i] === f ? [i] : []));
    const trainCount = counts(trainIdx.map((i) => data[i]!.label));
    const c = centroidRankings(
      trainIdx.map((i) => ({ terms: terms[i]!, label: data[i]!.label })),
      testIdx.map((i) => terms[i]!),
      trainCount,
    );
    testIdx.forEach((i, n) => (centroid[i] = c[n]!));
    if (keywords) {
      const k = keywordRankings(
        keywords,
        testIdx.map((i) => data[i]!),
        trainCount,
      );
      testIdx.forEach((i, n) => (keyword[i] = k[n]!));
    }
  }
  const truth = data.map((d) => d.label);
  const line = (name: string, ranked: string[][] | null) => {
    if (!ranked) return `  ${name.padEnd(28)}needs the category tree (--categories TREE.csv)`;
    const s = score(truth, ranked);
    return `  ${name.padEnd(28)}accuracy ${s.accuracy.toFixed(4)} macro-F1 ${s.macroF1.toFixed(4)} top3 ${s.top3.toFixed(4)}`;
  };
  return [
    'baselines (same folds):',
    line('TF-IDF centroids', centroid),
    line('keyword matching on tree', keywords ? keyword : null),
  ];
}
