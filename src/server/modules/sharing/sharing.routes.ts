import { contentDisposition, CONTENT_TYPES } from '../exports/table-writer.js';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams } from '../../../shared/contracts/common.js';
import * as c from '../../../shared/contracts/sharing.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';

// 第三十条: subscriptions (数据推送订阅), unit tokens (对接令牌), the pull feed and backfill, and the access log.
export function sharingRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const sh = s.sharing;
  const tags = ['data-sharing'];

  r.get(
    '/api/sharing/subscriptions',
    { schema: { tags, summary: '数据推送订阅列表（管理员；单位负责人看本单位）', querystring: c.subscriptionsQuery } },
    async (req) => sh.subscriptions.list(actorOf(req), req.query),
  );
  r.post(
    '/api/sharing/subscriptions',
    {
      schema: {
        tags,
        summary: '登记单位接收系统（https 地址、事件类型）；签名密钥只在此返回一次',
        body: c.createSubscriptionBody,
      },
    },
    async (req, reply) => reply.status(201).send(await sh.subscriptions.create(actorOf(req), req.body)),
  );
  r.patch(
    '/api/sharing/subscriptions/:id',
    {
      schema: {
        tags,
        summary: '修改订阅，暂停或恢复推送（乐观并发：version）',
        params: idParams,
        body: c.updateSubscriptionBody,
      },
    },
    async (req) => sh.subscriptions.update(actorOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/sharing/subscriptions/:id/rotate-secret',
    { schema: { tags, summary: '更换签名密钥（旧密钥在宽限期内仍同时签名）', params: idParams } },
    async (req) => sh.subscriptions.rotateSecret(actorOf(req), req.params.id),
  );
  r.post(
    '/api/sharing/subscriptions/:id/test',
    { schema: { tags, summary: '测试推送（ping），返回接收方的应答', params: idParams } },
    async (req) => sh.subscriptions.test(actorOf(req), req.params.id),
  );
  r.get(
    '/api/sharing/subscriptions/:id/deliveries',
    { schema: { tags, summary: '推送记录与死信（游标分页）', params: idParams, querystring: c.deliveriesQuery } },
    async (req) => sh.subscriptions.deliveries(actorOf(req), req.params.id, req.query),
  );
  r.post(
    '/api/sharing/subscriptions/:id/replay-dead',
    { schema: { tags, summary: '死信全部重新推送', params: idParams } },
    async (req) => sh.subscriptions.replayDead(actorOf(req), req.params.id),
  );
  r.post(
    '/api/sharing/deliveries/:id/replay',
    { schema: { tags, summary: '死信重新推送（同一幂等键）', params: idParams } },
    async (req) => sh.subscriptions.replay(actorOf(req), req.params.id),
  );

  r.get('/api/admin/api-tokens', { schema: { tags, summary: '对接令牌列表（管理员）' } }, async (req) =>
    sh.tokens.list(actorOf(req)),
  );
  r.post(
    '/api/admin/api-tokens',
    { schema: { tags, summary: '为单位签发对接令牌（权限范围；令牌只在此返回一次）', body: c.createUnitTokenBody } },
    async (req, reply) => reply.status(201).send(await sh.tokens.issue(actorOf(req), req.body)),
  );
  r.post('/api/admin/api-tokens/:id/revoke', { schema: { tags, summary: '吊销令牌', params: idParams } }, async (req) =>
    sh.tokens.revoke(actorOf(req), req.params.id),
  );

  r.get(
    '/api/units/feed',
    {
      schema: {
        tags,
        summary: '本单位事件增量接口（游标 after，keyset；需 feed:read 令牌）',
        description: `schemaVersion ${c.SCHEMA_VERSION}; each item is the same JSON a webhook receives. See docs/data-sharing.md.`,
        querystring: c.feedQuery,
        response: { 200: c.feedPageSchema },
      },
      // the page is sent as the exact text the access log hashed
      serializerCompiler: () => (data) => (typeof data === 'string' ? data : JSON.stringify(data)),
    },
    async (req, reply) =>
      reply.type('application/json; charset=utf-8').send((await sh.feed.page(actorOf(req), req.query)) as never),
  );
  r.get(
    '/api/units/feed/tickets.ndjson',
    { schema: { tags, summary: '本单位工单全量导出（NDJSON，流式；需 feed:read 令牌）' } },
    async (req, reply) => {
      const stream = sh.feed.backfill(actorOf(req), 'ndjson');
      return reply.type('application/x-ndjson; charset=utf-8').send(stream);
    },
  );
  r.get(
    '/api/units/feed/tickets.csv',
    { schema: { tags, summary: '本单位工单全量导出（CSV，流式；需 feed:read 令牌）' } },
    async (req, reply) => {
      const stream = sh.feed.backfill(actorOf(req), 'csv');
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="tickets.csv"')
        .send(stream);
    },
  );

  const atags = ['audit'];
  r.get(
    '/api/audit/access',
    {
      schema: {
        tags: atags,
        summary: '数据访问日志（审计员；按人员、单位、工单、类型、日期筛选）',
        querystring: c.accessLogQuery,
      },
    },
    async (req) => sh.access.list(actorOf(req), req.query),
  );
  r.get(
    '/api/audit/access.csv',
    { schema: { tags: atags, summary: '导出数据访问日志（CSV；导出本身记入日志）', querystring: c.accessExportQuery } },
    async (req, reply) => {
      const stream = sh.access.exportCsv(actorOf(req), req.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="access-log.csv"')
        .send(stream);
    },
  );
  // issue 10: the same export as an Excel workbook, written by a streaming writer
  r.get(
    '/api/audit/access.xlsx',
    {
      schema: { tags: atags, summary: '导出数据访问日志（Excel；导出本身记入日志）', querystring: c.accessExportQuery },
    },
    async (req, reply) => {
      const stream = sh.access.exportFile(actorOf(req), req.query, 'xlsx');
      return reply
        .type(CONTENT_TYPES.xlsx)
        .header('content-disposition', contentDisposition('数据访问日志', 'xlsx'))
        .send(stream);
    },
  );
  r.get(
    '/api/audit/access/verify',
    { schema: { tags: atags, summary: '校验访问日志哈希链，报告第一处断链' } },
    async (req) => sh.access.verify(actorOf(req)),
  );
  r.get('/api/audit/access/retention', { schema: { tags: atags, summary: '访问日志保存期限' } }, async (req) =>
    sh.access.retention(actorOf(req)),
  );
  r.put(
    '/api/audit/access/retention',
    { schema: { tags: atags, summary: '设置访问日志保存期限（不少于 180 天；管理员）', body: c.retentionBody } },
    async (req) => sh.access.setRetention(actorOf(req), req.body.days),
  );
}
