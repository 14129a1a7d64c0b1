// 第二十九条第一款 "本辖区诉求反映集中的问题": what a town/street view shows of its area — the counts per grid × matter
// group, the most frequent matters and the grid cells where most arise. Pure: the caller hands in rollup sums already
// placed at their grid (or the town, for tickets in no grid) and at their matter (category level 2).

export interface CellCount {
  region: string;
  category: number;
  /** may be negative: "citizens' requests" is all tickets minus 主动发现, given as two signed lists */
  count: number;
}

export interface Concentration {
  /** matter groups (level 1), most frequent first */
  groups: Array<{ category: number; count: number }>;
  /** the given regions in their order (the town's own row only when it has tickets), each by matter group */
  regions: Array<{ region: string; count: number; byGroup: Record<number, number> }>;
  /** the most frequent matters (level 2) of the area */
  topMatters: Array<{ category: number; count: number }>;
  /** the grid cells with most tickets, each with its most frequent matter */
  hot: Array<{ region: string; count: number; topCategory: number | null; topCount: number }>;
}

const byCountThenKey = <K extends string | number>(a: { count: number; k: K }, b: { count: number; k: K }) =>
  b.count - a.count || (a.k < b.k ? -1 : a.k > b.k ? 1 : 0);

/**
 * `regions`: the town's grids then the town's own code (last; its row is kept only when some ticket is there).
 * `groupOf`: a matter's group (its level-1 ancestor).
 */
export function concentration(
  cells: CellCount[],
  regions: string[],
  groupOf: (category: number) => number,
  limits: { topMatters?: number; hot?: number } = {},
): Concentration {
  const cell = new Map<string, Map<number, number>>();
  for (const c of cells) {
    const m = cell.get(c.region) ?? new Map<number, number>();
    m.set(c.category, (m.get(c.category) ?? 0) + c.count);
    cell.set(c.region, m);
  }
  const town = regions[regions.length - 1];
  const groupTotals = new Map<number, number>();
  const matterTotals = new Map<number, number>();
  const rows: Concentration['regions'] = [];
  const hot: Concentration['hot'] = [];
  const order = [...regions, ...[...cell.keys()].filter((r) => !regions.includes(r)).sort()];
  for (const region of order) {
    const matters = cell.get(region) ?? new Map<number, number>();
    const byGroup: Record<number, number> = {};
    let count = 0;
    let top: { k: number; count: number } | null = null;
    for (const [category, n] of [...matters.entries()].sort((a, b) => a[0] - b[0])) {
      if (n <= 0) continue;
      count += n;
      const g = groupOf(category);
      byGroup[g] = (byGroup[g] ?? 0) + n;
      groupTotals.set(g, (groupTotals.get(g) ?? 0) + n);
      matterTotals.set(category, (matterTotals.get(category) ?? 0) + n);
      if (!top || n > top.count) top = { k: category, count: n };
    }
    if (region === town && count === 0) continue;
    rows.push({ region, count, byGroup });
    if (region !== town && count > 0)
      hot.push({ region, count, topCategory: top?.k ?? null, topCount: top?.count ?? 0 });
  }
  const sorted = (m: Map<number, number>) =>
    [...m.entries()]
      .filter(([, n]) => n > 0)
      .map(([k, count]) => ({ k, count }))
      .sort(byCountThenKey)
      .map((x) => ({ category: x.k, count: x.count }));
  return {
    groups: sorted(groupTotals),
    regions: rows,
    topMatters: sorted(matterTotals).slice(0, limits.topMatters ?? 10),
    hot: hot
      .map((h) => ({ ...h, k: h.region }))
      .sort(byCountThenKey)
      .slice(0, limits.hot ?? 5)
      .map(({ k: _k, ...h }) => h),
  };
}
