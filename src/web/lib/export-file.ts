import { ApiError } from '../api/client';

// Server-made exports (issue 10): the server streams the file as it writes it and says up front how many rows it
// holds (X-Export-Total, counted up to the cap). The browser reads the stream itself, so the screen can show how
// far it is — rows for CSV (one line each), bytes and an estimate for Excel (a zip cannot be counted as it comes) —
// and saves the file once the last byte is in.

export type ExportFormat = 'csv' | 'xlsx';

export interface ExportProgressState {
  format: ExportFormat;
  /** rows the server will send (null until the response starts) */
  total: number | null;
  /** rows received so far (CSV), or estimated from bytes (Excel) */
  rows: number;
  bytes: number;
  done: boolean;
}

/** Bytes an Excel row takes once zipped, about (measured on ticket exports): only for the estimate. */
const XLSX_BYTES_PER_ROW = 60;
const XLSX_FIXED_BYTES = 7_000;

export function estimatePercent(p: ExportProgressState): number {
  if (p.done) return 100;
  if (!p.total) return 0;
  const share = p.format === 'csv' ? p.rows / p.total : (p.bytes - XLSX_FIXED_BYTES) / (p.total * XLSX_BYTES_PER_ROW);
  return Math.max(0, Math.min(99, Math.floor(share * 100)));
}

/** The file name the server gave (RFC 6266 filename*), else the fallback. */
function fileName(res: Response, fallback: string): string {
  const cd = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star) {
    try {
      return decodeURIComponent(star[1]!);
    } catch {
      /* fall through */
    }
  }
  return fallback;
}

/**
 * Runs one server export: GET a URL or POST a JSON body, reading the stream while reporting progress, then saves the
 * file. Errors (400 bad filter, 403) arrive as JSON before any byte of the file and become an ApiError.
 */
export async function runServerExport(
  req: { url: string; body?: unknown },
  format: ExportFormat,
  fallbackName: string,
  onProgress: (p: ExportProgressState) => void,
): Promise<{ name: string; rows: number; capped: boolean }> {
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: req.body === undefined ? 'GET' : 'POST',
      credentials: 'same-origin',
      headers: req.body === undefined ? {} : { 'content-type': 'application/json' },
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
    });
  } catch {
    throw new ApiError(0, 'network', '网络连接失败，请检查网络后重试');
  }
  if (!res.ok) throw await responseError(res, `导出失败（${res.status}）`);
  const totalHeader = res.headers.get('x-export-total');
  const state: ExportProgressState = {
    format,
    total: totalHeader === null ? null : Number(totalHeader),
    rows: 0,
    bytes: 0,
    done: false,
  };
  onProgress({ ...state });
  const chunks: Uint8Array[] = [];
  const reader = res.body?.getReader();
  let newlines = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      state.bytes += value.byteLength;
      if (format === 'csv') {
        for (const b of value) if (b === 10) newlines++;
        state.rows = Math.max(0, newlines - 1); // the header line
      } else if (state.total) {
        state.rows = Math.min(state.total, Math.round((estimatePercent(state) / 100) * state.total));
      }
      onProgress({ ...state });
    }
  }
  const name = fileName(res, fallbackName);
  const type = res.headers.get('content-type') ?? 'application/octet-stream';
  saveBlob(new Blob(chunks as BlobPart[], { type }), name);
  onProgress({ ...state, rows: state.total ?? state.rows, done: true });
  return { name, rows: state.total ?? state.rows, capped: res.headers.get('x-export-capped') === 'true' };
}

/** The structured error of a failed answer ({ error: { code, message } }), or the fallback when it is not JSON. */
async function responseError(res: Response, fallback: string): Promise<ApiError> {
  try {
    const j = (await res.json()) as { error?: { code?: string; message?: string } };
    return new ApiError(res.status, j.error?.code ?? 'download_failed', j.error?.message ?? fallback);
  } catch {
    return new ApiError(res.status, 'download_failed', fallback);
  }
}

/**
 * Fetches a file the server makes (a PDF, an Excel) and saves it under the name the server gives. A refusal (no
 * font for PDFs, no access) becomes an ApiError with the server's Chinese message, so the page can show it instead
 * of the browser opening a page of JSON, as a plain link would.
 */
export async function downloadFile(url: string, fallbackName: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', '网络连接失败，请检查网络后重试');
  }
  if (!res.ok) throw await responseError(res, `下载失败（${res.status}）`);
  const name = fileName(res, fallbackName);
  saveBlob(
    new Blob([await res.arrayBuffer()], { type: res.headers.get('content-type') ?? 'application/octet-stream' }),
    name,
  );
  return name;
}

export function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
