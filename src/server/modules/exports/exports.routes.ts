import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as c from '../../../shared/contracts/exports.js';
import { piiAccessFilter } from '../../../shared/contracts/audit.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';
import { contentDisposition, CONTENT_TYPES } from './table-writer.js';

// Issue 10 "Export everywhere": files made on the server, streamed as they are written, each one audited.
export function exportRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['exports'];
  // POST, not GET: the search box may hold a phone number, which must not end up in access logs (第六条)
  r.post(
    '/api/exports/tickets',
    {
      schema: {
        tags,
        summary: '导出工单查询结果（CSV 或 Excel，流式；X-Export-Total 为行数，导出记入数据访问日志）',
        body: c.ticketExportBody,
      },
    },
    async (req, reply) => {
      const e = await s.exports.tickets.export(actorOf(req), req.body);
      return reply
        .type(CONTENT_TYPES[req.body.format])
        .header('content-disposition', contentDisposition(e.name, req.body.format))
        .header('x-export-total', String(e.total))
        .header('x-export-capped', String(e.capped))
        .header('cache-control', 'no-store')
        .send(e.stream);
    },
  );
  r.get(
    '/api/exports/pii-access',
    {
      schema: {
        tags,
        summary: '导出个人信息访问审计（CSV 或 Excel；审计员；筛选同页面；导出本身记入数据访问日志）',
        querystring: c.auditExportFormatQuery.extend(piiAccessFilter.shape),
      },
    },
    async (req, reply) => {
      const { format, ...filter } = req.query;
      const stream = await s.exports.piiAccess(actorOf(req), format, filter);
      return reply
        .type(CONTENT_TYPES[req.query.format])
        .header('content-disposition', contentDisposition('个人信息访问审计', req.query.format))
        .header('cache-control', 'no-store')
        .send(stream);
    },
  );
  r.post(
    '/api/exports/table.xlsx',
    {
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        tags,
        summary: '把页面上的表格生成 Excel（至多 1 万行；导出记入数据访问日志）',
        body: c.tableExportBody,
      },
    },
    async (req, reply) => {
      const e = await s.exports.table(actorOf(req), req.body);
      return reply
        .type(CONTENT_TYPES.xlsx)
        .header('content-disposition', contentDisposition(e.name, 'xlsx'))
        .header('x-export-total', String(e.total))
        .header('cache-control', 'no-store')
        .send(e.stream);
    },
  );
}
