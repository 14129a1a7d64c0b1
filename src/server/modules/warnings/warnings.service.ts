import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { WarningsExportQuery, WarningsQuery } from '../../../shared/contracts/warnings.js';
import {
  nextWarningStatus,
  warningActions,
  WARNING_KIND_LABELS,
  WARNING_LEVEL_NAMES,
  WARNING_STATUS_LABELS,
  type WarningAction,
} from '../../../shared/domain/warnings.js';
import { MATTER_STATUS_LABELS } from '../../../shared/domain/matters.js';
import { STATUS_LABELS } from '../../../shared/domain/transitions.js';
import { EXPORT_ROW_CAP } from '../../../shared/contracts/exports.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';
import { CENTRE_ROLES, hasRole, inRegionScope, ROLE_LABELS, type Actor, type Role } from '../auth/actor.js';
import { AccessLogService } from '../sharing/access-log.service.js';
import { batchesByIdDesc, localDateTime, streamTable } from '../exports/table-writer.js';
import type { ServiceDeps } from '../tickets/ticket-workflow.js';
import { assertCanReadWarning, assertCanWorkWarning, assertWarningReader, WARNING_WORKERS } from './warnings.policy.js';
import * as repo from './warnings.repository.js';

type Warning = NonNullable<Awaited<ReturnType<typeof repo.findWarning>>>;

// 第二十七条 风险预警: the feed, one warning with its evidence, and the steps 确认 / 指派 / 关联专题 / 关闭 — each one
// transaction with its warning event and its admin audit row — and the feed as a file (the exports' door: streamed,
// recorded in the access log with its filter, rows and hash).
export class WarningService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(actor: Actor, q: WarningsQuery) {
    await assertWarningReader(this.deps.db, actor);
    const rows = await repo.listWarnings(this.deps.db, actor, q);
    return {
      items: rows.map(present),
      next: rows.length === q.limit ? rows[rows.length - 1]!.id : null,
    };
  }

  async get(actor: Actor, id: number) {
    const { db } = this.deps;
    const w = await repo.findWarning(db, id);
    await assertCanReadWarning(db, actor, w);
    const [region, category, assignee, matter, events] = await Promise.all([
      db.selectFrom('regions').select(['code', 'name']).where('code', '=', w!.region_code).executeTakeFirstOrThrow(),
      w!.category_id
        ? db.selectFrom('categories').select('name').where('id', '=', w!.category_id).executeTakeFirst()
        : undefined,
      w!.assignee_user_id
        ? db.selectFrom('users').select('display_name').where('id', '=', w!.assignee_user_id).executeTakeFirst()
        : undefined,
      w!.matter_id
        ? db.selectFrom('matters').select(['id', 'title', 'status']).where('id', '=', w!.matter_id).executeTakeFirst()
        : undefined,
      repo.warningEvents(db, id),
    ]);
    const ev = w!.evidence;
    const ticketIds = Array.isArray(ev.ticketIds) ? (ev.ticketIds as number[]) : [];
    // the tickets behind it, in the actor's regions only: number, status and time, never the requester
    const tickets = (await repo.ticketsOf(db, ticketIds))
      .filter((t) => inRegionScope(actor, t.region_code))
      .map((t) => ({
        id: t.id,
        number: t.number,
        status: t.status,
        statusLabel: STATUS_LABELS[t.status],
        createdAt: t.created_at,
      }));
    const worker = hasRole(actor, ...WARNING_WORKERS);
    return {
      ...present({
        ...w!,
        region_name: region.name,
        category_name: category?.name ?? null,
        assignee_name: assignee?.display_name ?? null,
        matter_title: matter?.title ?? null,
      }),
      closingNote: w!.closing_note,
      version: w!.version,
      acknowledgedAt: w!.acknowledged_at,
      assignedAt: w!.assigned_at,
      closedAt: w!.closed_at,
      matterStatusLabel: matter ? MATTER_STATUS_LABELS[matter.status] : null,
      evidence: { ...ev, ticketIds: undefined, contactId: undefined },
      tickets,
      allowedActions: worker ? warningActions(w!.status) : [],
      events: events.map((e) => ({
        id: e.id,
        action: e.action,
        fromStatus: e.from_status,
        toStatus: e.to_status,
        note: e.note,
        at: e.at,
        actorName: e.actor_name ?? '系统',
      })),
    };
  }

  /** 指派: the people of the actor's own centre (a county centre's warnings stay with the county); names and roles. */
  async assignees(actor: Actor) {
    await assertWarningReader(this.deps.db, actor);
    const rows = await repo.unitPeople(this.deps.db, actor.unitId);
    const centre = (r: string) => (CENTRE_ROLES as string[]).includes(r);
    return rows
      .filter((u) => u.roles.some(centre))
      .map((u) => ({
        id: u.id,
        name: u.display_name,
        roles: u.roles.filter(centre).map((r) => ROLE_LABELS[r as Role]),
      }));
  }

  acknowledge(actor: Actor, id: number, body: { note?: string; version?: number }) {
    return this.step(actor, id, 'acknowledge', body.version, async (trx, w, now) => {
      await trx
        .updateTable('warnings')
        .set({ acknowledged_by: actor.userId, acknowledged_at: now })
        .where('id', '=', w.id)
        .execute();
      return { note: body.note || null, audit: {} };
    });
  }

  assign(actor: Actor, id: number, body: { userId: number; note?: string; version?: number }) {
    return this.step(actor, id, 'assign', body.version, async (trx, w, now) => {
      const u = await trx
        .selectFrom('users')
        .innerJoin('units', 'units.id', 'users.unit_id')
        .select(['users.id', 'users.display_name', 'users.roles', 'users.active', 'users.scope', 'units.kind'])
        .where('users.id', '=', body.userId)
        .executeTakeFirst();
      // a person at a hotline centre (第二十七条 is the centre's work), in office
      if (
        !u ||
        !u.active ||
        u.scope !== 'region' ||
        u.kind !== 'centre' ||
        !u.roles.some((r) => (CENTRE_ROLES as string[]).includes(r))
      )
        throw new AppError('bad_request', '指派人员不存在或不是热线工作机构人员', { field: 'userId' });
      await trx
        .updateTable('warnings')
        .set({
          assignee_user_id: u.id,
          assigned_at: now,
          ...(w.acknowledged_at ? {} : { acknowledged_by: actor.userId, acknowledged_at: now }),
        })
        .where('id', '=', w.id)
        .execute();
      return {
        note: `指派给 ${u.display_name}${body.note ? `：${body.note}` : ''}`,
        audit: { assigneeUserId: u.id, before: w.assignee_user_id },
      };
    });
  }

  link(actor: Actor, id: number, body: { matterId: number; version?: number }) {
    return this.step(actor, id, 'link', body.version, async (trx, w) => {
      const m = await trx
        .selectFrom('matters')
        .select(['id', 'title', 'status', 'region_code'])
        .where('id', '=', body.matterId)
        .executeTakeFirst();
      if (!m || !inRegionScope(actor, m.region_code))
        throw new AppError('bad_request', '专题不存在或不在本机构范围内', { field: 'matterId' });
      if (m.status === 'archived') throw new AppError('bad_request', '专题已归档，不能关联', { field: 'matterId' });
      await trx.updateTable('warnings').set({ matter_id: m.id }).where('id', '=', w.id).execute();
      return { note: `关联专题：${m.title}`, audit: { matterId: m.id, before: w.matter_id } };
    });
  }

  close(actor: Actor, id: number, body: { note: string; version?: number }) {
    return this.step(actor, id, 'close', body.version, async (trx, w, now) => {
      await trx
        .updateTable('warnings')
        .set({ closing_note: body.note, closed_by: actor.userId, closed_at: now })
        .where('id', '=', w.id)
        .execute();
      return { note: body.note, audit: { note: body.note } };
    });
  }

  /** The feed as CSV or Excel: the screen's filter and order, in keyset batches, recorded in the access log. */
  async export(actor: Actor, q: WarningsExportQuery) {
    await assertWarningReader(this.deps.db, actor);
    if (actor.tokenScopes) throw new AppError('forbidden', '对接令牌不能导出预警');
    const { db, clock } = this.deps;
    const { format, ...filter } = q;
    const batches = () =>
      batchesByIdDesc(
        500,
        (before, limit) => repo.listWarnings(db, actor, { ...filter, before, limit }),
        (r) => {
          const p = present(r);
          return [
            p.id,
            p.levelName,
            p.kindLabel,
            p.title,
            p.regionName,
            p.categoryName ?? '',
            p.statusLabel,
            p.assigneeName ?? '',
            p.matterTitle ?? '',
            localDateTime(p.raisedAt),
          ];
        },
      );
    const access = new AccessLogService(db, clock);
    const stream = streamTable({
      format,
      sheetName: '风险预警',
      columns: [
        { header: '编号', width: 8 },
        { header: '级别', width: 8 },
        { header: '类型', width: 12 },
        { header: '预警内容', width: 60 },
        { header: '区域', width: 14 },
        { header: '事项分类', width: 16 },
        { header: '状态', width: 10 },
        { header: '指派', width: 12 },
        { header: '关联专题', width: 24 },
        { header: '预警时间', width: 18 },
      ],
      batches: batches(),
      maxRows: EXPORT_ROW_CAP,
      // 第三十条第二款: data leaves through one door — who, which filter, how many rows, a hash of the file
      onDone: (r) =>
        access.recordPerson(actor, {
          kind: 'export',
          filter: { screen: '风险预警', format, ...filter, truncated: r.truncated },
          rowCount: r.rows,
          contentSha256: r.sha256,
        }),
    });
    return { stream, name: '风险预警' };
  }

  /** One step on an open warning: locked, version-checked, moved by the state machine, with its event and audit. */
  private async step(
    actor: Actor,
    id: number,
    action: WarningAction,
    version: number | undefined,
    apply: (
      trx: Transaction<DB>,
      w: Warning,
      now: Date,
    ) => Promise<{ note: string | null; audit: Record<string, unknown> }>,
  ) {
    const now = this.deps.clock.now();
    return this.deps.db.transaction().execute(async (trx) => {
      const w = await repo.lockWarning(trx, id);
      await assertCanWorkWarning(trx, actor, w);
      if (version !== undefined && version !== w!.version)
        throw new AppError('version_conflict', '该预警已被他人处理，请刷新后重试', { currentVersion: w!.version });
      const to = nextWarningStatus(w!.status, action);
      if (!to)
        throw new AppError(
          'illegal_transition',
          `预警当前状态为“${WARNING_STATUS_LABELS[w!.status]}”，不能执行此操作`,
          {
            status: w!.status,
            action,
            allowedActions: warningActions(w!.status),
          },
        );
      const out = await apply(trx, w!, now);
      const updated = await trx
        .updateTable('warnings')
        .set((eb) => ({ status: to, updated_at: now, version: eb('version', '+', 1) }))
        .where('id', '=', id)
        .returning(['id', 'status', 'version'])
        .executeTakeFirstOrThrow();
      await repo.insertWarningEvent(trx, {
        warningId: id,
        action,
        from: w!.status,
        to,
        note: out.note,
        data: out.audit,
        actorId: actor.userId,
        at: now,
      });
      await insertActorAudit(trx, actor, {
        entity: 'warning',
        entityId: String(id),
        action,
        before: { status: w!.status },
        after: { status: to, ...out.audit },
        at: now,
      });
      return updated;
    });
  }
}

function present(
  r: Pick<
    repo.WarningListRow,
    | 'id'
    | 'kind'
    | 'level'
    | 'status'
    | 'title'
    | 'region_code'
    | 'region_name'
    | 'category_id'
    | 'category_name'
    | 'window_start'
    | 'window_end'
    | 'raised_at'
    | 'updated_at'
    | 'assignee_user_id'
    | 'assignee_name'
    | 'matter_id'
    | 'matter_title'
  >,
) {
  return {
    id: r.id,
    kind: r.kind,
    kindLabel: WARNING_KIND_LABELS[r.kind],
    level: r.level,
    levelName: WARNING_LEVEL_NAMES[r.level],
    status: r.status,
    statusLabel: WARNING_STATUS_LABELS[r.status],
    title: r.title,
    regionCode: r.region_code,
    regionName: r.region_name,
    categoryId: r.category_id,
    categoryName: r.category_name,
    windowStart: r.window_start,
    windowEnd: r.window_end,
    raisedAt: r.raised_at,
    updatedAt: r.updated_at,
    assigneeUserId: r.assignee_user_id,
    assigneeName: r.assignee_name,
    matterId: r.matter_id,
    matterTitle: r.matter_title,
  };
}
