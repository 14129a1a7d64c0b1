import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import {
  periodsOverlap,
  schemeProblems,
  UNIT_GROUP_LABELS,
  type SchemeIndicator,
  type UnitGroup,
} from '../../domain/assessment-indicators.js';
import { requireRole, type Actor } from '../auth/actor.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';
import type { CreateSchemeBody } from '../../../shared/contracts/assessment.js';

// 第二十四条 考核办法 as data: a scheme per unit group with weights, score curves and an effective period. Schemes are
// never edited: a change is a new version, and an old one is ended (retired) at a date; results keep the version
// that produced them.

export interface Scheme {
  id: number;
  unitGroup: UnitGroup;
  version: number;
  name: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  indicators: SchemeIndicator[];
  note: string | null;
  createdAt: Date;
}

type Row = {
  id: number;
  unit_group: string;
  version: number;
  name: string;
  effective_from: string;
  effective_to: string | null;
  indicators: unknown;
  note: string | null;
  created_at: Date;
};
export function toScheme(r: Row): Scheme {
  return {
    id: r.id,
    unitGroup: r.unit_group as UnitGroup,
    version: r.version,
    name: r.name,
    effectiveFrom: String(r.effective_from),
    effectiveTo: r.effective_to === null ? null : String(r.effective_to),
    indicators: (typeof r.indicators === 'string' ? JSON.parse(r.indicators) : r.indicators) as SchemeIndicator[],
    note: r.note,
    createdAt: r.created_at,
  };
}

export async function loadSchemes(db: Kysely<DB>): Promise<Scheme[]> {
  const rows = await db.selectFrom('assessment_schemes').selectAll().orderBy('unit_group').orderBy('version').execute();
  return rows.map(toScheme);
}

export class AssessmentSchemeService {
  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock }) {}

  async list(actor: Actor) {
    requireRole(actor, 'admin', 'supervisor', 'analyst');
    return { items: await loadSchemes(this.deps.db) };
  }

  /** A new version of a group's scheme; refused with every problem named when it is not valid. */
  async create(actor: Actor, input: CreateSchemeBody) {
    requireRole(actor, 'admin');
    const draft = {
      unitGroup: input.unitGroup,
      effectiveFrom: input.effectiveFrom,
      effectiveTo: input.effectiveTo ?? null,
      indicators: input.indicators,
    };
    const problems = schemeProblems(draft);
    if (problems.length) throw new AppError('bad_request', problems.join('；'), { problems });
    return this.deps.db.transaction().execute(async (trx) => {
      // one scheme per group at a time: lock the group's rows so two admins cannot both add an overlapping one
      const existing = (
        await trx
          .selectFrom('assessment_schemes')
          .selectAll()
          .where('unit_group', '=', input.unitGroup)
          .orderBy('version')
          .forUpdate()
          .execute()
      ).map(toScheme);
      const clash = existing.find((s) =>
        periodsOverlap(
          { from: s.effectiveFrom, to: s.effectiveTo },
          { from: draft.effectiveFrom, to: draft.effectiveTo },
        ),
      );
      if (clash)
        throw new AppError(
          'conflict',
          `${UNIT_GROUP_LABELS[input.unitGroup]}的考核方案第 ${clash.version} 版有效期（${clash.effectiveFrom} 至 ${clash.effectiveTo ?? '长期'}）与新方案重叠，请先设置其失效日期`,
          { schemeId: clash.id, version: clash.version },
        );
      const version = (existing.at(-1)?.version ?? 0) + 1;
      const row = await trx
        .insertInto('assessment_schemes')
        .values({
          unit_group: input.unitGroup,
          version,
          name: input.name,
          effective_from: draft.effectiveFrom,
          effective_to: draft.effectiveTo,
          indicators: JSON.stringify(input.indicators),
          note: input.note ?? null,
          created_by: actor.userId,
          created_at: this.deps.clock.now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const scheme = toScheme(row);
      await this.audit(trx, actor, scheme.id, 'create', null, scheme);
      return scheme;
    });
  }

  /** Ends a scheme's effective period (so a new version can follow); not before a day a frozen result used it. */
  async retire(actor: Actor, id: number, effectiveTo: string) {
    requireRole(actor, 'admin');
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('assessment_schemes')
        .selectAll()
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!row) throw new AppError('not_found', '考核方案不存在');
      const before = toScheme(row);
      if (effectiveTo < before.effectiveFrom) throw new AppError('bad_request', '失效日期不能早于生效日期');
      if (before.effectiveTo !== null && effectiveTo > before.effectiveTo)
        throw new AppError('bad_request', '只能提前结束方案的有效期，不能延长');
      const used = await trx
        .selectFrom('assessment_result_units as u')
        .innerJoin('assessment_results as r', 'r.id', 'u.result_id')
        .select('r.period')
        .where('u.scheme_id', '=', id)
        .orderBy('r.period', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (used && used.period.slice(0, 7) > effectiveTo.slice(0, 7))
        throw new AppError('conflict', `该方案已用于 ${used.period} 的考核结果，失效日期不能早于该考核期`);
      const after = toScheme(
        await trx
          .updateTable('assessment_schemes')
          .set({ effective_to: effectiveTo, retired_by: actor.userId })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow(),
      );
      await this.audit(trx, actor, id, 'retire', before, after);
      return after;
    });
  }

  /** 申诉期限 (working days after a month closes); read by the centre, set by the admin. */
  async settings(actor: Actor) {
    requireRole(actor, 'admin', 'supervisor', 'analyst');
    const s = await this.deps.db.selectFrom('assessment_settings').selectAll().executeTakeFirstOrThrow();
    return { appealWindowWorkingDays: s.appeal_window_working_days, updatedAt: s.updated_at };
  }

  async updateSettings(actor: Actor, input: { appealWindowWorkingDays: number }) {
    requireRole(actor, 'admin');
    return this.deps.db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('assessment_settings').selectAll().forUpdate().executeTakeFirstOrThrow();
      const now = this.deps.clock.now();
      await trx
        .updateTable('assessment_settings')
        .set({ appeal_window_working_days: input.appealWindowWorkingDays, updated_at: now, updated_by: actor.userId })
        .where('id', '=', 1)
        .execute();
      await this.audit(
        trx,
        actor,
        1,
        'update_settings',
        { appealWindowWorkingDays: before.appeal_window_working_days },
        input,
        'assessment_settings',
      );
      return { appealWindowWorkingDays: input.appealWindowWorkingDays, updatedAt: now };
    });
  }

  private audit(
    trx: Transaction<DB>,
    actor: Actor,
    id: number,
    action: string,
    before: unknown,
    after: unknown,
    entity = 'assessment_scheme',
  ) {
    return insertActorAudit(trx, actor, {
      entity,
      entityId: String(id),
      action,
      before,
      after,
      at: this.deps.clock.now(),
    });
  }
}
