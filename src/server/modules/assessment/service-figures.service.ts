import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { dayNumber } from '../../domain/calendar.js';
import { requireRole, type Actor } from '../auth/actor.js';

// GB/T 33358-2016 热线服务质量: calls answered within 15 s, the 24-hour connection rate (target ≥ 95 %), average wait
// and talk time, text channels answered within 3 minutes — read from the daily rollup (service-figures.repository.ts).

export const GBT_TARGETS = { connectionRate: 95, answered15sRate: 80, textAnswered3minRate: 95 };

const pct = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10_000) / 100 : null);
const avg = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10) / 10 : null);

interface Sums {
  offered: number;
  answered: number;
  answered_15s: number;
  abandoned: number;
  wait_seconds: number;
  talk_seconds: number;
  text_received: number;
  text_answered_3min: number;
}
function figures(s: Sums) {
  return {
    offered: s.offered,
    answered: s.answered,
    abandoned: s.abandoned,
    answered15s: s.answered_15s,
    connectionRate: pct(s.answered, s.offered),
    answered15sRate: pct(s.answered_15s, s.offered),
    averageWaitSeconds: avg(s.wait_seconds, s.answered),
    averageTalkSeconds: avg(s.talk_seconds, s.answered),
    textReceived: s.text_received,
    textAnswered3min: s.text_answered_3min,
    textAnswered3minRate: pct(s.text_answered_3min, s.text_received),
  };
}

export class ServiceFiguresService {
  constructor(private readonly deps: { db: Kysely<DB> }) {}

  /** Per day and in total; a county centre sees its own centre's calls, the city centre every centre's. */
  async figures(actor: Actor, q: { from: string; to: string }) {
    requireRole(actor, 'supervisor', 'analyst', 'admin');
    if (actor.scope === 'unit') throw new AppError('forbidden', '仅热线工作机构可以查看服务指标');
    if (q.to < q.from) throw new AppError('bad_request', '结束日期不能早于开始日期');
    if (dayNumber(q.to) - dayNumber(q.from) > 366) throw new AppError('bad_request', '查询区间不能超过一年');
    const unit = await this.deps.db
      .selectFrom('units')
      .select(['tier'])
      .where('id', '=', actor.unitId)
      .executeTakeFirst();
    let query = this.deps.db
      .selectFrom('service_figures_daily')
      .select((eb) => [
        'day',
        eb.fn.sum<number>('offered').as('offered'),
        eb.fn.sum<number>('answered').as('answered'),
        eb.fn.sum<number>('answered_15s').as('answered_15s'),
        eb.fn.sum<number>('abandoned').as('abandoned'),
        eb.fn.sum<number>('wait_seconds').as('wait_seconds'),
        eb.fn.sum<number>('talk_seconds').as('talk_seconds'),
        eb.fn.sum<number>('text_received').as('text_received'),
        eb.fn.sum<number>('text_answered_3min').as('text_answered_3min'),
      ])
      .where('day', '>=', q.from)
      .where('day', '<=', q.to)
      .groupBy('day')
      .orderBy('day');
    if (unit?.tier !== 'city') query = query.where('centre_unit_id', '=', actor.unitId);
    const rows = (await query.execute()).map((r) => {
      const s = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, k === 'day' ? v : Number(v ?? 0)]));
      return { day: String(r.day), sums: s as unknown as Sums };
    });
    const total: Sums = {
      offered: 0,
      answered: 0,
      answered_15s: 0,
      abandoned: 0,
      wait_seconds: 0,
      talk_seconds: 0,
      text_received: 0,
      text_answered_3min: 0,
    };
    for (const r of rows) for (const k of Object.keys(total) as (keyof Sums)[]) total[k] += r.sums[k];
    return {
      from: q.from,
      to: q.to,
      targets: GBT_TARGETS,
      total: figures(total),
      days: rows.map((r) => ({ day: r.day, ...figures(r.sums) })),
    };
  }
}
