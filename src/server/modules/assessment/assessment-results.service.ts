import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import { localDateOf } from '../../domain/calendar.js';
import {
  INDICATOR_DEFINITIONS,
  scoreUnit,
  type IndicatorScore,
  UNIT_GROUP_LABELS,
  UNIT_GROUPS,
  type Inputs,
  type TicketIndicator,
  type UnitGroup,
} from '../../domain/assessment-indicators.js';
import { parsePeriod, type Period } from '../../domain/assessment-period.js';
import { requireRole, type Actor } from '../auth/actor.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';
import { assertUnitVisible, isUnitReader, visibleUnits } from './assessment.policy.js';
import { assessedUnits, periodInputs } from './assessment-results.repository.js';
import { loadSchemes, type Scheme } from './assessment-schemes.service.js';
import { rankGroups, scorePeriod, type ScoredUnit } from './assessment-scoring.js';

// 第二十四条: period results. Live figures are computed from the rollups on each view (units × days rows); freezing
// stores a version with the inputs and scheme of every unit, so the published ranking never moves under anyone and
// can be recomputed identically; an accepted appeal adds a new version (assessment-appeals.service.ts).

export interface Deps {
  db: Kysely<DB>;
  clock: Clock;
}

/** A cursor's day must be a real date before it reaches a ::date cast (2025-02-30 would be a database error). */
function isoDayOk(d: string): boolean {
  const t = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(d);
}

export function periodOrThrow(key: string): Period {
  const p = parsePeriod(key);
  if (!p) throw new AppError('bad_request', '考核期格式应为 YYYY-MM 或 YYYY-Qn');
  return p;
}

type ResultUnitRow = {
  unit_id: number;
  unit_group: string;
  scheme_id: number;
  inputs: unknown;
  indicators: unknown;
  score: number;
  rank: number;
  name: string;
};
const parse = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

function fromRow(r: ResultUnitRow): ScoredUnit {
  return {
    unitId: r.unit_id,
    unitName: r.name,
    unitGroup: r.unit_group as UnitGroup,
    schemeId: r.scheme_id,
    inputs: parse<Inputs>(r.inputs),
    indicators: parse(r.indicators),
    score: Number(r.score),
    rank: r.rank,
  };
}

export async function frozenUnits(db: Kysely<DB> | Transaction<DB>, resultId: number): Promise<ScoredUnit[]> {
  const rows = await db
    .selectFrom('assessment_result_units as r')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .select(['r.unit_id', 'r.unit_group', 'r.scheme_id', 'r.inputs', 'r.indicators', 'r.score', 'r.rank', 'u.name'])
    .where('r.result_id', '=', resultId)
    .orderBy('r.unit_group')
    .orderBy('r.rank')
    .orderBy('r.unit_id')
    .execute();
  return rows.map(fromRow);
}

/** Stores a new version of a period's result; the caller's transaction holds whatever caused it. */
export async function insertResultVersion(
  trx: Transaction<DB>,
  period: string,
  units: ScoredUnit[],
  meta: { reason: string; appealId: number | null; at: Date; by: number | null },
) {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`assessment:${period}`}))`.execute(trx);
  const last = await trx
    .selectFrom('assessment_results')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('period', '=', period)
    .executeTakeFirst();
  const version = Number(last?.v ?? 0) + 1;
  const result = await trx
    .insertInto('assessment_results')
    .values({
      period,
      version,
      reason: meta.reason,
      appeal_id: meta.appealId,
      computed_at: meta.at,
      computed_by: meta.by,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (units.length)
    await trx
      .insertInto('assessment_result_units')
      .values(
        units.map((u) => ({
          result_id: result.id,
          unit_id: u.unitId,
          unit_group: u.unitGroup,
          scheme_id: u.schemeId,
          inputs: JSON.stringify(u.inputs),
          indicators: JSON.stringify(u.indicators),
          score: u.score,
          rank: u.rank,
        })),
      )
      .execute();
  return result;
}

/** Rescores the units with their own schemes (as stored) and reranks: the basis of recompute and of appeals. */
export function rescore(units: ScoredUnit[], schemes: Map<number, Scheme>): ScoredUnit[] {
  return rankGroups(
    units.map((u) => {
      const scheme = schemes.get(u.schemeId);
      if (!scheme) throw new AppError('conflict', '考核结果引用的方案不存在');
      const s = scoreUnit(scheme.indicators, u.inputs);
      return { ...u, ...s };
    }),
  );
}

export class AssessmentResultService {
  constructor(private readonly deps: Deps) {}

  private today() {
    return localDateOf(this.deps.clock.now());
  }

  /** The period's scores as the rollups give them now (not frozen). */
  async live(period: Period, db: Kysely<DB> | Transaction<DB> = this.deps.db) {
    const [units, inputs, schemes] = await Promise.all([
      assessedUnits(db),
      periodInputs(db, period, this.today()),
      loadSchemes(db as Kysely<DB>),
    ]);
    return scorePeriod(units, inputs, schemes, period.to);
  }

  /** A period's results: a frozen version (the latest by default) or the live figures, in the actor's scope. */
  async results(actor: Actor, q: { period: string; unitGroup?: UnitGroup; version?: number }) {
    const period = periodOrThrow(q.period);
    const visible = await visibleUnits(this.deps.db, actor);
    const versions = await this.deps.db
      .selectFrom('assessment_results')
      .select(['id', 'version', 'reason', 'appeal_id', 'computed_at'])
      .where('period', '=', period.key)
      .orderBy('version', 'desc')
      .execute();
    const chosen = q.version === undefined ? versions[0] : versions.find((v) => v.version === q.version);
    if (q.version !== undefined && !chosen) throw new AppError('not_found', '该考核期没有这一版结果');
    const units = chosen ? await frozenUnits(this.deps.db, chosen.id) : (await this.live(period)).scored;
    const schemes = new Map((await loadSchemes(this.deps.db)).map((s) => [s.id, s]));
    const groups = UNIT_GROUPS.filter((g) => !q.unitGroup || g === q.unitGroup).map((g) => {
      const all = units.filter((u) => u.unitGroup === g);
      const schemeId = all[0]?.schemeId;
      const scheme = schemeId ? schemes.get(schemeId) : undefined;
      return {
        unitGroup: g,
        label: UNIT_GROUP_LABELS[g],
        unitsRanked: all.length,
        scheme: scheme ? { id: scheme.id, version: scheme.version, name: scheme.name } : null,
        units: all.filter((u) => visible.has(u.unitId)),
      };
    });
    return {
      period: { key: period.key, kind: period.kind, from: period.from, to: period.to },
      frozen: chosen
        ? {
            id: chosen.id,
            version: chosen.version,
            reason: chosen.reason,
            appealId: chosen.appeal_id,
            computedAt: chosen.computed_at,
          }
        : null,
      versions: versions.map((v) => ({
        id: v.id,
        version: v.version,
        reason: v.reason,
        appealId: v.appeal_id,
        computedAt: v.computed_at,
      })),
      groups: isUnitReader(actor) ? groups.filter((g) => g.units.length > 0) : groups,
    };
  }

  /** 冻结: stores the live figures as the period's next version (the centre, when the period has closed). */
  async freeze(actor: Actor, periodKey: string) {
    requireRole(actor, 'supervisor', 'admin');
    if (actor.scope === 'unit') throw new AppError('forbidden', '仅热线工作机构可以生成考核结果');
    const period = periodOrThrow(periodKey);
    if (period.from > this.today()) throw new AppError('unprocessable', '考核期尚未开始，不能生成结果');
    const now = this.deps.clock.now();
    return this.deps.db.transaction().execute(async (trx) => {
      const { scored } = await this.live(period, trx);
      const result = await insertResultVersion(trx, period.key, scored, {
        reason: period.to < this.today() ? '考核期结束后生成' : '考核期内生成（阶段结果）',
        appealId: null,
        at: now,
        by: actor.userId,
      });
      await insertActorAudit(trx, actor, {
        entity: 'assessment_result',
        entityId: String(result.id),
        action: 'freeze',
        before: null,
        after: { period: period.key, version: result.version, units: scored.length },
        at: now,
      });
      return { id: result.id, period: period.key, version: result.version, units: scored.length };
    });
  }

  /** Recomputes a frozen version from its stored inputs and schemes: the scores and ranks must be the same. */
  async verify(actor: Actor, resultId: number) {
    requireRole(actor, 'supervisor', 'analyst', 'admin');
    if (actor.scope === 'unit') throw new AppError('forbidden', '仅热线工作机构可以复核考核结果');
    const result = await this.deps.db
      .selectFrom('assessment_results')
      .selectAll()
      .where('id', '=', resultId)
      .executeTakeFirst();
    if (!result) throw new AppError('not_found', '考核结果不存在');
    const stored = await frozenUnits(this.deps.db, resultId);
    const schemes = new Map((await loadSchemes(this.deps.db)).map((s) => [s.id, s]));
    const again = new Map(rescore(stored, schemes).map((u) => [u.unitId, u]));
    const differences = stored
      .filter((u) => {
        const r = again.get(u.unitId)!;
        // field by field: jsonb does not keep the order of an object's keys
        const same = (x: IndicatorScore, y: IndicatorScore | undefined) =>
          !!y &&
          x.num === y.num &&
          x.den === y.den &&
          x.value === y.value &&
          x.points === y.points &&
          x.weight === y.weight;
        return (
          r.score !== u.score ||
          r.rank !== u.rank ||
          r.indicators.length !== u.indicators.length ||
          r.indicators.some(
            (x) =>
              !same(
                x,
                u.indicators.find((y) => y.indicator === x.indicator),
              ),
          )
        );
      })
      .map((u) => ({ unitId: u.unitId, stored: u.score, recomputed: again.get(u.unitId)!.score }));
    return {
      id: result.id,
      period: result.period,
      version: result.version,
      identical: differences.length === 0,
      differences,
    };
  }

  /** 下钻: the tickets a unit's indicator counted in the period, keyset by ticket id. */
  async drilldown(
    actor: Actor,
    q: { period: string; unitId: number; indicator: string; against?: 'true' | 'false'; after?: string; limit: number },
  ) {
    const period = periodOrThrow(q.period);
    await assertUnitVisible(this.deps.db, actor, q.unitId);
    const ind = q.indicator as TicketIndicator;
    const num = sql.ref(`f.${ind}_num`);
    const den = sql.ref(`f.${ind}_den`);
    const lowerIsBetter = INDICATOR_DEFINITIONS[ind].better === 'lower';
    let query = this.deps.db
      .selectFrom('assessment_facts as f')
      .innerJoin('tickets as t', 't.id', 'f.ticket_id')
      .leftJoin('assessment_appeals as a', (j) =>
        j.onRef('a.ticket_id', '=', 'f.ticket_id').onRef('a.unit_id', '=', 'f.unit_id').on('a.indicator', '=', ind),
      )
      .select([
        'f.ticket_id',
        'f.day',
        't.number',
        't.title',
        't.status',
        sql<number>`${num}`.as('num'),
        sql<number>`${den}`.as('den'),
        'a.id as appeal_id',
        'a.status as appeal_status',
      ])
      .where('f.unit_id', '=', q.unitId)
      .where('f.day', '>=', period.from)
      .where('f.day', '<=', period.to)
      .where(sql<boolean>`(${den} > 0 OR ${num} > 0)`);
    if (q.against === 'true')
      query = query.where(lowerIsBetter ? sql<boolean>`${num} > 0` : sql<boolean>`${num} < ${den}`);
    if (q.after) {
      // keyset in the index's order (unit_id, day, ticket_id): a page reads its rows and no more, at any depth
      const day = q.after.slice(0, 10);
      const id = Number(q.after.slice(11));
      if (!isoDayOk(day)) throw new AppError('bad_request', '分页游标不正确');
      query = query.where(sql<boolean>`(f.day, f.ticket_id) > (${day}::date, ${id})`);
    }
    const [rows, current] = await Promise.all([
      query
        .orderBy('f.day')
        .orderBy('f.ticket_id')
        .limit(q.limit + 1)
        .execute(),
      // the indicator's counters as the rollup holds them now (≤ 92 daily rows): the screen compares them with the
      // frozen version it shows, so a figure that moved after freezing (a late callback, an accepted appeal) is
      // said, not hidden — the ticket list is always today's counting
      this.deps.db
        .selectFrom('assessment_daily as d')
        .select([
          sql<string>`coalesce(sum(${sql.ref(`d.${ind}_num`)}), 0)`.as('num'),
          sql<string>`coalesce(sum(${sql.ref(`d.${ind}_den`)}), 0)`.as('den'),
        ])
        .where('d.unit_id', '=', q.unitId)
        .where('d.day', '>=', period.from)
        .where('d.day', '<=', period.to)
        .executeTakeFirstOrThrow(),
    ]);
    const page = rows.slice(0, q.limit);
    return {
      indicator: ind,
      label: INDICATOR_DEFINITIONS[ind].label,
      current: { num: Number(current.num), den: Number(current.den) },
      items: page.map((r) => ({
        ticketId: r.ticket_id,
        number: r.number,
        title: r.title,
        status: r.status,
        day: String(r.day),
        num: Number(r.num),
        den: Number(r.den),
        // whether this ticket took points off the unit in this indicator
        against: lowerIsBetter ? Number(r.num) > 0 : Number(r.num) < Number(r.den),
        appeal: r.appeal_id ? { id: r.appeal_id, status: r.appeal_status } : null,
      })),
      nextAfter: rows.length > q.limit ? `${String(page.at(-1)!.day)}_${page.at(-1)!.ticket_id}` : null,
    };
  }
}
