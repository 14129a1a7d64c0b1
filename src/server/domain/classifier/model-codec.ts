import type { ClassifierModel } from './classifier.js';
import { LEGACY_FEATURES, sameReading, type FeatureOptions } from './features.js';

// 第四条 智能分类: a trained model as the bytes the database keeps (classifier_models.model). Binary, not JSON: a model
// of 60 000 terms × 100 categories is six million weights, 24 MB as Float32 and several times that as JSON numbers,
// and parsing them would stall the process that loads it.
//
// Layout, little-endian:
//   "HZCM" | u32 version (1) | u32 header length | header JSON (labels, examples, temperature, sizes)
//   | u32 terms length | terms joined by "\n" (UTF-8) | padding to 4 | f32 idf[features] | f32 b[classes]
//   | f32 w[features × classes]

const MAGIC = 0x4d43_5a48; // "HZCM" read as a little-endian u32
const VERSION = 1;

interface Header {
  labels: string[];
  examples: number;
  temperature: number;
  classes: number;
  features: number;
  /** how the texts were read; absent in the first models, which read them the LEGACY_FEATURES way */
  reading?: FeatureOptions;
}

export function encodeModel(model: ClassifierModel): Uint8Array {
  const { labels, vocab, weights, examples } = model;
  if (vocab.terms.some((t) => t.includes('\n'))) throw new Error('a vocabulary term holds a line break');
  const enc = new TextEncoder();
  const header = enc.encode(
    JSON.stringify({
      labels,
      examples,
      temperature: weights.temperature,
      classes: weights.classes,
      features: weights.features,
      // the legacy reading is left implicit: a model stays readable by the code that wrote the first ones
      ...(sameReading(model.features, LEGACY_FEATURES) ? {} : { reading: model.features }),
    } satisfies Header),
  );
  const terms = enc.encode(vocab.terms.join('\n'));
  const textEnd = 16 + header.length + terms.length;
  const floatsAt = Math.ceil(textEnd / 4) * 4;
  const floats = vocab.idf.length + weights.b.length + weights.w.length;
  const out = new Uint8Array(floatsAt + floats * 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, header.length, true);
  out.set(header, 12);
  view.setUint32(12 + header.length, terms.length, true);
  out.set(terms, 16 + header.length);
  let at = floatsAt;
  for (const arr of [vocab.idf, weights.b, weights.w]) {
    for (let i = 0; i < arr.length; i++, at += 4) view.setFloat32(at, arr[i]!, true);
  }
  return out;
}

export function decodeModel(bytes: Uint8Array): ClassifierModel {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (why: string): never => {
    throw new Error(`not a classifier model: ${why}`);
  };
  if (bytes.byteLength < 16 || view.getUint32(0, true) !== MAGIC) fail('bad magic');
  if (view.getUint32(4, true) !== VERSION) fail(`unknown version ${view.getUint32(4, true)}`);
  const dec = new TextDecoder();
  const headerLength = view.getUint32(8, true);
  if (12 + headerLength + 4 > bytes.byteLength) fail('truncated header');
  const header = JSON.parse(dec.decode(bytes.subarray(12, 12 + headerLength))) as Header;
  const termsLength = view.getUint32(12 + headerLength, true);
  const termsAt = 16 + headerLength;
  const text = dec.decode(bytes.subarray(termsAt, termsAt + termsLength));
  const terms = text.length ? text.split('\n') : [];
  const { classes: K, features: F } = header;
  if (terms.length !== F || header.labels.length !== K) fail('sizes disagree');
  let at = Math.ceil((termsAt + termsLength) / 4) * 4;
  if (at + (F + K + F * K) * 4 !== bytes.byteLength) fail('truncated weights');
  const read = (n: number) => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++, at += 4) a[i] = view.getFloat32(at, true);
    return a;
  };
  const idf = read(F);
  const b = read(K);
  const w = read(F * K);
  return {
    format: 1,
    labels: header.labels,
    vocab: { terms, index: new Map(terms.map((t, i) => [t, i])), idf },
    weights: { classes: K, features: F, w, b, temperature: header.temperature },
    examples: header.examples,
    features: header.reading ?? LEGACY_FEATURES,
  };
}
