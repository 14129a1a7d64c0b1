import type { SoftmaxWeights, SparseRows } from './softmax-model.js';

// 第四条 智能分类 (issue 13): a complement naive Bayes model folded into the logistic regression's weights. On a few
// hundred real messages the regression alone is data-starved (macro-F1 0.83 on the TipDM labels, 5 folds) and naive
// Bayes, which needs no iterations to count what it has seen, adds what the regression did not learn (0.85, seeds 1–3,
// docs/classification.md). Both are linear in the TF-IDF vector, so the sum is one weight matrix: the stored model,
// its codec, prediction time and the "words that weighed" stay what they were.
//
// Complement NB (Rennie et al. 2003): a class is scored by how unlike the other classes' texts the text is, which
// stays fair to rare classes where plain multinomial NB favours the frequent ones.

export interface NaiveBayesOptions {
  /** how much the naive Bayes scores count beside the regression's logits (0: regression only) */
  weight: number;
  /** additive (Laplace/Lidstone) smoothing of the term counts */
  alpha: number;
}

export const DEFAULT_NAIVE_BAYES: NaiveBayesOptions = { weight: 2, alpha: 0.1 };

/**
 * Adds weight × the complement-NB log-likelihoods of the rows in `use` to the model's weights, in place. Each term's
 * contribution is centred over the classes (softmax does not change; a word then weighs for a class only when it
 * speaks for it more than for the others, which keeps the explanations honest).
 *
 * `scratch`: memory nothing needs any more, 8 bytes × classes or more (the trainer passes the AdaGrad sums, done with
 * once the weights are trained). The Float64 counts are then taken there, as many terms at a time as fit, one pass
 * over the rows per block, instead of in an array of features × classes of their own (issue 13: at 60 000 terms × 35
 * categories that array is 17 MB, at the training's peak). The sums are the same, added in the same order.
 */
export function addComplementNaiveBayes(
  m: SoftmaxWeights,
  rows: SparseRows,
  use: ArrayLike<number>,
  opts: NaiveBayesOptions,
  scratch?: ArrayBufferLike,
): void {
  if (!opts.weight || !use.length) return;
  const K = m.classes;
  const F = m.features;
  const fit = scratch ? Math.min(F, Math.floor(scratch.byteLength / 8 / K)) : 0;
  const block = fit >= 1 ? fit : F;
  const count = fit >= 1 ? new Float64Array(scratch!, 0, block * K) : new Float64Array(F * K);
  const total = new Float64Array(K);
  const idx = new Int32Array(rows.maxLength);
  const val = new Float32Array(rows.maxLength);
  const score = new Float64Array(K);
  let all = 0;
  for (let lo = 0; lo < F; lo += block) {
    const hi = Math.min(F, lo + block);
    count.fill(0);
    for (let u = 0; u < use.length; u++) {
      const r = use[u]!;
      const len = rows.row(r, idx, val);
      const y = rows.label(r);
      const w = rows.weight(r);
      for (let n = 0; n < len; n++) {
        const v = val[n]! * w;
        const j = idx[n]!;
        if (j >= lo && j < hi) count[(j - lo) * K + y] = count[(j - lo) * K + y]! + v;
        if (lo === 0) total[y] = total[y]! + v;
      }
    }
    if (lo === 0) for (let k = 0; k < K; k++) all += total[k]!;
    for (let j = lo; j < hi; j++) {
      const base = (j - lo) * K;
      let term = 0;
      for (let k = 0; k < K; k++) term += count[base + k]!;
      let mean = 0;
      for (let k = 0; k < K; k++) {
        const complement = (term - count[base + k]! + opts.alpha) / (all - total[k]! + opts.alpha * F);
        score[k] = -Math.log(complement);
        mean += score[k]!;
      }
      mean /= K;
      for (let k = 0; k < K; k++) m.w[j * K + k] = m.w[j * K + k]! + opts.weight * (score[k]! - mean);
    }
  }
}
