import { z } from 'zod';
import { dbIdParam, dbId, isoDay, safeString } from './common.js';

// 第二十九条 网格化管理: request schemas of the grid worker's reports (主动发现) and the town/street view (docs/grids.md).

const text = (max: number, label: string) =>
  safeString().trim().min(1, `${label}不能为空`).max(max, `${label}不能超过 ${max} 字`);

/** A region code: a grid is its town's code and three more digits (12 digits), a town 9. */
export const gridCode = safeString().regex(/^\d{12}$/, '网格代码应为 12 位数字');
export const townCode = safeString().regex(/^\d{9}$/, '乡镇（街道）代码应为 9 位数字');

/** 主动发现: what a grid worker found in one of their grids. */
export const gridReportBody = z.object({
  gridCode,
  categoryId: dbId('事项分类不正确'),
  requestType: z.enum(['help', 'complaint', 'suggestion'], { error: '诉求类型不正确' }).default('help'),
  urgency: z.enum(['normal', 'urgent'], { error: '紧急程度不正确' }).default('normal'),
  title: text(200, '标题'),
  address: text(500, '地点'),
  content: text(5000, '问题描述').refine((s) => s.length >= 5, '请具体描述发现的问题（至少 5 个字）'),
});
export type GridReportBody = z.infer<typeof gridReportBody>;

/** 我的上报 (view reported) or the tickets of the worker's grids (view grid), newest first; `before` pages on. */
export const gridTicketsQuery = z.object({
  view: z.enum(['reported', 'grid'], { error: '列表类型应为 reported 或 grid' }).default('reported'),
  before: dbIdParam('分页游标不正确').optional(),
  limit: z.coerce
    .number({ error: '条数不正确' })
    .int('条数不正确')
    .min(1, '条数不正确')
    .max(100, '条数不正确')
    .default(50),
});

export const townParams = z.object({ code: townCode });

const channelKind = z
  .enum(['all', 'citizen', 'grid'], { error: '来源应为 all（全部）、citizen（群众诉求）或 grid（主动发现）' })
  .default('all');

/** The town view's period and source: all tickets, citizens' requests only, or grid workers' reports only. */
export const townFiguresQuery = z.object({ from: isoDay, to: isoDay, source: channelKind });

/** The tickets behind a figure of the town view: a grid (or the town itself) and a category (subtree). */
export const townTicketsQuery = z.object({
  from: isoDay,
  to: isoDay,
  source: channelKind,
  region: safeString()
    .regex(/^\d{9}(\d{3})?$/, '区域代码不正确')
    .optional(),
  categoryId: dbIdParam('事项分类编号不正确').optional(),
  after: safeString()
    .regex(/^\d{4}-\d{2}-\d{2}\.\d{1,19}$/, '分页游标不正确')
    .optional(),
  limit: z.coerce
    .number({ error: '条数不正确' })
    .int('条数不正确')
    .min(1, '条数不正确')
    .max(200, '条数不正确')
    .default(50),
});

// ---- 网格管理 (issue 12): a town/street's manager (or the admin) keeps its grids and assigns its grid workers ----

export const gridParams = z.object({ code: gridCode });

/** A grid's name: as the region tree names it (东城街道第五网格). */
const gridName = text(50, '网格名称');
/** A centre point in WGS-84 degrees, inside China's extent (the map is Heze's; a typo of a decimal is caught here). */
const lng = z.number({ error: '经度应为数字' }).min(73, '经度应在 73 至 136 之间').max(136, '经度应在 73 至 136 之间');
const lat = z.number({ error: '纬度应为数字' }).min(3, '纬度应在 3 至 54 之间').max(54, '纬度应在 3 至 54 之间');
/** Both or neither: a point is a pair (null clears it). */
const centre = z.object({ lng, lat }, { error: '中心点应包含经度和纬度' }).strict().nullable();

export const gridCreateBody = z.object({ name: gridName, centre: centre.optional() }).strict();
export type GridCreateBody = z.infer<typeof gridCreateBody>;

export const gridUpdateBody = z
  .object({
    name: gridName.optional(),
    centre: centre.optional(),
    retired: z.boolean({ error: '停用标记不正确' }).optional(),
  })
  .strict()
  .refine((b) => b.name !== undefined || b.centre !== undefined || b.retired !== undefined, '没有要修改的内容');
export type GridUpdateBody = z.infer<typeof gridUpdateBody>;

/** The grid's workers after the change (replaces the set; an empty list leaves the grid without a worker). */
export const gridWorkersBody = z
  .object({
    userIds: z
      .array(dbId('网格员编号不正确'), { error: '网格员列表不正确' })
      .max(50, '一个网格的网格员不能超过 50 人')
      .refine((ids) => new Set(ids).size === ids.length, '网格员不能重复'),
  })
  .strict();
export type GridWorkersBody = z.infer<typeof gridWorkersBody>;
