import { prng, shuffled } from './softmax-model.js';

// How good a classifier is, measured the way the literature reports it: stratified k-fold cross-validation,
// per-class precision/recall/F1, macro-F1 (every class counts the same, however rare), accuracy and top-3
// accuracy (the agent sees three suggestions). Pure: used by `npm run classify:eval` and by the retraining gate.

/**
 * Fold number (0..k-1) of each item, stratified: each label's items are shuffled (seeded) and dealt round-robin,
 * so every fold holds about 1/k of every class.
 */
export function stratifiedFolds(labels: readonly string[], k: number, seed: number): number[] {
  if (k < 2) throw new Error('folds must be at least 2');
  const byLabel = new Map<string, number[]>();
  labels.forEach((l, i) => byLabel.set(l, [...(byLabel.get(l) ?? []), i]));
  const fold = new Array<number>(labels.length).fill(0);
  const random = prng(seed);
  let next = 0;
  for (const label of [...byLabel.keys()].sort()) {
    for (const i of shuffled(byLabel.get(label)!, random)) fold[i] = next++ % k;
  }
  return fold;
}

export interface ClassScores {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface EvaluationScores {
  accuracy: number;
  macroF1: number;
  top3: number;
  perClass: ClassScores[];
  /** confusion[i][j]: items of labels[i] predicted as labels[j] */
  labels: string[];
  confusion: number[][];
}

/** Scores of predictions: `ranked[i]` is the model's labels for item i, best first (may be empty: no suggestion). */
export function score(truth: readonly string[], ranked: readonly (readonly string[])[]): EvaluationScores {
  const labels = [...new Set(truth)].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  const confusion = labels.map(() => labels.map(() => 0));
  let correct = 0;
  let top3 = 0;
  const predictedAs = new Map<string, number>();
  // every text of a label counts in its support: also one with no suggestion, or whose first suggestion is a label
  // no text has (a category with no held-out ticket) — neither is in the confusion matrix's columns
  const supportOf = new Map<string, number>();
  truth.forEach((t, i) => {
    const first = ranked[i]?.[0];
    supportOf.set(t, (supportOf.get(t) ?? 0) + 1);
    if (first === t) correct++;
    if (ranked[i]?.slice(0, 3).includes(t)) top3++;
    if (first !== undefined) {
      predictedAs.set(first, (predictedAs.get(first) ?? 0) + 1);
      const j = index.get(first);
      if (j !== undefined) confusion[index.get(t)!]![j]!++;
    }
  });
  const perClass = labels.map((label, i) => {
    const tp = confusion[i]![i]!;
    const support = supportOf.get(label) ?? 0;
    const predicted = predictedAs.get(label) ?? 0;
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  const n = truth.length || 1;
  return {
    accuracy: correct / n,
    macroF1: perClass.reduce((a, c) => a + c.f1, 0) / (perClass.length || 1),
    top3: top3 / n,
    perClass,
    labels,
    confusion,
  };
}

/** The p-th percentile (0..100) of a list of numbers, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return 0;
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface CalibrationBin {
  /** the bin holds first suggestions with from ≤ confidence < to (the last bin includes 1) */
  from: number;
  to: number;
  count: number;
  meanConfidence: number;
  /** share of them that were right */
  accuracy: number;
}

/**
 * How far the first suggestion's confidence is from how often it is right (issue 13: "calibrated confidences").
 * `ece` is the expected calibration error: over equal-width confidence bins, |mean confidence − accuracy| weighted
 * by the bin's share of the texts; 0 when "80 %" is right four times in five. Empty bins are left out.
 */
export function calibration(
  points: ReadonlyArray<{ confidence: number; correct: boolean }>,
  bins = 10,
): { ece: number; bins: CalibrationBin[] } {
  const acc = Array.from({ length: bins }, () => ({ count: 0, confidence: 0, correct: 0 }));
  for (const p of points) {
    const b = acc[Math.min(bins - 1, Math.max(0, Math.floor(p.confidence * bins)))]!;
    b.count++;
    b.confidence += p.confidence;
    if (p.correct) b.correct++;
  }
  const out: CalibrationBin[] = [];
  let ece = 0;
  acc.forEach((b, i) => {
    if (!b.count) return;
    const meanConfidence = b.confidence / b.count;
    const accuracy = b.correct / b.count;
    ece += (b.count / points.length) * Math.abs(meanConfidence - accuracy);
    out.push({ from: i / bins, to: (i + 1) / bins, count: b.count, meanConfidence, accuracy });
  });
  return { ece, bins: out };
}

/**
 * A percentile bootstrap interval for macro-F1 and accuracy: the texts are drawn again with replacement `samples`
 * times (seeded) and scored. It says how much the figures would move on another sample of texts as hard as these,
 * with the predictions fixed — not how much they move with another training set (the fold seeds show that).
 */
export function bootstrapInterval(
  truth: readonly string[],
  ranked: readonly (readonly string[])[],
  opts: { samples?: number; seed?: number; level?: number } = {},
): { macroF1: [number, number]; accuracy: [number, number] } {
  const samples = opts.samples ?? 1000;
  const level = opts.level ?? 0.95;
  const random = prng(opts.seed ?? 1);
  const n = truth.length;
  const f1s: number[] = [];
  const accs: number[] = [];
  const t: string[] = new Array<string>(n);
  const r: (readonly string[])[] = new Array<readonly string[]>(n);
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < n; i++) {
      const j = Math.floor(random() * n);
      t[i] = truth[j]!;
      r[i] = ranked[j]!;
    }
    const sc = score(t, r);
    f1s.push(sc.macroF1);
    accs.push(sc.accuracy);
  }
  const tail = ((1 - level) / 2) * 100;
  const range = (v: number[]): [number, number] => [percentile(v, tail), percentile(v, 100 - tail)];
  return { macroF1: range(f1s), accuracy: range(accs) };
}

/**
 * Per label, the label its texts were most often mistaken for (first suggestion) and how many times — what an admin
 * looks at to see where two categories' words overlap. Ties go to the label first in sort order; null: never wrong.
 */
export function mostConfusedWith(
  truth: readonly string[],
  ranked: readonly (readonly string[])[],
): Map<string, { label: string; count: number } | null> {
  const pairs = new Map<string, Map<string, number>>();
  truth.forEach((t, i) => {
    const first = ranked[i]?.[0];
    if (first === undefined || first === t) return;
    const row = pairs.get(t) ?? new Map<string, number>();
    row.set(first, (row.get(first) ?? 0) + 1);
    pairs.set(t, row);
  });
  const out = new Map<string, { label: string; count: number } | null>();
  for (const t of new Set(truth)) {
    let best: { label: string; count: number } | null = null;
    for (const [label, count] of pairs.get(t) ?? [])
      if (!best || count > best.count || (count === best.count && label < best.label)) best = { label, count };
    out.set(t, best);
  }
  return out;
}
