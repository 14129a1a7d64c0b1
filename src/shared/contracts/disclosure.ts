import { z } from 'zod';
import { safeString } from './common.js';

// 第二十一条 信息公开: the monthly report's request shapes, and the shape of the published report itself (the
// portal, the staff preview and the open data all read this one shape; docs/disclosure.md is its dictionary).

export const DISCLOSURE_SCHEMA = 'hz12345-disclosure/1';

/** `YYYY-MM`, a real month. */
export const disclosureMonth = safeString().regex(/^20\d{2}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM（2000 年以后）');
/** A city (371700) or county-level (3717xx) region code. */
export const disclosureRegion = safeString().regex(/^\d{6}$/, '区域代码应为 6 位数字');

export const DISCLOSURE_STATUSES = ['draft', 'in_review', 'published'] as const;
export type DisclosureStatus = (typeof DISCLOSURE_STATUSES)[number];
export const DISCLOSURE_STATUS_LABELS: Record<DisclosureStatus, string> = {
  draft: '草稿',
  in_review: '待审核',
  published: '已发布',
};

const text = (max: number, label: string) => safeString().trim().max(max, `${label}不能超过 ${max} 字`);

export const createDisclosureBody = z.object({
  month: disclosureMonth,
  regionCode: disclosureRegion.optional(),
  /** required when the month is already published: the new draft is a correction (更正) */
  correctionNote: text(500, '更正说明').min(1, '请填写更正说明').optional(),
});

export const disclosureCaseInput = z.object({
  ticketNumber: safeString()
    .trim()
    .regex(/^HZ\d{8}-\d{6}$/i, '工单号格式不正确'),
  title: text(60, '案例标题').min(2, '请填写案例标题'),
  /** the staff-written public summary: never the citizen's words, names, phones or addresses */
  summary: text(600, '案例摘要').min(10, '案例摘要至少 10 个字'),
});

export const updateDisclosureBody = z.object({
  foreword: text(2000, '说明').optional(),
  correctionNote: text(500, '更正说明').min(1, '请填写更正说明').optional(),
  cases: z.array(disclosureCaseInput).max(10, '典型案例最多 10 个').optional(),
});

export const returnDisclosureBody = z.object({ note: text(500, '退回意见').min(1, '请填写退回意见') });

export const disclosureListQuery = z.object({ regionCode: disclosureRegion.optional() });

export const publicMonthParams = z.object({ month: disclosureMonth });
export const publicMonthQuery = z.object({
  region: disclosureRegion.optional(),
  version: z.coerce
    .number({ error: '版本不正确' })
    .int('版本不正确')
    .min(1, '版本不正确')
    .max(1000, '版本不正确')
    .optional(),
});
export const publicListQuery = z.object({ region: disclosureRegion.optional() });
/** `2026-11.csv` or `2026-11.json` */
export const openDataParams = z.object({
  file: safeString().regex(/^20\d{2}-(0[1-9]|1[0-2])\.(csv|json)$/, '文件名应为 YYYY-MM.csv 或 YYYY-MM.json'),
});

// ---- the published report --------------------------------------------------------------------------------------

export interface PublicCount {
  value: number | null;
  suppressed: boolean;
}
export interface PublicRate {
  value: number | null;
  suppressed: boolean;
}
export interface CountRow {
  key: string;
  label: string;
  count: PublicCount;
}
export interface CountTable {
  total: PublicCount;
  rows: CountRow[];
}
export interface MatterRow extends CountRow {
  previous: PublicCount;
  change: PublicCount;
}
export interface UnitRateRow {
  key: string;
  label: string;
  group: string;
  handled: PublicCount;
  acceptTimely: PublicRate;
  ontimeCompletion: PublicRate;
  resolution: PublicRate;
  satisfaction: PublicRate;
  score: number | null;
  rank: number | null;
}
export interface HonourRow {
  position: number;
  label: string;
  group: string;
  score: number | null;
  reason: string;
}
export interface CaseRow {
  title: string;
  category: string;
  unit: string;
  summary: string;
}
export interface DisclosureReport {
  schema: typeof DISCLOSURE_SCHEMA;
  month: string;
  region: { code: string; name: string };
  version: number;
  publishedAt: string | null;
  correction: { note: string } | null;
  foreword: string;
  contacts: { byChannel: CountTable; byType: CountTable };
  tickets: { byChannel: CountTable; byType: CountTable };
  topMatters: { total: PublicCount; rows: MatterRow[] };
  units: { source: 'assessment_result' | 'rollup'; rows: UnitRateRow[] };
  redList: HonourRow[];
  blackList: HonourRow[];
  cases: CaseRow[];
  suppression: { threshold: number; note: string };
}

/** One line of the open data (CSV and JSON alike), in this column order. */
export const OPEN_DATA_COLUMNS = [
  'month',
  'region_code',
  'region_name',
  'version',
  'section',
  'key',
  'label',
  'metric',
  'value',
  'suppressed',
] as const;
export type OpenDataRow = Record<(typeof OPEN_DATA_COLUMNS)[number], string | number | boolean | null>;

export const CONTACT_TYPE_LABELS: Record<string, string> = {
  answered: '直接答复',
  transferred: '转紧急热线',
  redirected: '引导至法定途径',
  repeat: '重复来电',
  explained: '政策解释',
  admonished: '劝导',
  not_accepted: '不予受理',
  dispatched: '转办工单',
  merged: '并入工单',
  pending: '待处置',
};
export const DISCLOSURE_CHANNEL_LABELS: Record<string, string> = {
  phone: '电话',
  sms: '短信',
  wechat: '微信',
  weibo: '微博',
  web: '网站',
  api: '对接系统',
  open311: '开放接口',
  // 第二十九条: grid workers' own reports, counted apart from citizens' requests
  grid: '主动发现',
};
export const DISCLOSURE_REQUEST_TYPE_LABELS: Record<string, string> = {
  consult: '咨询',
  help: '求助',
  complaint: '投诉',
  report: '举报',
  suggestion: '建议',
  praise: '表扬',
};
