import { describe, expect, it } from 'vitest';
import { classify, trainClassifier, trainClassifierAsync, type LabelledText } from './classifier.js';
import { treeChanges, treePrior, viewTree, type TreeNode } from './category-prior.js';

const TREE: TreeNode[] = [
  { id: 1, name: '城乡建设', parentId: null, active: true, keywords: [] },
  { id: 2, name: '供水', parentId: 1, active: true, keywords: ['停水', '自来水'] },
  { id: 3, name: '市政设施', parentId: 1, active: true, keywords: ['路灯'] },
  { id: 4, name: '劳动和社会保障', parentId: null, active: true, keywords: ['劳动保障'] },
  { id: 5, name: '拖欠工资', parentId: 4, active: true, keywords: [] },
  { id: 6, name: '教育', parentId: null, active: false, keywords: [] },
  { id: 7, name: '招生入学', parentId: 6, active: true, keywords: [] },
  { id: 8, name: '其他', parentId: null, active: true, keywords: [] },
];

describe('第四条 智能分类：分类树先验（冷启动）', () => {
  it('labels are the usable leaves: not a parent with active children, not under a retired ancestor', () => {
    const v = viewTree(TREE);
    expect([...v.leaves].sort()).toEqual([2, 3, 5, 8]);
    expect(v.path(3)).toEqual(['城乡建设', '市政设施']);
    expect(v.path(99)).toEqual([]);
  });

  it('a parent whose children are all retired becomes a leaf', () => {
    const v = viewTree(TREE.map((n) => (n.parentId === 4 ? { ...n, active: false } : n)));
    expect(v.leaves.has(4)).toBe(true);
    expect(v.leaves.has(5)).toBe(false);
  });

  it('the prior of a leaf holds the names and keywords along its path', () => {
    const p = treePrior(TREE).find((x) => x.label === '5')!;
    expect(p.keywords).toEqual(expect.arrayContaining(['拖欠工资', '劳动和社会保障', '劳动保障']));
  });

  // 合并 (issue 13: a category merged after training)
  it('a merged category lives on in its successor: its tickets count as the successor, along the chain', () => {
    const tree: TreeNode[] = [
      ...TREE,
      { id: 9, name: '自来水', parentId: 1, active: false, keywords: ['水质'], replacedById: 2 },
      { id: 10, name: '水费', parentId: 1, active: false, keywords: [], replacedById: 9 }, // a chain made by hand
      { id: 11, name: '旧类', parentId: 1, active: false, keywords: [], replacedById: 7 }, // 7 is under retired 6
    ];
    const v = viewTree(tree);
    expect(v.successor(2)).toBe(2);
    expect(v.successor(9)).toBe(2);
    expect(v.successor(10)).toBe(2);
    expect(v.successor(11)).toBeNull();
    expect(v.successor(6)).toBeNull(); // retired without a successor
    expect(v.successor(99)).toBeNull();
    expect(v.mergedInto).toEqual(
      new Map([
        ['9', '2'],
        ['10', '2'],
      ]),
    );
    // a cycle made by hand in the database answers null rather than looping
    const cycle = viewTree([
      { id: 1, name: 'a', parentId: null, active: false, keywords: [], replacedById: 2 },
      { id: 2, name: 'b', parentId: null, active: false, keywords: [], replacedById: 1 },
    ]);
    expect(cycle.successor(1)).toBeNull();
    // what citizens called the merged matter still names the successor in the prior
    const p = treePrior(tree).find((x) => x.label === '2')!;
    expect(p.keywords).toEqual(expect.arrayContaining(['供水', '停水', '自来水', '水质', '水费']));
    expect(treePrior(tree).map((x) => x.label)).not.toContain('9');
  });

  it('what the tree changed since a model was trained: added, merged (with where to), retired', () => {
    const tree: TreeNode[] = [
      ...TREE.map((n) =>
        n.id === 3 ? { ...n, active: false, replacedById: 2 } : n.id === 5 ? { ...n, active: false } : n,
      ),
      { id: 9, name: '水质', parentId: 1, active: true, keywords: [] },
    ];
    // the model knew 2, 3, 5, 8 (the leaves of TREE)
    expect(treeChanges(['2', '3', '5', '8'], viewTree(tree))).toEqual({
      added: [
        { categoryId: 4, path: ['劳动和社会保障'] }, // its only child retired: a leaf now
        { categoryId: 9, path: ['城乡建设', '水质'] },
      ],
      merged: [{ categoryId: 3, path: ['城乡建设', '市政设施'], into: { categoryId: 2, path: ['城乡建设', '供水'] } }],
      retired: [{ categoryId: 5, path: ['劳动和社会保障', '拖欠工资'] }],
    });
    expect(treeChanges(['2', '3', '5', '8'], viewTree(TREE))).toEqual({ added: [], merged: [], retired: [] });
  });

  it('a model of the tree alone suggests on day one', () => {
    const model = trainClassifier([], treePrior(TREE));
    const p = classify(model, { body: '小区停水两天了' });
    expect(p.kind === 'suggestions' && p.suggestions[0]!.label).toBe('2');
  });
});

describe('第四条 智能分类：分步训练', () => {
  it('training in steps (the service, yielding to the event loop) gives the same model as at once', async () => {
    const texts: LabelledText[] = [];
    for (let i = 0; i < 3000; i++)
      texts.push(
        i % 2
          ? { label: '2', body: `第${i % 7}小区停水，自来水没有来` }
          : { label: '5', body: `公司拖欠工资第${i % 5}个月` },
      );
    const prior = treePrior(TREE);
    const opts = {
      softmax: { epochs: 2, learningRate: 0.2, l2: 1e-5, seed: 1 },
      minDf: 2,
      maxFeatures: 1000,
      priorWeight: 2,
      calibrationShare: 0.1,
    };
    const a = trainClassifier(texts, prior, opts);
    const b = await trainClassifierAsync(texts, prior, opts);
    expect([...b.weights.w]).toEqual([...a.weights.w]);
    expect(b.weights.temperature).toBe(a.weights.temperature);
    expect(b.vocab.terms).toEqual(a.vocab.terms);
  });
});
