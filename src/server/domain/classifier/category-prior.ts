import type { CategoryPrior } from './classifier.js';

// 第四条 智能分类, cold start: the category tree as the classifier's prior. A leaf is known by the names along its
// path (大类 → 小类) and the keywords an admin gave any of them; a retired category or one with active children is
// never a label (tickets are filed under active leaves).

export interface TreeNode {
  id: number;
  name: string;
  parentId: number | null;
  active: boolean;
  keywords: string[];
}

export interface TreeView {
  /** active leaves, by id */
  leaves: Set<number>;
  /** names from the root to the category */
  path: (id: number) => string[];
}

export function viewTree(nodes: readonly TreeNode[]): TreeView {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const withActiveChildren = new Set(
    nodes.filter((n) => n.active && n.parentId !== null).map((n) => n.parentId as number),
  );
  // a category is usable when it and every ancestor are active
  const usable = (n: TreeNode): boolean => {
    for (let c: TreeNode | undefined = n, depth = 0; c && depth < 32; c = byId.get(c.parentId ?? -1), depth++)
      if (!c.active) return false;
    return true;
  };
  const leaves = new Set(nodes.filter((n) => usable(n) && !withActiveChildren.has(n.id)).map((n) => n.id));
  const path = (id: number) => {
    const names: string[] = [];
    for (let c = byId.get(id), depth = 0; c && depth < 32; c = byId.get(c.parentId ?? -1), depth++)
      names.unshift(c.name);
    return names;
  };
  return { leaves, path };
}

/** The prior of every active leaf: its path's names and keywords (labels are category ids as text). */
export function treePrior(nodes: readonly TreeNode[]): CategoryPrior[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const { leaves } = viewTree(nodes);
  return [...leaves].map((id) => {
    const words: string[] = [];
    for (let c = byId.get(id), depth = 0; c && depth < 32; c = byId.get(c.parentId ?? -1), depth++)
      words.push(c.name, ...c.keywords);
    return { label: String(id), keywords: words };
  });
}
