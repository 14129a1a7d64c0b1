import { DEFAULT_FEATURES, textTerms, type Vocabulary } from './features.js';
import { TermTable } from './term-table.js';
import { addComplementNaiveBayes, DEFAULT_NAIVE_BAYES } from './naive-bayes.js';
import type { CategoryPrior, ClassifierModel, ClassifierOptions, LabelledText } from './classifier.js';
import {
  fitTemperatureRows,
  prng,
  shuffledIndices,
  STEP_EXAMPLES,
  trainRowsSteps,
  type SparseRows,
  type TrainingBuffers,
} from './softmax-model.js';

// 第四条 智能分类, issue 13 (training on 100 000 tickets under 60 s and 300 MB): the texts a model learns from,
// held as a few byte arrays instead of an object per text. A text is segmented the moment it is added and only its
// terms are kept, as a row of varint-coded gaps between ascending term ids (two bytes an occurrence, where a
// 32-bit id and a weight took five), in chunks of a megabyte. Once the vocabulary is known each row is re-coded
// to vocabulary indexes and the chunks already read are dropped, so the two codings never coexist whole. TF-IDF
// values are not stored: they are recomputed per row from the term weight, the idf and the row's norm, exactly as
// features.ts vectorize computes them, so the model is the one trained from vectors (training-corpus.test.ts).

/** Examples the temperature probe trains on at most (a large history would otherwise be trained twice). */
const PROBE_MAX = 20_000;

/** How the confidence temperature is fitted, for this many labelled examples (not the prior's pseudo-texts). */
export type CalibrationPlan =
  | { kind: 'none' }
  /** a probe model trained on `size` examples less `heldOut`, its temperature fitted on those and then used */
  | { kind: 'probe'; size: number; heldOut: number }
  /** the model itself trained without `heldOut` examples, its temperature fitted on them */
  | { kind: 'slice'; heldOut: number };

/**
 * A few examples the model did not learn from fit its temperature. With few examples every one counts, so a probe
 * model is trained without them and the final model with all of them. With a long history (the held-out sample at
 * most a twentieth of it) the model leaves them out itself and no probe is trained: the probe was half of the
 * regression's time at 100 000 tickets (issue 13: training under 60 s), and the temperature is then fitted to the
 * very scores that are served.
 */
export function calibrationPlan(examples: number, share: number, probeMax = PROBE_MAX): CalibrationPlan {
  if (examples < 50) return { kind: 'none' };
  const size = Math.min(examples, probeMax);
  const heldOut = Math.max(1, Math.round(size * share));
  return heldOut * 20 <= examples ? { kind: 'slice', heldOut } : { kind: 'probe', size, heldOut };
}

/** At most this many texts: address space reserved for their offsets, not memory used (pages commit as they fill). */
const MAX_ROWS = 2 ** 26;
const CHUNK_BYTES = 1 << 20;

interface ResizableBuffer extends ArrayBuffer {
  readonly maxByteLength: number;
  resize(byteLength: number): void;
}

// lib ES2023 does not type resizable ArrayBuffers yet; Node ≥ 20 has them
const resizableBuffer = (maxByteLength: number) =>
  new (ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => ResizableBuffer)(0, {
    maxByteLength,
  });

type Typed = Uint32Array | Int32Array | Float64Array;

/** A typed array growing in place (a length-tracking view over a resizable buffer): no copy, no second array. */
class Growable<A extends Typed> {
  readonly buffer: ResizableBuffer;
  readonly view: A;
  length = 0;
  private readonly bytes: number;

  constructor(Ctor: { new (buffer: ArrayBuffer): A; BYTES_PER_ELEMENT: number }, maxLength: number) {
    this.bytes = Ctor.BYTES_PER_ELEMENT;
    this.buffer = resizableBuffer(maxLength * this.bytes);
    this.view = new Ctor(this.buffer);
  }

  push(v: number): void {
    if (this.length === this.view.length) {
      const need = (this.length + 1) * this.bytes;
      if (need > this.buffer.maxByteLength) throw new Error('训练样本过多：超出分类器训练的容量');
      // a quarter more each time (at least 64 kB): few resizes, little slack at the end
      const grown = Math.max(need, this.buffer.byteLength + Math.max(1 << 16, this.buffer.byteLength >> 2));
      this.buffer.resize(Math.min(this.buffer.maxByteLength, Math.ceil(grown / this.bytes) * this.bytes));
    }
    this.view[this.length++] = v;
  }

  /** A plain copy of the elements (V8 reads a plain typed array several times faster), and the memory given back. */
  take(): A {
    const out = this.view.slice(0, this.length) as A;
    this.buffer.resize(0);
    return out;
  }
}

/** Rows of bytes in chunks of CHUNK_BYTES (larger for a row that needs it); a row never spans two chunks. */
class RowChunks {
  readonly chunks: Array<Uint8Array | null> = [];
  /** chunks of another RowChunks that are read and done with, filled again before any new one is allocated */
  readonly spare: Uint8Array[] = [];
  private at = CHUNK_BYTES;

  /** Stores bytes [0, len) of `row` and answers where: chunk index and offset. */
  put(row: Uint8Array, len: number): [number, number] {
    let chunk = this.chunks[this.chunks.length - 1];
    if (!chunk || this.at + len > chunk.length) {
      chunk = (len <= CHUNK_BYTES && this.spare.pop()) || new Uint8Array(Math.max(CHUNK_BYTES, len));
      this.chunks.push(chunk);
      this.at = 0;
    }
    chunk.set(row.subarray(0, len), this.at);
    this.at += len;
    return [this.chunks.length - 1, this.at - len];
  }
}

/** Unsigned LEB128 of a non-negative integer below 2^53. */
function putVarint(buf: Uint8Array, at: number, v: number): number {
  while (v >= 128) {
    buf[at++] = (v % 128) | 128;
    v = Math.floor(v / 128);
  }
  buf[at++] = v;
  return at;
}

/**
 * A row: for each term in ascending id order, varint(gap × 4 + c) where c is the weight's code when below 3, else 3
 * and the code follows in one byte (today's weights 1, 2, 3 are codes 0, 1, 2). Decodes into ids/codes.
 */
function decodeRow(c: Uint8Array, from: number, to: number, ids: Float64Array, codes: Uint8Array): number {
  let n = 0;
  let id = 0;
  for (let p = from; p < to;) {
    let v = 0;
    let mul = 1;
    let b: number;
    do {
      b = c[p++]!;
      v += (b & 127) * mul;
      mul *= 128;
    } while (b & 128);
    const gap = Math.floor(v / 4);
    const low = v - gap * 4;
    id += gap;
    ids[n] = id;
    codes[n++] = low < 3 ? low : c[p++]!;
  }
  return n;
}

/** Codes ascending (id, code) pairs, given as id × 256 + code, into `out`; answers the length. */
function encodeRow(keys: Float64Array, n: number, out: Uint8Array): number {
  let at = 0;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const id = Math.floor(keys[i]! / 256);
    const code = keys[i]! - id * 256;
    at = putVarint(out, at, (id - prev) * 4 + Math.min(code, 3));
    if (code >= 3) out[at++] = code;
    prev = id;
  }
  return at;
}

/**
 * The labelled texts (and the category tree's pseudo-texts) a classifier learns from. `add` each text, then run
 * `trainSteps()` once. trainClassifier is this with an array of texts; the scheduler's training streams tickets.
 */
export class TrainingCorpus {
  /** term → provisional id, until the vocabulary is known */
  private dict: TermTable | null = new TermTable();
  /** each row's terms: provisional ids, then (after pruning) vocabulary indexes */
  private rows = new RowChunks();
  private readonly rowChunk = new Growable(Int32Array, MAX_ROWS);
  private readonly rowFrom = new Growable(Uint32Array, MAX_ROWS);
  private readonly rowTo = new Growable(Uint32Array, MAX_ROWS);
  private readonly termWeights: number[] = [];
  private readonly weightCode = new Map<number, number>();
  private readonly labelCodes = new Growable(Int32Array, MAX_ROWS);
  private readonly rowWeights = new Growable(Float64Array, MAX_ROWS);
  private readonly labelNames: string[] = [];
  private readonly labelCode = new Map<string, number>();
  /** rows 0 … priorRows − 1 are the prior's pseudo-texts */
  private readonly priorRows: number;
  private texts = 0;
  private trained = false;
  private readonly features;
  /** scratch for one row: (id, code) keys and their coding */
  private keys = new Float64Array(256);
  private bytes = new Uint8Array(256 * 6);

  constructor(
    prior: readonly CategoryPrior[],
    private readonly opts: ClassifierOptions,
  ) {
    this.features = opts.features ?? DEFAULT_FEATURES;
    for (const p of prior) {
      const code = this.label(p.label);
      // a category whose names say nothing still is a label the model can answer
      this.addRow(textTerms({ body: p.keywords.join('，') }, this.features), code, opts.priorWeight, true);
    }
    this.priorRows = this.labelCodes.length;
  }

  /** Labelled texts added (the prior's pseudo-texts not counted). */
  get size(): number {
    return this.texts;
  }

  /** Segments the text now and keeps only its term ids. */
  add(text: LabelledText): void {
    if (this.trained) throw new Error('the corpus was already trained');
    this.addRow(textTerms(text, this.features), this.label(text.label), text.weight ?? 1, false);
    this.texts++;
  }

  private label(name: string): number {
    let code = this.labelCode.get(name);
    if (code === undefined) {
      this.labelCode.set(name, (code = this.labelNames.length));
      this.labelNames.push(name);
    }
    return code;
  }

  private scratch(n: number): void {
    if (this.keys.length < n) {
      this.keys = new Float64Array(n * 2);
      this.bytes = new Uint8Array(n * 2 * 6);
    }
  }

  private addRow(terms: Map<string, number>, label: number, weight: number, dropIfEmpty: boolean): void {
    if (dropIfEmpty && !terms.size) return;
    this.scratch(terms.size);
    let n = 0;
    for (const [t, w] of terms) {
      const id = this.dict!.id(t);
      // Float32 as the term weights always were stored (1, 2, 3 are exact)
      const tw = Math.fround(w);
      let code = this.weightCode.get(tw);
      if (code === undefined) {
        if (this.termWeights.length === 256) throw new Error('more than 256 distinct term weights');
        this.weightCode.set(tw, (code = this.termWeights.length));
        this.termWeights.push(tw);
      }
      this.keys[n++] = id * 256 + code;
    }
    this.store(this.keys.subarray(0, n).sort(), n);
    this.labelCodes.push(label);
    this.rowWeights.push(weight);
  }

  private store(keys: Float64Array, n: number): void {
    const len = encodeRow(keys, n, this.bytes);
    const [chunk, from] = this.rows.put(this.bytes, len);
    this.rowChunk.push(chunk);
    this.rowFrom.push(from);
    this.rowTo.push(from + len);
  }

  /** Builds the vocabulary, prunes the rows to it and trains (in steps, see softmax-model drain). */
  *trainSteps(): Generator<void, ClassifierModel> {
    if (this.trained) throw new Error('the corpus was already trained');
    this.trained = true;
    const { opts } = this;
    const labels = [...this.labelNames].sort();
    if (!labels.length) throw new Error('nothing to learn: no labelled text and no category');
    const sortedLabel = new Int32Array(this.labelNames.length);
    this.labelNames.forEach((name, code) => (sortedLabel[code] = labels.indexOf(name)));
    const rowCount = this.labelCodes.length;
    const chunkOf = this.rowChunk.view;
    const from = this.rowFrom.view;
    const to = this.rowTo.view;
    const weights = this.rowWeights.take();
    let maxLength = 0;
    for (let r = 0; r < rowCount; r++) maxLength = Math.max(maxLength, to[r]! - from[r]!); // ≥ terms in the row
    const ids = new Float64Array(maxLength);
    const codes = new Uint8Array(maxLength);
    this.scratch(maxLength);

    // document frequency, weighted: a prior term is known even if only its own category names it (minDf counts
    // tickets, not tree entries)
    const dict = this.dict!;
    const df = new Float64Array(dict.size);
    let total = 0;
    for (let r = 0; r < rowCount; r++) {
      const w = r < this.priorRows ? Math.max(weights[r]!, opts.minDf) : weights[r]!;
      total += w;
      const n = decodeRow(this.rows.chunks[chunkOf[r]!]!, from[r]!, to[r]!, ids, codes);
      for (let i = 0; i < n; i++) df[ids[i]!] = df[ids[i]!]! + w;
    }
    total ||= 1;
    // the most frequent first, ties in string order; only the terms kept become strings again
    let candidates = 0;
    for (let id = 0; id < dict.size; id++) if (df[id]! >= opts.minDf) candidates++;
    const kept = new Int32Array(candidates);
    for (let id = 0, k = 0; id < dict.size; id++) if (df[id]! >= opts.minDf) kept[k++] = id;
    kept.sort((a, b) => df[b]! - df[a]! || dict.compare(a, b));
    const top = kept.subarray(0, Math.min(kept.length, opts.maxFeatures));
    const remap = new Int32Array(dict.size).fill(-1);
    top.forEach((id, j) => (remap[id] = j));
    const terms = Array.from(top, (id) => dict.term(id));
    this.dict = null;
    const vocab: Vocabulary = {
      terms,
      index: new Map(terms.map((t, j) => [t, j])),
      idf: Float32Array.from(top, (id) => Math.log((1 + total) / (1 + df[id]!)) + 1),
    };
    const F = vocab.terms.length;
    const idf = vocab.idf;
    yield;

    // Re-code each row to vocabulary indexes (pruned, ascending, as vectorize sorts them) into new chunks: each old
    // chunk, once its rows are read, becomes the next new one (the new coding, pruned, is mostly the shorter). The
    // two codings never coexist whole, and no megabyte is dropped for the collector while another is allocated
    // (issue 13: a dropped ArrayBuffer is freed only when V8 next collects, tens of megabytes later).
    const old = this.rows;
    this.rows = new RowChunks();
    const logWeight = Float64Array.from(this.termWeights, (w) => 1 + Math.log(w));
    const norms = new Float64Array(rowCount);
    let released = 0;
    maxLength = 0;
    for (let r = 0; r < rowCount; r++) {
      const n = decodeRow(old.chunks[chunkOf[r]!]!, from[r]!, to[r]!, ids, codes);
      let len = 0;
      for (let i = 0; i < n; i++) {
        const j = remap[ids[i]!]!;
        if (j >= 0) this.keys[len++] = j * 256 + codes[i]!;
      }
      const row = this.keys.subarray(0, len).sort();
      let norm = 0;
      for (const key of row) {
        const j = Math.floor(key / 256);
        const v = logWeight[key - j * 256]! * idf[j]!;
        norm += v * v;
      }
      norms[r] = Math.sqrt(norm) || 1;
      maxLength = Math.max(maxLength, len);
      const bytes = encodeRow(row, len, this.bytes);
      const [chunk, at] = this.rows.put(this.bytes, bytes);
      const next = r + 1 < rowCount ? chunkOf[r + 1]! : old.chunks.length;
      chunkOf[r] = chunk;
      from[r] = at;
      to[r] = at + bytes;
      for (; released < next; released++) {
        if (old.chunks[released]!.length === CHUNK_BYTES) this.rows.spare.push(old.chunks[released]!);
        old.chunks[released] = null;
      }
      if ((r + 1) % (STEP_EXAMPLES * 5) === 0) yield;
    }
    old.chunks.length = 0;
    this.rows.spare.length = 0;
    const chunks = this.rows.chunks;
    const rowChunk = this.rowChunk.take();
    const rowFrom = this.rowFrom.take();
    const rowTo = this.rowTo.take();
    const labelCodes = this.labelCodes.take();
    // one row decoded at a time (SGD reads them one by one), into the scratch of the passes above (as long or longer)
    const rows: SparseRows = {
      maxLength,
      row(r, idx, val) {
        const n = decodeRow(chunks[rowChunk[r]!]!, rowFrom[r]!, rowTo[r]!, ids, codes);
        const norm = norms[r]!;
        for (let i = 0; i < n; i++) {
          const j = ids[i]!;
          idx[i] = j;
          val[i] = (logWeight[codes[i]!]! * idf[j]!) / norm;
        }
        return n;
      },
      label: (r) => sortedLabel[labelCodes[r]!]!,
      weight: (r) => weights[r]!,
    };
    const nonEmpty = (first: number, end: number) => {
      const list: number[] = [];
      for (let r = first; r < end; r++) if (rowTo[r]! > rowFrom[r]!) list.push(r);
      return Int32Array.from(list);
    };
    const priorUse = nonEmpty(0, this.priorRows);
    const realUse = nonEmpty(this.priorRows, rowCount);
    const both = (a: Int32Array, b: Int32Array) => {
      const c = new Int32Array(a.length + b.length);
      c.set(a);
      c.set(b, a.length);
      return c;
    };

    // a few real examples the model did not learn from fit its temperature (calibrationPlan)
    const nb = opts.naiveBayes ?? DEFAULT_NAIVE_BAYES;
    const plan = calibrationPlan(realUse.length, opts.calibrationShare, opts.probeMax);
    const order = plan.kind === 'none' ? realUse : shuffledIndices(realUse, prng(opts.softmax.seed + 7));
    let temperature = 1;
    const buffers: TrainingBuffers = { w: new Float32Array(0), gw: new Float32Array(0) };
    if (plan.kind === 'probe') {
      // train on the rest of a sample, then train again on everything with that temperature (the held-out ones
      // are too valuable to leave out of the final model)
      const sample = order.subarray(0, plan.size);
      const probeUse = both(priorUse, sample.subarray(plan.heldOut));
      const probe = yield* trainRowsSteps(rows, probeUse, labels.length, F, opts.softmax, buffers);
      // the temperature is fitted to the scores served; the counts are taken in the AdaGrad sums' memory
      addComplementNaiveBayes(probe, rows, probeUse, nb, buffers.gw.buffer);
      temperature = fitTemperatureRows(probe, rows, sample.subarray(0, plan.heldOut));
    }
    const use = both(priorUse, plan.kind === 'slice' ? order.subarray(plan.heldOut) : realUse);
    // the final model reuses the probe's arrays (the probe is done with once its temperature is known)
    const model = yield* trainRowsSteps(rows, use, labels.length, F, opts.softmax, buffers);
    addComplementNaiveBayes(model, rows, use, nb, buffers.gw.buffer);
    model.temperature =
      plan.kind === 'slice' ? fitTemperatureRows(model, rows, order.subarray(0, plan.heldOut)) : temperature;
    return { format: 1, labels, vocab, weights: model, examples: this.texts, features: this.features };
  }
}
