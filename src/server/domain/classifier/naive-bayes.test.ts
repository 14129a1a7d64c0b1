import { describe, expect, it } from 'vitest';
import { classify, DEFAULT_CLASSIFIER, trainClassifier, type LabelledText } from './classifier.js';
import { LEGACY_FEATURES, textTerms } from './features.js';
import { decodeModel, encodeModel } from './model-codec.js';
import { addComplementNaiveBayes } from './naive-bayes.js';
import { exampleRows, prng, type SoftmaxWeights } from './softmax-model.js';

const vec = (pairs: Array<[number, number]>) => ({
  idx: Int32Array.from(pairs, (p) => p[0]),
  val: Float32Array.from(pairs, (p) => p[1]),
});
const blank = (classes: number, features: number): SoftmaxWeights => ({
  classes,
  features,
  w: new Float32Array(classes * features),
  b: new Float32Array(classes),
  temperature: 1,
});

describe('第四条 智能分类：补集朴素贝叶斯 (naive-bayes.ts)', () => {
  // feature 0 speaks for class 0, feature 1 for class 1, feature 2 for both
  const rows = exampleRows([
    {
      x: vec([
        [0, 0.8],
        [2, 0.6],
      ]),
      y: 0,
      weight: 1,
    },
    { x: vec([[0, 1]]), y: 0, weight: 1 },
    {
      x: vec([
        [1, 0.8],
        [2, 0.6],
      ]),
      y: 1,
      weight: 1,
    },
  ]);

  it('a word weighs for the class whose texts it is in, and each word is centred over the classes', () => {
    const m = blank(2, 3);
    addComplementNaiveBayes(m, rows, [0, 1, 2], { weight: 1, alpha: 0.1 });
    expect(m.w[0 * 2 + 0]!).toBeGreaterThan(m.w[0 * 2 + 1]!);
    expect(m.w[1 * 2 + 1]!).toBeGreaterThan(m.w[1 * 2 + 0]!);
    for (let j = 0; j < 3; j++) expect(m.w[j * 2]! + m.w[j * 2 + 1]!).toBeCloseTo(0, 5);
    expect([...m.b]).toEqual([0, 0]); // no class prior: complement NB is fair to rare classes
  });

  it('weight 0 leaves the regression alone; the weight scales linearly; unused rows do not count', () => {
    const off = blank(2, 3);
    addComplementNaiveBayes(off, rows, [0, 1, 2], { weight: 0, alpha: 0.1 });
    expect([...off.w].every((v) => v === 0)).toBe(true);
    const one = blank(2, 3);
    const two = blank(2, 3);
    addComplementNaiveBayes(one, rows, [0, 1, 2], { weight: 1, alpha: 0.1 });
    addComplementNaiveBayes(two, rows, [0, 1, 2], { weight: 2, alpha: 0.1 });
    two.w.forEach((v, i) => expect(v).toBeCloseTo(2 * one.w[i]!, 4));
    const some = blank(2, 3);
    addComplementNaiveBayes(some, rows, [0, 2], { weight: 1, alpha: 0.1 });
    expect([...some.w]).not.toEqual([...one.w]);
  });

  it('counted in blocks of terms in scratch memory: the same weights to the bit, the scratch overwritten', () => {
    // 50 features × 3 classes, 40 rows of random terms and weights
    const random = prng(9);
    const many = exampleRows(
      Array.from({ length: 40 }, (_, r) => {
        const idx = [...new Set(Array.from({ length: 8 }, () => Math.floor(random() * 50)))].sort((a, b) => a - b);
        return { x: vec(idx.map((j) => [j, random()])), y: r % 3, weight: 1 + (r % 4) };
      }),
    );
    const use = Array.from({ length: 40 }, (_, r) => (r * 7) % 40);
    const whole = blank(3, 50);
    addComplementNaiveBayes(whole, many, use, { weight: 2, alpha: 0.1 });
    // room for 1, 7 (the last block shorter) and 50 terms; too small for one term: an array of its own
    for (const bytes of [8 * 3, 8 * 3 * 7 + 5, 8 * 3 * 50, 8 * 3 * 80, 8]) {
      const scratch = new ArrayBuffer(bytes);
      new Uint8Array(scratch).fill(255); // whatever the memory held before
      const m = blank(3, 50);
      addComplementNaiveBayes(m, many, use, { weight: 2, alpha: 0.1 }, scratch);
      expect([...m.w]).toEqual([...whole.w]);
    }
  });

  it('trained models carry it by default, and a model without it can still be trained', () => {
    const texts: LabelledText[] = [];
    for (let i = 0; i < 30; i++)
      texts.push(
        { label: '供水', body: `第${i}小区停水，自来水水压太小` },
        { label: '工资', body: `公司拖欠工资第${i}个月` },
      );
    const withNb = trainClassifier(texts, []);
    const without = trainClassifier(texts, [], { ...DEFAULT_CLASSIFIER, naiveBayes: { weight: 0, alpha: 0.1 } });
    expect([...withNb.weights.w]).not.toEqual([...without.weights.w]);
    for (const m of [withNb, without]) {
      const p = classify(m, { body: '又停水了' });
      expect(p.kind === 'suggestions' && p.suggestions[0]!.label).toBe('供水');
    }
  });
});

describe('第四条 智能分类：读文本的方式 (features.ts)', () => {
  it('a title term counts titleWeight, a term in both title and body the sum; trigrams only when asked', () => {
    const text = { title: '路灯不亮', body: '小区路灯不亮' };
    const legacy = textTerms(text);
    expect(legacy.get('路灯')).toBe(3);
    expect(legacy.has('区路灯')).toBe(false);
    const other = textTerms(text, { titleWeight: 4, charTrigrams: true });
    expect(other.get('路灯')).toBe(5);
    expect(other.get('路灯不')).toBe(5); // a trigram of the title and of the body
    expect(other.get('区路灯')).toBe(1);
    expect(other.get('灯不亮')).toBe(5); // also a jieba word here: still counted once per part
  });

  it('today a term counts as often as it occurs (capped), times the title weight; the first models once per part', () => {
    const text = { title: '路灯不亮', body: '小区路灯不亮，路灯坏了' };
    const counted = textTerms(text);
    // 路灯: body 3 (jieba's word once, the bigram twice), title 2 × 1 (the bigram; jieba cuts 路 / 灯不亮)
    expect(counted.get('路灯')).toBe(5);
    expect(counted.get('坏了')).toBe(1);
    expect(textTerms(text, LEGACY_FEATURES).get('路灯')).toBe(3);
    expect(textTerms(text, { ...LEGACY_FEATURES, termCounts: 1 })).toEqual(textTerms(text, LEGACY_FEATURES));
    expect(textTerms(text, { ...LEGACY_FEATURES, termCounts: 2 }).get('路灯')).toBe(4);
    // counted trigrams add to jieba's word of the same three characters
    expect(textTerms(text, { ...LEGACY_FEATURES, charTrigrams: true, termCounts: 32 }).get('灯不亮')).toBe(6);
  });

  it('a model keeps how it read its texts through the codec; the first models read the legacy way', () => {
    const texts: LabelledText[] = Array.from({ length: 6 }, (_, i) => ({
      label: i % 2 ? '供水' : '工资',
      body: i % 2 ? '小区停水了' : '拖欠工资了',
    }));
    const reading = { titleWeight: 3, charTrigrams: true };
    const model = trainClassifier(texts, [], { ...DEFAULT_CLASSIFIER, minDf: 1, features: reading });
    const back = decodeModel(encodeModel(model));
    expect(back.features).toEqual(reading);
    expect(classify(back, { body: '停水三天' })).toEqual(classify(model, { body: '停水三天' }));
    const legacy = trainClassifier(texts, [], { ...DEFAULT_CLASSIFIER, minDf: 1, features: LEGACY_FEATURES });
    const bytes = encodeModel(legacy);
    expect(new TextDecoder().decode(bytes)).not.toContain('reading'); // nothing to say: the legacy reading
    expect(decodeModel(bytes).features).toEqual({ titleWeight: 2, charTrigrams: false });
    // today's models count occurrences, and say so: a model read back reads new texts as it was trained
    const counting = decodeModel(encodeModel(trainClassifier(texts, [], { ...DEFAULT_CLASSIFIER, minDf: 1 })));
    expect(counting.features).toEqual({ titleWeight: 2, charTrigrams: false, termCounts: 32, segmentation: 'precise' });
    // a model of the sixth round (counted, search mode) says nothing of its segmentation and is read in search mode
    const sixth = { titleWeight: 2, charTrigrams: false, termCounts: 32 };
    const searchModel = decodeModel(
      encodeModel(trainClassifier(texts, [], { ...DEFAULT_CLASSIFIER, minDf: 1, features: sixth })),
    );
    expect(searchModel.features).toEqual(sixth);
    const long = { title: '中华人民共和国', body: '中华人民共和国停水了' };
    expect(textTerms(long, searchModel.features).has('共和国')).toBe(true);
    expect(textTerms(long, counting.features).has('共和国')).toBe(false);
  });
});
