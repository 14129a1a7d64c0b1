import { sql, type Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import type { DB } from '../../db/schema.js';
import { chineseDaysCoversYear } from '../../domain/calendar.js';
import {
  arrangementToOverrides,
  builtinArrangement,
  calendarCoverage,
  overridesToArrangement,
  parseArrangementFile,
  sameArrangement,
  validateArrangement,
  type ArrangementIssue,
  type CalendarCoverage,
  type YearArrangement,
} from '../../domain/calendar-years.js';
import { AppError } from '../../errors.js';
import { requireRole, type Actor } from '../auth/actor.js';
import { loadConfirmedYears } from './config.repository.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';

export type YearSource = 'builtin' | 'manual' | 'import';

/**
 * 第八条: which years' holiday arrangements an admin has confirmed, and entering/confirming a year. The days live
 * in calendar_days (what deadlines are counted on); calendar_years records who confirmed a year and when.
 */
export class CalendarYearsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
  ) {}

  /** The warning for the next 90 days; no role needed (the start-up log, and a banner any screen may show). */
  async coverage(): Promise<CalendarCoverage> {
    const [confirmed, withData] = await Promise.all([loadConfirmedYears(this.db), this.yearsWithData()]);
    return calendarCoverage(this.clock.now(), confirmed, withData);
  }

  /** The coverage with every nearby year's status, for the admin's calendar page. */
  async coverageDetail(actor: Actor) {
    requireRole(actor, 'admin');
    const coverage = await this.coverage();
    const thisYear = Number(coverage.today.slice(0, 4));
    const rows = await this.db
      .selectFrom('calendar_years')
      .leftJoin('users', 'users.id', 'calendar_years.confirmed_by')
      .select(['calendar_years.year', 'calendar_years.source', 'calendar_years.confirmed_at', 'users.display_name'])
      .orderBy('calendar_years.year')
      .execute();
    const counts = await this.dayCounts();
    const last = Math.max(Number(coverage.horizonEnd.slice(0, 4)), thisYear + 1);
    const years = [];
    for (let y = thisYear - 1; y <= last; y++) {
      const row = rows.find((r) => r.year === y);
      years.push({
        year: y,
        confirmed: row !== undefined,
        source: row?.source ?? null,
        confirmedAt: row?.confirmed_at ?? null,
        confirmedBy: row?.display_name ?? null,
        builtinAvailable: chineseDaysCoversYear(y),
        days: counts.get(y) ?? 0,
      });
    }
    return { ...coverage, years };
  }

  /** A year's arrangement for the entry form: what the database holds, else the built-in data, else empty. */
  async year(actor: Actor, year: number) {
    requireRole(actor, 'admin');
    const [days, confirmation] = await Promise.all([
      this.db
        .selectFrom('calendar_days')
        .select(['date', 'kind', 'name'])
        .where('date', '>=', `${year}-01-01`)
        .where('date', '<=', `${year}-12-31`)
        .orderBy('date')
        .execute(),
      this.db
        .selectFrom('calendar_years')
        .leftJoin('users', 'users.id', 'calendar_years.confirmed_by')
        .select(['calendar_years.source', 'calendar_years.confirmed_at', 'users.display_name'])
        .where('year', '=', year)
        .executeTakeFirst(),
    ]);
    const builtin = builtinArrangement(year);
    const stored = days.length
      ? overridesToArrangement(days.map((d) => ({ date: d.date, kind: d.kind, ...(d.name ? { name: d.name } : {}) })))
      : null;
    const arrangement = stored ?? builtin ?? { holidays: [], workdays: [] };
    return {
      year,
      confirmed: confirmation !== undefined,
      source: confirmation?.source ?? null,
      confirmedAt: confirmation?.confirmed_at ?? null,
      confirmedBy: confirmation?.display_name ?? null,
      builtinAvailable: builtin !== null,
      /** where the form's arrangement comes from: the database, chinese-days (nothing stored yet), or nothing */
      prefill: stored ? ('database' as const) : builtin ? ('builtin' as const) : ('empty' as const),
      /** the stored days are exactly the built-in data ("内置数据") */
      matchesBuiltin: builtin !== null && stored !== null && sameArrangement(stored, builtin),
      arrangement,
    };
  }

  /**
   * Replaces the year's days with the arrangement and records the year as confirmed by the admin, audited with
   * the before and after arrangement. Deadlines already planned keep their due dates; new ones use this calendar.
   */
  async confirm(actor: Actor, year: number, input: YearArrangement, source: YearSource) {
    requireRole(actor, 'admin');
    const arrangement = tidy(input);
    throwIfIssues(validateArrangement(year, arrangement), `${year} 年节假日安排有误`);
    const days = arrangementToOverrides(arrangement);
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      // Serialises two admins confirming the same year; the row may not exist yet, hence the advisory lock.
      await sql`SELECT pg_advisory_xact_lock(hashtext('calendar_years'), ${year})`.execute(trx);
      const before = await trx
        .selectFrom('calendar_days')
        .select(['date', 'kind', 'name'])
        .where('date', '>=', `${year}-01-01`)
        .where('date', '<=', `${year}-12-31`)
        .orderBy('date')
        .execute();
      const previous = await trx.selectFrom('calendar_years').selectAll().where('year', '=', year).executeTakeFirst();
      await trx
        .deleteFrom('calendar_days')
        .where('date', '>=', `${year}-01-01`)
        .where('date', '<=', `${year}-12-31`)
        .execute();
      if (days.length)
        await trx
          .insertInto('calendar_days')
          .values(days.map((d) => ({ date: d.date, kind: d.kind, name: d.name ?? null })))
          .execute();
      await trx
        .insertInto('calendar_years')
        .values({ year, source, confirmed_by: actor.userId, confirmed_at: now })
        .onConflict((oc) => oc.column('year').doUpdateSet({ source, confirmed_by: actor.userId, confirmed_at: now }))
        .execute();
      await insertActorAudit(trx, actor, {
        entity: 'calendar_year',
        entityId: String(year),
        action: 'confirm',
        at: now,
        before: {
          confirmed: previous
            ? { source: previous.source, by: previous.confirmed_by, at: previous.confirmed_at }
            : null,
          arrangement: overridesToArrangement(
            before.map((d) => ({ date: d.date, kind: d.kind, ...(d.name ? { name: d.name } : {}) })),
          ),
        },
        after: { confirmed: { source, by: actor.userId, at: now }, arrangement },
      });
    });
    return this.year(actor, year);
  }

  /** One click for a year chinese-days carries: its built-in data becomes the confirmed arrangement. */
  async confirmBuiltin(actor: Actor, year: number) {
    requireRole(actor, 'admin');
    const builtin = builtinArrangement(year);
    if (!builtin)
      throw new AppError('bad_request', `内置数据中没有 ${year} 年的节假日安排，请录入或导入国务院办公厅通知`, {
        field: 'year',
      });
    return this.confirm(actor, year, builtin, 'builtin');
  }

  /** An uploaded file: with `confirm` it is entered and confirmed at once, otherwise returned for the form to check. */
  async importFile(actor: Actor, year: number, content: string, confirm: boolean) {
    requireRole(actor, 'admin');
    const { arrangement, issues } = parseArrangementFile(year, content);
    throwIfIssues(issues, '导入文件有误');
    if (confirm) return { confirmed: true, arrangement, year: await this.confirm(actor, year, arrangement, 'import') };
    return { confirmed: false, arrangement, year: null };
  }

  private async yearsWithData(): Promise<number[]> {
    return [...(await this.dayCounts()).keys()];
  }

  private async dayCounts(): Promise<Map<number, number>> {
    const r = await sql<{ year: number; n: number }>`
      SELECT extract(year FROM date)::int AS year, count(*)::int AS n FROM calendar_days GROUP BY 1`.execute(this.db);
    return new Map(r.rows.map((x) => [Number(x.year), Number(x.n)]));
  }
}

function tidy(a: YearArrangement): YearArrangement {
  return {
    holidays: a.holidays
      .map((h) => ({ name: h.name.trim(), from: h.from, to: h.to }))
      .sort((x, y) => (x.from < y.from ? -1 : x.from > y.from ? 1 : 0)),
    workdays: a.workdays
      .map((w) => ({ date: w.date, name: w.name?.trim() || null }))
      .sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0)),
  };
}

function throwIfIssues(issues: ArrangementIssue[], title: string): void {
  if (!issues.length) return;
  const first = issues[0]!.message;
  throw new AppError('bad_request', issues.length === 1 ? first : `${title}：${first}（共 ${issues.length} 处）`, {
    issues,
  });
}
