import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/auth-plugin.js';
import type { Services } from '../../http/services.js';

// 第八条: the working calendar's coverage and a year's holiday arrangement (节假日安排), entered and confirmed by an admin.

const yearParams = z.object({
  year: z.coerce
    .number({ error: '年份不正确' })
    .int('年份不正确')
    .min(2000, '年份须在 2000 至 2100 之间')
    .max(2100, '年份须在 2000 至 2100 之间'),
});
const date = (label: string) =>
  z.string({ error: `请填写${label}` }).regex(/^\d{4}-\d{2}-\d{2}$/, `${label}格式应为 YYYY-MM-DD`);
const arrangementSchema = z.object({
  holidays: z
    .array(
      z.object({
        name: z
          .string({ error: '请填写节假日名称' })
          .trim()
          .min(1, '请填写节假日名称')
          .max(50, '节假日名称不能超过 50 个字'),
        from: date('开始日期'),
        to: date('结束日期'),
      }),
      { error: '请填写节假日' },
    )
    .max(60, '节假日过多'),
  workdays: z
    .array(z.object({ date: date('调休上班日期'), name: z.string().max(50, '名称不能超过 50 个字').nullish() }), {
      error: '调休上班日应为列表',
    })
    .max(60, '调休上班日过多')
    .default([]),
});

export function calendarYearRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['reference data'];
  const years = () => s.config.calendarYears;

  r.get(
    '/api/calendar/coverage',
    { schema: { tags, summary: '工作日历覆盖情况：未来 90 天内尚未确认节假日安排的年份（所有登录用户）' } },
    async (req) => {
      actorOf(req);
      return years().coverage();
    },
  );
  r.get(
    '/api/admin/calendar/coverage',
    { schema: { tags, summary: '工作日历覆盖情况与各年确认状态（管理员）' } },
    async (req) => years().coverageDetail(actorOf(req)),
  );
  r.get(
    '/api/admin/calendar/years/:year',
    { schema: { tags, summary: '某年的节假日安排（录入表单，管理员）', params: yearParams } },
    async (req) => years().year(actorOf(req), req.params.year),
  );
  r.put(
    '/api/admin/calendar/years/:year',
    {
      schema: {
        tags,
        summary: '录入并确认某年的节假日安排（管理员，审计）',
        params: yearParams,
        // source: 'import' when the form was filled from a file (recorded with the confirmation)
        body: arrangementSchema.extend({
          source: z.enum(['manual', 'import'], { error: '来源须为录入或导入' }).default('manual'),
        }),
      },
    },
    async (req) => years().confirm(actorOf(req), req.params.year, req.body, req.body.source),
  );
  r.post(
    '/api/admin/calendar/years/:year/confirm-builtin',
    { schema: { tags, summary: '一键确认内置数据（chinese-days）中的节假日安排（管理员，审计）', params: yearParams } },
    async (req) => years().confirmBuiltin(actorOf(req), req.params.year),
  );
  r.post(
    '/api/admin/calendar/years/:year/import',
    {
      schema: {
        tags,
        summary: '从文件导入某年的节假日安排（JSON 或文本格式，见 docs/calendar-import.md；confirm 为真时直接确认）',
        params: yearParams,
        body: z.object({
          content: z.string({ error: '请选择文件' }).max(20_000, '文件过大（不超过 20000 字）'),
          confirm: z.boolean({ error: 'confirm 须为是或否' }).default(false),
        }),
      },
    },
    async (req) => years().importFile(actorOf(req), req.params.year, req.body.content, req.body.confirm),
  );
}
