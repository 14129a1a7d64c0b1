import { message } from 'antd';
import { auditApi } from '../api/audit';
import { errorMessage } from '../api/client';
import { runServerExport } from './export-file';

// Export of what a screen shows: CSV with a BOM (Excel opens UTF-8 Chinese correctly), cells quoted when needed.
// A cell starting with = + - @ is prefixed with ' so a spreadsheet never runs it as a formula.
export function toCsv(header: string[], rows: Array<Array<string | number | null | undefined>>): string {
  const cell = (v: string | number | null | undefined) => {
    let s = v === null || v === undefined ? '' : String(v);
    if (/^[=+\-@]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n');
}

type Cell = string | number | null | undefined;

/**
 * Saves what a screen shows as CSV. 第三十条第二款 and 等保 安全审计: the export is recorded on the server first (screen,
 * filter, rows) and the file is made only once the record exists, so no export goes unaccounted.
 */
export function downloadCsv(
  name: string,
  header: string[],
  rows: Cell[][],
  filter: Record<string, string | number | boolean | null> = {},
): void {
  auditApi
    .recordExport({ screen: name.replace(/\.csv$/i, '').slice(0, 60), format: 'csv', filter, rows: rows.length })
    .then(() => saveCsv(name, header, rows))
    .catch((e: unknown) => void message.error(`导出未能登记，未生成文件：${errorMessage(e)}`));
}

function saveCsv(name: string, header: string[], rows: Cell[][]) {
  const blob = new Blob(['\ufeff', toCsv(header, rows)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Saves what a screen shows as CSV or Excel (issue 10). CSV is made here, after the export is recorded; Excel is
 * written by the server from these same rows (POST /api/exports/table.xlsx), which records the export in the same
 * request — so neither format exists without its audit row.
 */
export function downloadTable(
  format: 'csv' | 'xlsx',
  name: string,
  header: string[],
  rows: Cell[][],
  filter: Record<string, string | number | boolean | null> = {},
): void {
  const base = name.replace(/\.(csv|xlsx)$/i, '');
  if (format === 'csv') return downloadCsv(`${base}.csv`, header, rows, filter);
  runServerExport(
    {
      url: '/api/exports/table.xlsx',
      body: { screen: base.slice(0, 60), filter, header, rows: rows.map((r) => r.map((v) => v ?? null)) },
    },
    'xlsx',
    `${base}.xlsx`,
    () => undefined,
  ).catch((e: unknown) => void message.error(`导出失败，未生成文件：${errorMessage(e)}`));
}
