import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { EmergingTables } from '../../db/schema-emerging.js';
import { localDateOf, localInstant } from '../../domain/calendar.js';
import { addDays } from '../../domain/analytics.js';
import {
  ticketWords,
  usesWord,
  weekOf,
  type EmergingTerm,
  type SampledTicket,
  type UnitReminder,
  type EmergingWindows,
  type TermWindowCounts,
  type WindowTotals,
} from '../../domain/emerging-terms.js';
import { anyWordQuery } from '../../domain/text-tokens.js';
import type { Tree } from '../analytics/analytics-tree.js';

// 第二十八条(三)(四): the word counts, the ranked weeks and the look-ups behind the screen 新兴诉求词.

type EmergingDb = Kysely<DB & EmergingTables>;
export const emergingDb = (db: Kysely<DB>): EmergingDb => db.withTables<EmergingTables>();

/** The region level words are counted at: the county (a city-level ticket stays at the city's own code). */
export const TERM_REGION_LEVEL = 2;
const CHUNK = 2000;

/**
 * Counts the words of the tickets `ids` (new tickets, each read once by the cursor) into their week and county, in the
 * cursor's transaction; tickets created before `oldestWeek` are skipped (a first pass over a long history reads only
 * the weeks that are kept). Returns the rows written.
 */
export async function countTicketWords(
  trx: Transaction<DB>,
  ids: number[],
  regions: Tree<string>,
  places: ReadonlySet<string>,
  oldestWeek: string,
): Promise<number> {
  const tickets = await trx
    .selectFrom('tickets')
    .select(['id', 'created_at', 'region_code', 'title', 'content'])
    .where('id', 'in', ids)
    .where('created_at', '>=', localInstant(oldestWeek))
    .execute();
  const words = new Map<string, number>();
  const totals = new Map<string, number>();
  for (const t of tickets) {
    const week = weekOf(localDateOf(new Date(t.created_at)));
    const key = `${week}|${regions.atLevel(t.region_code, TERM_REGION_LEVEL)}`;
    totals.set(key, (totals.get(key) ?? 0) + 1);
    for (const w of ticketWords(t.title, t.content, places))
      words.set(`${key}|${w}`, (words.get(`${key}|${w}`) ?? 0) + 1);
  }
  const rows = [...words].map(([k, n]) => [...k.split('|'), n] as [string, string, string, number]);
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    await sql`
      INSERT INTO term_weeks (week, region_code, term, tickets)
      SELECT * FROM unnest(${sql.val(part.map((r) => r[0]))}::date[], ${sql.val(part.map((r) => r[1]))}::text[],
                           ${sql.val(part.map((r) => r[2]))}::text[], ${sql.val(part.map((r) => r[3]))}::int[])
      ORDER BY 1, 2, 3
      ON CONFLICT (week, region_code, term) DO UPDATE SET tickets = term_weeks.tickets + EXCLUDED.tickets`.execute(trx);
  }
  const sums = [...totals].map(([k, n]) => [...k.split('|'), n] as [string, string, number]);
  if (sums.length)
    await sql`
      INSERT INTO term_week_totals (week, region_code, tickets)
      SELECT * FROM unnest(${sql.val(sums.map((r) => r[0]))}::date[], ${sql.val(sums.map((r) => r[1]))}::text[],
                           ${sql.val(sums.map((r) => r[2]))}::int[])
      ORDER BY 1, 2
      ON CONFLICT (week, region_code) DO UPDATE SET tickets = term_week_totals.tickets + EXCLUDED.tickets`.execute(trx);
  return rows.length + sums.length;
}

/**
 * Whether every ticket created before `before` has been counted (a week is ranked only when it is complete). Read
 * from the cursor on by id (few rows once caught up), not by time, which would walk the whole history's events.
 */
export async function wordsCaughtUp(db: Kysely<DB>, before: Date): Promise<boolean> {
  const r = await sql<{ id: number }>`
    SELECT e.id FROM ticket_events e
    WHERE e.id > COALESCE((SELECT last_id FROM analytics_cursor WHERE name = 'emerging_terms'), 0)
      AND e.kind = 'created' AND e.at < ${before}
    ORDER BY e.id LIMIT 1`.execute(db);
  return r.rows.length === 0;
}

/**
 * A cursor that never moved (a new install, or an upgrade over a long history) starts just before the first ticket
 * created from `from` on (the index of events by kind and time): the weeks before are not kept, and reading ten
 * million older events only to skip them would hold the first ranking back for hours. No such ticket: at the end.
 */
export async function startCursorAt(db: Kysely<DB>, from: Date): Promise<void> {
  await sql`
    UPDATE analytics_cursor SET last_id = COALESCE(
      (SELECT id - 1 FROM ticket_events WHERE kind = 'created' AND at >= ${from} ORDER BY at, id LIMIT 1),
      (SELECT max(id) FROM ticket_events), 0)
    WHERE name = 'emerging_terms' AND last_id = 0`.execute(db);
}

/** The regions (`region_code`) among `regions` whose week `week` is ranked already. */
export async function rankedRegions(db: Kysely<DB>, week: string, regions: string[]): Promise<Set<string>> {
  const rows = await emergingDb(db)
    .selectFrom('emerging_weeks')
    .select('region_code')
    .where('week', '=', week)
    .where('region_code', 'in', regions)
    .execute();
  return new Set(rows.map((r) => r.region_code));
}

/** `county` null: the whole city (every county's rows). */
const regionFilter = (county: string | null) => (county === null ? sql`TRUE` : sql`region_code = ${county}`);

/** Each word's tickets in the three windows of a week, for the words in at least `minRecent` recent tickets. */
export async function windowCounts(
  db: Kysely<DB>,
  w: EmergingWindows,
  county: string | null,
  minRecent: number,
): Promise<TermWindowCounts[]> {
  const r = await sql<{ term: string; recent: number; baseline: number | null; last_year: number | null }>`
    SELECT term,
      sum(tickets) FILTER (WHERE week >= ${w.recentFrom})::int AS recent,
      sum(tickets) FILTER (WHERE week BETWEEN ${w.baselineFrom} AND ${w.baselineTo})::int AS baseline,
      sum(tickets) FILTER (WHERE week BETWEEN ${w.lastYearFrom} AND ${w.lastYearTo})::int AS last_year
    FROM term_weeks
    WHERE week BETWEEN ${w.lastYearFrom} AND ${w.recentTo} AND ${regionFilter(county)}
    GROUP BY term
    HAVING coalesce(sum(tickets) FILTER (WHERE week >= ${w.recentFrom}), 0) >= ${minRecent}`.execute(db);
  return r.rows.map((x) => ({
    term: x.term,
    recent: Number(x.recent),
    baseline: Number(x.baseline ?? 0),
    lastYear: Number(x.last_year ?? 0),
  }));
}

/** All tickets of each window (the words' shares are of these). */
export async function windowTotals(db: Kysely<DB>, w: EmergingWindows, county: string | null): Promise<WindowTotals> {
  const r = await sql<{ recent: number | null; baseline: number | null; last_year: number | null }>`
    SELECT
      sum(tickets) FILTER (WHERE week >= ${w.recentFrom})::int AS recent,
      sum(tickets) FILTER (WHERE week BETWEEN ${w.baselineFrom} AND ${w.baselineTo})::int AS baseline,
      sum(tickets) FILTER (WHERE week BETWEEN ${w.lastYearFrom} AND ${w.lastYearTo})::int AS last_year
    FROM term_week_totals
    WHERE week BETWEEN ${w.lastYearFrom} AND ${w.recentTo} AND ${regionFilter(county)}`.execute(db);
  const x = r.rows[0];
  return { recent: Number(x?.recent ?? 0), baseline: Number(x?.baseline ?? 0), lastYear: Number(x?.last_year ?? 0) };
}

/** Tickets a week with each of `terms`, the baseline's first week to the computed week (missing weeks 0). */
export async function weeklySeries(
  db: Kysely<DB>,
  weeks: string[],
  county: string | null,
  terms: string[],
): Promise<Map<string, number[]>> {
  const out = new Map(terms.map((t) => [t, weeks.map(() => 0)]));
  if (!terms.length) return out;
  const index = new Map(weeks.map((w, i) => [w, i]));
  const r = await sql<{ term: string; week: string; tickets: number }>`
    SELECT term, week::text AS week, sum(tickets)::int AS tickets FROM term_weeks
    WHERE week BETWEEN ${weeks[0]} AND ${weeks[weeks.length - 1]} AND term = ANY(${sql.val(terms)}::text[])
      AND ${regionFilter(county)}
    GROUP BY term, week`.execute(db);
  for (const x of r.rows) {
    const i = index.get(String(x.week).slice(0, 10));
    const s = out.get(x.term);
    if (i !== undefined && s) s[i] = Number(x.tickets);
  }
  return out;
}

/**
 * Stores a region's ranked week, and the reminders it gives, in one transaction; not stored when another scheduler
 * stored it first (the week row is the claim: its primary key lets one writer in).
 */
export async function storeRankedWeek(
  db: Kysely<DB>,
  x: {
    week: string;
    regionCode: string;
    computedAt: Date;
    totals: WindowTotals;
    status: 'ok' | 'short_history';
    terms: Array<EmergingTerm & { related: string[]; series: number[] }>;
    /** 新兴诉求提醒 of the list (the newest week's only), and how long a unit is not told the same matter again */
    reminders: readonly UnitReminder[];
    remindEveryWeeks: number;
  },
): Promise<{ stored: boolean; reminders: number }> {
  return emergingDb(db)
    .transaction()
    .execute(async (trx) => {
      const claimed = await trx
        .insertInto('emerging_weeks')
        .values({
          week: x.week,
          region_code: x.regionCode,
          computed_at: x.computedAt,
          recent_tickets: x.totals.recent,
          baseline_tickets: x.totals.baseline,
          status: x.status,
        })
        .onConflict((oc) => oc.columns(['region_code', 'week']).doNothing())
        .returning('week')
        .executeTakeFirst();
      if (!claimed) return { stored: false, reminders: 0 };
      if (x.terms.length)
        await trx
          .insertInto('emerging_terms')
          .values(
            x.terms.map((t, i) => ({
              week: x.week,
              region_code: x.regionCode,
              rank: i + 1,
              term: t.term,
              recent: t.recent,
              baseline: t.baseline,
              last_year: t.lastYear,
              ratio: t.ratio,
              score: t.score,
              is_new: t.isNew,
              seasonal: t.seasonal,
              related: t.related,
              series: t.series,
            })),
          )
          .execute();
      const reminders = await insertReminders(
        trx,
        { week: x.week, regionCode: x.regionCode, createdAt: x.computedAt, everyWeeks: x.remindEveryWeeks },
        x.terms,
        x.reminders,
      );
      return { stored: true, reminders };
    });
}

/** Word counts older than `oldestWeek` are no longer read: deleted (a week's rows at a time, oldest first). */
export async function pruneTermWeeks(db: Kysely<DB>, oldestWeek: string): Promise<number> {
  const e = emergingDb(db);
  const a = await e.deleteFrom('term_weeks').where('week', '<', oldestWeek).executeTakeFirst();
  const b = await e.deleteFrom('term_week_totals').where('week', '<', oldestWeek).executeTakeFirst();
  return Number(a.numDeletedRows) + Number(b.numDeletedRows);
}

/** The ranked weeks of a region, newest first. */
export async function rankedWeeks(db: Kysely<DB>, regionCode: string, limit: number) {
  const rows = await sql<{
    week: string;
    computed_at: Date;
    recent_tickets: number;
    baseline_tickets: number;
    status: 'ok' | 'short_history';
  }>`
    SELECT week::text AS week, computed_at, recent_tickets, baseline_tickets, status FROM emerging_weeks
    WHERE region_code = ${regionCode} ORDER BY week DESC LIMIT ${limit}`.execute(db);
  return rows.rows.map((r) => ({ ...r, week: String(r.week).slice(0, 10) }));
}

/** A region's ranked words of a week, by rank. */
export async function rankedTerms(db: Kysely<DB>, regionCode: string, week: string) {
  return emergingDb(db)
    .selectFrom('emerging_terms')
    .select([
      'rank',
      'term',
      'related',
      'recent',
      'baseline',
      'last_year',
      'ratio',
      'score',
      'is_new',
      'seasonal',
      'series',
    ])
    .where('region_code', '=', regionCode)
    .where('week', '=', week)
    .orderBy('rank')
    .execute();
}

export interface TermTicketFilter {
  term: string;
  from: Date;
  to: Date;
  /** null: every region */
  regionCodes: string[] | null;
  /** null: any lead unit */
  leadUnitId: number | null;
  limit: number;
}

/** Tickets of a window whose words include `term` (the search vector's GIN index, the created index for the window). */
function termTickets(db: Kysely<DB>, x: TermTicketFilter) {
  let q = db
    .selectFrom('tickets as t')
    .where(sql<boolean>`t.search_vector @@ to_tsquery('simple', ${anyWordQuery([x.term])})`)
    .where('t.created_at', '>=', x.from)
    .where('t.created_at', '<', x.to);
  if (x.regionCodes) q = q.where('t.region_code', 'in', x.regionCodes);
  if (x.leadUnitId !== null) q = q.where('t.lead_unit_id', '=', x.leadUnitId);
  return q.orderBy('t.created_at', 'desc').orderBy('t.id', 'desc').limit(x.limit);
}

// The stored search words hold search-mode words and character bigrams, so the index finds 中华 inside 中华路 too; the
// counts are of jieba's precise words (ticketWords), and so is what is listed behind a word (usesWord).

/** The newest tickets that use the word (of the newest `limit` the index finds), for the screen. */
export async function ticketsWithTerm(db: Kysely<DB>, x: TermTicketFilter) {
  const rows = await termTickets(db, x)
    .select(['t.id', 't.number', 't.title', 't.content', 't.status', 't.created_at', 't.category_id', 't.region_code'])
    .execute();
  return { found: rows.length, rows: rows.filter((r) => usesWord(x.term, r.title, r.content)) };
}

/**
 * The newest tickets that use the word, with their lead unit and category: which words rose in the same tickets, and
 * which units lead them (新兴诉求提醒).
 */
export async function termTicketSample(db: Kysely<DB>, x: TermTicketFilter): Promise<SampledTicket[]> {
  const rows = await termTickets(db, x)
    .select(['t.id', 't.title', 't.content', 't.lead_unit_id', 't.category_id'])
    .execute();
  return rows
    .filter((r) => usesWord(x.term, r.title, r.content))
    .map((r) => ({ id: Number(r.id), leadUnitId: r.lead_unit_id, categoryId: r.category_id }));
}

// ---- 新兴诉求提醒 --------------------------------------------------------------------------------------------------

/**
 * Writes the reminders of a stored list, in its transaction: each unless the unit was told, within `everyWeeks`
 * weeks before, of a matter sharing any of its words (the city's list and a county's often find the same matter, and
 * a rising matter stays on the lists for weeks). Writers are serialised so two lists stored at once cannot both tell
 * a unit. Returns how many were written.
 */
async function insertReminders(
  trx: Transaction<DB & EmergingTables>,
  x: { week: string; regionCode: string; createdAt: Date; everyWeeks: number },
  terms: ReadonlyArray<EmergingTerm>,
  reminders: readonly UnitReminder[],
): Promise<number> {
  if (!reminders.length) return 0;
  await sql`SELECT pg_advisory_xact_lock(hashtext('emerging_reminders'))`.execute(trx);
  const since = addDays(x.week, -7 * x.everyWeeks);
  const byTerm = new Map(terms.map((t) => [t.term, t]));
  let written = 0;
  for (const r of reminders) {
    const told = await trx
      .selectFrom('emerging_reminders')
      .select('id')
      .where('unit_id', '=', r.unitId)
      .where('week', '>', since)
      .where(sql<boolean>`words && ${r.words}::text[]`)
      .limit(1)
      .executeTakeFirst();
    if (told) continue;
    const t = byTerm.get(r.term)!;
    await trx
      .insertInto('emerging_reminders')
      .values({
        unit_id: r.unitId,
        week: x.week,
        region_code: x.regionCode,
        term: r.term,
        words: r.words,
        recent: t.recent,
        baseline: t.baseline,
        ratio: t.ratio,
        is_new: t.isNew,
        unit_tickets: r.unitTickets,
        sampled: r.sampled,
        categories: JSON.stringify(r.categories),
        created_at: x.createdAt,
      })
      .execute();
    written++;
  }
  return written;
}

const REMINDER_COLUMNS = [
  'r.id',
  'r.unit_id',
  sql<string>`r.week::text`.as('week'),
  'r.region_code',
  'r.term',
  'r.words',
  'r.recent',
  'r.baseline',
  'r.ratio',
  'r.is_new',
  'r.unit_tickets',
  'r.sampled',
  'r.categories',
  'r.created_at',
  'r.acknowledged_at',
  'u.name as unit_name',
  'ack.display_name as acknowledged_by_name',
] as const;

/**
 * A unit's reminders (or every unit's, for the centre), newest first (by id: a week's are written when it is ranked,
 * after the week before's), keyset by id; at most `limit`.
 */
export async function listReminders(
  db: Kysely<DB>,
  f: { unitIds: number[] | null; unread: boolean; before: number | null; limit: number },
) {
  if (f.unitIds?.length === 0) return [];
  let q = emergingDb(db)
    .selectFrom('emerging_reminders as r')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .leftJoin('users as ack', 'ack.id', 'r.acknowledged_by')
    .select(REMINDER_COLUMNS)
    .orderBy('r.id', 'desc')
    .limit(f.limit);
  if (f.unitIds) q = q.where('r.unit_id', 'in', f.unitIds);
  if (f.unread) q = q.where('r.acknowledged_at', 'is', null);
  if (f.before !== null) q = q.where('r.id', '<', f.before);
  return q.execute();
}

export async function reminderForUpdate(trx: Transaction<DB>, id: number) {
  return emergingDb(trx)
    .selectFrom('emerging_reminders')
    .select(['id', 'unit_id', 'term', sql<string>`week::text`.as('week'), 'acknowledged_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function acknowledgeReminder(trx: Transaction<DB>, id: number, userId: number, now: Date) {
  await emergingDb(trx)
    .updateTable('emerging_reminders')
    .set({ acknowledged_at: now, acknowledged_by: userId })
    .where('id', '=', id)
    .execute();
}
