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
  truth.forEach((t, i) => {
    const first = ranked[i]?.[0];
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
    const support =
      confusion[i]!.reduce((a, b) => a + b, 0) + truth.filter((t, n) => t === label && !ranked[n]?.length).length;
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
