import { sql, type Kysely } from 'kysely';
import type { DB, LimitStep, Tier, UnitKind, Urgency } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import { localDayStart } from '../../domain/local-day.js';
import { AppError } from '../../errors.js';
import { WorkingCalendar } from '../../domain/calendar.js';
import { requireRole, type Actor } from '../auth/actor.js';
import { CalendarYearsService } from './calendar-years.service.js';
import { validatePolicy, type UnreachablePolicy } from '../../domain/contact-attempts.js';
import { loadUnreachablePolicy } from './config.repository.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';

// Reference data: organisation, taxonomy, dispatch catalogue, calendar and time limits. Every change is
// one transaction with its before/after written to admin_audit.
export class ConfigService {
  /** 第八条: confirmed years and the coverage warning. */
  readonly calendarYears: CalendarYearsService;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
  ) {
    this.calendarYears = new CalendarYearsService(db, clock);
  }

  /** Every region with whether it is a retired grid (第二十九条): lists still name it, intake no longer offers it. */
  regions() {
    return this.db
      .selectFrom('regions')
      .leftJoin('grid_cells', 'grid_cells.code', 'regions.code')
      .selectAll('regions')
      .select(sql<boolean>`grid_cells.retired_at IS NOT NULL`.as('retired'))
      .orderBy('regions.code')
      .execute();
  }

  async units() {
    const [units, links] = await Promise.all([
      this.db.selectFrom('units').selectAll().orderBy('id').execute(),
      this.db.selectFrom('unit_regions').selectAll().execute(),
    ]);
    return units.map((u) => ({
      ...u,
      region_codes: links.filter((l) => l.unit_id === u.id).map((l) => l.region_code),
    }));
  }

  categories() {
    return this.db.selectFrom('categories').selectAll().where('active', '=', true).orderBy('code').execute();
  }

  /** The first two levels of the active category tree, for the public portal (issue 14): names and parents only. */
  async publicCategories() {
    const rows = await this.db
      .selectFrom('categories')
      .select(['id', 'name', 'parent_id', 'level'])
      .where('active', '=', true)
      .where('level', '<=', 2)
      .orderBy('code')
      .execute();
    return rows.map((c) => ({ id: c.id, name: c.name, parentId: c.parent_id }));
  }

  /**
   * 第九条 (issue 14): the counties/districts and their towns/streets, so a citizen can say where the problem is
   * without knowing the address's spelling; names and codes only.
   */
  async publicRegions() {
    const rows = await this.db
      .selectFrom('regions')
      .select(['code', 'name', 'parent_code', 'level'])
      .where('level', 'in', [2, 3])
      .orderBy('code')
      .execute();
    return rows.map((r) => ({ code: r.code, name: r.name, parentCode: Number(r.level) === 2 ? null : r.parent_code }));
  }

  /** One county or town the portal offers, with its path of names (牡丹区/东城街道), or undefined. */
  async publicRegion(code: string) {
    const r = await this.db
      .selectFrom('regions as r')
      .leftJoin('regions as p', 'p.code', 'r.parent_code')
      .select(['r.code', 'r.name', 'r.level', 'p.name as parentName'])
      .where('r.code', '=', code)
      .where('r.level', 'in', [2, 3])
      .executeTakeFirst();
    return r && { code: r.code, path: Number(r.level) === 3 && r.parentName ? `${r.parentName}/${r.name}` : r.name };
  }

  /** One category the portal offers (active, first two levels) with its path of names, or undefined. */
  async publicCategory(id: number) {
    const c = await this.db
      .selectFrom('categories as c')
      .leftJoin('categories as p', 'p.id', 'c.parent_id')
      .select(['c.id', 'c.name', 'p.name as parentName'])
      .where('c.id', '=', id)
      .where('c.active', '=', true)
      .where('c.level', '<=', 2)
      .executeTakeFirst();
    return c && { id: c.id, path: c.parentName ? `${c.parentName}/${c.name}` : c.name };
  }

  catalogueRules() {
    return this.db.selectFrom('catalogue_rules').selectAll().orderBy('id').execute();
  }

  async createCatalogueRule(
    actor: Actor,
    input: {
      categoryId: number | null;
      regionCode: string | null;
      tier: Tier;
      basis: 'statutory' | 'territorial' | 'tiered';
      leadUnitId: number;
      assistUnitIds: number[];
      priority: number;
      note?: string | null;
    },
  ) {
    requireRole(actor, 'admin');
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('catalogue_rules')
        .values({
          category_id: input.categoryId,
          region_code: input.regionCode,
          tier: input.tier,
          basis: input.basis,
          lead_unit_id: input.leadUnitId,
          assist_unit_ids: input.assistUnitIds,
          priority: input.priority,
          note: input.note ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.audit(trx, actor, 'catalogue_rule', String(row.id), 'create', null, row);
      return row;
    });
  }

  async setCatalogueRuleActive(actor: Actor, id: number, active: boolean) {
    requireRole(actor, 'admin');
    return this.db.transaction().execute(async (trx) => {
      const before = await trx
        .selectFrom('catalogue_rules')
        .selectAll()
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!before) throw new AppError('not_found', '派单目录规则不存在');
      const after = await trx
        .updateTable('catalogue_rules')
        .set({ active })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.audit(trx, actor, 'catalogue_rule', String(id), active ? 'activate' : 'deactivate', before, after);
      return after;
    });
  }

  async calendarYear(year: number) {
    const days = await this.db
      .selectFrom('calendar_days')
      .selectAll()
      .where('date', '>=', `${year}-01-01`)
      .where('date', '<=', `${year}-12-31`)
      .orderBy('date')
      .execute();
    const cal = new WorkingCalendar(
      days.map((d) => ({ date: d.date, kind: d.kind, ...(d.name ? { name: d.name } : {}) })),
    );
    const workingDays = cal.countWorkingDays(`${year - 1}-12-31`, `${year}-12-31`);
    return { year, overrides: days, workingDays };
  }

  /** Marks a date a holiday or a make-up working day (调休), or clears it back to the plain week. */
  async setCalendarDay(
    actor: Actor,
    date: string,
    value: { kind: 'holiday' | 'workday'; name?: string | null } | null,
  ) {
    requireRole(actor, 'admin');
    try {
      new WorkingCalendar([]).isWorkingDay(date); // validates the date (e.g. refuses 2025-02-30)
    } catch {
      throw new AppError('bad_request', `日期 ${date} 不存在`, { field: 'date' });
    }
    return this.db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('calendar_days').selectAll().where('date', '=', date).executeTakeFirst();
      if (value === null) await trx.deleteFrom('calendar_days').where('date', '=', date).execute();
      else
        await trx
          .insertInto('calendar_days')
          .values({ date, kind: value.kind, name: value.name ?? null })
          .onConflict((oc) => oc.column('date').doUpdateSet({ kind: value.kind, name: value.name ?? null }))
          .execute();
      const after = value === null ? null : { date, ...value };
      await this.audit(trx, actor, 'calendar_day', date, value === null ? 'clear' : 'set', before ?? null, after);
      return after;
    });
  }

  timeLimits() {
    return this.db.selectFrom('time_limits').selectAll().orderBy('step').orderBy('id').execute();
  }

  async upsertTimeLimit(
    actor: Actor,
    input: {
      step: LimitStep;
      categoryId: number | null;
      urgency: Urgency | null;
      unitKind: UnitKind | null;
      clock: 'calendar' | 'round_the_clock' | null;
      amount: number;
      unit: 'working_days' | 'working_hours' | 'clock_hours';
    },
  ) {
    requireRole(actor, 'admin');
    if (input.unit === 'working_days' && !Number.isInteger(input.amount))
      throw new AppError('bad_request', '工作日时限须为整数', { field: 'amount' });
    return this.db.transaction().execute(async (trx) => {
      let q = trx.selectFrom('time_limits').selectAll().where('step', '=', input.step);
      q =
        input.categoryId === null ? q.where('category_id', 'is', null) : q.where('category_id', '=', input.categoryId);
      q = input.urgency === null ? q.where('urgency', 'is', null) : q.where('urgency', '=', input.urgency);
      q = input.unitKind === null ? q.where('unit_kind', 'is', null) : q.where('unit_kind', '=', input.unitKind);
      q = input.clock === null ? q.where('clock', 'is', null) : q.where('clock', '=', input.clock);
      const before = await q.forUpdate().executeTakeFirst();
      const values = {
        step: input.step,
        category_id: input.categoryId,
        urgency: input.urgency,
        unit_kind: input.unitKind,
        clock: input.clock,
        amount: input.amount,
        unit: input.unit,
      };
      const after = before
        ? await trx
            .updateTable('time_limits')
            .set({ amount: input.amount, unit: input.unit })
            .where('id', '=', before.id)
            .returningAll()
            .executeTakeFirstOrThrow()
        : await trx.insertInto('time_limits').values(values).returningAll().executeTakeFirstOrThrow();
      await this.audit(trx, actor, 'time_limit', String(after.id), before ? 'update' : 'create', before ?? null, after);
      return after;
    });
  }

  /** 第十五条: the attempts (and distinct days) after which a unit may reply to a requester it could not reach. */
  unreachablePolicy() {
    return loadUnreachablePolicy(this.db);
  }

  async setUnreachablePolicy(actor: Actor, input: UnreachablePolicy) {
    requireRole(actor, 'admin');
    const invalid = validatePolicy(input);
    if (invalid)
      throw new AppError('bad_request', invalid, {
        field: input.minDistinctDays > input.minAttempts ? 'minDistinctDays' : 'minAttempts',
      });
    return this.db.transaction().execute(async (trx) => {
      const before = await trx
        .selectFrom('reply_contact_policy')
        .select(['min_attempts', 'min_distinct_days'])
        .where('id', '=', 1)
        .forUpdate()
        .executeTakeFirst();
      await trx
        .insertInto('reply_contact_policy')
        .values({
          id: 1,
          min_attempts: input.minAttempts,
          min_distinct_days: input.minDistinctDays,
          updated_at: this.clock.now(),
          updated_by: actor.userId,
        })
        .onConflict((oc) =>
          oc.column('id').doUpdateSet({
            min_attempts: input.minAttempts,
            min_distinct_days: input.minDistinctDays,
            updated_at: this.clock.now(),
            updated_by: actor.userId,
          }),
        )
        .execute();
      const after = { minAttempts: input.minAttempts, minDistinctDays: input.minDistinctDays };
      await this.audit(
        trx,
        actor,
        'reply_contact_policy',
        '1',
        'update',
        before ? { minAttempts: before.min_attempts, minDistinctDays: before.min_distinct_days } : null,
        after,
      );
      return after;
    });
  }

  async users(actor: Actor) {
    requireRole(actor, 'admin', 'auditor');
    // 等保 2.0 身份鉴别: also who still has to change an admin-set password, who signs in with a second factor
    return this.db
      .selectFrom('users')
      .select(['id', 'username', 'display_name', 'unit_id', 'roles', 'scope', 'active', 'created_at'])
      .select(['must_change_password', 'password_changed_at'])
      .select(sql<boolean>`totp_secret_enc IS NOT NULL`.as('totp_enabled'))
      .orderBy('id')
      .execute();
  }

  /**
   * 第六、三十条 个人信息访问审计, newest first, with the person's name and the ticket's number (issue 14: no login ids
   * or internal ids on the auditor's screen). Filters: a person (index user_id, at), a ticket (ticket_id), local days
   * (0037's index on at); keyset on id.
   */
  async piiAccessLog(
    actor: Actor,
    q: { before?: number; limit: number; userId?: number; ticketNumber?: string; from?: string; to?: string },
  ) {
    requireRole(actor, 'auditor');
    let ticketId: number | undefined;
    if (q.ticketNumber) {
      const t = await this.db
        .selectFrom('tickets')
        .select('id')
        .where('number', '=', q.ticketNumber)
        .executeTakeFirst();
      if (!t) return [];
      ticketId = t.id;
    }
    let query = this.db
      .selectFrom('pii_access_log')
      .innerJoin('users', 'users.id', 'pii_access_log.user_id')
      .leftJoin('tickets', 'tickets.id', 'pii_access_log.ticket_id')
      .select([
        'pii_access_log.id',
        'pii_access_log.user_id',
        'users.display_name as userName',
        'pii_access_log.ticket_id',
        'tickets.number as ticketNumber',
        'pii_access_log.contact_id',
        'pii_access_log.fields',
        'pii_access_log.purpose',
        'pii_access_log.at',
        'pii_access_log.request_id',
      ]);
    if (q.before) query = query.where('pii_access_log.id', '<', q.before);
    if (q.userId) query = query.where('pii_access_log.user_id', '=', q.userId);
    if (ticketId) query = query.where('pii_access_log.ticket_id', '=', ticketId);
    if (q.from) query = query.where('pii_access_log.at', '>=', localDayStart(q.from));
    if (q.to) query = query.where('pii_access_log.at', '<', localDayStart(q.to, 1));
    return query.orderBy('pii_access_log.id', 'desc').limit(q.limit).execute();
  }

  private audit(
    trx: Kysely<DB>,
    actor: Actor,
    entity: string,
    entityId: string,
    action: string,
    before: unknown,
    after: unknown,
  ) {
    return insertActorAudit(trx, actor, {
      entity,
      entityId,
      action,
      before,
      after,
      at: this.clock.now(),
    });
  }
}
