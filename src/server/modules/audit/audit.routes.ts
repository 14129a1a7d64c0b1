import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as c from '../../../shared/contracts/audit.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';
import { contentDisposition, CONTENT_TYPES } from '../exports/table-writer.js';

// 等保 2.0 安全审计: the administrators' audit for the auditor, and the record of every screen's export.
export function auditRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['audit'];
  r.get(
    '/api/audit/admin',
    {
      schema: {
        tags,
        summary: '操作审计：账号、权限、单位、目录、时限、日历与设置的变更，登录与失败（审计员）',
        querystring: c.adminAuditQuery,
      },
    },
    async (req) => s.adminAudit.list(actorOf(req), req.query),
  );
  r.get(
    '/api/audit/admin.csv',
    {
      schema: { tags, summary: '导出操作审计（CSV；导出本身记入数据访问日志）', querystring: c.adminAuditExportQuery },
    },
    async (req, reply) => {
      const stream = s.adminAudit.exportCsv(actorOf(req), req.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="admin-audit.csv"')
        .send(stream);
    },
  );
  // issue 10: the same export as an Excel workbook, written by a streaming writer
  r.get(
    '/api/audit/admin.xlsx',
    {
      schema: {
        tags,
        summary: '导出操作审计（Excel；导出本身记入数据访问日志）',
        querystring: c.adminAuditExportQuery,
      },
    },
    async (req, reply) => {
      const stream = s.adminAudit.exportFile(actorOf(req), req.query, 'xlsx');
      return reply
        .type(CONTENT_TYPES.xlsx)
        .header('content-disposition', contentDisposition('操作审计', 'xlsx'))
        .send(stream);
    },
  );
  r.post(
    '/api/audit/exports',
    {
      schema: {
        tags,
        summary: '登记一次页面导出（页面、条件、行数），浏览器生成文件之前调用',
        body: c.exportRecordBody,
      },
    },
    async (req, reply) => reply.status(201).send(await s.adminAudit.recordExport(actorOf(req), req.body)),
  );
}
