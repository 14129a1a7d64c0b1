import type { Kysely, Transaction } from 'kysely';
import type { DB, Material } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import { localDateOf } from '../../domain/calendar.js';
import { INDICATOR_DEFINITIONS, type TicketIndicator } from '../../domain/assessment-indicators.js';
import { appealDeadline, parsePeriod, periodsOfDay } from '../../domain/assessment-period.js';
import { hasRole, requireRole, type Actor } from '../auth/actor.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';
import { DeadlinePlanner } from '../tickets/deadline-planner.js';
import { hasSupervisionCases, refreshTicketFacts } from './assessment-facts.repository.js';
import { assertUnitVisible, visibleUnits } from './assessment.policy.js';
import { loadSchemes } from './assessment-schemes.service.js';
import { frozenUnits, insertResultVersion, rescore } from './assessment-results.service.js';
import { claimMaterials } from '../work-files/work-files.claim.js';

// 第二十四条 申诉: a unit contests how one ticket was counted in one indicator (e.g. an unreasonable 不满意), within a
// window after the period closes; the centre accepts or rejects. Accepting takes the ticket out of that indicator
// for that unit (its facts and the daily counters) and adds a new version of every frozen result of the month and
// quarter with exactly that ticket's counting taken out — visible as a version with the appeal as its reason.

export class AssessmentAppealService {
  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock }) {}

  private async windowDays(db: Kysely<DB> | Transaction<DB>) {
    const s = await db.selectFrom('assessment_settings').select('appeal_window_working_days').executeTakeFirst();
    return s?.appeal_window_working_days ?? 5;
  }

  async create(
    actor: Actor,
    input: {
      ticketId: number;
      indicator: string;
      reason: string;
      materials?: Material[];
    },
  ) {
    requireRole(actor, 'handler', 'unit_manager');
    const indicator = input.indicator as TicketIndicator;
    const { db, clock } = this.deps;
    const today = localDateOf(clock.now());
    const planner = await DeadlinePlanner.load(db);
    const days = await this.windowDays(db);
    return db.transaction().execute(async (trx) => {
      const fact = await trx
        .selectFrom('assessment_facts')
        .selectAll()
        .where('ticket_id', '=', input.ticketId)
        .where('unit_id', '=', actor.unitId)
        .executeTakeFirst();
      if (!fact) throw new AppError('not_found', '该工单未计入本单位的考核');
      const row = fact as unknown as Record<string, number>;
      const counted = { num: Number(row[`${indicator}_num`]), den: Number(row[`${indicator}_den`]) };
      const def = INDICATOR_DEFINITIONS[indicator];
      const against = def.better === 'lower' ? counted.num > 0 : counted.den > 0 && counted.num < counted.den;
      if (!against) throw new AppError('unprocessable', `该工单在「${def.label}」中未扣分，无需申诉`, { counted });
      const month = periodsOfDay(String(fact.day)).month;
      const deadline = appealDeadline(parsePeriod(month)!.to, days, (d) => planner.calendar.nextWorkingDay(d));
      if (today > deadline)
        throw new AppError(
          'too_late',
          `申诉期已过：${month} 的考核申诉须在考核期结束后 ${days} 个工作日内（${deadline} 前）提出`,
          {
            deadline,
          },
        );
      const dup = await trx
        .selectFrom('assessment_appeals')
        .select(['id', 'status'])
        .where('ticket_id', '=', input.ticketId)
        .where('unit_id', '=', actor.unitId)
        .where('indicator', '=', indicator)
        .executeTakeFirst();
      if (dup)
        throw new AppError(
          'conflict',
          `该工单的「${def.label}」已申诉过（申诉编号 ${dup.id}），同一工单同一指标只能申诉一次`,
          {
            appealId: dup.id,
          },
        );
      const now = clock.now();
      const appeal = await trx
        .insertInto('assessment_appeals')
        .values({
          ticket_id: input.ticketId,
          unit_id: actor.unitId,
          indicator,
          period: month,
          reason: input.reason,
          materials: JSON.stringify(input.materials ?? []),
          counted: JSON.stringify(counted),
          status: 'pending',
          created_by: actor.userId,
          created_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      // 第二十四条: uploaded evidence named in the materials becomes this appeal's (the unit's own, unused files)
      const materials = await claimMaterials(
        trx,
        actor,
        input.materials,
        { kind: 'appeal', id: appeal.id, ticketId: input.ticketId },
        now,
      );
      const saved = await trx
        .updateTable('assessment_appeals')
        .set({ materials: JSON.stringify(materials) })
        .where('id', '=', appeal.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      // the ticket's history shows the appeal (the same transaction)
      await trx
        .insertInto('ticket_events')
        .values({
          ticket_id: input.ticketId,
          kind: 'assessment_appealed',
          at: now,
          actor_user_id: actor.userId,
          actor_unit_id: actor.unitId,
          reason: input.reason,
          data: JSON.stringify({ appealId: appeal.id, indicator, period: month, deadline, materials }),
          request_id: actor.requestId ?? null,
        })
        .execute();
      return present(saved);
    });
  }

  async list(
    actor: Actor,
    q: { status?: 'pending' | 'accepted' | 'rejected'; unitId?: number; before?: number; limit: number },
  ) {
    const visible = await visibleUnits(this.deps.db, actor);
    if (q.unitId !== undefined && !visible.has(q.unitId)) throw new AppError('not_found', '单位不存在或不在您的范围内');
    const ids = q.unitId !== undefined ? [q.unitId] : [...visible];
    if (ids.length === 0) return { items: [], nextBefore: null };
    let query = this.deps.db
      .selectFrom('assessment_appeals as a')
      .innerJoin('tickets as t', 't.id', 'a.ticket_id')
      .innerJoin('units as u', 'u.id', 'a.unit_id')
      .selectAll('a')
      .select(['t.number', 't.title', 'u.name as unit_name'])
      .where('a.unit_id', 'in', ids);
    if (q.status) query = query.where('a.status', '=', q.status);
    if (q.before) query = query.where('a.id', '<', q.before);
    const rows = await query
      .orderBy('a.id', 'desc')
      .limit(q.limit + 1)
      .execute();
    const page = rows.slice(0, q.limit);
    return {
      items: page.map((r) => ({ ...present(r), ticketNumber: r.number, ticketTitle: r.title, unitName: r.unit_name })),
      nextBefore: rows.length > q.limit ? page.at(-1)!.id : null,
    };
  }

  /** The centre's decision; accepting recomputes the ticket's facts and revises the frozen results, all at once. */
  async decide(actor: Actor, id: number, input: { decision: 'accept' | 'reject'; note: string }) {
    requireRole(actor, 'supervisor');
    if (actor.scope === 'unit' || hasRole(actor, 'handler', 'unit_manager'))
      throw new AppError('forbidden', '仅热线工作机构可以审核申诉');
    const { db, clock } = this.deps;
    const supervision = await hasSupervisionCases(db);
    const appeal0 = await db.selectFrom('assessment_appeals').select('unit_id').where('id', '=', id).executeTakeFirst();
    if (!appeal0) throw new AppError('not_found', '申诉不存在');
    await assertUnitVisible(db, actor, appeal0.unit_id);
    return db.transaction().execute(async (trx) => {
      const appeal = await trx
        .selectFrom('assessment_appeals')
        .selectAll()
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (appeal.status !== 'pending') throw new AppError('conflict', '该申诉已审核', { status: appeal.status });
      const now = clock.now();
      const status = input.decision === 'accept' ? 'accepted' : 'rejected';
      const decided = await trx
        .updateTable('assessment_appeals')
        .set({ status, decided_by: actor.userId, decided_at: now, decision_note: input.note })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const revised: { period: string; version: number }[] = [];
      if (status === 'accepted') {
        await refreshTicketFacts(trx, appeal.ticket_id, supervision);
        revised.push(...(await this.reviseFrozen(trx, appeal, actor.userId, now)));
      }
      await trx
        .insertInto('ticket_events')
        .values({
          ticket_id: appeal.ticket_id,
          kind: status === 'accepted' ? 'assessment_appeal_accepted' : 'assessment_appeal_rejected',
          at: now,
          actor_user_id: actor.userId,
          actor_unit_id: actor.unitId,
          reason: input.note,
          data: JSON.stringify({ appealId: id, indicator: appeal.indicator, period: appeal.period, revised }),
          request_id: actor.requestId ?? null,
        })
        .execute();
      await insertActorAudit(trx, actor, {
        entity: 'assessment_appeal',
        entityId: String(id),
        action: input.decision,
        before: { status: appeal.status },
        after: { status, note: input.note, revised },
        at: now,
      });
      return { ...present(decided), revised };
    });
  }

  /** New versions of the frozen month and quarter results, with this ticket's counting taken out for the unit. */
  private async reviseFrozen(
    trx: Transaction<DB>,
    appeal: { id: number; ticket_id: number; unit_id: number; indicator: string; period: string; counted: unknown },
    by: number,
    at: Date,
  ) {
    const counted = (typeof appeal.counted === 'string' ? JSON.parse(appeal.counted) : appeal.counted) as {
      num: number;
      den: number;
    };
    const { month, quarter } = periodsOfDay(`${appeal.period}-01`);
    const schemes = new Map((await loadSchemes(trx as unknown as Kysely<DB>)).map((s) => [s.id, s]));
    const ticket = await trx
      .selectFrom('tickets')
      .select('number')
      .where('id', '=', appeal.ticket_id)
      .executeTakeFirst();
    const out: { period: string; version: number }[] = [];
    for (const period of [month, quarter]) {
      const latest = await trx
        .selectFrom('assessment_results')
        .select(['id', 'version'])
        .where('period', '=', period)
        .orderBy('version', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!latest) continue;
      const units = await frozenUnits(trx, latest.id);
      const unit = units.find((u) => u.unitId === appeal.unit_id);
      if (!unit) continue;
      const x = unit.inputs[appeal.indicator as TicketIndicator];
      unit.inputs = {
        ...unit.inputs,
        [appeal.indicator]: { num: Math.max(0, x.num - counted.num), den: Math.max(0, x.den - counted.den) },
      };
      const result = await insertResultVersion(trx, period, rescore(units, schemes), {
        reason: `申诉采纳：工单 ${ticket?.number ?? appeal.ticket_id} 不再计入「${INDICATOR_DEFINITIONS[appeal.indicator as TicketIndicator].label}」（申诉编号 ${appeal.id}）`,
        appealId: appeal.id,
        at,
        by,
      });
      out.push({ period, version: result.version });
    }
    return out;
  }
}

function present(a: {
  id: number;
  ticket_id: number;
  unit_id: number;
  indicator: string;
  period: string;
  reason: string;
  materials: unknown;
  counted: unknown;
  status: string;
  created_at: Date;
  decided_at: Date | null;
  decision_note: string | null;
}) {
  const parse = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
  return {
    id: a.id,
    ticketId: a.ticket_id,
    unitId: a.unit_id,
    indicator: a.indicator,
    indicatorLabel: INDICATOR_DEFINITIONS[a.indicator as TicketIndicator]?.label ?? a.indicator,
    period: a.period,
    reason: a.reason,
    materials: parse<Material[]>(a.materials),
    counted: parse<{ num: number; den: number }>(a.counted),
    status: a.status,
    createdAt: a.created_at,
    decidedAt: a.decided_at,
    decisionNote: a.decision_note,
  };
}
