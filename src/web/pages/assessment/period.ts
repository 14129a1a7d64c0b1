import dayjs, { type Dayjs } from 'dayjs';

// 考核期 keys as the server takes them: a month `2025-03` or a quarter `2025-Q1`.
export const monthKey = (d: Dayjs) => d.format('YYYY-MM');
export const quarterKey = (d: Dayjs) => `${d.year()}-Q${Math.floor(d.month() / 3) + 1}`;
export function periodDay(key: string): Dayjs {
  const q = /^(\d{4})-Q([1-4])$/.exec(key);
  return q ? dayjs(`${q[1]}-${String((Number(q[2]) - 1) * 3 + 1).padStart(2, '0')}-01`) : dayjs(`${key}-01`);
}
export const periodLabel = (key: string) => {
  const q = /^(\d{4})-Q([1-4])$/.exec(key);
  return q ? `${q[1]}年第${q[2]}季度` : `${key.slice(0, 4)}年${Number(key.slice(5, 7))}月`;
};
export const fmtValue = (measure: 'rate' | 'count', v: number | null) =>
  v === null ? '—' : measure === 'rate' ? `${v.toFixed(2)}%` : String(v);
export const COUNT_INDICATORS = new Set(['supervision']);
export const LOWER_IS_BETTER = new Set(['rework', 'unfounded_return', 'extension', 'supervision']);
export const APPEAL_STATUS: Record<string, { label: string; color: string }> = {
  pending: { label: '待审核', color: 'processing' },
  accepted: { label: '已采纳', color: 'success' },
  rejected: { label: '已驳回', color: 'error' },
};
