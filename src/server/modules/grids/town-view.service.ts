import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { townFiguresQuery, townTicketsQuery } from '../../../shared/contracts/grids.js';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import { MAX_SPAN_DAYS, dayNum } from '../../domain/analytics.js';
import { concentration, type CellCount } from '../../domain/grid-concentration.js';
import { AppError } from '../../errors.js';
import type { Actor } from '../auth/actor.js';
import { loadRegionTree, loadTrees } from '../analytics/analytics-tree.js';
import { sumsBy, type VolumeFilter } from '../analytics/analytics.repository.js';
import { assertTownReader, readableTowns, townLabel } from './grids.policy.js';
import * as repo from './grids.repository.js';

// 第二十九条第一款: the matters concentrated in a town/street's area — counts by grid × matter group over a period, the
// top matters and the hottest grid cells, each figure drilling down to its tickets. Every figure sums the analytics
// rollup (region × category × channel × day, whose region may be a grid); nothing here scans tickets. 主动发现
// (channel 'grid') is counted apart: the view shows all tickets, citizens' requests only (群众诉求) or 主动发现 only.

export class TownViewService {
  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock }) {}

  private async resolve(actor: Actor, townCode: string, q: { from: string; to: string }) {
    await assertTownReader(this.deps.db, actor, townCode);
    const town = await repo.findRegion(this.deps.db, townCode);
    if (!town || town.level !== 3) throw new AppError('not_found', '乡镇（街道）不存在或不在您的范围内');
    if (q.to < q.from) throw new AppError('bad_request', '结束日期不能早于开始日期', { field: 'to' });
    if (dayNum(q.to) - dayNum(q.from) + 1 > MAX_SPAN_DAYS)
      throw new AppError('bad_request', `查询区间不能超过三年（${MAX_SPAN_DAYS} 天）`, { field: 'to' });
    const trees = await loadTrees(this.deps.db);
    return { town, trees, codes: trees.regions.subtree(townCode) };
  }

  /** The towns the actor may open, with their grids (the page's town picker; a town's staff get their own only). */
  async towns(actor: Actor) {
    const codes = await readableTowns(this.deps.db, actor);
    const regions = await loadRegionTree(this.deps.db);
    return {
      towns: codes.map((code) => ({
        ...townLabel(regions, code),
        grids: regions
          .subtree(code)
          .filter((g) => regions.nodes.get(g)?.level === 4)
          .sort()
          .map((g) => ({ code: g, name: regions.name(g) })),
      })),
      today: new Date(this.deps.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10),
    };
  }

  async figures(actor: Actor, townCode: string, q: z.infer<typeof townFiguresQuery>) {
    const { town, trees, codes } = await this.resolve(actor, townCode, q);
    const f: VolumeFilter = {
      from: q.from,
      to: q.to,
      regionCodes: codes,
      categoryIds: null,
      regionLevel: 4,
      categoryLevel: 2,
    };
    const by = { region: true, category: true };
    const [all, proactive] = await Promise.all([
      sumsBy(this.deps.db, f, by),
      sumsBy(this.deps.db, { ...f, channel: 'grid' }, by),
    ]);
    // every row at its grid (a ticket at the town itself, in no grid, stays at the town's code) × level-2 matter
    const cells = (rows: typeof all, sign: 1 | -1): CellCount[] =>
      rows.map((r) => ({
        region: trees.regions.atLevel(r.regionCode, 4),
        category: trees.categories.atLevel(r.categoryId, 2),
        count: sign * r.tickets,
      }));
    const source =
      q.source === 'all'
        ? cells(all, 1)
        : q.source === 'grid'
          ? cells(proactive, 1)
          : [...cells(all, 1), ...cells(proactive, -1)];
    const grids = await repo.gridCellsOfTown(this.deps.db, townCode);
    const c = concentration(source, [...grids.map((g) => g.code), townCode], (id) => trees.categories.atLevel(id, 1));
    // the map's colours (issue 12): per grid, of the chosen source, how many are still open and how many overdue
    const state = new Map<string, { closed: number; overdue: number }>();
    const addState = (rows: typeof all, sign: 1 | -1) => {
      for (const r of rows) {
        const g = trees.regions.atLevel(r.regionCode, 4);
        const s = state.get(g) ?? { closed: 0, overdue: 0 };
        s.closed += sign * r.closed;
        s.overdue += sign * r.overdue;
        state.set(g, s);
      }
    };
    if (q.source !== 'grid') addState(all, 1);
    if (q.source === 'grid') addState(proactive, 1);
    if (q.source === 'citizen') addState(proactive, -1);
    const cell = new Map(grids.map((g) => [g.code, g]));
    const centreOf = (code: string) => {
      const g = cell.get(code);
      return g && g.lng !== null && g.lat !== null ? { lng: g.lng, lat: g.lat } : null;
    };
    const totalAll = all.reduce((s, r) => s + r.tickets, 0);
    const totalProactive = proactive.reduce((s, r) => s + r.tickets, 0);
    const regionName = (code: string) => (code === townCode ? '未划入网格' : trees.regions.name(code));
    return {
      town: { code: town.code, name: town.name, path: trees.regions.path(town.code).slice(1).join(' / ') },
      period: { from: q.from, to: q.to },
      source: q.source,
      totals: { tickets: totalAll, citizen: totalAll - totalProactive, proactive: totalProactive },
      groups: c.groups.map((g) => ({ id: g.category, name: trees.categories.name(g.category), count: g.count })),
      grids: c.regions.map((r) => ({
        code: r.region,
        name: regionName(r.region),
        inGrid: r.region !== townCode,
        count: r.count,
        open: r.count - (state.get(r.region)?.closed ?? 0),
        overdue: state.get(r.region)?.overdue ?? 0,
        centre: centreOf(r.region),
        retired: cell.get(r.region)?.retired ?? false,
        byGroup: r.byGroup,
      })),
      topMatters: c.topMatters.map((m) => ({
        id: m.category,
        name: trees.categories.path(m.category).join(' / '),
        count: m.count,
      })),
      hotGrids: c.hot.map((h) => ({
        code: h.region,
        name: regionName(h.region),
        count: h.count,
        topMatterId: h.topCategory,
        topMatter: h.topCategory !== null ? trees.categories.path(h.topCategory).join(' / ') : null,
        topMatterCount: h.topCount,
      })),
    };
  }

  /** The tickets behind a figure: the town or one of its grids, a matter (subtree), the source; nothing personal. */
  async tickets(actor: Actor, townCode: string, q: z.infer<typeof townTicketsQuery>) {
    const { trees, codes } = await this.resolve(actor, townCode, q);
    let regionCodes = codes;
    if (q.region !== undefined) {
      if (q.region === townCode) regionCodes = [townCode];
      else if (codes.includes(q.region) && trees.regions.nodes.get(q.region)?.level === 4)
        regionCodes = trees.regions.subtree(q.region);
      else throw new AppError('bad_request', '所选网格不属于本乡镇（街道）', { field: 'region' });
    }
    let categoryIds: number[] | null = null;
    if (q.categoryId !== undefined) {
      if (!trees.categories.has(q.categoryId))
        throw new AppError('bad_request', `未知的事项分类 ${q.categoryId}`, { field: 'categoryId' });
      categoryIds = trees.categories.subtree(q.categoryId);
    }
    let after: { day: string; ticketId: number } | null = null;
    if (q.after) {
      const [day, id] = q.after.split('.');
      after = { day: day!, ticketId: Number(id) };
    }
    const rows = await repo.townDrill(
      this.deps.db,
      { from: q.from, to: q.to, regionCodes, categoryIds, source: q.source },
      after,
      q.limit + 1,
    );
    const page = rows.slice(0, q.limit);
    const ids = page.map((r) => r.ticketId);
    const tickets = ids.length
      ? await this.deps.db
          .selectFrom('tickets')
          .select(['id', 'number', 'status', 'title'])
          .where('id', 'in', ids)
          .execute()
      : [];
    const byId = new Map(tickets.map((t) => [Number(t.id), t]));
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        ticketId: r.ticketId,
        number: byId.get(r.ticketId)?.number ?? '',
        title: byId.get(r.ticketId)?.title ?? '',
        status: byId.get(r.ticketId)?.status ?? null,
        day: r.day,
        regionCode: r.regionCode,
        regionName: r.regionCode === townCode ? '未划入网格' : trees.regions.name(r.regionCode),
        categoryName: trees.categories.path(r.categoryId).join(' / '),
        channel: r.channel,
      })),
      next: rows.length > q.limit && last ? `${last.day}.${last.ticketId}` : null,
    };
  }
}
