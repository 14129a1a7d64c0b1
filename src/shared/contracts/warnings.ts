import { z } from 'zod';
import { WARNING_KINDS, WARNING_LEVELS, WARNING_STATUSES } from '../domain/warnings.js';
import { dbId, dbIdParam, isoDay, safeString } from './common.js';
import { exportFormat } from './exports.js';

// 第二十七条 风险预警: the requests the web and the API share.

const regionCode = safeString().regex(/^\d{6,12}$/, '行政区划代码不正确');
const note = (label: string, max: number) =>
  safeString().trim().min(1, `请填写${label}`).max(max, `${label}不能超过 ${max} 字`);

const filterShape = {
  kind: z.enum(WARNING_KINDS, { error: '预警类型不正确' }).optional(),
  level: z.enum(WARNING_LEVELS, { error: '预警级别不正确' }).optional(),
  status: z.enum([...WARNING_STATUSES, 'open'] as const, { error: '预警状态不正确' }).optional(),
  regionCode: regionCode.optional(),
  categoryId: dbIdParam('事项分类不正确').optional(),
  from: isoDay.optional(),
  to: isoDay.optional(),
};
const period = (q: { from?: string; to?: string }) => !q.from || !q.to || q.from <= q.to;
const periodError = { message: '开始日期不能晚于结束日期', path: ['to'] };

export const warningsQuery = z
  .object({
    ...filterShape,
    before: dbIdParam().optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .refine(period, periodError);
export type WarningsQuery = z.infer<typeof warningsQuery>;
export type WarningsFilter = Omit<WarningsQuery, 'before' | 'limit'>;

export const warningsExportQuery = z
  .object({ ...filterShape, format: exportFormat.default('xlsx') })
  .refine(period, periodError);
export type WarningsExportQuery = z.infer<typeof warningsExportQuery>;

const version = z.number().int().min(1).optional();
export const warningAckBody = z.object({
  note: safeString().trim().max(500, '说明不能超过 500 字').optional(),
  version,
});
export const warningAssignBody = z.object({
  userId: dbId('请选择指派人员'),
  note: safeString().trim().max(500, '说明不能超过 500 字').optional(),
  version,
});
export const warningLinkBody = z.object({ matterId: dbId('请选择专题'), version });
export const warningCloseBody = z.object({ note: note('关闭说明', 1000), version });

/** 敏感风险词 (admin). */
export const warningWordBody = z.object({
  word: safeString()
    .trim()
    .min(1, '请填写敏感词')
    .max(20, '敏感词不能超过 20 字')
    .refine((w) => !/\s/.test(w), '敏感词不能包含空格'),
  level: z.enum(WARNING_LEVELS, { error: '预警级别不正确' }),
  active: z.boolean().default(true),
});
export const warningWordPatch = warningWordBody.partial().refine((b) => Object.keys(b).length > 0, '没有要修改的内容');
export const warningSettingsBody = z.object({
  collectiveRequesters: z.number({ error: '人数不正确' }).int('人数不正确').min(2, '至少 2 人').max(100, '至多 100 人'),
  collectiveHours: z.number({ error: '时长不正确' }).int('时长不正确').min(1, '至少 1 小时').max(168, '至多 168 小时'),
  spikeSeries: z.number({ error: '序列数不正确' }).int('序列数不正确').min(1, '至少 1 个').max(2000, '至多 2000 个'),
  version,
});
