import { z } from 'zod';
import { dbIdParam, isoDay, safeString } from './common.js';

// 第二十七条 热点分析: request schemas shared by the server routes and the 热点分析 screen (docs/analytics.md).

// 'grid' is 主动发现 (第二十九条): a grid worker's own report, not a citizen's request
export const ANALYTICS_CHANNEL_VALUES = ['phone', 'sms', 'wechat', 'weibo', 'web', 'api', 'open311', 'grid'] as const;
export const ANALYTICS_TYPE_VALUES = ['consult', 'help', 'complaint', 'report', 'suggestion', 'praise'] as const;
/** Region levels of the tree: 2 county/district, 3 town/street, 4 grid/community. */
export const REGION_LEVELS = { county: 2, town: 3, grid: 4 } as const;

const regionCode = safeString().regex(/^\d{6,12}$/, '区域代码应为 6 至 12 位数字');

/** The filter bar: a period, and optionally a channel, a request type, a category (subtree) and a region (subtree). */
export const analyticsFilter = z.object({
  from: isoDay,
  to: isoDay,
  channel: z.enum(ANALYTICS_CHANNEL_VALUES, { error: '未知的渠道' }).optional(),
  requestType: z.enum(ANALYTICS_TYPE_VALUES, { error: '未知的诉求类型' }).optional(),
  categoryId: dbIdParam('事项分类编号不正确').optional(),
  region: regionCode.optional(),
});
export type AnalyticsFilter = z.infer<typeof analyticsFilter>;

const regionLevel = z.enum(['county', 'town', 'grid'], { error: '区域层级应为 county、town 或 grid' });
const categoryLevel = z.coerce
  .number({ error: '分类层级应为 1 至 3' })
  .int('分类层级应为 1 至 3')
  .min(1, '分类层级应为 1 至 3')
  .max(3, '分类层级应为 1 至 3');

export const volumeQuery = analyticsFilter.extend({
  regionLevel: regionLevel.default('county'),
  categoryLevel: categoryLevel.default(1),
});
export const trendQuery = analyticsFilter.extend({
  granularity: z.enum(['day', 'week', 'month'], { error: '时间粒度应为 day、week 或 month' }).default('day'),
});
export const risingQuery = analyticsFilter.extend({
  regionLevel: regionLevel.default('county'),
  categoryLevel: categoryLevel.default(2),
  minCount: z.coerce.number({ error: '最小件数不正确' }).int().min(1).max(1_000_000).default(5),
  limit: z.coerce.number({ error: '条数不正确' }).int().min(1).max(100).default(10),
});
export const drillQuery = analyticsFilter.extend({
  after: safeString()
    .regex(/^\d{4}-\d{2}-\d{2}\.\d{1,19}$/, '分页游标不正确')
    .optional(),
  limit: z.coerce.number({ error: '条数不正确' }).int().min(1).max(200).default(50),
});
