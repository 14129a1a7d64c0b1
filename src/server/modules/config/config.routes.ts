import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { piiAccessQuery } from '../../../shared/contracts/audit.js';
import { DB_ID_MAX, dbId, idParams } from '../../../shared/contracts/common.js';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';
import { calendarYearRoutes } from './calendar-years.routes.js';

const dateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

export function configRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['reference data'];
  const authed = (req: Parameters<typeof actorOf>[0]) => actorOf(req);

  r.get('/api/regions', { schema: { tags, summary: '行政区划' } }, async (req) => {
    authed(req);
    return s.config.regions();
  });
  r.get('/api/units', { schema: { tags, summary: '承办单位及其负责区域' } }, async (req) => {
    authed(req);
    return s.config.units();
  });
  r.get('/api/categories', { schema: { tags, summary: '事项分类' } }, async (req) => {
    authed(req);
    return s.config.categories();
  });
  r.get('/api/users', { schema: { tags, summary: '用户（管理员、审计员）' } }, async (req) =>
    s.config.users(actorOf(req)),
  );
  r.get('/api/catalogue-rules', { schema: { tags, summary: '派单目录' } }, async (req) => {
    authed(req);
    return s.config.catalogueRules();
  });
  r.post(
    '/api/catalogue-rules',
    {
      schema: {
        tags,
        summary: '新增派单目录规则（管理员）',
        body: z.object({
          categoryId: dbId().nullable(),
          regionCode: z
            .string()
            .regex(/^\d{6,12}$/)
            .nullable(),
          tier: z.enum(['city', 'county', 'town']),
          basis: z.enum(['statutory', 'territorial', 'tiered']),
          leadUnitId: dbId(),
          assistUnitIds: z.array(dbId()).max(20).default([]),
          priority: z
            .number()
            .int()
            .min(-DB_ID_MAX - 1, '优先级超出范围')
            .max(DB_ID_MAX, '优先级超出范围')
            .default(0),
          note: z.string().max(500).nullish(),
        }),
      },
    },
    async (req, reply) => reply.status(201).send(await s.config.createCatalogueRule(actorOf(req), req.body)),
  );
  r.patch(
    '/api/catalogue-rules/:id',
    {
      schema: { tags, summary: '启用/停用派单目录规则', params: idParams, body: z.object({ active: z.boolean() }) },
    },
    async (req) => s.config.setCatalogueRuleActive(actorOf(req), req.params.id, req.body.active),
  );
  r.post(
    '/api/catalogue/resolve',
    {
      schema: {
        tags,
        summary: '按派单目录解析承办单位及所依据的规则',
        body: z.object({ categoryId: dbId(), regionCode: z.string().regex(/^\d{6,12}$/) }),
      },
    },
    async (req) => {
      authed(req);
      return (
        (await s.tickets.suggestDispatch({ category_id: req.body.categoryId, region_code: req.body.regionCode })) ?? {
          leadUnitId: null,
          explanation: '派单目录中没有匹配的规则',
        }
      );
    },
  );

  r.get(
    '/api/calendar/:year',
    {
      schema: {
        tags,
        summary: '工作日历（节假日与调休）',
        params: z.object({ year: z.coerce.number().int().min(2000).max(2100) }),
      },
    },
    async (req) => {
      authed(req);
      return s.config.calendarYear(req.params.year);
    },
  );
  r.put(
    '/api/calendar/days/:date',
    {
      schema: {
        tags,
        summary: '设置节假日或调休工作日（管理员）',
        params: z.object({ date: dateString }),
        body: z.object({ kind: z.enum(['holiday', 'workday']), name: z.string().max(50).nullish() }),
      },
    },
    async (req) => s.config.setCalendarDay(actorOf(req), req.params.date, req.body),
  );
  r.delete(
    '/api/calendar/days/:date',
    { schema: { tags, summary: '恢复为普通日期（管理员）', params: z.object({ date: dateString }) } },
    async (req) => ({ cleared: (await s.config.setCalendarDay(actorOf(req), req.params.date, null)) === null }),
  );
  calendarYearRoutes(app, s);

  r.get('/api/time-limits', { schema: { tags, summary: '办理时限' } }, async (req) => {
    authed(req);
    return s.config.timeLimits();
  });
  r.put(
    '/api/time-limits',
    {
      schema: {
        tags,
        summary: '设置办理时限（管理员）',
        body: z.object({
          step: z.enum([
            'accept',
            'return_window',
            'first_contact',
            'reply',
            'extension_max',
            'callback',
            'rework',
            'assist',
            'sub_review',
          ]),
          categoryId: dbId().nullable(),
          urgency: z.enum(['normal', 'urgent']).nullable(),
          unitKind: z.enum(['centre', 'department', 'town', 'utility', 'other']).nullable().default(null),
          clock: z.enum(['calendar', 'round_the_clock']).nullable(),
          amount: z.number().positive().max(1000),
          unit: z.enum(['working_days', 'working_hours', 'clock_hours']),
        }),
      },
    },
    async (req) => s.config.upsertTimeLimit(actorOf(req), req.body),
  );
  // 第十五条: when a unit may reply to a requester it could not reach (every signed-in user reads it; the admin sets it)
  r.get(
    '/api/unreachable-reply-policy',
    { schema: { tags, summary: '无法联系诉求人时答复的条件（第十五条）' } },
    async (req) => {
      authed(req);
      return s.config.unreachablePolicy();
    },
  );
  r.put(
    '/api/unreachable-reply-policy',
    {
      schema: {
        tags,
        summary: '设置无法联系诉求人时答复的条件（管理员）',
        body: z.object({
          minAttempts: z
            .number({ error: '请填写尝试次数' })
            .int('尝试次数须为整数')
            .min(1, '尝试次数至少为 1')
            .max(20, '尝试次数不能超过 20'),
          minDistinctDays: z
            .number({ error: '请填写日期数' })
            .int('日期数须为整数')
            .min(1, '日期数至少为 1')
            .max(20, '日期数不能超过 20'),
        }),
      },
    },
    async (req) => s.config.setUnreachablePolicy(actorOf(req), req.body),
  );
  r.get(
    '/api/audit/pii-access',
    {
      schema: {
        tags: ['audit'],
        summary: '个人信息访问审计（审计员；按人员、工单号、日期筛选）',
        querystring: piiAccessQuery,
      },
    },
    async (req) => s.config.piiAccessLog(actorOf(req), req.query),
  );
}
