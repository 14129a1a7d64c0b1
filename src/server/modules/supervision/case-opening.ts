import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Firing, RuleVersion } from '../../domain/supervision-triggers.js';
import type { SupervisionMethod } from '../../../shared/domain/supervision.js';
import { DeadlinePlanner } from '../tickets/deadline-planner.js';
import * as repo from './supervision.repository.js';

// 第二十二条: turning what a trigger decided into a case (or a proposal) — one transaction, the case, its tickets,
// its first history row and an event on every linked ticket. The cause key is unique: a second opening of the same
// cause (the job running twice, two schedulers, a retry) inserts nothing and returns null.

export interface OpenOptions {
  rule: Pick<RuleVersion, 'id' | 'mode' | 'thresholds'> | null;
  /** 'case' opens at once with a deadline; 'proposal' waits for a supervisor */
  mode: 'case' | 'proposal';
  method?: SupervisionMethod;
  answerDays?: number;
  actor: { userId: number; unitId: number; requestId?: string } | null;
  now: Date;
}

/** The unit's answer is due N working days from now on the centre's calendar (第八条 工作日历). */
export async function answerDue(trx: Transaction<DB>, now: Date, days: number): Promise<Date> {
  const planner = await DeadlinePlanner.load(trx);
  return planner.planWith({ amount: days, unit: 'working_days' }, now).due;
}

async function regionOf(trx: Transaction<DB>, f: Firing): Promise<string> {
  if (f.ticketIds.length) {
    const t = await trx
      .selectFrom('tickets')
      .select('region_code')
      .where('id', '=', f.ticketIds[0]!)
      .executeTakeFirst();
    if (t) return t.region_code;
  }
  const r = await trx
    .selectFrom('unit_regions')
    .select('region_code')
    .where('unit_id', '=', f.unitId)
    .orderBy('region_code')
    .executeTakeFirst();
  return r?.region_code ?? '371700';
}

export async function openCase(trx: Transaction<DB>, f: Firing, o: OpenOptions) {
  const unit = await trx.selectFrom('units').select(['tier']).where('id', '=', f.unitId).executeTakeFirstOrThrow();
  const method = o.method ?? o.rule?.thresholds.method ?? 'written';
  const days = o.answerDays ?? o.rule?.thresholds.answerDays ?? 3;
  const status = o.mode === 'case' ? 'open' : 'proposed';
  const created = await repo.insertCaseOnce(trx, {
    trigger: f.trigger,
    causeKey: f.causeKey,
    ruleId: o.rule?.id ?? null,
    status,
    method: status === 'open' ? method : null,
    level: unit.tier === 'city' ? 'city' : 'county',
    unitId: f.unitId,
    regionCode: await regionOf(trx, f),
    reason: f.reason,
    evidence: f.evidence,
    dueAt: status === 'open' ? await answerDue(trx, o.now, days) : null,
    createdBy: o.actor?.userId ?? null,
    at: o.now,
  });
  if (!created) return null;
  await repo.linkTickets(trx, created.id, f.ticketIds);
  await repo.recordCaseStep(
    trx,
    {
      caseId: created.id,
      kind: status === 'open' ? 'opened' : 'proposed',
      at: o.now,
      actorUserId: o.actor?.userId ?? null,
      actorUnitId: o.actor?.unitId ?? null,
      from: null,
      to: status,
      note: f.reason,
      data: { trigger: f.trigger, method: created.method, dueAt: created.due_at, automatic: o.actor === null },
      requestId: o.actor?.requestId ?? null,
    },
    created.number,
  );
  return created;
}
