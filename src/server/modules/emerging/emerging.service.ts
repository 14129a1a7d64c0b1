import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { Actor } from '../auth/actor.js';
import type {
  EmergingTermsView,
  EmergingTicketsView,
  emergingTermsQuery,
  emergingTicketsQuery,
} from '../../../shared/contracts/emerging.js';
import { addDays } from '../../domain/analytics.js';
import { localInstant } from '../../domain/calendar.js';
import { EMERGING_RULES, weekOf, weeklyAverage, weeksBetween, windowsOf } from '../../domain/emerging-terms.js';
import { loadTrees } from '../analytics/analytics-tree.js';
import { TERM_REGION_LEVEL, rankedTerms, rankedWeeks, ticketsWithTerm } from './emerging.repository.js';
import { emergingReader } from './emerging.policy.js';

// 第二十八条(三)(四) 新兴诉求词: the words citizens started to use, as the weekly job ranked them (never counted per
// request), and the tickets behind a word. Who reads what: emerging.policy.ts (the centre by region prefix; a unit's
// people the words of the city and their own unit's tickets).

const WEEKS_SHOWN = 12;
const TICKETS_SHOWN = 50;
const TICKETS_SAMPLED = 500;
const num = (x: string | number | null) => (x === null ? null : Number(x));

export class EmergingService {
  constructor(private readonly deps: { db: Kysely<DB> }) {}

  /** The regions the reader may choose (the city when it is in scope, and the counties in scope) and the chosen one. */
  private async region(actor: Actor, code: string | undefined) {
    const reader = await emergingReader(this.deps.db, actor);
    const trees = await loadTrees(this.deps.db);
    const choices = [...trees.regions.nodes.values()]
      .filter((n) => n.level <= TERM_REGION_LEVEL && reader.mayRead(n.key))
      .sort((a, b) => a.level - b.level || (a.key < b.key ? -1 : 1));
    if (code !== undefined) {
      const node = trees.regions.nodes.get(code);
      if (!node) throw new AppError('bad_request', `未知的区域代码 ${code}`, { field: 'region' });
      if (!reader.mayRead(code)) throw new AppError('bad_request', '所选区域不在您的查询范围内', { field: 'region' });
      if (node.level > TERM_REGION_LEVEL)
        throw new AppError('bad_request', '新兴诉求词按全市或区县统计，请选择全市或某个区县', { field: 'region' });
    }
    const chosen = code ?? choices[0]?.key;
    if (!chosen) throw new AppError('forbidden', '您的范围内没有可查看的区域');
    return { reader, trees, chosen, choices: choices.map((n) => ({ code: n.key, name: n.name })) };
  }

  private static checkWeek(week: string | undefined) {
    if (week !== undefined && weekOf(week) !== week)
      throw new AppError('bad_request', '周应以周一的日期表示', { field: 'week' });
  }

  async list(actor: Actor, q: z.infer<typeof emergingTermsQuery>): Promise<EmergingTermsView> {
    EmergingService.checkWeek(q.week);
    const { chosen, choices } = await this.region(actor, q.region);
    const weeks = await rankedWeeks(this.deps.db, chosen, WEEKS_SHOWN);
    const picked = q.week === undefined ? weeks[0] : weeks.find((w) => w.week === q.week);
    if (q.week !== undefined && !picked)
      throw new AppError('not_found', `${q.week} 这一周尚未统计或已超出可查看的范围`);
    const rules = {
      recentWeeks: EMERGING_RULES.recentWeeks,
      baselineWeeks: EMERGING_RULES.baselineWeeks,
      minRecent: EMERGING_RULES.minRecent,
      minRatio: EMERGING_RULES.minRatio,
    };
    if (!picked)
      return {
        regions: choices,
        region: chosen,
        weeks: [],
        week: null,
        status: null,
        computedAt: null,
        recentFrom: null,
        baselineFrom: null,
        seriesWeeks: [],
        recentTickets: 0,
        baselineTickets: 0,
        rules,
        terms: [],
      };
    const w = windowsOf(picked.week);
    const rows = await rankedTerms(this.deps.db, chosen, picked.week);
    return {
      regions: choices,
      region: chosen,
      weeks: weeks.map((x) => x.week),
      week: picked.week,
      status: picked.status,
      computedAt: new Date(picked.computed_at).toISOString(),
      recentFrom: w.recentFrom,
      baselineFrom: w.baselineFrom,
      seriesWeeks: weeksBetween(w.baselineFrom, picked.week),
      recentTickets: Number(picked.recent_tickets),
      baselineTickets: Number(picked.baseline_tickets),
      rules,
      terms: rows.map((r) => ({
        rank: Number(r.rank),
        term: r.term,
        related: r.related,
        recent: Number(r.recent),
        baseline: Number(r.baseline),
        lastYear: Number(r.last_year),
        recentWeekly: weeklyAverage(Number(r.recent), rules.recentWeeks),
        baselineWeekly: weeklyAverage(Number(r.baseline), rules.baselineWeeks),
        ratio: num(r.ratio),
        score: Number(r.score),
        isNew: r.is_new,
        seasonal: r.seasonal,
        series: r.series.map(Number),
      })),
    };
  }

  /** The newest tickets of the week's recent window with the word, in the region, and the categories they are under. */
  async tickets(actor: Actor, q: z.infer<typeof emergingTicketsQuery>): Promise<EmergingTicketsView> {
    EmergingService.checkWeek(q.week);
    const { reader, trees, chosen } = await this.region(actor, q.region);
    const week = q.week ?? (await rankedWeeks(this.deps.db, chosen, 1))[0]?.week;
    if (!week) throw new AppError('not_found', '尚无已统计的周');
    const w = windowsOf(week);
    const node = trees.regions.nodes.get(chosen)!;
    // the city's own code stands for every ticket of the city (the region filter is then needless)
    const regionCodes = node.level < TERM_REGION_LEVEL ? null : trees.regions.subtree(chosen);
    const { found, rows } = await ticketsWithTerm(this.deps.db, {
      term: q.term,
      from: localInstant(w.recentFrom),
      to: localInstant(addDays(week, 7)),
      regionCodes,
      leadUnitId: reader.ownUnitId,
      limit: TICKETS_SAMPLED + 1,
    });
    // the index's newest TICKETS_SAMPLED + 1 finds, of which those that use the word as a word
    const capped = found > TICKETS_SAMPLED;
    const sample = rows.slice(0, TICKETS_SAMPLED);
    const byCategory = new Map<number, number>();
    for (const t of sample) byCategory.set(t.category_id, (byCategory.get(t.category_id) ?? 0) + 1);
    return {
      term: q.term,
      region: chosen,
      ownUnitOnly: reader.ownUnitId !== null,
      from: w.recentFrom,
      to: addDays(week, 6),
      tickets: sample.slice(0, TICKETS_SHOWN).map((t) => ({
        id: Number(t.id),
        number: t.number,
        title: t.title,
        status: t.status,
        createdAt: new Date(t.created_at).toISOString(),
        categoryPath: trees.categories.path(t.category_id).join(' / '),
        regionName: trees.regions.path(t.region_code).slice(1).join(' / '),
      })),
      categories: [...byCategory]
        .sort((a, b) => b[1] - a[1] || a[0] - b[0])
        .map(([categoryId, tickets]) => ({
          categoryId,
          path: trees.categories.path(categoryId).join(' / '),
          tickets,
        })),
      sampled: sample.length,
      capped,
    };
  }
}
