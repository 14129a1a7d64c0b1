import { z } from 'zod';
import { dbId, safeString } from './common.js';
import { exportRecordBody } from './audit.js';
import { ticketListFilters, ticketListSort } from './tickets.js';

// Issue 10 "Export everywhere": what a server-side export is asked for. The filters are exactly the screen's, so the
// file holds what the screen would list; the format is CSV or Excel.

export const exportFormat = z.enum(['csv', 'xlsx'], { error: '导出格式应为 csv 或 xlsx' });

const STATUSES = ['pending_dispatch', 'dispatched', 'in_progress', 'replied', 'closed', 'terminated'] as const;

/** 工单查询: either the search box (q) or the list's filters (status, lead unit). POST, as a phone number may be in q. */
export const ticketExportBody = z
  .object({
    format: exportFormat,
    q: safeString().trim().min(1, '请输入工单号、来电号码或关键词').max(100, '查询内容不能超过 100 字').optional(),
    status: z
      .array(z.enum(STATUSES, { error: '未知状态' }))
      .min(1, '请选择状态')
      .max(STATUSES.length)
      .optional(),
    unitId: dbId('单位编号不正确').optional(),
    // issue 14: the list's other filters (query-string form on the list, the same checks)
    ...ticketListFilters.shape,
    categoryId: dbId('事项分类不正确').optional(),
    // issue 14: the list's order on screen (the search box's matches are always newest first)
    sort: ticketListSort.optional(),
  })
  .refine(
    (b) =>
      !(
        b.q &&
        (b.status || b.unitId || b.from || b.to || b.categoryId || b.regionCode || b.channel || b.deadline || b.sort)
      ),
    '查询与筛选不能同时使用',
  );
export type TicketExportBody = z.infer<typeof ticketExportBody>;

/** The most rows one export holds; past it the file ends with a note saying so. */
export const EXPORT_ROW_CAP = 100_000;
/** The most rows a browser-held table sends to be turned into Excel. */
export const TABLE_EXPORT_MAX_ROWS = 10_000;

const cell = z.union([safeString().max(10_000, '单元格内容过长'), z.number(), z.boolean(), z.null()]);

/**
 * A table the browser already holds (what the screen shows), to be returned as Excel: the server writes the
 * workbook and records the export in the same request, so no Excel file exists without its audit row.
 */
export const tableExportBody = exportRecordBody.omit({ rows: true, format: true }).extend({
  header: z.array(safeString().max(100, '列名过长')).min(1, '没有列').max(60, '列过多'),
  rows: z
    .array(z.array(cell).max(60, '列过多'))
    .max(TABLE_EXPORT_MAX_ROWS, `页面导出最多 ${TABLE_EXPORT_MAX_ROWS} 行，请缩小筛选范围`),
});
export type TableExportBody = z.infer<typeof tableExportBody>;

export const auditExportFormatQuery = z.object({ format: exportFormat.default('csv') });
