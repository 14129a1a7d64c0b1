import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { DisclosureCaseRecord } from '../../db/schema-disclosure.js';
import { localInstant } from '../../domain/calendar.js';
import { parsePeriod, type Period } from '../../domain/assessment-period.js';
import { UNIT_GROUP_LABELS } from '../../domain/assessment-indicators.js';
import type { MatterInput, UnitInput } from '../../domain/disclosure/report.js';
import type { ScoredUnit } from '../assessment/assessment-scoring.js';

// 第二十一条: the aggregates a monthly report is built from. Every query is bounded: one month of tickets by
// tickets_region (region prefix, created_at) or tickets_created, one month of contacts by contacts_received_at, and
// the units' figures from the frozen 第二十四条 result (or the assessment_daily rollup). A draft is generated a few
// times a month; the portal never runs these, it reads the stored snapshot.

type Db = Kysely<DB> | Transaction<DB>;

/** The region prefix of a report's region: 371700 → 3717 (the whole city), 371721 → 371721. */
export const prefixOf = (regionCode: string) => (regionCode.endsWith('00') ? regionCode.slice(0, 4) : regionCode);

export function monthPeriod(month: string): Period {
  const p = parsePeriod(month);
  if (!p || p.kind !== 'month') throw new Error(`not a month: ${month}`);
  return p;
}

/** The previous calendar month of `YYYY-MM`. */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

const range = (month: string) => {
  const p = monthPeriod(month);
  return { from: localInstant(p.from), to: localInstant(p.to, 1440) };
};

export async function regionOf(db: Db, code: string) {
  return db.selectFrom('regions').select(['code', 'name', 'level']).where('code', '=', code).executeTakeFirst();
}

/** 来电来信: a month's contacts by channel and by disposition; a county report counts what its centre received. */
export async function contactCounts(db: Db, month: string, regionCode: string) {
  const { from, to } = range(month);
  const prefix = prefixOf(regionCode);
  let q = db
    .selectFrom('contacts')
    .select([
      'contacts.channel',
      sql<string>`coalesce(contacts.disposition, 'pending')`.as('type'),
      sql<number>`count(*)::int`.as('n'),
    ])
    .where('contacts.received_at', '>=', from)
    .where('contacts.received_at', '<', to);
  if (prefix.length > 4)
    q = q.where('contacts.centre_unit_id', 'in', (eb) =>
      eb
        .selectFrom('units')
        .innerJoin('unit_regions', 'unit_regions.unit_id', 'units.id')
        .select('units.id')
        .where('units.kind', '=', 'centre')
        .where('unit_regions.region_code', 'like', `${prefix}%`),
    );
  const rows = await q.groupBy(['contacts.channel', sql`coalesce(contacts.disposition, 'pending')`]).execute();
  const byChannel: Record<string, number> = {};
  const byType: Record<string, number> = {};
  for (const r of rows) {
    byChannel[r.channel] = (byChannel[r.channel] ?? 0) + Number(r.n);
    byType[r.type] = (byType[r.type] ?? 0) + Number(r.n);
  }
  return { byChannel, byType };
}

/** 工单: a month's tickets of the region (merged duplicates counted once, in the ticket they joined). */
async function ticketGroups(db: Db, month: string, regionCode: string) {
  const { from, to } = range(month);
  return db
    .selectFrom('tickets')
    .innerJoin('categories as c', 'c.id', 'tickets.category_id')
    .leftJoin('categories as p', 'p.id', 'c.parent_id')
    .select([
      'tickets.channel',
      'tickets.request_type',
      sql<string>`coalesce(p.name, c.name)`.as('category'),
      sql<number>`count(*)::int`.as('n'),
    ])
    .where('tickets.region_code', 'like', `${prefixOf(regionCode)}%`)
    .where('tickets.created_at', '>=', from)
    .where('tickets.created_at', '<', to)
    .where('tickets.merged_into_id', 'is', null)
    .groupBy(['tickets.channel', 'tickets.request_type', sql`coalesce(p.name, c.name)`])
    .execute();
}

export async function ticketCounts(db: Db, month: string, regionCode: string) {
  const [now, before] = await Promise.all([
    ticketGroups(db, month, regionCode),
    ticketGroups(db, previousMonth(month), regionCode),
  ]);
  const byChannel: Record<string, number> = {};
  const byType: Record<string, number> = {};
  const matters = new Map<string, MatterInput>();
  const matter = (label: string) => {
    const m = matters.get(label) ?? { label, count: 0, previous: 0 };
    matters.set(label, m);
    return m;
  };
  for (const r of now) {
    byChannel[r.channel] = (byChannel[r.channel] ?? 0) + Number(r.n);
    byType[r.request_type] = (byType[r.request_type] ?? 0) + Number(r.n);
    matter(r.category).count += Number(r.n);
  }
  for (const r of before) matter(r.category).previous += Number(r.n);
  return { byChannel, byType, matters: [...matters.values()] };
}

/** The units whose area lies in the region (a county report: the county's own units; the city: all). */
async function unitsInRegion(db: Db, regionCode: string): Promise<Set<number>> {
  const rows = await db
    .selectFrom('unit_regions')
    .select('unit_id')
    .where('region_code', 'like', `${prefixOf(regionCode)}%`)
    .distinct()
    .execute();
  return new Set(rows.map((r) => r.unit_id));
}

/** The latest frozen 第二十四条 result of the month, if the centre has frozen one. */
export async function frozenResult(db: Db, month: string) {
  const r = await db
    .selectFrom('assessment_results')
    .select(['id', 'version'])
    .where('period', '=', month)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? { id: r.id, version: r.version } : null;
}

/** The units' rates of the month from scored units (frozen or live), limited to the region and to units with tickets. */
export async function unitInputs(db: Db, scored: ScoredUnit[], regionCode: string): Promise<UnitInput[]> {
  const inRegion = await unitsInRegion(db, regionCode);
  return scored
    .filter((u) => inRegion.has(u.unitId) && u.inputs.accept_timely.den > 0)
    .map((u) => ({
      name: u.unitName,
      group: UNIT_GROUP_LABELS[u.unitGroup],
      handled: u.inputs.accept_timely.den,
      overdue: Math.max(0, u.inputs.ontime_completion.den - u.inputs.ontime_completion.num),
      acceptTimely: u.inputs.accept_timely,
      ontimeCompletion: u.inputs.ontime_completion,
      resolution: u.inputs.resolution,
      satisfaction: u.inputs.satisfaction,
      score: u.score,
      rank: u.rank,
    }));
}

/** A picked 典型案例's ticket, if it is in the region: what the public record may say about it (never the person). */
export async function caseTicket(db: Db, number: string, regionCode: string) {
  return db
    .selectFrom('tickets')
    .innerJoin('categories as c', 'c.id', 'tickets.category_id')
    .leftJoin('categories as p', 'p.id', 'c.parent_id')
    .leftJoin('units as u', 'u.id', 'tickets.lead_unit_id')
    .select(['tickets.id', 'tickets.number', sql<string>`coalesce(p.name, c.name)`.as('category'), 'u.name as unit'])
    .where('tickets.number', '=', number.toUpperCase())
    .where('tickets.region_code', 'like', `${prefixOf(regionCode)}%`)
    .executeTakeFirst();
}

// ---- the reports ---------------------------------------------------------------------------------------------

export async function lockReport(trx: Transaction<DB>, id: number) {
  return trx.selectFrom('disclosure_reports').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findReport(db: Db, id: number) {
  return db.selectFrom('disclosure_reports').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function versionsOf(db: Db, regionCode: string, month: string) {
  return db
    .selectFrom('disclosure_reports')
    .selectAll()
    .where('region_code', '=', regionCode)
    .where('month', '=', month)
    .orderBy('version', 'desc')
    .execute();
}

export const parseJson = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
export const casesOf = (v: unknown) => parseJson<DisclosureCaseRecord[]>(v) ?? [];
