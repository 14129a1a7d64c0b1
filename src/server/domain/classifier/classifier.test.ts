import { describe, expect, it } from 'vitest';
import {
  classify,
  trainClassifier,
  type CategoryPrior,
  type ClassifierModel,
  type LabelledText,
} from './classifier.js';
import { textTerms, vectorize } from './features.js';
import { logits, softmax } from './softmax-model.js';
import { bootstrapInterval, calibration, mostConfusedWith, percentile, score, stratifiedFolds } from './evaluation.js';
import { csvRecords, parseCsv } from './csv-table.js';

// Constructed texts in the style of real 12345 messages: each class has its own vocabulary, with a few shared
// words ("小区", "严重") so the model must weigh, not merely match.
const TEMPLATES: Record<string, string[]> = {
  供水: [
    '小区停水三天了没有通知',
    '自来水水压太小用不了',
    '水管爆裂漏水严重',
    '自来水发黄有异味',
    '楼上停水一直没有来水',
  ],
  噪声: [
    '工地半夜施工噪音扰民',
    '楼下烧烤店噪音太大',
    '广场舞音响噪音严重',
    '酒吧夜里噪音扰民睡不着',
    '渣土车夜间噪音很大',
  ],
  工资: [
    '公司拖欠工资三个月',
    '包工头拖欠农民工工资',
    '老板不发工资跑路了',
    '工厂拖欠工资和加班费',
    '拖欠工资讨薪无门',
  ],
  入学: [
    '孩子上小学入学报名',
    '学区划分不合理入学难',
    '幼儿园入学名额不够',
    '小学入学需要什么材料',
    '随迁子女入学报名',
  ],
};
const PLACES = ['牡丹区', '曹县', '单县', '东明县', '郓城县'];

function corpus(perClass: number): LabelledText[] {
  const out: LabelledText[] = [];
  for (const [label, texts] of Object.entries(TEMPLATES))
    for (let i = 0; i < perClass; i++)
      out.push({
        title: '',
        body: `${PLACES[i % PLACES.length]}某小区${texts[i % texts.length]}，情况严重，请处理`,
        label,
      });
  return out;
}

const PRIOR: CategoryPrior[] = [
  { label: '供水', keywords: ['城乡建设', '供水', '停水', '自来水', '水压'] },
  { label: '噪声', keywords: ['环境保护', '噪声污染', '噪音', '扰民'] },
  { label: '工资', keywords: ['劳动和社会保障', '拖欠工资', '工资', '讨薪'] },
  { label: '入学', keywords: ['教育', '招生入学', '入学', '学区'] },
];

describe('第四、十二条 智能分类：分类器', () => {
  const model = trainClassifier(corpus(20), PRIOR);

  it('learns: a new text of each kind is suggested its own category first, with a confidence', () => {
    const cases: Array<[string, string]> = [
      ['我家停水两天了，自来水一直没来', '供水'],
      ['隔壁工地晚上施工噪音扰民', '噪声'],
      ['老板拖欠我们三个月工资', '工资'],
      ['孩子小学入学报名的问题', '入学'],
    ];
    for (const [body, label] of cases) {
      const p = classify(model, { body });
      expect(p.kind).toBe('suggestions');
      if (p.kind !== 'suggestions') continue;
      expect(p.suggestions[0]!.label).toBe(label);
      expect(p.suggestions).toHaveLength(3);
      const total = p.suggestions.reduce((a, s) => a + s.confidence, 0);
      expect(total).toBeLessThanOrEqual(1 + 1e-9);
      expect(p.suggestions[0]!.confidence).toBeGreaterThan(p.suggestions[1]!.confidence);
    }
  });

  it('explains: the words that weighed most for the suggestion are words of the text', () => {
    const p = classify(model, { title: '停水', body: '小区停水没有通知' });
    if (p.kind !== 'suggestions') throw new Error('expected suggestions');
    const words = p.suggestions[0]!.words.map((w) => w.term);
    expect(words.length).toBeGreaterThan(0);
    expect(words).toContain('停水');
    for (const w of p.suggestions[0]!.words) expect(w.weight).toBeGreaterThan(0);
  });

  it('a title counts more than the body: the title decides between two matters', () => {
    const p = classify(model, { title: '拖欠工资', body: '工地噪音扰民，还拖欠工资' });
    expect(p.kind === 'suggestions' && p.suggestions[0]!.label).toBe('工资');
  });

  it('cold start: with no history at all, the category tree alone suggests', () => {
    const cold = trainClassifier([], PRIOR);
    expect(cold.examples).toBe(0);
    const p = classify(cold, { body: '最近经常停水，自来水水压也小' });
    expect(p.kind === 'suggestions' && p.suggestions[0]!.label).toBe('供水');
    const q = classify(cold, { body: '拖欠工资怎么讨薪' });
    expect(q.kind === 'suggestions' && q.suggestions[0]!.label).toBe('工资');
  });

  it('a category only the tree knows stays suggestible beside learned ones', () => {
    const withNew = trainClassifier(corpus(10), [
      ...PRIOR,
      { label: '燃气', keywords: ['燃气', '天然气', '燃气泄漏'] },
    ]);
    expect(withNew.labels).toContain('燃气');
    const p = classify(withNew, { body: '楼道里天然气燃气泄漏味道很重' });
    expect(p.kind === 'suggestions' && p.suggestions[0]!.label).toBe('燃气');
  });

  it('degrades to no suggestion, never an error: empty, short, digits, another language', () => {
    for (const body of ['', '。', '123456', 'hello world?', '喂', '   ']) {
      const p = classify(model, { body });
      expect(p).toEqual({ kind: 'none', reason: 'no_terms' });
    }
  });

  it('suggests only categories the centre may use; a retired category disappears, the rest renormalise', () => {
    const allowed = new Set(['噪声', '工资', '入学']);
    const p = classify(model, { body: '小区停水三天了' }, { allowed });
    if (p.kind !== 'suggestions') throw new Error('expected suggestions');
    expect(p.suggestions.map((s) => s.label)).not.toContain('供水');
    expect(p.suggestions.reduce((a, s) => a + s.confidence, 0)).toBeCloseTo(1, 6);
    expect(classify(model, { body: '小区停水' }, { allowed: new Set(['不存在']) })).toEqual({
      kind: 'none',
      reason: 'no_allowed_category',
    });
  });

  // issue 13: "a category merged after training" — the model's label lives on as its successor
  it('a category merged since training is suggested as its successor, its probability added to the successor’s', () => {
    const text = { body: '小区停水三天了' };
    const plain = classify(model, text, { top: 4, words: 0 });
    if (plain.kind !== 'suggestions') throw new Error('expected suggestions');
    const p = Object.fromEntries(plain.suggestions.map((s) => [s.label, s.confidence]));
    // 供水 merged into 噪声, which the model knows: one suggestion, the two probabilities together
    const into = classify(model, text, { top: 4, words: 0, mergedInto: new Map([['供水', '噪声']]) });
    expect(into.kind === 'suggestions' && into.suggestions.map((s) => s.label)).toEqual(['噪声', '入学', '工资']);
    expect(into.kind === 'suggestions' && into.suggestions[0]!.confidence).toBeCloseTo(p['供水']! + p['噪声']!, 6);
    // explained by what weighed for either: 噪声's own weights know nothing of 停水
    const why = classify(model, text, { top: 1, mergedInto: new Map([['供水', '噪声']]) });
    expect(why.kind === 'suggestions' && why.suggestions[0]!.words.map((w) => w.term)).toContain('停水');
    // merged into a category created after the training (no label of the model): the merged label stands for it,
    // its explanation words still the merged label's own
    const renamed = classify(model, text, { top: 1, mergedInto: new Map([['供水', '城乡供水']]) });
    expect(renamed).toMatchObject({
      suggestions: [{ label: '城乡供水', confidence: p['供水'], words: expect.arrayContaining([expect.anything()]) }],
    });
    // two merged into the same new category: one suggestion carrying both
    const both = classify(model, text, {
      top: 4,
      words: 0,
      mergedInto: new Map([
        ['供水', '新类'],
        ['噪声', '新类'],
      ]),
    });
    expect(both.kind === 'suggestions' && both.suggestions.map((s) => s.label).sort()).toEqual([
      '入学',
      '工资',
      '新类',
    ]);
    expect(both.kind === 'suggestions' && both.suggestions.find((s) => s.label === '新类')!.confidence).toBeCloseTo(
      p['供水']! + p['噪声']!,
      6,
    );
    // the successor itself not usable today: nothing of either is suggested, the rest renormalise
    const gone = classify(model, text, {
      top: 4,
      words: 0,
      allowed: new Set(['工资', '入学']),
      mergedInto: new Map([['供水', '噪声']]),
    });
    expect(gone.kind === 'suggestions' && gone.suggestions.map((s) => s.label).sort()).toEqual(['入学', '工资']);
    expect(gone.kind === 'suggestions' && gone.suggestions.reduce((a, s) => a + s.confidence, 0)).toBeCloseTo(1, 6);
  });

  it('corrections weigh more: a weighted correction moves an ambiguous text', () => {
    const base = corpus(10);
    const ambiguous = '小区水泵房夜里噪音很大';
    const before = trainClassifier(base, PRIOR);
    const corrected = trainClassifier(
      [...base, ...Array.from({ length: 3 }, () => ({ body: ambiguous, label: '供水', weight: 5 }))],
      PRIOR,
    );
    const p0 = classify(before, { body: ambiguous });
    const p1 = classify(corrected, { body: ambiguous });
    if (p0.kind !== 'suggestions' || p1.kind !== 'suggestions') throw new Error('expected suggestions');
    expect(p0.suggestions[0]!.label).toBe('噪声');
    expect(p1.suggestions[0]!.label).toBe('供水');
  });

  it('is deterministic: the same data and seed train the same model', () => {
    const a = trainClassifier(corpus(8), PRIOR);
    const b = trainClassifier(corpus(8), PRIOR);
    expect(Buffer.from(a.weights.w.buffer).equals(Buffer.from(b.weights.w.buffer))).toBe(true);
  });

  it('refuses to train on nothing at all', () => {
    expect(() => trainClassifier([], [])).toThrow(/nothing to learn/);
  });

  // classify() ranks without sorting an object per category (a training scores 20 000 held-out texts with the same
  // ranking): it must answer what sorting all the allowed categories answers, ties included
  it('ranks as sorting does: by probability, ties to the label first in string order, among the allowed', () => {
    const bySorting = (m: ClassifierModel, text: LabelledText, top: number, allowed?: ReadonlySet<string>) => {
      const p = softmax(logits(m.weights, vectorize(textTerms(text, m.features), m.vocab)), m.weights.temperature);
      const c = m.labels.map((label, k) => ({ label, p: p[k]! })).filter((x) => !allowed || allowed.has(x.label));
      const mass = c.reduce((a, x) => a + x.p, 0) || 1;
      c.sort((a, b) => b.p - a.p || (a.label < b.label ? -1 : 1));
      return c.slice(0, top).map((x) => ({ label: x.label, confidence: x.p / mass }));
    };
    // every weight zero: all categories equally likely, so the order is the labels' own
    const flat: ClassifierModel = {
      ...model,
      weights: {
        ...model.weights,
        w: new Float32Array(model.weights.w.length),
        b: new Float32Array(model.weights.b.length),
      },
    };
    const texts = corpus(6);
    for (const m of [model, flat])
      for (const text of texts)
        for (const allowed of [undefined, new Set(['工资', '入学', '供水']), new Set(['噪声']), new Set(['无此类'])])
          for (const top of [1, 2, 3, 5]) {
            const got = classify(m, text, { top, allowed, words: 0 });
            const want = bySorting(m, text, top, allowed);
            if (!want.length) expect(got).toEqual({ kind: 'none', reason: 'no_allowed_category' });
            else
              expect(
                got.kind === 'suggestions' && got.suggestions.map(({ label, confidence }) => ({ label, confidence })),
              ).toEqual(want);
          }
    expect(classify(flat, texts[0]!, { top: 4, words: 0 })).toMatchObject({
      suggestions: [{ label: '供水' }, { label: '入学' }, { label: '噪声' }, { label: '工资' }].sort((a, b) =>
        a.label < b.label ? -1 : 1,
      ),
    });
  });
});

describe('第四条 智能分类：评估', () => {
  it('stratified folds give every fold its share of every class', () => {
    const labels = [...Array(10).fill('a'), ...Array(5).fill('b'), ...Array(20).fill('c')];
    const folds = stratifiedFolds(labels, 5, 1);
    for (let f = 0; f < 5; f++) {
      const inFold = labels.filter((_, i) => folds[i] === f);
      expect(inFold.filter((l) => l === 'a')).toHaveLength(2);
      expect(inFold.filter((l) => l === 'b')).toHaveLength(1);
      expect(inFold.filter((l) => l === 'c')).toHaveLength(4);
    }
    expect(stratifiedFolds(labels, 5, 1)).toEqual(folds);
    expect(stratifiedFolds(labels, 5, 2)).not.toEqual(folds);
    expect(() => stratifiedFolds(labels, 1, 1)).toThrow();
  });

  it('scores by hand: accuracy, per-class precision/recall/F1, macro-F1, top-3 and the confusion matrix', () => {
    const truth = ['a', 'a', 'a', 'b', 'b', 'c'];
    const ranked = [['a', 'b'], ['a'], ['b', 'a'], ['b'], ['a', 'c', 'b'], []];
    const s = score(truth, ranked);
    expect(s.accuracy).toBeCloseTo(3 / 6);
    // a: predicted a 3 times (items 0, 1, 4), 2 right; 3 true → P 2/3, R 2/3
    // b: predicted b twice (items 2, 3), 1 right; 2 true → P 1/2, R 1/2
    // c: never predicted; 1 true (no suggestion) → 0
    expect(s.perClass.map((c) => [c.label, c.precision, c.recall, c.support])).toEqual([
      ['a', 2 / 3, 2 / 3, 3],
      ['b', 1 / 2, 1 / 2, 2],
      ['c', 0, 0, 1],
    ]);
    expect(s.macroF1).toBeCloseTo((2 / 3 + 1 / 2 + 0) / 3);
    expect(s.top3).toBeCloseTo(5 / 6);
    expect(s.confusion).toEqual([
      [2, 1, 0],
      [1, 1, 0],
      [0, 0, 0],
    ]);
  });

  it('a first suggestion that is no text’s label still counts against the recall of the text’s own label', () => {
    // the holdout of a centre's history: 'z' is a category with no held-out ticket, suggested first for an 'a'
    const s = score(['a', 'a', 'b'], [['z', 'a'], ['a'], ['b']]);
    expect(s.perClass.map((c) => [c.label, c.support, c.recall])).toEqual([
      ['a', 2, 1 / 2],
      ['b', 1, 1],
    ]);
    expect(s.macroF1).toBeCloseTo(((2 * 1 * 0.5) / 1.5 + 1) / 2);
  });

  it('calibration: the expected calibration error over confidence bins, by hand', () => {
    const points = [
      { confidence: 0.95, correct: true },
      { confidence: 0.95, correct: false },
      { confidence: 1, correct: true }, // 1 falls in the last bin
      { confidence: 0.15, correct: false },
      { confidence: 0.15, correct: false },
    ];
    const c = calibration(points);
    expect(c.bins.map((b) => [b.from, b.count])).toEqual([
      [0.1, 2],
      [0.9, 3],
    ]);
    expect(c.bins[1]!.meanConfidence).toBeCloseTo(2.9 / 3);
    expect(c.bins[1]!.accuracy).toBeCloseTo(2 / 3);
    // 3/5 · |0.9667 − 0.6667| + 2/5 · |0.15 − 0|
    expect(c.ece).toBeCloseTo(0.18 + 0.06);
    // confidences that mean what they say: 0.75 right three times in four
    const honest = [true, true, true, false].map((correct) => ({ confidence: 0.75, correct }));
    expect(calibration(honest).ece).toBeCloseTo(0);
    expect(calibration([])).toEqual({ ece: 0, bins: [] });
  });

  it('bootstrap interval: seeded, around the figure, narrower with more texts, a point when all are right', () => {
    const truth = ['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c', 'a'];
    const ranked = [['a'], ['b'], ['c'], ['b'], ['b'], ['a'], ['a'], ['b'], ['c'], ['a']];
    const ci = bootstrapInterval(truth, ranked, { samples: 400, seed: 3 });
    expect(bootstrapInterval(truth, ranked, { samples: 400, seed: 3 })).toEqual(ci);
    const point = score(truth, ranked);
    expect(ci.accuracy[0]).toBeLessThanOrEqual(point.accuracy);
    expect(ci.accuracy[1]).toBeGreaterThanOrEqual(point.accuracy);
    expect(ci.macroF1[0]).toBeLessThan(point.macroF1);
    expect(ci.macroF1[1]).toBeGreaterThan(point.macroF1);
    // ten times the texts, the same mix: a narrower interval
    const wide = ci.accuracy[1] - ci.accuracy[0];
    const more = bootstrapInterval(
      Array.from({ length: 10 }, () => truth).flat(),
      Array.from({ length: 10 }, () => ranked).flat(),
      { samples: 400, seed: 3 },
    );
    expect(more.accuracy[1] - more.accuracy[0]).toBeLessThan(wide);
    expect(
      bootstrapInterval(
        truth,
        truth.map((t) => [t]),
        { samples: 50 },
      ),
    ).toEqual({
      macroF1: [1, 1],
      accuracy: [1, 1],
    });
  });

  it('most confused with: per label, the first suggestion it was most often mistaken for', () => {
    const truth = ['a', 'a', 'a', 'a', 'b', 'b', 'c', 'c'];
    const ranked = [['b'], ['c', 'a'], ['b', 'a'], ['a'], ['c'], ['a'], ['c'], []];
    expect(mostConfusedWith(truth, ranked)).toEqual(
      new Map([
        ['a', { label: 'b', count: 2 }],
        ['b', { label: 'a', count: 1 }], // a tie (a once, c once) goes to the first in sort order
        ['c', null], // right once, no suggestion once: never mistaken
      ]),
    );
  });

  it('percentiles by nearest rank', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(percentile([], 95)).toBe(0);
  });

  it('reads CSV as written by spreadsheets: quotes, commas and line breaks inside fields, CRLF, BOM', () => {
    const text = '\uFEFFtitle,body,label\r\n"路灯,不亮","夜里""很黑""\n请修",城乡建设\r\n,只有正文,环境保护\n';
    expect(parseCsv(text)).toEqual([
      ['title', 'body', 'label'],
      ['路灯,不亮', '夜里"很黑"\n请修', '城乡建设'],
      ['', '只有正文', '环境保护'],
    ]);
    expect(csvRecords(text, ['title', 'body', 'label'], 'f.csv')[0]).toEqual({
      title: '路灯,不亮',
      body: '夜里"很黑"\n请修',
      label: '城乡建设',
    });
    expect(() => csvRecords('a,b\n1,2', ['title', 'label'], 'f.csv')).toThrow(
      /f.csv lacks the column\(s\) title, label/,
    );
  });
});
