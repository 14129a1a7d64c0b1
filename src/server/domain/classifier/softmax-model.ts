import type { SparseVector } from './features.js';

// A multinomial logistic regression (softmax over classes) on sparse TF-IDF vectors, trained by stochastic
// gradient descent with per-weight AdaGrad steps. Why this and not a library: the npm linear-model packages work
// on dense matrices (ml-logistic-regression: a 100 000 × 50 000 matrix does not fit), and fastText's WebAssembly
// builds are one-person packages without a release history; a linear model on words and bigrams is what fastText
// itself is, and here it is ~150 lines that train 100 000 tickets in seconds, predict in microseconds and can
// say which words weighed (docs/classification.md has the figures of both on the same folds).

export interface TrainingExample {
  x: SparseVector;
  /** class index */
  y: number;
  /** how much this example counts (a correction by a person counts more than a ticket nobody touched) */
  weight: number;
}

export interface SoftmaxOptions {
  epochs: number;
  learningRate: number;
  /** L2 penalty per update, applied lazily to the weights an example touches */
  l2: number;
  seed: number;
}

export const DEFAULT_SOFTMAX: SoftmaxOptions = { epochs: 12, learningRate: 0.2, l2: 1e-5, seed: 1 };

/** Weights: feature-major (w[j * classes + k]) so one example reads one contiguous block per term. */
export interface SoftmaxWeights {
  classes: number;
  features: number;
  w: Float32Array;
  b: Float32Array;
  /** softmax temperature fitted on held-out examples: confidences that mean what they say */
  temperature: number;
}

/** A small deterministic PRNG (mulberry32): the same seed trains the same model. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const a = items.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** Raw class scores (logits) of one vector. */
export function logits(m: SoftmaxWeights, x: SparseVector, out = new Float64Array(m.classes)): Float64Array {
  const K = m.classes;
  for (let k = 0; k < K; k++) out[k] = m.b[k]!;
  for (let n = 0; n < x.idx.length; n++) {
    const base = x.idx[n]! * K;
    const v = x.val[n]!;
    for (let k = 0; k < K; k++) out[k] = out[k]! + v * m.w[base + k]!;
  }
  return out;
}

/** Softmax of scores divided by the temperature, in place. */
export function softmax(scores: Float64Array, temperature = 1): Float64Array {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  for (let k = 0; k < scores.length; k++) {
    const e = Math.exp((scores[k]! - max) / temperature);
    scores[k] = e;
    sum += e;
  }
  for (let k = 0; k < scores.length; k++) scores[k] = scores[k]! / sum;
  return scores;
}

/** How many examples a training step handles before it lets the caller breathe (see trainSteps). */
export const STEP_EXAMPLES = 2_000;

/** Runs a stepwise computation to its end at once (the evaluation command, tests). */
export function drain<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * Runs a stepwise computation, giving the event loop a turn between steps: a process that serves requests and
 * trains (ROLES=http,scheduler) keeps answering while a model of 100 000 tickets is trained.
 */
export async function drainAsync<T>(steps: Generator<void, T>): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

export function trainSoftmax(
  examples: readonly TrainingExample[],
  classes: number,
  features: number,
  opts: SoftmaxOptions = DEFAULT_SOFTMAX,
): SoftmaxWeights {
  return drain(trainSoftmaxSteps(examples, classes, features, opts));
}

/** trainSoftmax in steps of STEP_EXAMPLES examples (yields between them; the result is the same). */
export function* trainSoftmaxSteps(
  examples: readonly TrainingExample[],
  classes: number,
  features: number,
  opts: SoftmaxOptions = DEFAULT_SOFTMAX,
): Generator<void, SoftmaxWeights> {
  const K = classes;
  const m: SoftmaxWeights = {
    classes: K,
    features,
    w: new Float32Array(features * K),
    b: new Float32Array(K),
    temperature: 1,
  };
  const gw = new Float32Array(features * K); // AdaGrad: sum of squared gradients per weight
  const gb = new Float32Array(K);
  const random = prng(opts.seed);
  const p = new Float64Array(K);
  const eps = 1e-8;
  let done = 0;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (const ex of shuffled(examples, random)) {
      if (++done % STEP_EXAMPLES === 0) yield;
      softmax(logits(m, ex.x, p));
      for (let k = 0; k < K; k++) {
        // the gradient of the log-loss for class k is (p_k − [k = y]); classes with no probability to lose are
        // skipped, which keeps an update proportional to the classes in play rather than to all of them
        const g = (p[k]! - (k === ex.y ? 1 : 0)) * ex.weight;
        if (g > -1e-6 && g < 1e-6) continue;
        gb[k] = gb[k]! + g * g;
        m.b[k] = m.b[k]! - (opts.learningRate * g) / Math.sqrt(gb[k]! + eps);
        for (let n = 0; n < ex.x.idx.length; n++) {
          const i = ex.x.idx[n]! * K + k;
          const gi = g * ex.x.val[n]! + opts.l2 * m.w[i]!;
          gw[i] = gw[i]! + gi * gi;
          m.w[i] = m.w[i]! - (opts.learningRate * gi) / Math.sqrt(gw[i] + eps);
        }
      }
    }
  }
  return m;
}

/**
 * The temperature that makes the confidences honest on examples the model did not train on: the one of a small
 * grid with the least log-loss. Left at 1 when there is nothing to fit on.
 */
export function fitTemperature(m: SoftmaxWeights, heldOut: readonly TrainingExample[]): number {
  if (!heldOut.length) return 1;
  const scores = heldOut.map((ex) => logits(m, ex.x));
  let best = 1;
  let bestLoss = Infinity;
  for (const t of [0.25, 0.35, 0.5, 0.7, 1, 1.4, 2, 2.8, 4]) {
    let loss = 0;
    heldOut.forEach((ex, i) => {
      const p = softmax(Float64Array.from(scores[i]!), t);
      loss -= Math.log(Math.max(p[ex.y]!, 1e-12));
    });
    if (loss < bestLoss) [best, bestLoss] = [t, loss];
  }
  return best;
}
