import type { AdminAuditService } from '../audit/admin-audit.service.js';
import type { TicketQueries } from '../tickets/tickets.query.js';
import type { TicketSearch } from '../tickets/tickets.search.js';
import type { ServiceDeps } from '../tickets/ticket-workflow.js';
import type { TableExportBody } from '../../../shared/contracts/exports.js';
import type { z } from 'zod';
import type { piiAccessFilter } from '../../../shared/contracts/audit.js';

type PiiAccessFilter = z.infer<typeof piiAccessFilter>;
import type { Actor } from '../auth/actor.js';
import { TicketExportService } from './ticket-export.service.js';
import { EXPORT_ROW_CAP } from '../../../shared/contracts/exports.js';
import type { ConfigService } from '../config/config.service.js';
import type { AccessLogService } from '../sharing/access-log.service.js';
import { batchesByIdDesc, streamTable, type ExportFormat } from './table-writer.js';

const PII_FIELD_LABELS: Record<string, string> = {
  name: '姓名',
  phone: '电话',
  address: '地址',
  text: '工单内容原文',
  message: '来电来信原文',
};

export interface ExportServices {
  tickets: TicketExportService;
  /** a table the screen holds, as Excel; recorded (screen, filter, rows) before the file is written */
  table(actor: Actor, body: TableExportBody): Promise<{ name: string; total: number; stream: NodeJS.ReadableStream }>;
  /** 个人信息访问审计 as a file (auditor): who saw whose personal data, never the data itself */
  piiAccess(actor: Actor, format: ExportFormat, filter?: PiiAccessFilter): Promise<NodeJS.ReadableStream>;
}

export function buildExports(
  deps: ServiceDeps,
  search: TicketSearch,
  queries: TicketQueries,
  audit: AdminAuditService,
  config: ConfigService,
  access: AccessLogService,
): ExportServices {
  return {
    tickets: new TicketExportService(deps, search, queries),
    async table(actor, body) {
      // the same record the browser's CSV export leaves (role checks included), before any byte of the file
      await audit.recordExport(actor, {
        screen: body.screen,
        format: 'xlsx',
        filter: body.filter,
        rows: body.rows.length,
      });
      const rows = body.rows;
      async function* batches() {
        yield rows;
      }
      const stream = streamTable({
        format: 'xlsx',
        sheetName: body.screen,
        columns: body.header.map((h) => ({ header: h, width: Math.min(50, Math.max(10, h.length * 2 + 4)) })),
        batches: batches(),
        maxRows: rows.length,
        onDone: async () => undefined,
      });
      return { name: body.screen, total: rows.length, stream };
    },
    async piiAccess(actor, format, filter = {}) {
      // the role check happens here, before the response starts
      await config.piiAccessLog(actor, { ...filter, limit: 1 });
      const batches = () =>
        batchesByIdDesc(
          1000,
          (before, limit) => config.piiAccessLog(actor, { ...filter, before, limit }),
          (r) => [
            r.id,
            r.at,
            r.userName,
            r.ticketNumber,
            r.contact_id,
            r.fields.map((f) => PII_FIELD_LABELS[f] ?? f).join('、'),
            r.purpose,
            r.request_id,
          ],
        );
      return streamTable({
        format,
        sheetName: '个人信息访问审计',
        columns: [
          { header: '编号', width: 10 },
          { header: '时间', width: 20 },
          { header: '人员', width: 14 },
          { header: '工单号', width: 20 },
          { header: '来电来信', width: 10 },
          { header: '查看内容', width: 20 },
          { header: '事由', width: 40 },
          { header: '请求编号', width: 30 },
        ],
        batches: batches(),
        maxRows: EXPORT_ROW_CAP,
        onDone: (r) =>
          access.recordPerson(actor, {
            kind: 'audit_export',
            filter: { log: 'pii_access_log', format, ...filter, ...(r.truncated ? { truncated: true } : {}) },
            rowCount: r.rows,
            contentSha256: r.sha256,
          }),
      });
    },
  };
}
