import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { readJson } from '../../db/json.js';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import { localDayStart } from '../../domain/local-day.js';
import { sha256Hex, verifyLinks, type ChainBreak } from '../../domain/access-chain.js';
import { ACCESS_KIND_LABELS, RETENTION_MIN_DAYS } from '../../../shared/contracts/sharing.js';
import { requireRole, type Actor } from '../auth/actor.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';
import * as repo from './access-log.repository.js';
import { batchesByIdDesc, jsonCell, streamTable, type ExportFormat } from '../exports/table-writer.js';

// 第三十条第二款: every read of hotline data beyond one's own work screens is accounted for — who (a person, or a
// system such as a unit's receiver), what kind of read, with which filter, how many rows, a hash of what was
// delivered, the request id. The auditor reads and exports it; the admin sets how long it is kept (≥ 180 days).

export type AccessKind = keyof typeof ACCESS_KIND_LABELS;

export interface AccessRead {
  kind: AccessKind;
  ticketIds?: number[];
  filter?: Record<string, unknown>;
  rowCount: number;
  /** what was delivered (hashed, never stored) */
  content?: string | Buffer | null;
  /** a hash already computed while streaming */
  contentSha256?: string | null;
}

const CSV_EXPORT_MAX = 100_000;

export class AccessLogService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
  ) {}

  /** A person's (or a person's token's) read. Inside the caller's transaction when given one. */
  async recordPerson(actor: Actor, read: AccessRead, db: Kysely<DB> = this.db) {
    return repo.appendAccess(db, {
      at: this.clock.now(),
      userId: actor.userId,
      unitId: actor.unitId,
      actorKind: actor.tokenScopes ? 'system' : 'person',
      actorLabel: actor.displayName,
      kind: read.kind,
      ticketIds: read.ticketIds,
      filter: read.filter ?? {},
      rowCount: read.rowCount,
      contentSha256: read.contentSha256 ?? (read.content != null ? sha256Hex(read.content) : null),
      requestId: actor.requestId ?? null,
    });
  }

  /** A system's delivery (a webhook to a unit's receiver): no person, the receiving unit. */
  async recordSystem(
    who: { unitId: number; label: string },
    read: AccessRead & { requestId?: string | null },
    db: Kysely<DB> = this.db,
  ) {
    return repo.appendAccess(db, {
      at: this.clock.now(),
      userId: null,
      unitId: who.unitId,
      actorKind: 'system',
      actorLabel: who.label,
      kind: read.kind,
      ticketIds: read.ticketIds,
      filter: read.filter ?? {},
      rowCount: read.rowCount,
      contentSha256: read.contentSha256 ?? (read.content != null ? sha256Hex(read.content) : null),
      requestId: read.requestId ?? null,
    });
  }

  /** 审计员: the log, newest first, keyset paging; filters by person, unit, ticket, kind and date. */
  async list(actor: Actor, q: AccessQuery) {
    requireRole(actor, 'auditor');
    const filter = await this.resolve(q);
    if (!filter) return { items: [], next: null };
    const rows = await repo
      .filteredAccess(this.db, filter)
      .limit(q.limit + 1)
      .execute();
    const items = rows.slice(0, q.limit).map(present);
    // the numbers of the tickets a row names, for the screen (one look-up per page, by primary key)
    const ids = [...new Set(items.flatMap((i) => (i.ticketIds.length <= 5 ? i.ticketIds : [])))];
    const numbers = new Map(
      ids.length
        ? (await this.db.selectFrom('tickets').select(['id', 'number']).where('id', 'in', ids).execute()).map((t) => [
            t.id,
            t.number,
          ])
        : [],
    );
    return {
      items: items.map((i) => ({ ...i, ticketNumbers: i.ticketIds.map((id) => numbers.get(id) ?? null) })),
      next: rows.length > q.limit ? items[items.length - 1]!.id : null,
    };
  }

  /** The filtered log as CSV or Excel (at most 100 000 rows), keyset batches, streamed; the export is itself logged. */
  exportFile(actor: Actor, q: Omit<AccessQuery, 'before' | 'limit'>, format: ExportFormat = 'csv'): Readable {
    requireRole(actor, 'auditor');
    const db = this.db;
    const resolved = this.resolve(q);
    const record = (a: Actor, r: AccessRead) => this.recordPerson(a, r);
    async function* batches() {
      const filter = await resolved;
      if (!filter) return; // the filter names a person or ticket that does not exist: nothing matches
      yield* batchesByIdDesc(
        1000,
        (before, limit) =>
          repo
            .filteredAccess(db, { ...filter, before })
            .limit(limit)
            .execute(),
        (r) => [
          r.id,
          r.at,
          ACCESS_KIND_LABELS[r.kind as AccessKind] ?? r.kind,
          r.actor_label,
          r.user_name,
          r.unit_name,
          (r.ticket_ids ?? []).map(Number).join(' '),
          jsonCell(r.filter),
          r.row_count,
          r.content_sha256,
          r.request_id,
        ],
      );
    }
    return streamTable({
      format,
      sheetName: '数据访问日志',
      columns: [
        { header: '编号', width: 10 },
        { header: '时间', width: 20 },
        { header: '类型', width: 14 },
        { header: '人员或系统', width: 16 },
        { header: '人员', width: 12 },
        { header: '单位', width: 20 },
        { header: '工单', width: 20 },
        { header: '条件', width: 40 },
        { header: '条数', width: 8 },
        { header: '内容摘要(SHA-256)', width: 24 },
        { header: '请求编号', width: 24 },
      ],
      batches: batches(),
      maxRows: CSV_EXPORT_MAX,
      onDone: (r) =>
        record(actor, {
          kind: 'audit_export',
          filter: { ...q, format, ...(r.truncated ? { truncated: true } : {}) },
          rowCount: r.rows,
          contentSha256: r.sha256,
        }),
    });
  }

  exportCsv(actor: Actor, q: Omit<AccessQuery, 'before' | 'limit'>): Readable {
    return this.exportFile(actor, q, 'csv');
  }

  /** The filter with a ticket number resolved to its id (unique index); null when no such ticket exists. */
  private async resolve(q: Omit<AccessQuery, 'limit'>): Promise<repo.AccessFilter | null> {
    let ticketId = q.ticketId;
    if (q.ticketNumber) {
      const t = await this.db
        .selectFrom('tickets')
        .select('id')
        .where('number', '=', q.ticketNumber.toUpperCase())
        .executeTakeFirst();
      if (!t) return null;
      ticketId = t.id;
    }
    return toFilter({ ...q, ticketId });
  }

  /** Walks the chain from its start; the first broken link, if any. */
  async verify(actor?: Actor): Promise<VerifyReport> {
    if (actor) requireRole(actor, 'auditor', 'admin');
    return verifyAccessChain(this.db);
  }

  async retention(actor: Actor) {
    requireRole(actor, 'admin', 'auditor');
    const s = await repo.retention(this.db);
    return { days: s.retention_days, minimumDays: RETENTION_MIN_DAYS, purgedThroughId: s.purged_through_id };
  }

  /** 管理员: how long the log is kept; never shorter than 180 days (the schema refuses it too). */
  async setRetention(actor: Actor, days: number) {
    requireRole(actor, 'admin');
    if (days < RETENTION_MIN_DAYS)
      throw new AppError('bad_request', `访问日志至少保存 ${RETENTION_MIN_DAYS} 天`, { field: 'days' });
    const now = this.clock.now();
    return this.db.transaction().execute(async (trx) => {
      const before = await repo.retention(trx);
      await trx
        .updateTable('access_log_settings')
        .set({ retention_days: days, updated_at: now, updated_by: actor.userId })
        .where('id', '=', 1)
        .execute();
      await insertActorAudit(trx, actor, {
        entity: 'access_log_settings',
        entityId: '1',
        action: 'update',
        before: { retentionDays: before.retention_days },
        after: { retentionDays: days },
        at: now,
      });
      return { days, minimumDays: RETENTION_MIN_DAYS, purgedThroughId: before.purged_through_id };
    });
  }

  /** The scheduler's purge of rows past retention, in bounded batches. */
  async purge(batch = 5_000): Promise<{ purged: number }> {
    const s = await repo.retention(this.db);
    const days = Math.max(s.retention_days, RETENTION_MIN_DAYS);
    const cutoff = new Date(this.clock.now().getTime() - days * 86_400_000);
    let purged = 0;
    for (let i = 0; i < 20; i++) {
      const n = await repo.purgeBefore(this.db, cutoff, batch);
      purged += n;
      if (n === 0) break;
    }
    return { purged };
  }
}

export interface AccessQuery {
  userId?: number;
  unitId?: number;
  ticketId?: number;
  ticketNumber?: string;
  kind?: string;
  from?: string;
  to?: string;
  before?: number;
  limit: number;
}

export interface VerifyReport {
  ok: boolean;
  checked: number;
  startsAfterId: number;
  firstBroken: ChainBreak | null;
}

export async function verifyAccessChain(db: Kysely<DB>): Promise<VerifyReport> {
  const start = await repo.chainStart(db);
  let prev = start.hash;
  let after = start.afterId;
  let checked = 0;
  for (;;) {
    const rows = await repo.readChainBatch(db, after, 2000);
    if (rows.length === 0) break;
    const { broken, last } = verifyLinks(rows.map(toChained), prev);
    if (broken) {
      const index = rows.findIndex((r) => r.id === broken.id);
      return { ok: false, checked: checked + index, startsAfterId: start.afterId, firstBroken: broken };
    }
    prev = last;
    checked += rows.length;
    after = rows[rows.length - 1]!.id;
  }
  return { ok: true, checked, startsAfterId: start.afterId, firstBroken: null };
}

type StoredRow = Awaited<ReturnType<typeof repo.readChainBatch>>[number];

function toChained(r: StoredRow) {
  return {
    id: r.id,
    at: r.at,
    userId: r.user_id,
    unitId: r.unit_id,
    actorKind: r.actor_kind,
    actorLabel: r.actor_label,
    kind: r.kind,
    ticketIds: (r.ticket_ids ?? []).map(Number),
    filter: readJson<Record<string, unknown>>(r.filter),
    rowCount: r.row_count,
    contentSha256: r.content_sha256,
    requestId: r.request_id,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

function toFilter(q: Omit<AccessQuery, 'limit'>): repo.AccessFilter {
  return {
    userId: q.userId,
    unitId: q.unitId,
    ticketId: q.ticketId,
    kind: q.kind,
    from: q.from ? localDayStart(q.from) : undefined,
    to: q.to ? localDayStart(q.to, 1) : undefined,
    before: q.before,
  };
}

function present(r: Awaited<ReturnType<ReturnType<typeof repo.filteredAccess>['execute']>>[number]) {
  return {
    id: r.id,
    at: r.at,
    kind: r.kind,
    kindLabel: ACCESS_KIND_LABELS[r.kind as AccessKind] ?? r.kind,
    actorKind: r.actor_kind,
    actorLabel: r.actor_label,
    userId: r.user_id,
    userName: r.user_name,
    unitId: r.unit_id,
    unitName: r.unit_name,
    ticketIds: (r.ticket_ids ?? []).map(Number),
    filter: readJson<Record<string, unknown>>(r.filter),
    rowCount: r.row_count,
    contentSha256: r.content_sha256,
    requestId: r.request_id,
    hash: r.hash,
  };
}
