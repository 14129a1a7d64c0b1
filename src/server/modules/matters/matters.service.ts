import type { Selectable, Transaction } from 'kysely';
import type { MattersTable } from '../../db/schema-matters.js';
import type { DB } from '../../db/schema.js';
import { localDateOf } from '../../domain/calendar.js';
import { anyWordQuery, similarity, termsAndWords } from '../../domain/text-tokens.js';
import { AppError, notFound } from '../../errors.js';
import type {
  MatterCandidatesQuery,
  MatterCreateBody,
  MatterMinuteBody,
  MattersQuery,
  MatterTasksQuery,
} from '../../../shared/contracts/matters.js';
import {
  beforeAfter,
  canEditMatter,
  canMoveTask,
  isTaskOverdue,
  MATTER_MAX_TICKETS,
  matterActions,
  matterProgress,
  monthOf,
  nextMatterStatus,
  type MatterAction,
  type TaskStatus,
} from '../../../shared/domain/matters.js';
import { STATUS_LABELS } from '../../../shared/domain/transitions.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';
import { hasRole, inRegionScope, regionPrefix, UNIT_ROLES, type Actor } from '../auth/actor.js';
import { regionChain } from '../config/config.repository.js';
import type { ServiceDeps } from '../tickets/ticket-workflow.js';
import { canViewTicket } from '../tickets/tickets.policy.js';
import {
  assertCanAddMinute,
  assertCanReadMatter,
  assertCanWriteMatter,
  assertRegionOfCentre,
  canReadMatter,
  isCentreReader,
  leadsAsTown,
  requireMatterLister,
  requireMatterWriter,
} from './matters.policy.js';
import * as repo from './matters.repository.js';

type Matter = Selectable<MattersTable>;

/** The proposal: how many rows the index look-up reads at most, and how many words of the seed it asks for. */
export const CANDIDATE_RULES = { cap: 300, queryWords: 24 };

// 第二十五条 专题研究 and 第二十六条 三级协同联动: a centre registers a long-running or hard matter from its tickets,
// assigns a lead unit and coordinating units at city, county and town level, tasks, consultations and measures.
// Each step is one transaction with its matter event and its admin audit row; linking a ticket writes an event
// on the ticket, so its history shows that it is under special study.
export class MatterService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(actor: Actor, q: MattersQuery) {
    requireMatterLister(actor);
    return repo.listMatters(this.deps.db, actor, q, isCentreReader(actor));
  }

  async create(actor: Actor, body: MatterCreateBody) {
    requireMatterWriter(actor);
    assertRegionOfCentre(actor, body.regionCode);
    const now = this.deps.clock.now();
    return this.deps.db.transaction().execute(async (trx) => {
      const [region, lead, category] = await Promise.all([
        trx.selectFrom('regions').select('code').where('code', '=', body.regionCode).executeTakeFirst(),
        trx.selectFrom('units').select(['id', 'active']).where('id', '=', body.leadUnitId).executeTakeFirst(),
        body.categoryId !== undefined
          ? trx.selectFrom('categories').select('id').where('id', '=', body.categoryId).executeTakeFirst()
          : Promise.resolve({ id: null }),
      ]);
      if (!region) throw new AppError('bad_request', '行政区划不存在', { field: 'regionCode' });
      if (!lead || !lead.active) throw new AppError('bad_request', '牵头单位不存在', { field: 'leadUnitId' });
      if (!category) throw new AppError('bad_request', '事项分类不存在', { field: 'categoryId' });
      const row = await trx
        .insertInto('matters')
        .values({
          title: body.title,
          description: body.description,
          category_id: body.categoryId ?? null,
          region_code: body.regionCode,
          lead_unit_id: body.leadUnitId,
          centre_unit_id: actor.unitId,
          plan: body.plan || null,
          keywords: body.keywords || null,
          joint_field: body.jointField ?? null,
          created_by: actor.userId,
          created_at: now,
          updated_at: now,
        })
        .returning(['id', 'status', 'version'])
        .executeTakeFirstOrThrow();
      await repo.insertMatterEvent(trx, {
        matterId: row.id,
        action: 'created',
        to: 'registered',
        note: body.title,
        actorId: actor.userId,
        at: now,
      });
      const linked = body.ticketIds?.length ? await this.linkIn(trx, actor, row, body.ticketIds, now) : [];
      await insertActorAudit(trx, actor, {
        entity: 'matter',
        entityId: String(row.id),
        action: 'create',
        before: null,
        after: {
          status: 'registered',
          regionCode: body.regionCode,
          leadUnitId: body.leadUnitId,
          categoryId: body.categoryId ?? null,
          jointField: body.jointField ?? null,
          ticketIds: linked,
        },
        at: now,
      });
      return { id: row.id, status: row.status, version: row.version, linked: linked.length };
    });
  }

  async get(actor: Actor, id: number) {
    const { db, clock } = this.deps;
    const m = await repo.findMatter(db, id);
    await assertCanReadMatter(db, actor, m);
    const centre = isCentreReader(actor) && inRegionScope(actor, m!.region_code);
    const today = localDateOf(clock.now());
    const [lead, region, category, creator, units, tasks, minutes, measures, events, tickets] = await Promise.all([
      db
        .selectFrom('units')
        .select(['id', 'name', 'tier', 'kind'])
        .where('id', '=', m!.lead_unit_id)
        .executeTakeFirstOrThrow(),
      db.selectFrom('regions').select(['code', 'name']).where('code', '=', m!.region_code).executeTakeFirstOrThrow(),
      m!.category_id
        ? db.selectFrom('categories').select(['id', 'name']).where('id', '=', m!.category_id).executeTakeFirst()
        : undefined,
      db.selectFrom('users').select('display_name').where('id', '=', m!.created_by).executeTakeFirstOrThrow(),
      db
        .selectFrom('matter_units as mu')
        .innerJoin('units as u', 'u.id', 'mu.unit_id')
        .select(['mu.unit_id', 'u.name as unit_name', 'mu.tier', 'mu.role', 'mu.added_at'])
        .where('mu.matter_id', '=', id)
        .orderBy('mu.added_at')
        .execute(),
      db
        .selectFrom('matter_tasks as t')
        .innerJoin('units as u', 'u.id', 't.owner_unit_id')
        .select([
          't.id',
          't.title',
          't.owner_unit_id',
          'u.name as owner_unit_name',
          't.due_on',
          't.status',
          't.result',
          't.version',
          't.created_at',
          't.updated_at',
          't.done_at',
        ])
        .where('t.matter_id', '=', id)
        .orderBy('t.id')
        .execute(),
      db
        .selectFrom('matter_minutes')
        .select(['id', 'kind', 'participants', 'held_on', 'unit_ids', 'summary', 'decisions', 'created_at'])
        .where('matter_id', '=', id)
        .orderBy('held_on', 'desc')
        .orderBy('id', 'desc')
        .execute(),
      db
        .selectFrom('matter_measures')
        .select(['id', 'title', 'content', 'issued_by', 'effective_on', 'created_at'])
        .where('matter_id', '=', id)
        .orderBy('effective_on')
        .orderBy('id')
        .execute(),
      repo.matterEvents(db, id),
      // a unit sees that its matter has tickets (the count), not the tickets it does not handle
      centre ? repo.linkedTickets(db, id, MATTER_MAX_TICKETS) : [],
    ]);
    const minuteUnits = [...new Set(minutes.flatMap((x) => x.unit_ids))];
    const names = minuteUnits.length
      ? new Map(
          (await db.selectFrom('units').select(['id', 'name']).where('id', 'in', minuteUnits).execute()).map((u) => [
            u.id,
            u.name,
          ]),
        )
      : new Map<number, string>();
    const writer = centre && hasRole(actor, 'supervisor');
    // 第二十九条: the leading town records its 民主协商 itself
    const town = !writer && canEditMatter(m!.status) && leadsAsTown(actor, lead);
    return {
      id: m!.id,
      title: m!.title,
      description: m!.description,
      status: m!.status,
      version: m!.version,
      plan: m!.plan,
      keywords: m!.keywords,
      jointField: m!.joint_field,
      categoryId: m!.category_id,
      categoryName: category?.name ?? null,
      regionCode: region.code,
      regionName: region.name,
      leadUnitId: lead.id,
      leadUnitName: lead.name,
      leadUnitTier: lead.tier,
      createdByName: creator.display_name,
      createdAt: m!.created_at,
      updatedAt: m!.updated_at,
      resolvedAt: m!.resolved_at,
      archivedAt: m!.archived_at,
      ticketCount: m!.ticket_count,
      progress: matterProgress(tasks),
      canWrite: writer && canEditMatter(m!.status),
      allowedActions: writer ? matterActions(m!.status) : [],
      canAddDemocraticMinute: (writer && canEditMatter(m!.status)) || town,
      units,
      tasks: tasks.map((t) => ({
        ...t,
        overdue: isTaskOverdue(t, today),
        mine: hasRole(actor, ...UNIT_ROLES) && t.owner_unit_id === actor.unitId,
      })),
      minutes: minutes.map((x) => ({ ...x, unitNames: x.unit_ids.map((u) => names.get(u) ?? '') })),
      measures,
      // a unit reads the history without the numbers of tickets it does not handle
      events: centre ? events : events.map((e) => (e.action.startsWith('tickets_') ? { ...e, note: null } : e)),
      tickets: tickets.map((t) => ({ ...t, statusLabel: STATUS_LABELS[t.status] })),
    };
  }

  /** 第二十五条 制定解决方案: the plan (and the description) as the study settles them. */
  async updatePlan(actor: Actor, id: number, body: { plan: string; description?: string; version?: number }) {
    return this.step(actor, id, body.version, async (trx, m, now) => {
      await trx
        .updateTable('matters')
        .set((eb) => ({
          plan: body.plan || null,
          ...(body.description ? { description: body.description } : {}),
          updated_at: now,
          version: eb('version', '+', 1),
        }))
        .where('id', '=', id)
        .execute();
      return { action: 'plan_updated', note: null, audit: { planLength: body.plan.length } };
    });
  }

  async link(actor: Actor, id: number, ticketIds: number[]) {
    return this.step(actor, id, undefined, async (trx, m, now) => {
      const linked = await this.linkIn(trx, actor, m, ticketIds, now);
      return {
        action: null,
        auditAction: 'link',
        note: null,
        audit: { ticketIds: linked },
        result: { linked: linked.length },
      };
    });
  }

  async unlink(actor: Actor, id: number, ticketIds: number[], reason: string) {
    return this.step(actor, id, undefined, async (trx, m, now) => {
      const rows = await trx
        .updateTable('matter_tickets')
        .set({ unlinked_at: now, unlinked_by: actor.userId, unlink_reason: reason })
        .where('matter_id', '=', id)
        .where('ticket_id', 'in', ticketIds)
        .where('unlinked_at', 'is', null)
        .returning('ticket_id')
        .execute();
      const gone = rows.map((r) => r.ticket_id).sort((a, b) => a - b);
      if (gone.length !== ticketIds.length)
        throw new AppError('bad_request', '所选工单未关联到本专题', {
          field: 'ticketIds',
          missing: ticketIds.filter((t) => !gone.includes(t)),
        });
      await trx
        .updateTable('matters')
        .set((eb) => ({ ticket_count: eb('ticket_count', '-', gone.length), updated_at: now }))
        .where('id', '=', id)
        .execute();
      await repo.insertTicketEvents(trx, actor, gone, 'matter_unlinked', now, { matterId: id, title: m.title }, reason);
      await repo.insertMatterEvent(trx, {
        matterId: id,
        action: 'tickets_unlinked',
        note: `取消关联 ${gone.length} 件：${reason}`,
        data: { ticketIds: gone },
        actorId: actor.userId,
        at: now,
      });
      return {
        action: null,
        auditAction: 'unlink',
        note: null,
        audit: { ticketIds: gone, reason },
        result: { unlinked: gone.length },
      };
    });
  }

  /**
   * Links tickets to the matter inside its transaction: each must be a ticket of the centre's regions (another's is
   * reported as not existing) and not held by another open matter (a ticket belongs to at most one).
   */
  private async linkIn(
    trx: Transaction<DB>,
    actor: Actor,
    m: Pick<Matter, 'id'> & { title?: string },
    ids: number[],
    now: Date,
  ) {
    const sorted = [...new Set(ids)].sort((a, b) => a - b);
    const tickets = await trx
      .selectFrom('tickets')
      .select(['id', 'number', 'region_code', 'created_at'])
      .where('id', 'in', sorted)
      .orderBy('id')
      .forUpdate()
      .execute();
    const missing = sorted.filter((id) => !tickets.some((t) => t.id === id && inRegionScope(actor, t.region_code)));
    if (missing.length)
      throw new AppError('bad_request', '工单不存在或不在本机构范围内', { field: 'ticketIds', missing });
    const held = await trx
      .selectFrom('matter_tickets as mt')
      .innerJoin('tickets as t', 't.id', 'mt.ticket_id')
      .select(['mt.ticket_id', 'mt.matter_id', 't.number'])
      .where('mt.ticket_id', 'in', sorted)
      .where('mt.unlinked_at', 'is', null)
      .where('mt.matter_open', '=', true)
      .execute();
    if (held.length)
      throw new AppError(
        'conflict',
        `工单已在其他专题中：${held.map((h) => (h.matter_id === m.id ? `${h.number}（本专题）` : h.number)).join('、')}`,
        { field: 'ticketIds', held: held.map((h) => ({ ticketId: h.ticket_id, matterId: h.matter_id })) },
      );
    const current = await trx
      .selectFrom('matters')
      .select('ticket_count')
      .where('id', '=', m.id)
      .executeTakeFirstOrThrow();
    if (current.ticket_count + sorted.length > MATTER_MAX_TICKETS)
      throw new AppError('bad_request', `一个专题最多关联 ${MATTER_MAX_TICKETS} 件工单`, { field: 'ticketIds' });
    await trx
      .insertInto('matter_tickets')
      .values(
        tickets.map((t) => ({
          matter_id: m.id,
          ticket_id: t.id,
          linked_by: actor.userId,
          linked_at: now,
          ticket_created_at: t.created_at,
        })),
      )
      .execute();
    await trx
      .updateTable('matters')
      .set((eb) => ({ ticket_count: eb('ticket_count', '+', sorted.length), updated_at: now }))
      .where('id', '=', m.id)
      .execute();
    await repo.insertTicketEvents(trx, actor, sorted, 'matter_linked', now, { matterId: m.id, title: m.title ?? null });
    await repo.insertMatterEvent(trx, {
      matterId: m.id,
      action: 'tickets_linked',
      note: `关联 ${sorted.length} 件：${tickets
        .slice(0, 10)
        .map((t) => t.number)
        .join('、')}${tickets.length > 10 ? ' 等' : ''}`,
      data: { ticketIds: sorted },
      actorId: actor.userId,
      at: now,
    });
    return sorted;
  }

  /**
   * The proposal of similar tickets (第二十五条: 持续时间长的诉求事项): tickets over the last `months` of the same
   * category subtree and region subtree, ranked by how alike their words are to the seed's (or the keywords).
   */
  async candidates(actor: Actor, q: MatterCandidatesQuery) {
    requireMatterWriter(actor);
    const { db, clock } = this.deps;
    let categoryId = q.categoryId ?? null;
    let region = q.regionCode ?? null;
    let text = q.keywords ?? '';
    let seedId: number | null = null;
    if (q.seedTicketId !== undefined) {
      const seed = await db
        .selectFrom('tickets')
        .select(['id', 'title', 'content', 'category_id', 'region_code'])
        .where('id', '=', q.seedTicketId)
        .executeTakeFirst();
      if (!seed || !inRegionScope(actor, seed.region_code))
        throw new AppError('bad_request', '起始工单不存在或不在本机构范围内', { field: 'seedTicketId' });
      seedId = seed.id;
      categoryId ??= seed.category_id;
      // the seed's town (街道) rather than its community: a matter is wider than one address
      if (!region) {
        const chain = await regionChain(db, seed.region_code);
        region = chain.length >= 3 ? chain[chain.length - 3]! : seed.region_code;
      }
      if (!text) text = `${seed.title} ${seed.content}`;
    }
    if (region) assertRegionOfCentre(actor, region);
    const { terms: words, words: shownWords } = termsAndWords(text);
    const query = anyWordQuery(
      [...words].sort((a, b) => b.length - a.length),
      CANDIDATE_RULES.queryWords,
    );
    const now = clock.now();
    const since = new Date(now);
    since.setUTCMonth(since.getUTCMonth() - q.months);
    const categoryIds = categoryId ? await repo.categorySubtree(db, categoryId) : null;
    if (categoryIds?.length === 0) throw new AppError('bad_request', '事项分类不存在', { field: 'categoryId' });
    const rows = await repo.candidateTickets(db, actor, {
      categoryIds,
      regionPrefix: region ? regionPrefix(region) : null,
      since,
      query,
      cap: CANDIDATE_RULES.cap,
    });
    const ranked = rows
      .map((t) => ({ t, sim: words.length ? similarity(words, t.search_words ?? []) : 0 }))
      .sort((a, b) => b.sim - a.sim || b.t.created_at.getTime() - a.t.created_at.getTime())
      .slice(0, q.limit);
    // put the seed first: it is the ticket the supervisor started from
    if (seedId !== null) {
      const i = ranked.findIndex((r) => r.t.id === seedId);
      if (i > 0) ranked.unshift(...ranked.splice(i, 1));
    }
    return {
      categoryId,
      regionCode: region,
      months: q.months,
      // shown as 依据词语: the words a reader sees in the text; the character bigrams that also match (阳社 of 丹阳社区) are not
      words: shownWords.slice(0, 12),
      items: ranked.map(({ t, sim }) => ({
        id: t.id,
        number: t.number,
        title: t.title,
        excerpt: t.content.slice(0, 120),
        status: t.status,
        statusLabel: STATUS_LABELS[t.status],
        categoryName: t.category_name,
        regionCode: t.region_code,
        regionName: t.region_name,
        createdAt: t.created_at,
        similarity: Math.round(sim * 100) / 100,
      })),
    };
  }

  /** 第二十六条 三级协同: a coordinating unit at its tier, with what it answers for. */
  async addUnit(actor: Actor, id: number, body: { unitId: number; role: string }) {
    return this.step(actor, id, undefined, async (trx, m, now) => {
      const unit = await trx
        .selectFrom('units')
        .select(['id', 'name', 'tier', 'active'])
        .where('id', '=', body.unitId)
        .executeTakeFirst();
      if (!unit || !unit.active) throw new AppError('bad_request', '所选单位不存在', { field: 'unitId' });
      if (unit.id === m.lead_unit_id) throw new AppError('bad_request', '该单位已是牵头单位', { field: 'unitId' });
      const added = await trx
        .insertInto('matter_units')
        .values({
          matter_id: id,
          unit_id: unit.id,
          tier: unit.tier,
          role: body.role,
          added_by: actor.userId,
          added_at: now,
        })
        .onConflict((oc) => oc.columns(['matter_id', 'unit_id']).doNothing())
        .returning('unit_id')
        .executeTakeFirst();
      if (!added) throw new AppError('conflict', '该单位已是协同单位', { field: 'unitId' });
      await this.touch(trx, id, now);
      return {
        action: 'unit_added',
        note: `${unit.name}：${body.role}`,
        audit: { unitId: unit.id, tier: unit.tier, role: body.role },
      };
    });
  }

  async removeUnit(actor: Actor, id: number, unitId: number) {
    return this.step(actor, id, undefined, async (trx, _m, now) => {
      const gone = await trx
        .deleteFrom('matter_units')
        .where('matter_id', '=', id)
        .where('unit_id', '=', unitId)
        .returning(['unit_id', 'tier', 'role'])
        .executeTakeFirst();
      if (!gone) throw notFound('协同单位');
      const unit = await trx.selectFrom('units').select('name').where('id', '=', unitId).executeTakeFirstOrThrow();
      await this.touch(trx, id, now);
      return { action: 'unit_removed', note: unit.name, audit: { unitId, tier: gone.tier, role: gone.role } };
    });
  }

  async createTask(actor: Actor, id: number, body: { title: string; ownerUnitId: number; dueOn?: string }) {
    return this.step(actor, id, undefined, async (trx, _m, now) => {
      const unit = await trx
        .selectFrom('units')
        .select(['id', 'name', 'active'])
        .where('id', '=', body.ownerUnitId)
        .executeTakeFirst();
      if (!unit || !unit.active) throw new AppError('bad_request', '责任单位不存在', { field: 'ownerUnitId' });
      if (body.dueOn && body.dueOn < localDateOf(now))
        throw new AppError('bad_request', '完成期限不能早于今天', { field: 'dueOn' });
      const task = await trx
        .insertInto('matter_tasks')
        .values({
          matter_id: id,
          title: body.title,
          owner_unit_id: unit.id,
          due_on: body.dueOn ?? null,
          created_by: actor.userId,
          created_at: now,
          updated_at: now,
        })
        .returning(['id', 'status', 'version'])
        .executeTakeFirstOrThrow();
      await this.touch(trx, id, now);
      return {
        action: 'task_created',
        note: `${unit.name}：${body.title}${body.dueOn ? `（${body.dueOn} 前）` : ''}`,
        audit: { taskId: task.id, ownerUnitId: unit.id, dueOn: body.dueOn ?? null },
        result: task,
      };
    });
  }

  /**
   * 第二十六条: the owner unit's staff report on their own task (status and result); the centre's supervisor may
   * too. Anyone else who may read the matter is refused (403).
   */
  async updateTask(
    actor: Actor,
    id: number,
    taskId: number,
    body: { status: TaskStatus; result?: string; version?: number },
  ) {
    const { db, clock } = this.deps;
    const now = clock.now();
    return db.transaction().execute(async (trx) => {
      const m = await repo.lockMatter(trx, id);
      await assertCanReadMatter(trx, actor, m);
      const task = await trx
        .selectFrom('matter_tasks')
        .selectAll()
        .where('id', '=', taskId)
        .where('matter_id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!task) throw notFound('任务');
      const owner = hasRole(actor, ...UNIT_ROLES) && task.owner_unit_id === actor.unitId;
      const supervisor =
        actor.scope === 'region' && hasRole(actor, 'supervisor') && inRegionScope(actor, m!.region_code);
      if (!owner && !supervisor) throw new AppError('forbidden', '仅任务的责任单位或督办员可更新任务');
      if (!canEditMatter(m!.status)) throw new AppError('illegal_transition', '专题已归档，不能再更新任务');
      if (body.version !== undefined && body.version !== task.version)
        throw new AppError('version_conflict', '该任务已被他人更新，请刷新后重试', { currentVersion: task.version });
      if (task.status !== body.status && !canMoveTask(task.status, body.status))
        throw new AppError('illegal_transition', '任务当前状态不能改为所选状态', {
          status: task.status,
          to: body.status,
        });
      if (body.status === 'done' && !body.result && !task.result)
        throw new AppError('bad_request', '请填写办理情况', { field: 'result' });
      const updated = await trx
        .updateTable('matter_tasks')
        .set((eb) => ({
          status: body.status,
          result: body.result || task.result,
          updated_by: actor.userId,
          updated_at: now,
          done_at: body.status === 'done' ? (task.done_at ?? now) : null,
          version: eb('version', '+', 1),
        }))
        .where('id', '=', taskId)
        .returning(['id', 'status', 'version', 'result'])
        .executeTakeFirstOrThrow();
      await this.touch(trx, id, now);
      await repo.insertMatterEvent(trx, {
        matterId: id,
        action: 'task_updated',
        from: task.status,
        to: body.status,
        note: `${task.title}${body.result ? `：${body.result}` : ''}`,
        data: { taskId },
        actorId: actor.userId,
        at: now,
      });
      await insertActorAudit(trx, actor, {
        entity: 'matter_task',
        entityId: String(taskId),
        action: 'update',
        before: { status: task.status },
        after: { status: body.status, matterId: id },
        at: now,
      });
      return updated;
    });
  }

  /**
   * 第二十五条 会商交流、分析研判: the minutes of a consultation; 第二十九条: of a 民主协商, which the leading town records
   * itself.
   */
  async addMinute(actor: Actor, id: number, body: MatterMinuteBody) {
    const authorize = (trx: Transaction<DB>, m: Matter | undefined) => assertCanAddMinute(trx, actor, m, body.kind);
    return this.step(
      actor,
      id,
      undefined,
      async (trx, _m, now) => {
        if (body.heldOn > localDateOf(now))
          throw new AppError('bad_request', '会商日期不能晚于今天', { field: 'heldOn' });
        const units = await trx.selectFrom('units').select('id').where('id', 'in', body.unitIds).execute();
        if (units.length !== body.unitIds.length)
          throw new AppError('bad_request', '参会单位不存在', { field: 'unitIds' });
        const row = await trx
          .insertInto('matter_minutes')
          .values({
            matter_id: id,
            held_on: body.heldOn,
            unit_ids: body.unitIds,
            summary: body.summary,
            decisions: body.decisions,
            kind: body.kind,
            participants: body.participants || null,
            created_by: actor.userId,
            created_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await this.touch(trx, id, now);
        return {
          action: 'minute_added',
          note:
            body.kind === 'democratic'
              ? `${body.heldOn} 民主协商，参与：${body.participants}`
              : `${body.heldOn} 会商，${body.unitIds.length} 个单位参加`,
          audit: { minuteId: row.id, kind: body.kind, heldOn: body.heldOn, unitIds: body.unitIds },
          result: row,
        };
      },
      authorize,
    );
  }

  /** 第二十五条 完善政策措施: a measure adopted and the day it took effect. */
  async addMeasure(
    actor: Actor,
    id: number,
    body: { title: string; content: string; issuedBy?: string; effectiveOn: string },
  ) {
    return this.step(actor, id, undefined, async (trx, _m, now) => {
      const row = await trx
        .insertInto('matter_measures')
        .values({
          matter_id: id,
          title: body.title,
          content: body.content,
          issued_by: body.issuedBy || null,
          effective_on: body.effectiveOn,
          created_by: actor.userId,
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.touch(trx, id, now);
      return {
        action: 'measure_added',
        note: `${body.title}（${body.effectiveOn} 起施行）`,
        audit: { measureId: row.id, effectiveOn: body.effectiveOn },
        result: row,
      };
    });
  }

  /** A status step with its reason; archiving releases the matter's tickets (matter_open = false). */
  async transition(actor: Actor, id: number, body: { action: MatterAction; reason: string; version?: number }) {
    const { db, clock } = this.deps;
    const now = clock.now();
    return db.transaction().execute(async (trx) => {
      const m = await repo.lockMatter(trx, id);
      await assertCanWriteMatter(trx, actor, m);
      if (body.version !== undefined && body.version !== m!.version)
        throw new AppError('version_conflict', '该专题已被他人更新，请刷新后重试', { currentVersion: m!.version });
      const to = nextMatterStatus(m!.status, body.action);
      if (!to)
        throw new AppError('illegal_transition', '该专题当前状态不能执行此操作', {
          status: m!.status,
          action: body.action,
          allowedActions: matterActions(m!.status),
        });
      const updated = await trx
        .updateTable('matters')
        .set((eb) => ({
          status: to,
          updated_at: now,
          version: eb('version', '+', 1),
          ...(to === 'resolved' ? { resolved_at: now } : {}),
          ...(to === 'archived' ? { archived_at: now } : {}),
        }))
        .where('id', '=', id)
        .returning(['id', 'status', 'version'])
        .executeTakeFirstOrThrow();
      if (to === 'archived')
        await trx.updateTable('matter_tickets').set({ matter_open: false }).where('matter_id', '=', id).execute();
      await repo.insertMatterEvent(trx, {
        matterId: id,
        action: body.action,
        from: m!.status,
        to,
        note: body.reason,
        actorId: actor.userId,
        at: now,
      });
      await insertActorAudit(trx, actor, {
        entity: 'matter',
        entityId: String(id),
        action: body.action,
        before: { status: m!.status },
        after: { status: to },
        at: now,
      });
      return updated;
    });
  }

  /** 数据对比: the matter's tickets per month, with the measures' dates and the averages before and after. */
  async figures(actor: Actor, id: number) {
    const { db, clock } = this.deps;
    const m = await repo.findMatter(db, id);
    await assertCanReadMatter(db, actor, m);
    const [counts, measures] = await Promise.all([
      repo.monthlyLinkCounts(db, id),
      db
        .selectFrom('matter_measures')
        .select(['id', 'title', 'effective_on'])
        .where('matter_id', '=', id)
        .orderBy('effective_on')
        .execute(),
    ]);
    const r = beforeAfter(
      counts,
      measures.map((x) => x.effective_on),
      monthOf(localDateOf(clock.now())),
    );
    return {
      ...r,
      measures: measures.map((x) => ({
        id: x.id,
        title: x.title,
        effectiveOn: x.effective_on,
        month: monthOf(x.effective_on),
      })),
    };
  }

  /** The matter a ticket is under special study in, for the ticket's page (whoever may see the ticket). */
  async byTicket(actor: Actor, ticketId: number) {
    const { db } = this.deps;
    const t = await db
      .selectFrom('tickets')
      .select(['id', 'region_code'])
      .where('id', '=', ticketId)
      .executeTakeFirst();
    if (!t || !(await canViewTicket(db, actor, t))) throw new AppError('not_found', '工单不存在或无权查看');
    const link = await db
      .selectFrom('matter_tickets as mt')
      .innerJoin('matters as m', 'm.id', 'mt.matter_id')
      .select(['m.id', 'm.title', 'm.status', 'm.region_code', 'm.lead_unit_id', 'mt.linked_at'])
      .where('mt.ticket_id', '=', ticketId)
      .where('mt.unlinked_at', 'is', null)
      .orderBy('mt.matter_open', 'desc')
      .orderBy('mt.id', 'desc')
      .executeTakeFirst();
    if (!link) return { matter: null };
    return {
      matter: {
        id: link.id,
        title: link.title,
        status: link.status,
        linkedAt: link.linked_at,
        canOpen: await canReadMatter(db, actor, link),
      },
    };
  }

  /** 专题任务: the tasks of the actor's unit (unit staff). */
  async unitTasks(actor: Actor, q: MatterTasksQuery) {
    if (!hasRole(actor, ...UNIT_ROLES)) throw new AppError('forbidden', '仅承办单位人员可查看本单位的专题任务');
    const today = localDateOf(this.deps.clock.now());
    const rows = await repo.unitTasks(this.deps.db, actor.unitId, q);
    return rows.map((t) => ({ ...t, overdue: isTaskOverdue(t, today) }));
  }

  /**
   * One supervisor's step on an open matter: locked, version-checked, with its event and admin audit. `authorize`
   * replaces the supervisor check for a step others may take too (第二十九条: a town's 民主协商).
   */
  private async step<R>(
    actor: Actor,
    id: number,
    version: number | undefined,
    apply: (
      trx: Transaction<DB>,
      m: Matter,
      now: Date,
    ) => Promise<{
      action: string | null;
      auditAction?: string;
      note: string | null;
      audit: Record<string, unknown>;
      result?: R;
    }>,
    authorize: (trx: Transaction<DB>, m: Matter | undefined) => Promise<void> = (trx, m) =>
      assertCanWriteMatter(trx, actor, m),
  ) {
    const now = this.deps.clock.now();
    return this.deps.db.transaction().execute(async (trx) => {
      const m = await repo.lockMatter(trx, id);
      await authorize(trx, m);
      if (!canEditMatter(m!.status)) throw new AppError('illegal_transition', '专题已归档，不能再修改');
      if (version !== undefined && version !== m!.version)
        throw new AppError('version_conflict', '该专题已被他人更新，请刷新后重试', { currentVersion: m!.version });
      const out = await apply(trx, m!, now);
      if (out.action)
        await repo.insertMatterEvent(trx, {
          matterId: id,
          action: out.action,
          note: out.note,
          data: out.audit,
          actorId: actor.userId,
          at: now,
        });
      await insertActorAudit(trx, actor, {
        entity: 'matter',
        entityId: String(id),
        action: out.auditAction ?? out.action ?? 'update',
        before: null,
        after: out.audit,
        at: now,
      });
      const fresh = await trx
        .selectFrom('matters')
        .select(['id', 'status', 'version', 'ticket_count'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return { ...fresh, ...(out.result ?? {}) };
    });
  }

  private async touch(trx: Transaction<DB>, id: number, now: Date) {
    await trx
      .updateTable('matters')
      .set((eb) => ({ updated_at: now, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .execute();
  }
}
