// CSV for exports opened in a spreadsheet: UTF-8 with a BOM (Excel), quoted where needed, and cells that a
// spreadsheet would run as a formula (=, +, -, @) prefixed with an apostrophe.
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s =
    v instanceof Date
      ? v.toISOString()
      : typeof v === 'string'
        ? v
        : typeof v === 'number' || typeof v === 'boolean'
          ? String(v)
          : JSON.stringify(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvLine(cells: unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export const CSV_BOM = '\uFEFF';
