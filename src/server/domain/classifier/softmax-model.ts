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
  /** passes over the examples — fewer when `maxSteps` is reached first */
  epochs: number;
  /**
   * At most this many example updates in all (at least one pass): a few hundred texts get every epoch, a history of
   * 100 000 tickets the same number of updates in fewer passes (issue 13: training within 60 s of CPU). Unset: no limit.
   */
  maxSteps?: number;
  learningRate: number;
  /** L2 penalty per update, applied lazily to the weights an example touches */
  l2: number;
  seed: number;
}

export const DEFAULT_SOFTMAX: SoftmaxOptions = { epochs: 12, learningRate: 0.2, l2: 1e-5, seed: 1 };

/** The passes a training of `examples` examples makes: `epochs`, fewer when that would exceed `maxSteps`, but at least one (unless `epochs` is 0). */
export function epochsFor(opts: Pick<SoftmaxOptions, 'epochs' | 'maxSteps'>, examples: number): number {
  if (opts.maxSteps === undefined || examples === 0) return opts.epochs;
  return Math.min(opts.epochs, Math.max(1, Math.floor(opts.maxSteps / examples)));
}

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
  return rowLogits(m, x.idx, x.val, x.idx.length, out);
}

/** logits() of the first `n` entries of parallel index/value arrays (a row copied out of SparseRows). */
function rowLogits(
  m: SoftmaxWeights,
  idx: ArrayLike<number>,
  val: ArrayLike<number>,
  n: number,
  out = new Float64Array(m.classes),
): Float64Array {
  const K = m.classes;
  for (let k = 0; k < K; k++) out[k] = m.b[k]!;
  for (let i = 0; i < n; i++) {
    const base = idx[i]! * K;
    const v = val[i]!;
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

/**
 * Training examples as rows of one store rather than an object each: 100 000 tickets are then a few typed arrays
 * (training-corpus.ts) instead of 100 000 objects holding two typed arrays each (issue 13: training under 300 MB).
 */
export interface SparseRows {
  /** the largest number of entries of one row (the size of the scratch arrays handed to `row`) */
  readonly maxLength: number;
  /** copies row r's feature indices (ascending) and values into idx/val and answers how many there are */
  row(r: number, idx: Int32Array, val: Float32Array): number;
  /** class index of row r */
  label(r: number): number;
  /** how much row r counts (a correction by a person counts more than a ticket nobody touched) */
  weight(r: number): number;
}

/** An array of TrainingExample seen as SparseRows (the evaluation command and tests train from these). */
export function exampleRows(examples: readonly TrainingExample[]): SparseRows {
  let maxLength = 0;
  for (const ex of examples) maxLength = Math.max(maxLength, ex.x.idx.length);
  return {
    maxLength,
    row(r, idx, val) {
      const x = examples[r]!.x;
      idx.set(x.idx);
      val.set(x.val);
      return x.idx.length;
    },
    label: (r) => examples[r]!.y,
    weight: (r) => examples[r]!.weight,
  };
}

const identity = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

export function trainSoftmax(
  examples: readonly TrainingExample[],
  classes: number,
  features: number,
  opts: SoftmaxOptions = DEFAULT_SOFTMAX,
): SoftmaxWeights {
  return drain(trainSoftmaxSteps(examples, classes, features, opts));
}

/** trainSoftmax in steps of STEP_EXAMPLES examples (yields between them; the result is the same). */
export function trainSoftmaxSteps(
  examples: readonly TrainingExample[],
  classes: number,
  features: number,
  opts: SoftmaxOptions = DEFAULT_SOFTMAX,
): Generator<void, SoftmaxWeights> {
  return trainRowsSteps(exampleRows(examples), identity(examples.length), classes, features, opts);
}

/**
 * Trains on the rows listed in `use` (in that order before shuffling: the same list trains the same model).
 * Each epoch visits them in a fresh shuffle of `use`; yields every STEP_EXAMPLES examples.
 */
export function* trainRowsSteps(
  rows: SparseRows,
  use: Int32Array,
  classes: number,
  features: number,
  opts: SoftmaxOptions = DEFAULT_SOFTMAX,
  /** the arrays of a previous training of the same size, zeroed and reused (their old model must be dropped) */
  reuse?: TrainingBuffers,
): Generator<void, SoftmaxWeights> {
  const K = classes;
  const size = features * K;
  // at 60 000 terms × 35 categories each array is 8 MB: a second training reuses the first one's rather than leave
  // them for the collector while it allocates its own (issue 13: the peak of training under 300 MB)
  const same = reuse?.w.length === size;
  const m: SoftmaxWeights = {
    classes: K,
    features,
    w: same ? reuse.w.fill(0) : new Float32Array(size),
    b: new Float32Array(K),
    temperature: 1,
  };
  const gw = same ? reuse.gw.fill(0) : new Float32Array(size); // AdaGrad: sum of squared gradients per weight
  if (reuse) [reuse.w, reuse.gw] = [m.w, gw];
  const gb = new Float32Array(K);
  const random = prng(opts.seed);
  const p = new Float64Array(K);
  const idx = new Int32Array(rows.maxLength);
  const val = new Float32Array(rows.maxLength);
  /** the classes an example updates and their gradients */
  const active = new Int32Array(K);
  const activeG = new Float64Array(K);
  const { w, b } = m;
  const { learningRate: rate, l2 } = opts;
  const eps = 1e-8;
  let done = 0;
  const epochs = epochsFor(opts, use.length);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const r of shuffledIndices(use, random)) {
      if (++done % STEP_EXAMPLES === 0) yield;
      const len = rows.row(r, idx, val);
      const y = rows.label(r);
      const weight = rows.weight(r);
      softmax(rowLogits(m, idx, val, len, p));
      let na = 0;
      for (let k = 0; k < K; k++) {
        // the gradient of the log-loss for class k is (p_k − [k = y]); classes with no probability to lose are
        // skipped, which keeps an update proportional to the classes in play rather than to all of them
        const g = (p[k]! - (k === y ? 1 : 0)) * weight;
        if (g > -1e-6 && g < 1e-6) continue;
        gb[k] = gb[k]! + g * g;
        b[k] = b[k]! - (rate * g) / Math.sqrt(gb[k]! + eps);
        active[na] = k;
        activeG[na++] = g;
      }
      // term by term, each term's block of weights in turn (w is feature-major): the same updates as class by
      // class — every weight is updated once per example, from values no other update touches — in memory order
      for (let n = 0; n < len; n++) {
        const base = idx[n]! * K;
        const v = val[n]!;
        for (let a = 0; a < na; a++) {
          const i = base + active[a]!;
          const gi = activeG[a]! * v + l2 * w[i]!;
          gw[i] = gw[i]! + gi * gi;
          w[i] = w[i]! - (rate * gi) / Math.sqrt(gw[i] + eps);
        }
      }
    }
  }
  return m;
}

/** The weight and AdaGrad arrays of a training, for the next one of the same size to reuse. */
export interface TrainingBuffers {
  w: Float32Array;
  gw: Float32Array;
}

/** shuffled() of a list of row numbers: the same permutation as shuffling the rows themselves. */
export function shuffledIndices(items: Int32Array, random: () => number): Int32Array {
  const a = items.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a;
}

/**
 * The temperature that makes the confidences honest on examples the model did not train on: the one of a small
 * grid with the least log-loss. Left at 1 when there is nothing to fit on.
 */
export function fitTemperature(m: SoftmaxWeights, heldOut: readonly TrainingExample[]): number {
  return fitTemperatureRows(m, exampleRows(heldOut), identity(heldOut.length));
}

/** fitTemperature on the rows listed in `use`. */
export function fitTemperatureRows(m: SoftmaxWeights, rows: SparseRows, use: Int32Array): number {
  if (!use.length) return 1;
  const K = m.classes;
  const idx = new Int32Array(rows.maxLength);
  const val = new Float32Array(rows.maxLength);
  const scores = new Float64Array(use.length * K);
  use.forEach((r, i) => {
    const len = rows.row(r, idx, val);
    rowLogits(m, idx, val, len, scores.subarray(i * K, (i + 1) * K));
  });
  let best = 1;
  let bestLoss = Infinity;
  for (const t of [0.25, 0.35, 0.5, 0.7, 1, 1.4, 2, 2.8, 4]) {
    let loss = 0;
    use.forEach((r, i) => {
      const p = softmax(scores.slice(i * K, (i + 1) * K), t);
      loss -= Math.log(Math.max(p[rows.label(r)]!, 1e-12));
    });
    if (loss < bestLoss) [best, bestLoss] = [t, loss];
  }
  return best;
}
