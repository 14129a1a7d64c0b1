import { describe, expect, it } from 'vitest';
import type { Category } from '../api/types';
import { categoryTree, type CategoryNode } from './category-tree';

const c = (id: number, code: string, name: string, parent: number | null, keywords: string[] = []): Category => ({
  id,
  code,
  name,
  parent_id: parent,
  level: parent ? 2 : 1,
  active: true,
  keywords,
});
const CATS = [
  c(1, 'CX', '城乡建设', null),
  c(2, 'CX-GS', '供水', 1, ['停水', '自来水']),
  c(3, 'CX-SZ', '市政设施', 1, ['路灯']),
  c(4, 'LD', '劳动和社会保障', null),
  c(5, 'LD-QX', '拖欠工资', 4),
  c(6, 'LD-QX-NM', '农民工工资', 5),
];
const names = (nodes: CategoryNode[]): unknown[] =>
  nodes.map((n) => (n.children ? [n.name, names(n.children)] : n.name));

describe('事项分类 search', () => {
  it('no query: the whole tree, nothing opened', () => {
    const { tree, opened } = categoryTree(CATS, '  ');
    expect(names(tree)).toEqual([
      ['城乡建设', ['供水', '市政设施']],
      ['劳动和社会保障', [['拖欠工资', ['农民工工资']]]],
    ]);
    expect(opened).toEqual([]);
  });

  it('by name, code or keyword (any case): the matches, their ancestors opened, their descendants kept', () => {
    expect(names(categoryTree(CATS, '路灯').tree)).toEqual([['城乡建设', ['市政设施']]]);
    expect(categoryTree(CATS, '路灯').opened).toEqual([1]);
    expect(names(categoryTree(CATS, 'cx-gs').tree)).toEqual([['城乡建设', ['供水']]]);
    // a match keeps its subtree, folded unless a match lies inside it
    const wages = categoryTree(CATS, '工资');
    expect(names(wages.tree)).toEqual([['劳动和社会保障', [['拖欠工资', ['农民工工资']]]]]);
    expect(wages.opened.sort()).toEqual([4, 5]);
    const labour = categoryTree(CATS, '劳动');
    expect(names(labour.tree)).toEqual([['劳动和社会保障', [['拖欠工资', ['农民工工资']]]]]);
    expect(labour.opened).toEqual([]);
    expect(categoryTree(CATS, '不存在').tree).toEqual([]);
  });
});
