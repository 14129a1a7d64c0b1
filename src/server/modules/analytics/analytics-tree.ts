import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

// 第二十七条: the region and category trees an analytics figure rolls up along. Both tables are small (regions: a
// city's counties, towns and grids; categories: a few hundred matters), so they are read whole and walked in memory.

export interface TreeNode<K> {
  key: K;
  name: string;
  level: number;
  parent: K | null;
  /** a node that stands for another (a merged category for its successor): its parent is that node */
  aliasOf?: K;
}

export class Tree<K extends string | number> {
  readonly nodes = new Map<K, TreeNode<K>>();
  private readonly children = new Map<K, K[]>();
  constructor(rows: TreeNode<K>[]) {
    for (const r of rows) this.nodes.set(r.key, r);
    for (const r of rows)
      if (r.parent !== null && this.nodes.has(r.parent)) {
        const c = this.children.get(r.parent) ?? [];
        c.push(r.key);
        this.children.set(r.parent, c);
      }
  }
  has(k: K) {
    return this.nodes.has(k);
  }
  name(k: K) {
    return this.nodes.get(k)?.name ?? String(k);
  }
  /** The node and everything below it. */
  subtree(k: K): K[] {
    const out: K[] = [];
    const stack = [k];
    while (stack.length) {
      const x = stack.pop()!;
      out.push(x);
      for (const c of this.children.get(x) ?? []) stack.push(c);
    }
    return out;
  }
  /** The node a key is read as: the one it stands for (a merged category's successor), else itself. */
  canonical(k: K): K {
    return this.nodes.get(k)?.aliasOf ?? k;
  }
  /** Whether the node stands for another (a merged category, with `foldMerged`). */
  isAlias(k: K): boolean {
    return this.nodes.get(k)?.aliasOf !== undefined;
  }
  /**
   * The ancestor at `level` (the node itself when it is at that level or above it: a county's own tickets); a node
   * that stands for another is read as that one, whatever the level.
   */
  atLevel(k: K, level: number): K {
    let n = this.nodes.get(this.canonical(k));
    while (n && n.level > level && n.parent !== null) n = this.nodes.get(n.parent);
    return n?.key ?? k;
  }
  /** The path from the root down to the node (names), for labels like 牡丹区 / 东城街道. */
  path(k: K): string[] {
    const out: string[] = [];
    let n = this.nodes.get(k);
    while (n) {
      out.unshift(n.name);
      n = n.parent === null ? undefined : this.nodes.get(n.parent);
    }
    return out;
  }
}

/** The region tree alone, for a page that names places only (a town picker need not read the category tree). */
export async function loadRegionTree(db: Kysely<DB>): Promise<Tree<string>> {
  const regions = await db.selectFrom('regions').select(['code', 'name', 'level', 'parent_code']).execute();
  return new Tree<string>(
    regions.map((r) => ({ key: r.code, name: r.name, level: Number(r.level), parent: r.parent_code })),
  );
}

/**
 * The region and category trees. With `foldMerged`, a category merged into another (系统管理 → 合并到…, migration
 * 0054) hangs below its successor and stands for it: its tickets keep their category, and a figure read along the
 * tree counts them as the successor's (the successor's subtree holds it; at any level it is read as the successor) —
 * otherwise the old name's history stops at the merge while the successor seems to rise from nothing.
 */
export async function loadTrees(db: Kysely<DB>, opts: { foldMerged?: boolean } = {}) {
  const [regions, categories] = await Promise.all([
    loadRegionTree(db),
    db.selectFrom('categories').select(['id', 'name', 'level', 'parent_id', 'active', 'replaced_by_id']).execute(),
  ]);
  const byId = new Map(categories.map((c) => [c.id, c]));
  const mergedInto = (c: (typeof categories)[number]) =>
    opts.foldMerged && c.replaced_by_id !== null && c.replaced_by_id !== c.id ? byId.get(c.replaced_by_id) : undefined;
  return {
    regions,
    categories: new Tree<number>(
      categories.map((c) => {
        const into = mergedInto(c);
        return into
          ? { key: c.id, name: c.name, level: Number(into.level) + 1, parent: into.id, aliasOf: into.id }
          : { key: c.id, name: c.name, level: Number(c.level), parent: c.parent_id };
      }),
    ),
    categoryActive: new Map(categories.map((c) => [c.id, c.active])),
  };
}
export type Trees = Awaited<ReturnType<typeof loadTrees>>;
