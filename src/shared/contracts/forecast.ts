import { z } from 'zod';
import { dbIdParam, safeString } from './common.js';

// 第二十八条 季节预测、预案提醒、承办单位月度分析: request schemas shared by the server routes and the screens.

const regionCode = safeString().regex(/^\d{6,12}$/, '区域代码应为 6 至 12 位数字');
/** A calendar month `YYYY-MM` (2000-01 … 2099-12); whether it is too far ahead is the service's check (it knows today). */
export const isoMonth = safeString().regex(/^20\d{2}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM');

/** 季节预测 chart: actuals and forecasts of the last `months` months and next month, for a county and/or a matter. */
export const forecastSeriesQuery = z.object({
  region: regionCode.optional(),
  categoryId: dbIdParam('事项分类编号不正确').optional(),
  months: z.coerce
    .number({ error: '月数应为 12 至 24' })
    .int('月数应为 12 至 24')
    .min(12, '月数应为 12 至 24')
    .max(24, '月数应为 12 至 24')
    .default(24),
});
/** The table of next month's largest expected rises over last month. */
export const forecastRisesQuery = z.object({
  region: regionCode.optional(),
  categoryId: dbIdParam('事项分类编号不正确').optional(),
  limit: z.coerce
    .number({ error: '条数不正确' })
    .int('条数不正确')
    .min(1, '条数不正确')
    .max(200, '条数不正确')
    .default(20),
});
export const forecastRemindersQuery = z.object({
  unitId: dbIdParam('单位编号不正确').optional(),
});

/** 月度分析: a unit (centre readers choose; a unit's people read their own) and a month. */
export const unitAnalysisQuery = z.object({
  unitId: dbIdParam('单位编号不正确').optional(),
  month: isoMonth,
});
export type UnitAnalysisQuery = z.infer<typeof unitAnalysisQuery>;
