import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import type { Actor } from '../auth/actor.js';
import type {
  AnalyticsFilter,
  drillQuery,
  risingQuery,
  trendQuery,
  volumeQuery,
} from '../../../shared/contracts/analytics.js';
import { REGION_LEVELS } from '../../../shared/contracts/analytics.js';
import {
  ANALYTICS_MEASURES,
  MAX_SPAN_DAYS,
  bucketOf,
  bucketsOf,
  changePct,
  dayNum,
  lastYearPeriod,
  previousPeriod,
  splitRange,
  topRising,
  type Granularity,
  type Measures,
} from '../../domain/analytics.js';
import { assertAnalyticsReader, inScope } from './analytics.policy.js';
import { loadTrees, type Trees } from './analytics-tree.js';
import * as repo from './analytics.repository.js';

// 第二十七条 热点分析: volumes by region × category × time, comparisons with the previous period and the same period
// last year, the matters that rose most, and the tickets behind each figure. Every figure sums rollup rows
// (analytics.repository.ts); nothing here scans tickets, and nothing personal is read or returned.

type Resolved = { filter: repo.VolumeFilter; trees: Trees };
const ZERO: Measures = { tickets: 0, closed: 0, overdue: 0, urgent: 0 };
const add = (a: Measures, b: Measures) => {
  for (const m of ANALYTICS_MEASURES) a[m] += b[m];
};

export class AnalyticsService {
  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock }) {}

  /** Checks the reader, the period, the region (known, in scope) and the category (known); resolves the subtrees. */
  private async resolve(actor: Actor, q: AnalyticsFilter): Promise<Resolved> {
    await assertAnalyticsReader(this.deps.db, actor);
    if (q.to < q.from) throw new AppError('bad_request', '结束日期不能早于开始日期', { field: 'to' });
    if (dayNum(q.to) - dayNum(q.from) + 1 > MAX_SPAN_DAYS)
      throw new AppError('bad_request', `查询区间不能超过三年（${MAX_SPAN_DAYS} 天）`, {
        field: 'to',
        maxSpanDays: MAX_SPAN_DAYS,
      });
    // a merged category's tickets count as its successor's (analytics-tree.ts)
    const trees = await loadTrees(this.deps.db, { foldMerged: true });
    const scoped = [...trees.regions.nodes.keys()].filter((c) => inScope(actor, c));
    let regionCodes: string[] | null = scoped.length === trees.regions.nodes.size ? null : scoped;
    // the finest levels the filter itself needs (a rollup kept at coarser levels could not answer it)
    let regionLevel = regionCodes ? Math.min(...scoped.map((c) => trees.regions.nodes.get(c)!.level)) : 1;
    let categoryLevel = 0;
    if (q.region !== undefined) {
      if (!trees.regions.has(q.region))
        throw new AppError('bad_request', `未知的区域代码 ${q.region}`, { field: 'region' });
      if (!inScope(actor, q.region))
        throw new AppError('bad_request', '所选区域不在您的查询范围内', { field: 'region' });
      regionCodes = trees.regions.subtree(q.region);
      regionLevel = trees.regions.nodes.get(q.region)!.level;
    }
    let categoryIds: number[] | null = null;
    if (q.categoryId !== undefined) {
      if (!trees.categories.has(q.categoryId))
        throw new AppError('bad_request', `未知的事项分类 ${q.categoryId}`, { field: 'categoryId' });
      // a merged category (an old bookmark) reads as its successor, whose figures hold its tickets
      const id = trees.categories.canonical(q.categoryId);
      categoryIds = trees.categories.subtree(id);
      categoryLevel = trees.categories.nodes.get(id)!.level;
    }
    return {
      trees,
      filter: {
        from: q.from,
        to: q.to,
        regionCodes,
        categoryIds,
        channel: q.channel ?? null,
        requestType: q.requestType ?? null,
        regionLevel,
        categoryLevel,
      },
    };
  }

  /** The filter, needing regions down to `regionLevel` and categories down to `categoryLevel` as well. */
  private needing(f: repo.VolumeFilter, regionLevel: number, categoryLevel: number): repo.VolumeFilter {
    return {
      ...f,
      regionLevel: Math.max(f.regionLevel ?? 4, regionLevel),
      categoryLevel: Math.max(f.categoryLevel ?? 3, categoryLevel),
    };
  }

  /** The filter bar's choices: the regions in the actor's area and the category tree. */
  async filters(actor: Actor) {
    await assertAnalyticsReader(this.deps.db, actor);
    const trees = await loadTrees(this.deps.db, { foldMerged: true });
    const regions = [...trees.regions.nodes.values()]
      .filter((r) => inScope(actor, r.key))
      .map((r) => ({ code: r.key, name: r.name, level: r.level, parentCode: r.parent }))
      .sort((a, b) => (a.code < b.code ? -1 : 1));
    // a merged category is no choice of its own: its tickets are its successor's
    const categories = [...trees.categories.nodes.values()]
      .filter((c) => !trees.categories.isAlias(c.key))
      .map((c) => ({ id: c.key, name: c.name, level: c.level, parentId: c.parent }))
      .sort((a, b) => a.id - b.id);
    return { regions, categories, maxSpanDays: MAX_SPAN_DAYS, today: this.today() };
  }

  private today() {
    return new Date(this.deps.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  }

  /**
   * Volume by region level × category level, with the previous period and the same period last year: the map
   * (regionLevel county), the heat table (town × level-1 categories) and their totals.
   */
  async volume(actor: Actor, q: z.infer<typeof volumeQuery>) {
    const resolved = await this.resolve(actor, q);
    const { trees } = resolved;
    const level = REGION_LEVELS[q.regionLevel];
    const filter = this.needing(resolved.filter, level, q.categoryLevel);
    const prev = previousPeriod(filter);
    const ly = lastYearPeriod(filter);
    const [cur, before, lastYear] = await Promise.all([
      repo.sumsBy(this.deps.db, filter, { region: true, category: true }),
      repo.sumsBy(this.deps.db, { ...filter, ...prev }, { region: true, category: false }),
      repo.sumsBy(this.deps.db, { ...filter, ...ly }, { region: true, category: false }),
    ]);
    const regionKey = (code: string) => trees.regions.atLevel(code, level);
    const categoryKey = (id: number) => trees.categories.atLevel(id, q.categoryLevel);
    const total = { ...ZERO };
    const regions = new Map<string, Measures & { previous: number; lastYear: number }>();
    const categories = new Map<number, Measures>();
    const cells = new Map<string, { regionCode: string; categoryId: number; tickets: number }>();
    const regionRow = (k: string) => {
      let r = regions.get(k);
      if (!r) regions.set(k, (r = { ...ZERO, previous: 0, lastYear: 0 }));
      return r;
    };
    for (const row of cur) {
      add(total, row);
      const rk = regionKey(row.regionCode);
      const ck = categoryKey(row.categoryId);
      add(regionRow(rk), row);
      const c = categories.get(ck) ?? { ...ZERO };
      add(c, row);
      categories.set(ck, c);
      const cellKey = `${rk}|${ck}`;
      const cell = cells.get(cellKey) ?? { regionCode: rk, categoryId: ck, tickets: 0 };
      cell.tickets += row.tickets;
      cells.set(cellKey, cell);
    }
    let previousTotal = 0;
    let lastYearTotal = 0;
    for (const row of before) {
      previousTotal += row.tickets;
      regionRow(regionKey(row.regionCode)).previous += row.tickets;
    }
    for (const row of lastYear) {
      lastYearTotal += row.tickets;
      regionRow(regionKey(row.regionCode)).lastYear += row.tickets;
    }
    return {
      period: { from: filter.from, to: filter.to },
      previousPeriod: prev,
      lastYearPeriod: ly,
      regionLevel: q.regionLevel,
      categoryLevel: q.categoryLevel,
      total: {
        ...total,
        previous: previousTotal,
        lastYear: lastYearTotal,
        changePrevious: changePct(total.tickets, previousTotal),
        changeLastYear: changePct(total.tickets, lastYearTotal),
      },
      regions: [...regions.entries()]
        .filter(([, r]) => r.tickets || r.previous || r.lastYear)
        .map(([code, r]) => ({
          code,
          name: trees.regions.name(code),
          path: trees.regions.path(code).slice(1).join(' / '),
          level: trees.regions.nodes.get(code)?.level ?? level,
          ...r,
          changePrevious: changePct(r.tickets, r.previous),
          changeLastYear: changePct(r.tickets, r.lastYear),
        }))
        .sort((a, b) => b.tickets - a.tickets || (a.code < b.code ? -1 : 1)),
      categories: [...categories.entries()]
        .filter(([, c]) => c.tickets)
        .map(([id, c]) => ({ id, name: trees.categories.name(id), ...c }))
        .sort((a, b) => b.tickets - a.tickets || a.id - b.id),
      cells: [...cells.values()].filter((c) => c.tickets),
    };
  }

  /** A period's buckets (day, ISO week or month): whole months from the monthly rollup when by month. */
  private async series(f: repo.VolumeFilter, g: Granularity): Promise<{ bucket: string; tickets: number }[]> {
    const sums = new Map<string, number>(bucketsOf(f, g).map((b) => [b, 0]));
    const rows: repo.DayRow[] = [];
    if (g === 'month') {
      const split = splitRange(f);
      if (split.months) rows.push(...(await repo.monthlySeries(this.deps.db, { ...f, ...split.months })));
      for (const d of split.days) rows.push(...(await repo.dailySeries(this.deps.db, { ...f, ...d })));
    } else rows.push(...(await repo.dailySeries(this.deps.db, f)));
    for (const r of rows) {
      const b = bucketOf(r.day, g);
      sums.set(b, (sums.get(b) ?? 0) + r.tickets);
    }
    return [...sums.entries()].map(([bucket, tickets]) => ({ bucket, tickets }));
  }

  /** The trend over the period with the previous period and the same period last year, aligned bucket by bucket. */
  async trend(actor: Actor, q: z.infer<typeof trendQuery>) {
    const { filter } = await this.resolve(actor, q);
    if (q.granularity === 'day' && dayNum(filter.to) - dayNum(filter.from) + 1 > 366)
      throw new AppError('bad_request', '按日查看的区间不能超过一年，请按周或按月查看', { field: 'granularity' });
    const prev = previousPeriod(filter);
    const ly = lastYearPeriod(filter);
    const [cur, before, lastYear] = await Promise.all([
      this.series(filter, q.granularity),
      this.series({ ...filter, ...prev }, q.granularity),
      this.series({ ...filter, ...ly }, q.granularity),
    ]);
    const sum = (s: { tickets: number }[]) => s.reduce((n, x) => n + x.tickets, 0);
    const total = sum(cur);
    return {
      granularity: q.granularity,
      period: { from: filter.from, to: filter.to },
      previousPeriod: prev,
      lastYearPeriod: ly,
      points: cur.map((c, i) => ({
        bucket: c.bucket,
        tickets: c.tickets,
        previous: before[i]?.tickets ?? null,
        previousBucket: before[i]?.bucket ?? null,
        lastYear: lastYear[i]?.tickets ?? null,
        lastYearBucket: lastYear[i]?.bucket ?? null,
      })),
      total: {
        tickets: total,
        previous: sum(before),
        lastYear: sum(lastYear),
        changePrevious: changePct(total, sum(before)),
        changeLastYear: changePct(total, sum(lastYear)),
      },
    };
  }

  /** 风险预警: category × region with the largest increase against the previous period (at least minCount now). */
  async rising(actor: Actor, q: z.infer<typeof risingQuery>) {
    const resolved = await this.resolve(actor, q);
    const { trees } = resolved;
    const level = REGION_LEVELS[q.regionLevel];
    const filter = this.needing(resolved.filter, level, q.categoryLevel);
    const prev = previousPeriod(filter);
    const [cur, before] = await Promise.all([
      repo.sumsBy(this.deps.db, filter, { region: true, category: true }),
      repo.sumsBy(this.deps.db, { ...filter, ...prev }, { region: true, category: true }),
    ]);
    const rows = new Map<
      string,
      { key: string; regionCode: string; categoryId: number; current: number; previous: number }
    >();
    const into = (r: repo.SumRow, field: 'current' | 'previous') => {
      const regionCode = trees.regions.atLevel(r.regionCode, level);
      const categoryId = trees.categories.atLevel(r.categoryId, q.categoryLevel);
      const key = `${regionCode}|${categoryId}`;
      const row = rows.get(key) ?? { key, regionCode, categoryId, current: 0, previous: 0 };
      row[field] += r.tickets;
      rows.set(key, row);
    };
    for (const r of cur) into(r, 'current');
    for (const r of before) into(r, 'previous');
    return {
      period: { from: filter.from, to: filter.to },
      previousPeriod: prev,
      minCount: q.minCount,
      items: topRising([...rows.values()], q.minCount, q.limit).map((r) => ({
        regionCode: r.regionCode,
        regionName: trees.regions.path(r.regionCode).slice(1).join(' / ') || trees.regions.name(r.regionCode),
        categoryId: r.categoryId,
        categoryName: trees.categories.path(r.categoryId).join(' / '),
        current: r.current,
        previous: r.previous,
        increase: r.current - r.previous,
        changePrevious: changePct(r.current, r.previous),
      })),
    };
  }

  /** The tickets behind a figure (number, day, region, category, channel, type, status — nothing personal). */
  async tickets(actor: Actor, q: z.infer<typeof drillQuery>) {
    const { filter, trees } = await this.resolve(actor, q);
    let after: { day: string; ticketId: number } | null = null;
    if (q.after) {
      const [day, id] = q.after.split('.');
      after = { day: day!, ticketId: Number(id) };
    }
    const rows = await repo.drillTickets(this.deps.db, filter, after, q.limit + 1);
    const page = rows.slice(0, q.limit);
    const ids = page.map((r) => r.ticketId);
    const tickets = ids.length
      ? await this.deps.db.selectFrom('tickets').select(['id', 'number', 'status']).where('id', 'in', ids).execute()
      : [];
    const byId = new Map(tickets.map((t) => [Number(t.id), t]));
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        ticketId: r.ticketId,
        number: byId.get(r.ticketId)?.number ?? '',
        status: byId.get(r.ticketId)?.status ?? null,
        day: r.day,
        regionCode: r.regionCode,
        regionName: trees.regions.path(r.regionCode).slice(1).join(' / ') || trees.regions.name(r.regionCode),
        categoryId: r.categoryId,
        categoryName: trees.categories.path(r.categoryId).join(' / '),
        channel: r.channel,
        requestType: r.requestType,
      })),
      next: rows.length > q.limit && last ? `${last.day}.${last.ticketId}` : null,
    };
  }
}
