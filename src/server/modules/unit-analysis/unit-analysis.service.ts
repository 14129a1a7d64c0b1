import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import type { Actor } from '../auth/actor.js';
import type { UnitAnalysisQuery } from '../../../shared/contracts/forecast.js';
import { localDateOf } from '../../domain/calendar.js';
import { addDays } from '../../domain/analytics.js';
import { addMonths } from '../../domain/forecast-plan.js';
import { assertUnitVisible, isUnitReader } from '../assessment/assessment.policy.js';
import { loadTrees } from '../analytics/analytics-tree.js';
import * as repo from './unit-analysis.repository.js';

// 第二十八条(一) 承办单位定期分析诉求事项办理情况: a unit's month — received, finished, on time, the matters most
// raised, repeat requesters (counts only), rework and satisfaction — beside the previous month and the same month
// last year. A unit reads its own (another unit's is 404); the centre's supervisors, analysts and admins pick any unit
// of their area (assessment.policy.ts). Figures read the assessment rollup (unit-analysis.repository.ts).

const rate = (x: { num: number; den: number }) => (x.den > 0 ? Math.round((x.num / x.den) * 1000) / 10 : null);

function present(f: repo.UnitMonthFigures) {
  return {
    received: f.received,
    finished: f.finished,
    onTime: f.onTime.num,
    onTimeDue: f.onTime.den,
    onTimeRate: rate(f.onTime),
    rework: f.rework.num,
    reworkBase: f.rework.den,
    reworkRate: rate(f.rework),
    satisfied: f.satisfaction.num,
    surveyed: f.satisfaction.den,
    satisfactionRate: rate(f.satisfaction),
    resolutionRate: rate(f.resolution),
  };
}
export type UnitMonthView = ReturnType<typeof present>;
export type UnitAnalysis = Awaited<ReturnType<UnitAnalysisService['analysis']>>;

const monthRange = (month: string) => {
  const from = `${month}-01`;
  return { from, to: addDays(addMonths(from, 1), -1) };
};
const hasData = (f: repo.UnitMonthFigures) =>
  f.received + f.finished + f.onTime.den + f.rework.den + f.satisfaction.den > 0;

export class UnitAnalysisService {
  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock }) {}

  /** The unit the actor asks about (a unit's people: their own; the centre: the one chosen, in its area). */
  async unitOf(actor: Actor, q: UnitAnalysisQuery): Promise<number> {
    const unitId = q.unitId ?? (isUnitReader(actor) ? actor.unitId : undefined);
    if (unitId === undefined) throw new AppError('bad_request', '请选择要分析的单位', { field: 'unitId' });
    await assertUnitVisible(this.deps.db, actor, unitId);
    return unitId;
  }

  async analysis(actor: Actor, q: UnitAnalysisQuery) {
    const unitId = await this.unitOf(actor, q);
    const thisMonth = localDateOf(this.deps.clock.now()).slice(0, 7);
    if (q.month > thisMonth)
      throw new AppError('bad_request', `不能分析未来的月份（最晚为本月 ${thisMonth}）`, { field: 'month' });
    const unit = await repo.unitRow(this.deps.db, unitId);
    if (!unit) throw new AppError('not_found', '单位不存在或不在您的范围内');
    const cur = monthRange(q.month);
    const previousMonth = addMonths(cur.from, -1).slice(0, 7);
    const lastYearMonth = addMonths(cur.from, -12).slice(0, 7);
    const prev = monthRange(previousMonth);
    const ly = monthRange(lastYearMonth);
    const db = this.deps.db;
    const [current, previous, lastYear, top, prevTop, repeat, prevRepeat, trees] = await Promise.all([
      repo.unitFigures(db, unitId, cur.from, cur.to),
      repo.unitFigures(db, unitId, prev.from, prev.to),
      repo.unitFigures(db, unitId, ly.from, ly.to),
      repo.topCategories(db, unitId, cur.from, cur.to, 10),
      repo.topCategories(db, unitId, prev.from, prev.to, 50),
      repo.repeatRequesters(db, unitId, cur.from, cur.to),
      repo.repeatRequesters(db, unitId, prev.from, prev.to),
      loadTrees(db),
    ]);
    const prevBy = new Map(prevTop.map((t) => [t.categoryId, t.tickets]));
    return {
      unit: { id: unit.id, name: unit.name },
      month: q.month,
      partial: q.month === thisMonth,
      previousMonth,
      lastYearMonth,
      current: present(current),
      previous: present(previous),
      lastYear: hasData(lastYear) ? present(lastYear) : null,
      topCategories: top.map((t) => ({
        categoryId: t.categoryId,
        name: trees.categories.path(t.categoryId).join(' / '),
        tickets: t.tickets,
        share: current.received > 0 ? Math.round((t.tickets / current.received) * 1000) / 10 : null,
        previous: prevBy.get(t.categoryId) ?? 0,
      })),
      repeatRequesters: { ...repeat, previous: prevRepeat.requesters },
    };
  }
}
