import { describe, expect, it } from 'vitest';
import { Tree } from './analytics-tree.js';

describe('第二十七条 the trees figures roll up along', () => {
  // 城乡建设 (1) › 物业管理 (2, a leaf at level 2) and 市政 (3) › 路灯 (4); 预付卡 (5, under 市场监管 6) merged into 物业管理
  const tree = new Tree<number>([
    { key: 1, name: '城乡建设', level: 1, parent: null },
    { key: 2, name: '物业管理', level: 2, parent: 1 },
    { key: 3, name: '市政', level: 2, parent: 1 },
    { key: 4, name: '路灯', level: 3, parent: 3 },
    { key: 6, name: '市场监管', level: 1, parent: null },
    { key: 5, name: '预付卡', level: 3, parent: 2, aliasOf: 2 },
  ]);

  it('a node at any level is read as its ancestor at a level, or as itself at or above it', () => {
    expect(tree.atLevel(4, 1)).toBe(1);
    expect(tree.atLevel(4, 2)).toBe(3);
    expect(tree.atLevel(4, 3)).toBe(4);
    expect(tree.atLevel(2, 3)).toBe(2); // a leaf at level 2 stays itself at level 3
  });

  it('a merged category stands for its successor at every level, and the successor holds it in its subtree', () => {
    expect(tree.atLevel(5, 3)).toBe(2);
    expect(tree.atLevel(5, 2)).toBe(2);
    expect(tree.atLevel(5, 1)).toBe(1);
    expect(tree.subtree(2).sort()).toEqual([2, 5]);
    expect(tree.subtree(1).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(tree.subtree(6)).toEqual([6]);
    expect(tree.path(5)).toEqual(['城乡建设', '物业管理', '预付卡']);
    expect([tree.canonical(5), tree.canonical(2), tree.isAlias(5), tree.isAlias(2)]).toEqual([2, 2, true, false]);
  });
});
