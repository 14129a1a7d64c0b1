import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { CSV_BOM, csvLine } from '../sharing/csv.js';

// One writer for every server-side export: the same columns and rows become CSV (UTF-8 with BOM, formula cells
// defused) or an Excel workbook written by exceljs's streaming WorkbookWriter, so a 100 000-row export never
// holds the workbook in memory. Rows arrive in batches from a keyset iteration; the writer stops at the cap and
// says so in the file itself, so a reader of the file can never mistake a capped export for a complete one.

export type ExportFormat = 'csv' | 'xlsx';
export type ExportCell = string | number | boolean | Date | null | undefined;

export interface ExportColumn {
  header: string;
  /** Excel column width in characters */
  width?: number;
}

export interface ExportResult {
  rows: number;
  truncated: boolean;
  sha256: string;
}

export interface TableExport {
  format: ExportFormat;
  sheetName: string;
  columns: ExportColumn[];
  /** batches of rows, in the screen's order; the writer stops pulling at maxRows */
  batches: AsyncIterable<ExportCell[][]>;
  maxRows: number;
  /** called once, when the file is complete or the download was abandoned (rows so far) */
  onDone: (result: ExportResult) => Promise<unknown>;
}

/**
 * exceljs, loaded by the first workbook written: with its zip libraries it is about a quarter of the server's module
 * load (~0.4 s of ~1.5 s measured), paid by every start and every test file that never writes a workbook.
 */
export const loadExcelJs = () => import('exceljs').then((m) => m.default);

/** The note a capped export ends with. */
export const capNote = (maxRows: number) => `已达导出上限 ${maxRows} 行，其余未导出：请缩小筛选范围后分批导出`;

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** RFC 6266 filename with the Chinese name for browsers and an ASCII fallback. */
export function contentDisposition(name: string, format: ExportFormat): string {
  return `attachment; filename="export.${format}"; filename*=UTF-8''${encodeURIComponent(`${name}.${format}`)}`;
}

/** China time to the second: how a file shows an instant (a spreadsheet reads it as a date and time). */
export function localDateTime(d: Date | string | null | undefined): string {
  if (!d) return '';
  const t = new Date(new Date(d).getTime() + 8 * 3_600_000).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 19)}`;
}

/** A structured value (a before/after record, a filter) as one cell of JSON text. */
export function jsonCell(v: unknown): string | null {
  return v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * The batches of a list read newest first by id (keyset): `page(before)` answers the next rows below `before` (the
 * first call without it), newest first; the walk ends at an empty or short batch. `cells` makes each row a line.
 */
export async function* batchesByIdDesc<R extends { id: number }>(
  size: number,
  page: (before: number | undefined, limit: number) => Promise<R[]>,
  cells: (r: R) => ExportCell[],
): AsyncGenerator<ExportCell[][]> {
  let before: number | undefined;
  for (;;) {
    const batch = await page(before, size);
    if (batch.length) yield batch.map(cells);
    if (batch.length < size) return;
    before = batch[batch.length - 1]!.id;
  }
}

/** Walks a source to its end (or to the cap), writing each batch as it comes. */
export function streamTable(spec: TableExport): Readable {
  return spec.format === 'csv' ? csvStream(spec) : xlsxStream(spec);
}

async function* capped(spec: TableExport): AsyncGenerator<ExportCell[][], { rows: number; truncated: boolean }> {
  let rows = 0;
  for await (const batch of spec.batches) {
    const room = spec.maxRows - rows;
    if (batch.length > room) {
      if (room > 0) yield batch.slice(0, room);
      return { rows: spec.maxRows, truncated: true };
    }
    rows += batch.length;
    yield batch;
    if (rows === spec.maxRows) {
      // exactly at the cap: only a further row tells whether something was left out
      for await (const more of spec.batches) if (more.length) return { rows, truncated: true };
      return { rows, truncated: false };
    }
  }
  return { rows, truncated: false };
}

function csvStream(spec: TableExport): Readable {
  async function* lines() {
    const hash = createHash('sha256');
    const result = { rows: 0, truncated: false };
    try {
      const head = CSV_BOM + csvLine(spec.columns.map((c) => c.header));
      hash.update(head);
      yield head;
      const it = capped(spec);
      for (;;) {
        const n = await it.next();
        if (n.done) {
          Object.assign(result, n.value);
          break;
        }
        const chunk = n.value.map((r) => csvLine(r.map(csvValue))).join('');
        result.rows += n.value.length;
        hash.update(chunk);
        yield chunk;
      }
      if (result.truncated) {
        const note = csvLine([capNote(spec.maxRows)]);
        hash.update(note);
        yield note;
      }
    } finally {
      await spec.onDone({ ...result, sha256: hash.digest('hex') });
    }
  }
  return Readable.from(lines());
}

const csvValue = (v: ExportCell) => (v instanceof Date ? localDateTime(v) : v);

function xlsxStream(spec: TableExport): Readable {
  const out = new PassThrough();
  const hash = createHash('sha256');
  const result = { rows: 0, truncated: false };
  let settled = false;
  const done = async () => {
    if (settled) return;
    settled = true;
    await spec.onDone({ ...result, sha256: hash.digest('hex') });
  };
  // the writer's own output stream: exceljs zips into it, the response reads from `out`
  const zip = new PassThrough();
  zip.pipe(out, { end: false });
  zip.on('data', (b: Buffer) => {
    if (!settled) hash.update(b);
  });
  let aborted = false;
  out.on('close', () => {
    if (zip.writableFinished) return;
    // the client went away: stop reading rows, let the writer finish into nowhere
    aborted = true;
    zip.unpipe(out);
    zip.resume();
  });
  (async () => {
    const ExcelJS = await loadExcelJs();
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: zip, useStyles: true, useSharedStrings: false });
    // Excel refuses these characters in a sheet name, and more than 31 of them
    const ws = wb.addWorksheet(spec.sheetName.replace(/[\\/?*[\]:]/g, '_').slice(0, 31) || 'Sheet1', {
      views: [{ state: 'frozen', ySplit: 1 }],
    });
    ws.columns = spec.columns.map((c, i) => ({ header: c.header, key: `c${i}`, width: c.width ?? 16 }));
    ws.getRow(1).font = { bold: true };
    const it = capped(spec);
    for (;;) {
      if (aborted) break;
      const n = await it.next();
      if (n.done) {
        Object.assign(result, n.value);
        break;
      }
      for (const r of n.value) ws.addRow(r.map(xlsxValue)).commit();
      result.rows += n.value.length;
      // let the zip stream drain before the next batch (backpressure from the client's download speed)
      if (zip.writableNeedDrain) await new Promise((ok) => zip.once('drain', ok));
    }
    if (result.truncated) ws.addRow([capNote(spec.maxRows)]).commit();
    ws.commit();
    await wb.commit();
  })()
    .then(
      () =>
        new Promise<void>((ok) => {
          if (zip.readableEnded) ok();
          else zip.once('end', () => ok());
        }),
    )
    .then(async () => {
      await done();
      out.end();
    })
    .catch(async (e: unknown) => {
      await done().catch(() => undefined);
      out.destroy(e instanceof Error ? e : new Error(String(e)));
    });
  return out;
}

// exceljs writes strings as strings, never as formulas, so no apostrophe is needed here (unlike CSV)
const xlsxValue = (v: ExportCell) => (v instanceof Date ? localDateTime(v) : (v ?? null));
