/** A node of an antd TreeSelect built from parent/child rows (regions, categories). */
export interface TreeNode {
  title: string;
  value: string;
  children?: TreeNode[];
}

/** Rows with a parent key as TreeSelect nodes; a row whose parent is unknown is a root, leaves have no children. */
export function treeNodes<T>(
  rows: T[],
  key: (r: T) => string,
  parent: (r: T) => string | null,
  title: (r: T) => string,
): TreeNode[] {
  const nodes = new Map(rows.map((r) => [key(r), { title: title(r), value: key(r), children: [] as TreeNode[] }]));
  const roots: TreeNode[] = [];
  for (const r of rows) {
    const n = nodes.get(key(r))!;
    const p = parent(r);
    if (p !== null && nodes.has(p)) nodes.get(p)!.children.push(n);
    else roots.push(n);
  }
  const prune = (n: TreeNode): TreeNode =>
    n.children?.length ? { ...n, children: n.children.map(prune) } : { title: n.title, value: n.value };
  return roots.map(prune);
}
