import { sql, type Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import type { DB } from '../../db/schema.js';
import { addDays, dayNumber } from '../../domain/calendar.js';
import { AppError } from '../../errors.js';
import { requireRole, type Actor, type Role } from '../auth/actor.js';

export const FIGURE_ROLES: Role[] = ['analyst', 'supervisor', 'knowledge_reviewer', 'admin'];
/** A period longer than this is refused: the figures are for reading, not for exporting history. */
export const MAX_FIGURE_DAYS = 366;
const TOP = 20;

interface ArticleFigure {
  articleId: number;
  title: string;
  ownerUnit: string;
  status: string;
  openFlags: number;
  uses: number;
  flags: number;
  portalViews: number;
  helpfulYes: number;
  helpfulNo: number;
  topHits: number;
}

const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);
const n = (v: unknown) => Number(v ?? 0);

// 第十二条 直接答复率 and 第十八条: how the knowledge base answers — read from the rollups only (a few rows per
// day, agent and article), never by counting contacts or searches.
export class KnowledgeFiguresService {
  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock }) {}

  async figures(actor: Actor, q: { from: string; to: string }) {
    requireRole(actor, ...FIGURE_ROLES);
    const valid = (d: string) => {
      try {
        return addDays(d, 0) === d;
      } catch {
        return false; // 2025-02-30: no such day
      }
    };
    if (!valid(q.from)) throw new AppError('bad_request', '开始日期不正确', { field: 'from' });
    if (!valid(q.to)) throw new AppError('bad_request', '结束日期不正确', { field: 'to' });
    if (q.to < q.from) throw new AppError('bad_request', '结束日期不能早于开始日期', { field: 'to' });
    if (dayNumber(q.to) - dayNumber(q.from) + 1 > MAX_FIGURE_DAYS)
      throw new AppError('bad_request', `统计区间不能超过 ${MAX_FIGURE_DAYS} 天`, { field: 'to' });
    const { db } = this.deps;
    const inPeriod = <T extends 'day'>(col: T) =>
      sql<boolean>`${sql.ref(col)} BETWEEN ${q.from}::date AND ${q.to}::date`;

    const [days, agents, mostUsed, mostFlagged, portal, searches, misses] = await Promise.all([
      db
        .selectFrom('knowledge_agent_daily')
        .select([
          'day',
          sql<number>`sum(disposed)`.as('disposed'),
          sql<number>`sum(answered)`.as('answered'),
          sql<number>`sum(answered_with_article)`.as('with_article'),
        ])
        .where(inPeriod('day'))
        .groupBy('day')
        .orderBy('day')
        .execute(),
      db
        .selectFrom('knowledge_agent_daily as d')
        .innerJoin('users as u', 'u.id', 'd.agent_id')
        .select([
          'd.agent_id',
          'u.display_name',
          sql<number>`sum(d.disposed)`.as('disposed'),
          sql<number>`sum(d.answered)`.as('answered'),
          sql<number>`sum(d.answered_with_article)`.as('with_article'),
        ])
        .where(sql<boolean>`d.day BETWEEN ${q.from}::date AND ${q.to}::date`)
        .groupBy(['d.agent_id', 'u.display_name'])
        .orderBy(sql`sum(d.disposed)`, 'desc')
        .orderBy('d.agent_id')
        .limit(500)
        .execute(),
      this.topArticles(q, 'uses'),
      this.topArticles(q, 'flags'),
      db
        .selectFrom('knowledge_article_daily')
        .select([
          sql<number>`coalesce(sum(portal_views), 0)`.as('views'),
          sql<number>`coalesce(sum(helpful_yes), 0)`.as('yes'),
          sql<number>`coalesce(sum(helpful_no), 0)`.as('no'),
        ])
        .where(inPeriod('day'))
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('knowledge_search_daily')
        .select([
          'source',
          sql<number>`sum(searches)`.as('searches'),
          sql<number>`sum(zero_results)`.as('zero_results'),
        ])
        .where(inPeriod('day'))
        .groupBy('source')
        .execute(),
      db
        .selectFrom('knowledge_search_misses')
        .select([
          'query_norm',
          sql<number>`sum(count)`.as('count'),
          sql<Date>`max(last_at)`.as('last_at'),
          sql<string>`string_agg(DISTINCT source, ',')`.as('sources'),
        ])
        .where(inPeriod('day'))
        .groupBy('query_norm')
        .orderBy(sql`sum(count)`, 'desc')
        .orderBy('query_norm')
        .limit(50)
        .execute(),
    ]);

    const total = days.reduce(
      (t, d) => ({
        disposed: t.disposed + n(d.disposed),
        answered: t.answered + n(d.answered),
        withArticle: t.withArticle + n(d.with_article),
      }),
      { disposed: 0, answered: 0, withArticle: 0 },
    );
    const presentArticle = (a: ArticleFigure) => ({ ...a, shareOfAnswered: rate(a.uses, total.answered) });
    const bySource = Object.fromEntries(
      searches.map((s) => [s.source, { searches: n(s.searches), zeroResults: n(s.zero_results) }]),
    );
    return {
      from: q.from,
      to: q.to,
      total: {
        ...total,
        directAnswerRate: rate(total.answered, total.disposed),
        articleRate: rate(total.withArticle, total.answered),
      },
      daily: days.map((d) => ({
        day: d.day,
        disposed: n(d.disposed),
        answered: n(d.answered),
        withArticle: n(d.with_article),
        directAnswerRate: rate(n(d.answered), n(d.disposed)),
      })),
      agents: agents.map((a) => ({
        agentId: a.agent_id,
        name: a.display_name,
        disposed: n(a.disposed),
        answered: n(a.answered),
        withArticle: n(a.with_article),
        directAnswerRate: rate(n(a.answered), n(a.disposed)),
      })),
      mostUsed: mostUsed.map(presentArticle),
      mostFlagged: mostFlagged.map(presentArticle),
      portal: { views: n(portal.views), helpfulYes: n(portal.yes), helpfulNo: n(portal.no) },
      searches: {
        agent: bySource.agent ?? { searches: 0, zeroResults: 0 },
        auto: bySource.auto ?? { searches: 0, zeroResults: 0 },
        portal: bySource.portal ?? { searches: 0, zeroResults: 0 },
      },
      unanswered: misses.map((m) => ({
        query: m.query_norm,
        count: n(m.count),
        lastAt: m.last_at,
        sources: String(m.sources ?? '')
          .split(',')
          .filter(Boolean),
      })),
    };
  }

  /** The articles with the most uses or flags in the period (top 20 by the rollup, with their titles). */
  private async topArticles(q: { from: string; to: string }, by: 'uses' | 'flags'): Promise<ArticleFigure[]> {
    const rows = await this.deps.db
      .selectFrom('knowledge_article_daily as d')
      .innerJoin('knowledge_articles as a', 'a.id', 'd.article_id')
      .innerJoin('units as u', 'u.id', 'a.owner_unit_id')
      .select([
        'd.article_id',
        'a.title',
        'u.name as unit',
        'a.status',
        'a.open_flag_count',
        sql<number>`sum(d.uses)`.as('uses'),
        sql<number>`sum(d.flags)`.as('flags'),
        sql<number>`sum(d.portal_views)`.as('portal_views'),
        sql<number>`sum(d.helpful_yes)`.as('helpful_yes'),
        sql<number>`sum(d.helpful_no)`.as('helpful_no'),
        sql<number>`sum(d.top_hits)`.as('top_hits'),
      ])
      .where(sql<boolean>`d.day BETWEEN ${q.from}::date AND ${q.to}::date`)
      .groupBy(['d.article_id', 'a.title', 'u.name', 'a.status', 'a.open_flag_count'])
      .having(sql<number>`sum(${sql.ref(`d.${by}`)})`, '>', 0)
      .orderBy(sql`sum(${sql.ref(`d.${by}`)})`, 'desc')
      .orderBy('d.article_id')
      .limit(TOP)
      .execute();
    return rows.map((r) => ({
      articleId: r.article_id,
      title: r.title ?? '',
      ownerUnit: r.unit,
      status: r.status,
      openFlags: r.open_flag_count,
      uses: n(r.uses),
      flags: n(r.flags),
      portalViews: n(r.portal_views),
      helpfulYes: n(r.helpful_yes),
      helpfulNo: n(r.helpful_no),
      topHits: n(r.top_hits),
    }));
  }
}
