import { Readable } from 'node:stream';
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
import { IncrementalHash, type AccessLogService } from '../sharing/access-log.service.js';
import { CSV_BOM, csvLine } from '../sharing/csv.js';
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

  /** The filtered audit as CSV (at most 100 000 rows, newest first), streamed; the export is logged as it ends. */
  exportCsv(actor: Actor, q: Omit<AdminAuditQuery, 'before' | 'limit'>): Readable {
    requireRole(actor, 'auditor');
    const db = this.db;
    const access = this.access;
    async function* lines() {
      let rows = 0;
      const hash = new IncrementalHash();
      try {
        const head =
          CSV_BOM +
          csvLine([
            '编号',
            '时间',
            '操作人',
            '用户名',
            '对象',
            '对象编号',
            '操作',
            '变更前',
            '变更后',
            '来源地址',
            '请求编号',
          ]);
        hash.update(head);
        yield head;
        let before: number | undefined;
        while (rows < CSV_EXPORT_MAX) {
          const batch = await filteredAdminAudit(db, { ...toFilter(q), before })
            .limit(Math.min(1000, CSV_EXPORT_MAX - rows))
            .execute();
          if (batch.length === 0) break;
          let chunk = '';
          for (const r of batch) {
            const p = present(r);
            chunk += csvLine([
              p.id,
              p.at,
              p.actorName ?? '系统',
              p.username,
              p.entityLabel,
              p.targetName ? `${p.entityId} ${p.targetName}` : p.entityId,
              p.actionLabel,
              p.before,
              p.after,
              p.sourceIp,
              p.requestId,
            ]);
          }
          rows += batch.length;
          before = batch[batch.length - 1]!.id;
          hash.update(chunk);
          yield chunk;
        }
      } finally {
        await access.recordPerson(actor, {
          kind: 'audit_export',
          filter: { ...q, log: 'admin_audit', format: 'csv' },
          rowCount: rows,
          contentSha256: hash.digest(),
        });
      }
    }
    return Readable.from(lines());
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
