import { describe, expect, it } from 'vitest';
import { classify, trainClassifier, type LabelledText } from './classifier.js';
import { decodeModel, encodeModel } from './model-codec.js';

const TEXTS: Array<[string, string]> = [
  ['11', '小区停水三天了没有通知'],
  ['11', '自来水水压太小用不了'],
  ['11', '水管爆裂漏水严重'],
  ['12', '工地半夜施工噪音扰民'],
  ['12', '楼下烧烤店噪音太大'],
  ['12', '广场舞音响噪音严重'],
  ['13', '公司拖欠工资三个月'],
  ['13', '包工头拖欠农民工工资'],
  ['13', '老板不发工资跑路了'],
];
const examples: LabelledText[] = [...TEXTS, ...TEXTS].map(([label, body]) => ({ label, body }));

describe('第四条 智能分类：模型的存储格式', () => {
  const model = trainClassifier(examples, [
    { label: '11', keywords: ['供水', '停水'] },
    { label: '12', keywords: ['噪声', '噪音'] },
    { label: '13', keywords: ['劳动保障', '拖欠工资'] },
  ]);

  it('round-trips: the same labels, vocabulary, idf, weights and temperature, hence the same predictions', () => {
    const back = decodeModel(encodeModel(model));
    expect(back.labels).toEqual(model.labels);
    expect(back.vocab.terms).toEqual(model.vocab.terms);
    expect([...back.vocab.idf]).toEqual([...model.vocab.idf]);
    expect([...back.weights.w]).toEqual([...model.weights.w]);
    expect([...back.weights.b]).toEqual([...model.weights.b]);
    expect(back.weights.temperature).toBe(model.weights.temperature);
    expect(back.examples).toBe(model.examples);
    const text = { body: '楼下工地夜里噪音扰民' };
    expect(classify(back, text)).toEqual(classify(model, text));
  });

  it('is compact: four bytes a weight, not JSON numbers', () => {
    const bytes = encodeModel(model);
    const floats = model.vocab.terms.length * (model.labels.length + 1) + model.labels.length;
    expect(bytes.byteLength).toBeLessThan(
      floats * 4 +
        64 +
        new TextEncoder().encode(
          model.vocab.terms.join('\n') + JSON.stringify(model.labels) + JSON.stringify(model.features),
        ).length +
        64,
    );
  });

  it('decodes from a copy at any offset (a driver may hand back a slice of a larger buffer)', () => {
    const bytes = encodeModel(model);
    const padded = new Uint8Array(bytes.byteLength + 3);
    padded.set(bytes, 3);
    expect(decodeModel(padded.subarray(3)).labels).toEqual(model.labels);
  });

  it('refuses what is not a model, truncated or of an unknown version', () => {
    const bytes = encodeModel(model);
    expect(() => decodeModel(new Uint8Array([1, 2, 3]))).toThrow(/not a classifier model/);
    expect(() => decodeModel(bytes.subarray(0, bytes.byteLength - 4))).toThrow(/truncated/);
    const other = bytes.slice();
    new DataView(other.buffer).setUint32(4, 9, true);
    expect(() => decodeModel(other)).toThrow(/version/);
  });

  it('an empty vocabulary (a tree with no usable words) still round-trips', () => {
    const empty = {
      ...model,
      vocab: { terms: [], index: new Map(), idf: new Float32Array(0) },
      weights: { ...model.weights, features: 0, w: new Float32Array(0) },
    };
    const back = decodeModel(encodeModel(empty));
    expect(back.vocab.terms).toEqual([]);
    expect(back.labels).toEqual(model.labels);
  });
});
