import type { Category } from '../api/types';

// 系统管理 → 事项分类: the category table as a tree, narrowed by a search (a real centre's tree has hundreds of leaves).

export interface CategoryNode extends Category {
  children?: CategoryNode[];
}

/**
 * The table's tree of `categories`; with a query, only the categories whose name, code or keywords contain it, their
 * ancestors (to show where they are) and their descendants, with the keys to open so that every match shows (`opened`).
 */
export function categoryTree(
  categories: readonly Category[],
  query: string,
): { tree: CategoryNode[]; opened: number[] } {
  const byId = new Map(categories.map((c) => [c.id, c]));
  const q = query.trim().toLowerCase();
  let kept: Set<number> | null = null;
  const opened = new Set<number>();
  if (q) {
    const matches = (c: Category) =>
      c.name.toLowerCase().includes(q) ||
      c.code.toLowerCase().includes(q) ||
      (c.keywords ?? []).some((k) => k.toLowerCase().includes(q));
    const keep = new Set<number>();
    const inMatch = (c: Category) => {
      for (let x: Category | undefined = c, d = 0; x && d < 32; x = byId.get(x.parent_id ?? -1), d++)
        if (matches(x)) return true;
      return false;
    };
    for (const c of categories) {
      if (!inMatch(c)) continue;
      keep.add(c.id);
      for (let p = byId.get(c.parent_id ?? -1), d = 0; p && d < 32; p = byId.get(p.parent_id ?? -1), d++) {
        keep.add(p.id);
        // open the way to every match itself; what is kept only for being under a match stays folded
        if (matches(c)) opened.add(p.id);
      }
    }
    kept = keep;
  }
  const nodes = new Map<number, CategoryNode>(
    categories.filter((c) => !kept || kept.has(c.id)).map((c) => [c.id, { ...c }]),
  );
  const roots: CategoryNode[] = [];
  for (const n of nodes.values()) {
    const p = n.parent_id ? nodes.get(n.parent_id) : undefined;
    if (p) (p.children ??= []).push(n);
    else roots.push(n);
  }
  return { tree: roots, opened: [...opened] };
}
