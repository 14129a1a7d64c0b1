import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { SupervisionStatus, SupervisionTrigger } from '../../db/schema-supervision.js';
import type { RuleVersion } from '../../domain/supervision-triggers.js';
import type { Thresholds } from '../../../shared/domain/supervision.js';
import { insertEvent } from '../tickets/tickets.repository.js';
import { regionPrefix } from '../auth/actor.js';

// 第二十二条: the only code that reads and writes the supervision tables.

export async function loadRules(db: Kysely<DB>): Promise<RuleVersion[]> {
  const rows = await db
    .selectFrom('supervision_rules')
    .selectAll()
    .orderBy('code')
    .orderBy('version', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    version: r.version,
    enabled: r.enabled,
    mode: r.mode,
    thresholds: r.thresholds as unknown as Thresholds,
    effectiveFrom: new Date(r.effective_from),
    effectiveTo: r.effective_to ? new Date(r.effective_to) : null,
  }));
}

export async function listRuleRows(db: Kysely<DB>) {
  return db
    .selectFrom('supervision_rules')
    .leftJoin('users', 'users.id', 'supervision_rules.created_by')
    .selectAll('supervision_rules')
    .select('users.display_name as created_by_name')
    .orderBy('code')
    .orderBy('version', 'desc')
    .execute();
}

/** The newest version of a rule, locked: two editors save one after the other, never the same version twice. */
export async function lockLatestRule(trx: Transaction<DB>, code: SupervisionTrigger) {
  return trx
    .selectFrom('supervision_rules')
    .selectAll()
    .where('code', '=', code)
    .orderBy('version', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

export interface NewCase {
  trigger: SupervisionTrigger;
  causeKey: string;
  ruleId: number | null;
  status: SupervisionStatus;
  method: string | null;
  level: 'county' | 'city';
  unitId: number;
  regionCode: string;
  reason: string;
  evidence: Record<string, unknown>;
  dueAt: Date | null;
  createdBy: number | null;
  at: Date;
}

/** Inserts a case unless its cause has one already (the unique cause_key): null then, and nothing is written. */
export async function insertCaseOnce(trx: Transaction<DB>, c: NewCase) {
  return trx
    .insertInto('supervision_cases')
    .values({
      trigger: c.trigger,
      cause_key: c.causeKey,
      rule_id: c.ruleId,
      status: c.status,
      method: c.method as never,
      level: c.level,
      unit_id: c.unitId,
      region_code: c.regionCode,
      reason: c.reason,
      evidence: JSON.stringify(c.evidence),
      due_at: c.dueAt,
      created_at: c.at,
      created_by: c.createdBy,
      updated_at: c.at,
    })
    .onConflict((oc) => oc.column('cause_key').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function linkTickets(trx: Transaction<DB>, caseId: number, ticketIds: number[]) {
  if (!ticketIds.length) return;
  await trx
    .insertInto('supervision_case_tickets')
    .values(ticketIds.map((ticket_id) => ({ case_id: caseId, ticket_id })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function caseTicketIds(db: Kysely<DB>, caseId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('supervision_case_tickets')
    .select('ticket_id')
    .where('case_id', '=', caseId)
    .orderBy('ticket_id')
    .execute();
  return rows.map((r) => r.ticket_id);
}

export interface CaseStep {
  caseId: number;
  kind: string;
  at: Date;
  actorUserId: number | null;
  actorUnitId: number | null;
  from: string | null;
  to: string | null;
  note: string | null;
  data: Record<string, unknown>;
  requestId: string | null;
}

/**
 * One step of a case: its history row and an event on each linked ticket (kind `supervision_<step>`), in the
 * caller's transaction, so the case and the tickets' histories never disagree.
 */
export async function recordCaseStep(trx: Transaction<DB>, s: CaseStep, caseNumber: string) {
  await trx
    .insertInto('supervision_case_events')
    .values({
      case_id: s.caseId,
      kind: s.kind,
      at: s.at,
      actor_user_id: s.actorUserId,
      actor_unit_id: s.actorUnitId,
      from_status: s.from,
      to_status: s.to,
      note: s.note,
      data: JSON.stringify(s.data),
      request_id: s.requestId,
    })
    .execute();
  for (const ticketId of await caseTicketIds(trx, s.caseId)) {
    await insertEvent(trx, {
      ticket_id: ticketId,
      kind: `supervision_${s.kind}`,
      at: s.at,
      actor_user_id: s.actorUserId,
      actor_unit_id: s.actorUnitId,
      reason: s.note,
      data: { caseId: s.caseId, caseNumber, ...s.data },
      request_id: s.requestId,
    });
  }
}

export async function lockCase(trx: Transaction<DB>, id: number) {
  return trx.selectFrom('supervision_cases').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findCase(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('supervision_cases as c')
    .innerJoin('units as u', 'u.id', 'c.unit_id')
    .selectAll('c')
    .select('u.name as unit_name')
    .where('c.id', '=', id)
    .executeTakeFirst();
}

export async function caseEvents(db: Kysely<DB>, caseId: number) {
  return db
    .selectFrom('supervision_case_events as e')
    .leftJoin('users', 'users.id', 'e.actor_user_id')
    .leftJoin('units', 'units.id', 'e.actor_unit_id')
    .selectAll('e')
    .select(['users.display_name as actor_name', 'units.name as actor_unit_name'])
    .where('e.case_id', '=', caseId)
    .orderBy('e.id')
    .execute();
}

export async function caseTickets(db: Kysely<DB>, caseId: number) {
  return db
    .selectFrom('supervision_case_tickets as ct')
    .innerJoin('tickets as t', 't.id', 'ct.ticket_id')
    .select(['t.id', 't.number', 't.title', 't.status', 't.region_code', 't.due_at', 't.created_at'])
    .where('ct.case_id', '=', caseId)
    .orderBy('t.id')
    .execute();
}

export async function updateCase(trx: Transaction<DB>, id: number, set: Record<string, unknown>) {
  return trx
    .updateTable('supervision_cases')
    .set({ ...set, version: sql`version + 1` } as never)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface CaseFilter {
  statuses?: SupervisionStatus[];
  trigger?: SupervisionTrigger;
  unitId?: number;
  regionPrefixes?: string[];
  overdueAt?: Date;
  after?: { due: Date | null; id: number };
  limit: number;
}

/** Cases by deadline (no deadline last), keyset-paged on (due_at, id). */
export async function listCases(db: Kysely<DB>, f: CaseFilter) {
  let q = db
    .selectFrom('supervision_cases as c')
    .innerJoin('units as u', 'u.id', 'c.unit_id')
    .select([
      'c.id',
      'c.number',
      'c.trigger',
      'c.status',
      'c.method',
      'c.level',
      'c.unit_id',
      'u.name as unit_name',
      'c.region_code',
      'c.reason',
      'c.round',
      'c.due_at',
      'c.created_at',
      'c.answered_at',
      'c.decision',
      'c.version',
    ]);
  if (f.statuses?.length) q = q.where('c.status', 'in', f.statuses);
  if (f.trigger) q = q.where('c.trigger', '=', f.trigger);
  if (f.unitId !== undefined) q = q.where('c.unit_id', '=', f.unitId);
  if (f.regionPrefixes) q = q.where((eb) => eb.or(f.regionPrefixes!.map((p) => eb('c.region_code', 'like', `${p}%`))));
  if (f.overdueAt)
    q = q.where('c.due_at', '<', f.overdueAt).where('c.status', 'in', ['open', 'escalated'] as SupervisionStatus[]);
  const inf = sql<Date>`coalesce(c.due_at, 'infinity'::timestamptz)`;
  if (f.after) {
    const due = f.after.due ?? sql<Date>`'infinity'::timestamptz`;
    q = q.where(sql<boolean>`(${inf}, c.id) > (${due}, ${f.after.id})`);
  }
  return q.orderBy(inf).orderBy('c.id').limit(f.limit).execute();
}

/** The cards (黄牌/红牌) of one ticket, newest first. */
export async function ticketCards(db: Kysely<DB>, ticketId: number) {
  return db
    .selectFrom('supervision_cards as k')
    .leftJoin('units as u', 'u.id', 'k.unit_id')
    .selectAll('k')
    .select('u.name as unit_name')
    .where('k.ticket_id', '=', ticketId)
    .orderBy('k.id', 'desc')
    .execute();
}

export async function ticketCases(db: Kysely<DB>, ticketId: number) {
  return db
    .selectFrom('supervision_case_tickets as ct')
    .innerJoin('supervision_cases as c', 'c.id', 'ct.case_id')
    .innerJoin('units as u', 'u.id', 'c.unit_id')
    .select(['c.id', 'c.number', 'c.trigger', 'c.status', 'c.unit_id', 'u.name as unit_name', 'c.due_at'])
    .where('ct.ticket_id', '=', ticketId)
    .orderBy('c.id')
    .execute();
}

/** Per unit, the cards of a period (the workbench's 黄牌/红牌 board); bounded by the (unit_id, at) index. */
export async function cardsByUnit(db: Kysely<DB>, since: Date, regionPrefixes: string[]) {
  return db
    .selectFrom('supervision_cards as k')
    .innerJoin('units as u', 'u.id', 'k.unit_id')
    .innerJoin('tickets as t', 't.id', 'k.ticket_id')
    .select([
      'k.unit_id',
      'u.name as unit_name',
      sql<number>`count(*) FILTER (WHERE k.colour = 'yellow')::int`.as('yellow'),
      sql<number>`count(*) FILTER (WHERE k.colour = 'red')::int`.as('red'),
    ])
    .where('k.at', '>=', since)
    .where((eb) => eb.or(regionPrefixes.map((p) => eb('t.region_code', 'like', `${p}%`))))
    .groupBy(['k.unit_id', 'u.name'])
    .orderBy(sql`count(*) FILTER (WHERE k.colour = 'red')`, 'desc')
    .orderBy('k.unit_id')
    .execute();
}

/**
 * The centre that supervises a case (and signs its notice): the county centre serving the case's region, or the
 * city centre for a city-level case and where the county has no centre of its own.
 */
export async function supervisingCentreName(db: Kysely<DB>, regionCode: string, level: 'county' | 'city') {
  const centres = await db
    .selectFrom('units as u')
    .innerJoin('unit_regions as ur', 'ur.unit_id', 'u.id')
    .select(['u.name', 'u.tier', 'ur.region_code'])
    .where('u.kind', '=', 'centre')
    .where('u.active', '=', true)
    .execute();
  const covering = centres.filter((c) => regionCode.startsWith(regionPrefix(c.region_code)));
  const pick =
    (level === 'county' ? covering.find((c) => c.tier !== 'city') : undefined) ??
    covering.find((c) => c.tier === 'city') ??
    covering[0];
  return pick?.name ?? '12345热线工作机构';
}
