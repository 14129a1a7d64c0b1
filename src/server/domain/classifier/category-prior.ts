import type { CategoryPrior } from './classifier.js';

// 第四条 智能分类, cold start: the category tree as the classifier's prior. A leaf is known by the names along its
// path (大类 → 小类) and the keywords an admin gave any of them; a retired category or one with active children is
// never a label (tickets are filed under active leaves). A category merged into another (合并, `replacedById`) lives on
// in its successor: its tickets teach the successor, its names and keywords join the successor's prior, and a model
// trained before the merge suggests the successor where it would have suggested it.

export interface TreeNode {
  id: number;
  name: string;
  parentId: number | null;
  active: boolean;
  keywords: string[];
  /** merged into this category (合并): retired, and its history counts as the successor's */
  replacedById?: number | null;
}

export interface TreeView {
  /** active leaves, by id */
  leaves: Set<number>;
  /** names from the root to the category */
  path: (id: number) => string[];
  /**
   * The usable leaf a category's tickets count as today: itself when it is one, else the end of its merge chain when
   * that is one; null when neither (retired without a successor, or the successor itself retired since).
   */
  successor: (id: number) => number | null;
  /** model label → the label it was merged into, for every merged category whose successor is usable (classify) */
  mergedInto: Map<string, string>;
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
  const successor = (id: number): number | null => {
    let c = byId.get(id);
    // a chain is flattened when merged (admin.service mergeCategory); the bound only guards against a hand-made cycle
    for (let depth = 0; c && depth < 32; depth++) {
      if (leaves.has(c.id)) return c.id;
      if (c.replacedById == null) return null;
      c = byId.get(c.replacedById);
    }
    return null;
  };
  const mergedInto = new Map<string, string>();
  for (const n of nodes) {
    if (n.replacedById == null) continue;
    const s = successor(n.id);
    if (s !== null && s !== n.id) mergedInto.set(String(n.id), String(s));
  }
  return { leaves, path, successor, mergedInto };
}

/**
 * The prior of every active leaf: its path's names and keywords, and the names and keywords of the categories merged
 * into it (what citizens called the matter before the merge still names it) — labels are category ids as text.
 */
export function treePrior(nodes: readonly TreeNode[]): CategoryPrior[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const { leaves, mergedInto } = viewTree(nodes);
  const merged = new Map<string, string[]>();
  for (const [from, into] of mergedInto) {
    const n = byId.get(Number(from))!;
    merged.set(into, [...(merged.get(into) ?? []), n.name, ...n.keywords]);
  }
  return [...leaves].map((id) => {
    const words: string[] = [];
    for (let c = byId.get(id), depth = 0; c && depth < 32; c = byId.get(c.parentId ?? -1), depth++)
      words.push(c.name, ...c.keywords);
    words.push(...(merged.get(String(id)) ?? []));
    return { label: String(id), keywords: words };
  });
}

/** The category a merged one is suggested as today, with its path (null: not merged, or nowhere usable). */
export function mergeTarget(view: TreeView, id: number) {
  const into = view.mergedInto.get(String(id));
  return into ? { categoryId: Number(into), path: view.path(Number(into)) } : null;
}

/**
 * The tree against a model's labels: categories added since (the model cannot suggest them until it is trained
 * again), merged since (suggested as their successor meanwhile) and retired since (no longer suggested).
 */
export function treeChanges(labels: readonly string[], view: TreeView) {
  const known = new Set(labels);
  const named = (id: number) => ({ categoryId: id, path: view.path(id) });
  const gone = labels.map(Number).filter((id) => !view.leaves.has(id));
  return {
    added: [...view.leaves].filter((id) => !known.has(String(id))).map(named),
    merged: gone
      .filter((id) => view.mergedInto.has(String(id)))
      .map((id) => ({ ...named(id), into: mergeTarget(view, id)! })),
    retired: gone.filter((id) => !view.mergedInto.has(String(id))).map(named),
  };
}
