import { describe, expect, it } from 'vitest';
import {
  classify,
  DEFAULT_CLASSIFIER,
  trainClassifier,
  type LabelledText,
} from '../../domain/classifier/classifier.js';
import { LEGACY_FEATURES } from '../../domain/classifier/features.js';
import { holdoutFigures, holdoutPredictions, topOf } from './classifier-training.js';

const WORDS: Record<string, string[]> = {
  '1': ['停水', '自来水', '水压', '漏水'],
  '2': ['噪音', '施工', '扰民', '广场舞'],
  '3': ['拖欠', '工资', '讨薪', '加班费'],
};
const texts = (n: number, offset: number): LabelledText[] =>
  Object.entries(WORDS).flatMap(([label, words]) =>
    Array.from({ length: n }, (_, i) => ({
      label,
      title: `${words[(i + offset) % 4]}问题`,
      body: `小区${words[(i + offset + 1) % 4]}${words[(i + offset + 2) % 4]}，${words[(i + offset) % 4]}严重，请尽快处理`,
    })),
  );

describe('第四条 智能分类: the retraining gate scores the new model and the one in use on the same holdout', () => {
  const training = texts(12, 0);
  const holdout = [...texts(4, 1), { label: '2', title: '', body: '123456' }];
  const allowed = new Set(Object.keys(WORDS));
  const counted = trainClassifier(training, []);
  const legacy = trainClassifier(training, [], { ...DEFAULT_CLASSIFIER, features: LEGACY_FEATURES });
  const another = trainClassifier(training.slice(3), []);

  it('reads each text once for the models that read alike, and each model gets what classify gives it alone', () => {
    const [a, b, c] = holdoutPredictions([counted, legacy, another], holdout, allowed);
    for (const [model, got] of [
      [counted, a],
      [legacy, b],
      [another, c],
    ] as const) {
      expect(got!.label).toHaveLength(holdout.length * 3);
      holdout.forEach((h, i) => {
        const p = classify(model, h, { top: 3, allowed, words: 0 });
        const want =
          p.kind === 'suggestions' ? p.suggestions.map((s) => ({ label: s.label, confidence: s.confidence })) : [];
        expect(topOf(got!, i)).toEqual(want);
      });
    }
    // the two readings differ (once per part against counted), so a text read once for all would show here
    expect(b).not.toEqual(a);
    // digits only: no suggestion, counted as a miss rather than an error
    expect(topOf(a!, holdout.length - 1)).toEqual([]);
  });

  it('figures: the headline for the gate, the detail for the model being trained', () => {
    const [a] = holdoutPredictions([counted], holdout, allowed);
    const headline = holdoutFigures(a!, holdout, false);
    expect(Object.keys(headline).sort()).toEqual(['accuracy', 'macroF1', 'top3']);
    // 12 of 13 held-out texts are plain matters of their class; the digits-only one has no suggestion
    expect(headline.accuracy).toBeCloseTo(12 / 13, 4);
    const detail = holdoutFigures(a!, holdout);
    expect(detail.perCategory!.map((c) => c.categoryId).sort()).toEqual([1, 2, 3]);
    expect(detail.macroF1Interval![0]).toBeLessThanOrEqual(detail.macroF1);
  });
});
