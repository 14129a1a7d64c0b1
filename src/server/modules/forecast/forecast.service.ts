import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import type { Actor } from '../auth/actor.js';
import type { forecastRisesQuery, forecastSeriesQuery } from '../../../shared/contracts/forecast.js';
import { localDateOf } from '../../domain/calendar.js';
import { addDays, monthStart } from '../../domain/analytics.js';
import { FORECAST_METHOD_LABELS, type ForecastMethod } from '../../domain/forecast.js';
import { addMonths } from '../../domain/forecast-plan.js';
import { assertAnalyticsReader, inScope } from '../analytics/analytics.policy.js';
import { loadTrees, type Trees } from '../analytics/analytics-tree.js';
import { monthlySeries } from '../analytics/analytics.repository.js';
import { SERIES_CATEGORY_LEVEL, SERIES_REGION_LEVEL, monthCells, readForecasts } from './forecast.repository.js';

// 第二十八条(二) 季节预测: what was expected beside what came, per county × matter or summed over the filter, and the
// matters expected to rise most next month. Figures read the stored forecasts and the analytics rollup only.

type Scope = { regionCodes: string[] | null; categoryIds: number[] | null; counties: string[] | null; trees: Trees };
const round1 = (x: number) => Math.round(x * 10) / 10;

export class ForecastService {
  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock }) {}

  private currentMonth() {
    return monthStart(localDateOf(this.deps.clock.now()));
  }

  /** The reader, the region (the city or a county, in scope) and the matter (a group or a matter), resolved. */
  private async resolve(actor: Actor, q: { region?: string; categoryId?: number }): Promise<Scope> {
    await assertAnalyticsReader(this.deps.db, actor);
    const trees = await loadTrees(this.deps.db);
    const all = [...trees.regions.nodes.keys()];
    const scoped = all.filter((c) => inScope(actor, c));
    let regionCodes: string[] | null = scoped.length === all.length ? null : scoped;
    if (q.region !== undefined) {
      const node = trees.regions.nodes.get(q.region);
      if (!node) throw new AppError('bad_request', `未知的区域代码 ${q.region}`, { field: 'region' });
      if (!inScope(actor, q.region))
        throw new AppError('bad_request', '所选区域不在您的查询范围内', { field: 'region' });
      if (node.level > SERIES_REGION_LEVEL)
        throw new AppError('bad_request', '季节预测按区县统计，请选择全市或某个区县', { field: 'region' });
      if (node.level === SERIES_REGION_LEVEL) regionCodes = trees.regions.subtree(q.region);
    }
    let categoryIds: number[] | null = null;
    if (q.categoryId !== undefined) {
      const node = trees.categories.nodes.get(q.categoryId);
      if (!node) throw new AppError('bad_request', `未知的事项分类 ${q.categoryId}`, { field: 'categoryId' });
      if (node.level > SERIES_CATEGORY_LEVEL)
        throw new AppError('bad_request', '季节预测按一、二级事项分类统计，请选择上一级分类', { field: 'categoryId' });
      categoryIds = trees.categories.subtree(q.categoryId);
    }
    // forecast series are kept at county level: the counties (and the city's own code) of the region filter
    const counties = regionCodes
      ? regionCodes.filter((c) => (trees.regions.nodes.get(c)?.level ?? 9) <= SERIES_REGION_LEVEL)
      : null;
    return { regionCodes, categoryIds, counties, trees };
  }

  /** The chart: each month's actual volume and what was forecast for it, the last `months` months and next month. */
  async series(actor: Actor, q: z.infer<typeof forecastSeriesQuery>) {
    const s = await this.resolve(actor, q);
    const current = this.currentMonth();
    const next = addMonths(current, 1);
    const first = addMonths(current, -q.months);
    const [actuals, forecasts] = await Promise.all([
      monthlySeries(this.deps.db, {
        from: first,
        to: addDays(current, -1),
        regionCodes: s.regionCodes,
        categoryIds: s.categoryIds,
        regionLevel: SERIES_REGION_LEVEL,
        categoryLevel: SERIES_CATEGORY_LEVEL,
      }),
      readForecasts(this.deps.db, { from: first, to: next, regionCodes: s.counties, categoryIds: s.categoryIds }),
    ]);
    const actualBy = new Map(actuals.map((a) => [a.day, a.tickets]));
    // a sum of series: the expected values add up, the bands' half-widths add in quadrature (independent errors)
    const byMonth = new Map<
      string,
      { expected: number; half2: number; error: number; models: Record<string, number> }
    >();
    for (const f of forecasts) {
      const m = byMonth.get(f.period) ?? { expected: 0, half2: 0, error: 0, models: {} };
      m.expected += f.expected;
      m.half2 += (f.upper - f.expected) ** 2;
      m.error += f.backtestError ?? 0;
      m.models[f.model] = (m.models[f.model] ?? 0) + 1;
      byMonth.set(f.period, m);
    }
    const points = [];
    for (let m = first; m <= next; m = addMonths(m, 1)) {
      const f = byMonth.get(m);
      points.push({
        month: m.slice(0, 7),
        actual: m < current ? (actualBy.get(m) ?? 0) : null,
        expected: f ? round1(f.expected) : null,
        lower: f ? round1(Math.max(0, f.expected - Math.sqrt(f.half2))) : null,
        upper: f ? round1(f.expected + Math.sqrt(f.half2)) : null,
        backtestError: f ? round1(f.error) : null,
        models: f
          ? Object.entries(f.models).map(([model, series]) => ({
              model,
              label: FORECAST_METHOD_LABELS[model as ForecastMethod],
              series,
            }))
          : [],
      });
    }
    const nextPoint = points[points.length - 1]!;
    return {
      currentMonth: current.slice(0, 7),
      nextMonth: next.slice(0, 7),
      points,
      next: nextPoint,
      computed: nextPoint.expected !== null,
    };
  }

  /** Next month's largest expected rises over last month's actual volume, per county × matter. */
  async rises(actor: Actor, q: z.infer<typeof forecastRisesQuery>) {
    const s = await this.resolve(actor, q);
    const current = this.currentMonth();
    const next = addMonths(current, 1);
    const last = addMonths(current, -1);
    const [forecasts, cells] = await Promise.all([
      readForecasts(this.deps.db, { from: next, to: next, regionCodes: s.counties, categoryIds: s.categoryIds }),
      monthCells(this.deps.db, last, last),
    ]);
    const lastBy = new Map<string, number>();
    for (const c of cells) {
      const key = `${s.trees.regions.atLevel(c.regionCode, SERIES_REGION_LEVEL)}|${s.trees.categories.atLevel(c.categoryId, SERIES_CATEGORY_LEVEL)}`;
      lastBy.set(key, (lastBy.get(key) ?? 0) + c.tickets);
    }
    const rows = forecasts.map((f) => {
      const lastMonth = lastBy.get(`${f.regionCode}|${f.categoryId}`) ?? 0;
      return {
        regionCode: f.regionCode,
        regionName: s.trees.regions.name(f.regionCode),
        categoryId: f.categoryId,
        categoryName: s.trees.categories.path(f.categoryId).join(' / '),
        model: f.model,
        modelLabel: FORECAST_METHOD_LABELS[f.model],
        expected: f.expected,
        lower: f.lower,
        upper: f.upper,
        backtestError: f.backtestError,
        lastMonth,
        change: round1(f.expected - lastMonth),
        changePct: lastMonth > 0 ? round1(((f.expected - lastMonth) / lastMonth) * 100) : null,
      };
    });
    rows.sort((a, b) => b.change - a.change || a.regionCode.localeCompare(b.regionCode) || a.categoryId - b.categoryId);
    return { nextMonth: next.slice(0, 7), lastMonth: last.slice(0, 7), rows: rows.slice(0, q.limit) };
  }
}
