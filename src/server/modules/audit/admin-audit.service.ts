import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import { readJson } from '../../db/json.js';
import { AppError } from '../../errors.js';
import { localDayStart } from '../../domain/local-day.js';
import {
  AUDIT_ACTION_LABELS,
  AUDIT_ENTITY_LABELS,
  type AdminAuditQuery,
  type ExportRecord,
} from '../../../shared/contracts/audit.js';
import { PEOPLE_ROLES, requireRole, type Actor } from '../auth/actor.js';
import type { AccessLogService } from '../sharing/access-log.service.js';
import { batchesByIdDesc, jsonCell, streamTable, type ExportFormat } from '../exports/table-writer.js';
import { filteredAdminAudit, type AdminAuditFilter, type AdminAuditRecord } from './admin-audit.query.js';

// 等保 2.0 安全审计: the auditor reads the administrators' audit (changes to accounts, roles, units, the catalogue,
// time limits, the calendar and settings; logins and their failures; token issue and revoke) with who, when, what
// and from where, and exports it; the export is itself written to the access log. Every screen's export (CSV made in
// the browser from what is on screen) is recorded there too, before the file is made.

const CSV_EXPORT_MAX = 100_000;

export class AdminAuditService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly access: AccessLogService,
  ) {}

  async list(actor: Actor, q: AdminAuditQuery) {
    requireRole(actor, 'auditor');
    const rows = await filteredAdminAudit(this.db, toFilter(q))
      .limit(q.limit + 1)
      .execute();
    const items = rows.slice(0, q.limit).map(present);
    return { items, next: rows.length > q.limit ? items[items.length - 1]!.id : null };
  }

  /**
   * The filtered audit as CSV or Excel (at most 100 000 rows, newest first), read in keyset batches of 1 000 and
   * streamed; the export is logged as it ends (rows written, hash of the file).
   */
  exportFile(actor: Actor, q: Omit<AdminAuditQuery, 'before' | 'limit'>, format: ExportFormat = 'csv'): Readable {
    requireRole(actor, 'auditor');
    const db = this.db;
    const access = this.access;
    const batches = batchesByIdDesc(
      1000,
      (before, limit) =>
        filteredAdminAudit(db, { ...toFilter(q), before })
          .limit(limit)
          .execute(),
      (r) => {
        const p = present(r);
        return [
          p.id,
          p.at,
          p.actorName ?? '系统',
          p.username,
          p.entityLabel,
          p.targetName ? `${p.entityId} ${p.targetName}` : p.entityId,
          p.actionLabel,
          jsonCell(p.before),
          jsonCell(p.after),
          p.sourceIp,
          p.requestId,
        ];
      },
    );
    return streamTable({
      format,
      sheetName: '操作审计',
      columns: [
        { header: '编号', width: 10 },
        { header: '时间', width: 20 },
        { header: '操作人', width: 14 },
        { header: '用户名', width: 14 },
        { header: '对象', width: 16 },
        { header: '对象编号', width: 20 },
        { header: '操作', width: 12 },
        { header: '变更前', width: 40 },
        { header: '变更后', width: 40 },
        { header: '来源地址', width: 16 },
        { header: '请求编号', width: 24 },
      ],
      batches,
      maxRows: CSV_EXPORT_MAX,
      onDone: (r) =>
        access.recordPerson(actor, {
          kind: 'audit_export',
          filter: { ...q, log: 'admin_audit', format, ...(r.truncated ? { truncated: true } : {}) },
          rowCount: r.rows,
          contentSha256: r.sha256,
        }),
    });
  }

  exportCsv(actor: Actor, q: Omit<AdminAuditQuery, 'before' | 'limit'>): Readable {
    return this.exportFile(actor, q, 'csv');
  }

  /**
   * A person's export of a screen (第三十条第二款, 等保 安全审计): recorded before the browser makes the file, so
   * an export that is not recorded does not happen. Integration tokens export through the feed, which logs itself.
   */
  async recordExport(actor: Actor, e: ExportRecord) {
    requireRole(actor, ...PEOPLE_ROLES);
    if (actor.tokenScopes) throw new AppError('forbidden', '对接令牌不能导出页面数据');
    const { id } = await this.access.recordPerson(actor, {
      kind: 'export',
      filter: { screen: e.screen, format: e.format, ...e.filter },
      rowCount: e.rows,
    });
    return { id, recordedAt: this.clock.now().toISOString() };
  }
}

function toFilter(q: Omit<AdminAuditQuery, 'limit'>): AdminAuditFilter {
  return {
    userId: q.userId,
    entity: q.entity,
    entityId: q.entityId,
    action: q.action,
    from: q.from ? localDayStart(q.from) : undefined,
    to: q.to ? localDayStart(q.to, 1) : undefined,
    before: q.before,
  };
}

function present(r: AdminAuditRecord) {
  return {
    id: r.id,
    at: r.at,
    userId: r.user_id,
    username: r.username,
    actorName: r.display_name,
    entity: r.entity,
    entityLabel: AUDIT_ENTITY_LABELS[r.entity] ?? r.entity,
    entityId: r.entity_id,
    targetName: r.target_name,
    action: r.action,
    actionLabel: AUDIT_ACTION_LABELS[r.action] ?? r.action,
    before: readJson(r.before),
    after: readJson(r.after),
    sourceIp: r.source_ip,
    requestId: r.request_id,
  };
}
