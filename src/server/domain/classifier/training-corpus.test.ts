import { describe, expect, it } from 'vitest';
import {
  classify,
  DEFAULT_CLASSIFIER,
  trainClassifier,
  type ClassifierOptions,
  type LabelledText,
} from './classifier.js';
import type { CategoryPrior } from './classifier.js';
import { buildVocabulary, textTerms, vectorize } from './features.js';
import { drain, prng, trainSoftmax } from './softmax-model.js';
import { calibrationPlan, TrainingCorpus } from './training-corpus.js';

// 第四条 智能分类, issue 13: the corpus keeps texts as term ids in typed arrays and recomputes TF-IDF per row. It must
// train exactly the model the straightforward way trains: a Map of terms and a TF-IDF vector per text (features.ts).

const MATTERS: Record<string, string[]> = {
  供水: ['停水', '自来水发黄', '水压太小', '水管爆裂'],
  噪声: ['夜间施工', '噪音扰民', '广场舞', '烧烤店噪音'],
  工资: ['拖欠工资', '农民工工资', '讨薪', '加班费'],
  入学: ['入学报名', '学区划分', '幼儿园入园', '随迁子女'],
};
const PLACES = ['牡丹区', '曹县', '单县', '东明县', '郓城县', '鄄城县'];
const PRIOR: CategoryPrior[] = [
  ...Object.entries(MATTERS).map(([label, k]) => ({ label, keywords: [label, ...k] })),
  { label: '其他', keywords: ['！'] }, // says nothing: no row, but still a label
];

function texts(n: number, seed: number): LabelledText[] {
  const random = prng(seed);
  const pick = <T>(a: readonly T[]) => a[Math.floor(random() * a.length)]!;
  const labels = Object.keys(MATTERS);
  return Array.from({ length: n }, (_, i) => {
    const label = pick(labels);
    return {
      label,
      title: i % 3 ? `${pick(MATTERS[label]!)}问题` : '',
      body: `${pick(PLACES)}第${i}小区${pick(MATTERS[label]!)}，${pick(MATTERS[pick(labels)]!)}，编号${i}号楼`,
      weight: i % 11 === 0 ? 3 : 1,
    };
  });
}

// the reference below trains the regression only: naive Bayes (naive-bayes.ts) is added after it, the same way
const REGRESSION_ONLY = { weight: 0, alpha: 0.1 };

/** The straightforward training (no temperature probe): vocabulary, vectors, softmax. */
function reference(examples: LabelledText[], prior: CategoryPrior[], opts: ClassifierOptions) {
  const labels = [...new Set([...prior.map((p) => p.label), ...examples.map((e) => e.label)])].sort();
  const priorDocs = prior
    .map((p) => ({ label: p.label, terms: textTerms({ body: p.keywords.join('，') }), weight: opts.priorWeight }))
    .filter((d) => d.terms.size);
  const docs = examples.map((e) => ({ label: e.label, terms: textTerms(e), weight: e.weight ?? 1 }));
  const all = [...priorDocs, ...docs];
  const vocab = buildVocabulary(
    all.map((d) => d.terms),
    all.map((d, i) => (i < priorDocs.length ? Math.max(d.weight, opts.minDf) : d.weight)),
    opts,
  );
  const rows = all
    .map((d) => ({ x: vectorize(d.terms, vocab), y: labels.indexOf(d.label), weight: d.weight }))
    .filter((r) => r.x.idx.length);
  return { labels, vocab, weights: trainSoftmax(rows, labels.length, vocab.terms.length, opts.softmax) };
}

function train(examples: LabelledText[], prior: CategoryPrior[], opts: ClassifierOptions) {
  const corpus = new TrainingCorpus(prior, opts);
  for (const e of examples) corpus.add(e);
  expect(corpus.size).toBe(examples.length);
  return drain(corpus.trainSteps());
}

describe('第四条 训练语料 (issue 13: term ids in typed arrays)', () => {
  it('trains the same model as vectors built one Map per text: vocabulary, idf, weights', () => {
    // fewer than 50 texts: no temperature probe, so the whole model is comparable
    const data = [...texts(40, 1), { label: '供水', title: '', body: '12' }]; // a text with no term still counts
    const opts = { ...DEFAULT_CLASSIFIER, naiveBayes: REGRESSION_ONLY, minDf: 1 };
    const ref = reference(data, PRIOR, opts);
    const model = train(data, PRIOR, opts);
    expect(model.labels).toEqual(ref.labels);
    expect(model.labels).toContain('其他');
    expect(model.vocab.terms).toEqual(ref.vocab.terms);
    expect([...model.vocab.idf]).toEqual([...ref.vocab.idf]);
    expect([...model.weights.w]).toEqual([...ref.weights.w]);
    expect([...model.weights.b]).toEqual([...ref.weights.b]);
    expect(model.weights.temperature).toBe(1);
    expect(model.examples).toBe(41);
  });

  it('prunes to minDf and maxFeatures; rows span many chunks and are re-coded to the vocabulary', () => {
    // 6 000 texts of ~30 terms, and one long text whose row is larger than a chunk (a megabyte)
    const long: LabelledText = {
      label: '供水',
      body: Array.from({ length: 60_000 }, (_, i) => `停水${i}号`).join('，'),
    };
    const data = [...texts(6_000, 2), long];
    const opts = {
      ...DEFAULT_CLASSIFIER,
      naiveBayes: REGRESSION_ONLY,
      maxFeatures: 300,
      softmax: { ...DEFAULT_CLASSIFIER.softmax, epochs: 2 },
    };
    const ref = reference(data, PRIOR, opts);
    const model = train(data, PRIOR, opts);
    expect(model.vocab.terms).toHaveLength(300);
    expect(model.vocab.terms).toEqual(ref.vocab.terms);
    expect([...model.vocab.idf]).toEqual([...ref.vocab.idf]);
    expect([...model.weights.w]).toEqual([...ref.weights.w]); // the temperature probe does not touch the weights
    expect([...model.weights.b]).toEqual([...ref.weights.b]);
  });

  it('term ids of any size: a vocabulary of more than 65 536 terms', () => {
    // 70 000 distinct two-character terms (bigrams of 300 characters), each in two texts (minDf 2)
    const bigram = (i: number) => String.fromCharCode(0x4e00 + (i % 300), 0x4e00 + Math.floor(i / 300));
    const data = Array.from({ length: 2_800 }, (_, i) => ({
      label: i % 2 ? '供水' : '噪声',
      body: Array.from({ length: 50 }, (_, k) => bigram((i * 25 + k) % 70_000)).join('，'),
    }));
    const opts = {
      ...DEFAULT_CLASSIFIER,
      naiveBayes: REGRESSION_ONLY,
      maxFeatures: 100_000,
      softmax: { ...DEFAULT_CLASSIFIER.softmax, epochs: 1 },
    };
    const ref = reference(data, [], opts);
    const model = train(data, [], opts);
    expect(model.vocab.terms.length).toBeGreaterThan(65_536);
    expect(model.vocab.terms).toEqual(ref.vocab.terms);
    expect([...model.weights.w]).toEqual([...ref.weights.w]);
  });

  it('is what trainClassifier trains', () => {
    const data = texts(300, 3);
    const model = train(data, PRIOR, DEFAULT_CLASSIFIER);
    const same = trainClassifier(data, PRIOR);
    expect(model.vocab.terms).toEqual(same.vocab.terms);
    expect([...model.weights.w]).toEqual([...same.weights.w]);
    expect(model.weights.temperature).toBe(same.weights.temperature);
  });

  it('trains once; nothing is added after', () => {
    const corpus = new TrainingCorpus(PRIOR, DEFAULT_CLASSIFIER);
    corpus.add(texts(1, 4)[0]!);
    drain(corpus.trainSteps());
    expect(() => corpus.add(texts(1, 5)[0]!)).toThrow(/already trained/);
    expect(() => drain(corpus.trainSteps())).toThrow(/already trained/);
  });

  it('nothing to learn: no text and no category', () => {
    expect(() => drain(new TrainingCorpus([], DEFAULT_CLASSIFIER).trainSteps())).toThrow(/nothing to learn/);
  });
});

describe('第四条 智能分类：置信度温度怎样拟合 (calibrationPlan)', () => {
  it('no held-out examples below 50; a probe while they are a large share; the model itself beyond', () => {
    expect(calibrationPlan(0, 0.1)).toEqual({ kind: 'none' });
    expect(calibrationPlan(49, 0.1)).toEqual({ kind: 'none' });
    expect(calibrationPlan(50, 0.1)).toEqual({ kind: 'probe', size: 50, heldOut: 5 });
    // the 1 521 TipDM labels' folds: a probe, as before (classify:eval's figures do not move)
    expect(calibrationPlan(1_217, 0.1)).toEqual({ kind: 'probe', size: 1_217, heldOut: 122 });
    expect(calibrationPlan(20_000, 0.1)).toEqual({ kind: 'probe', size: 20_000, heldOut: 2_000 });
    expect(calibrationPlan(39_999, 0.1)).toEqual({ kind: 'probe', size: 20_000, heldOut: 2_000 });
    // 2 000 held out is a twentieth: from here the model leaves them out itself, and no probe is trained
    expect(calibrationPlan(40_000, 0.1)).toEqual({ kind: 'slice', heldOut: 2_000 });
    expect(calibrationPlan(90_000, 0.1)).toEqual({ kind: 'slice', heldOut: 2_000 });
    expect(calibrationPlan(600, 0.1, 100)).toEqual({ kind: 'slice', heldOut: 10 });
    expect(calibrationPlan(60, 0.01)).toEqual({ kind: 'slice', heldOut: 1 });
  });

  it('a long history: the model fits its own temperature on examples it left out, learns and stays deterministic', () => {
    // probeMax 100: 10 held out of 600 is a twentieth or less, the path 100 000 tickets take
    const opts: ClassifierOptions = { ...DEFAULT_CLASSIFIER, probeMax: 100 };
    expect(calibrationPlan(600, opts.calibrationShare, opts.probeMax).kind).toBe('slice');
    const data = texts(600, 5);
    const a = trainClassifier(data, PRIOR, opts);
    const b = trainClassifier(data, PRIOR, opts);
    expect(Buffer.from(a.weights.w.buffer).equals(Buffer.from(b.weights.w.buffer))).toBe(true);
    expect(a.weights.temperature).toBe(b.weights.temperature);
    expect([0.25, 0.35, 0.5, 0.7, 1, 1.4, 2, 2.8, 4]).toContain(a.weights.temperature);
    // it is another model than the probe's way trains (the held-out ten are not in it), and it learned
    const probed = trainClassifier(data, PRIOR);
    expect(Buffer.from(a.weights.w.buffer).equals(Buffer.from(probed.weights.w.buffer))).toBe(false);
    for (const [label, words] of Object.entries(MATTERS)) {
      const p = classify(a, { body: `单县${words[0]}，已经三天了` });
      expect(p.kind === 'suggestions' && p.suggestions[0]!.label).toBe(label);
    }
  });
});
