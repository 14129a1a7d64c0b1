// The one way the web talks to the server: JSON over fetch with the session cookie. Every failure becomes an
// ApiError whose message is the server's Chinese `error.message` (or a Chinese fallback), so screens show
// one kind of error the same way.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Query = Record<string, string | number | boolean | undefined | null>;

let onUnauthenticated: (() => void) | null = null;

// The server's clock decides every time window (e.g. the return window), not the workstation's, which may be
// wrong: its offset is learned from each response's Date header.
let serverOffsetMs = 0;
/** The server's current time, as far as the last response told. */
export const serverNow = () => new Date(Date.now() + serverOffsetMs);
function learnServerTime(res: Response) {
  const d = Date.parse(res.headers.get('date') ?? '');
  if (Number.isFinite(d)) serverOffsetMs = d - Date.now();
}
/** The session provider registers how to react when the server says the session is gone. */
export function setUnauthenticatedHandler(fn: (() => void) | null) {
  onUnauthenticated = fn;
}
let onRestricted: (() => void) | null = null;
/** …and when it says the session must first change its password or enrol a second factor. */
export function setRestrictedHandler(fn: (() => void) | null) {
  onRestricted = fn;
}

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

export async function request<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  query?: Query,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(withQuery(path, query), {
      method,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', '网络连接失败，请检查网络后重试');
  }
  learnServerTime(res);
  return settle<T>(res.status, await res.text(), path);
}

/** The shared answer handling: parsed JSON on success, an ApiError with the server's Chinese message otherwise. */
function settle<T>(status: number, text: string, path: string): T {
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  if (status < 200 || status >= 300) {
    const err = (
      json as { error?: { code?: string; message?: string; details?: unknown; requestId?: string } } | undefined
    )?.error;
    const apiError = new ApiError(
      status,
      err?.code ?? 'http',
      err?.message ??
        (status === 413 ? '上传内容过大，请减少或压缩附件后重试' : `请求失败（HTTP ${status}），请稍后重试`),
      err?.details,
      err?.requestId,
    );
    // a wrong password or code at the login's own steps is not a session that ended
    if (status === 401 && !path.startsWith('/api/auth/login')) onUnauthenticated?.();
    // 等保 2.0: the session must change its password or enrol a second factor first (e.g. a policy set meanwhile)
    if (status === 403 && (apiError.code === 'PASSWORD_CHANGE_REQUIRED' || apiError.code === 'TOTP_ENROLMENT_REQUIRED'))
      onRestricted?.();
    throw apiError;
  }
  return json as T;
}

/**
 * A POST that reports upload progress (fetch cannot): JSON or multipart (FormData) body, answered and failing
 * exactly like request().
 */
export function upload<T>(path: string, body: FormData | object, onProgress?: (percent: number) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    const multipart = body instanceof FormData;
    if (!multipart) xhr.setRequestHeader('content-type', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && onProgress) onProgress(Math.min(100, Math.round((e.loaded / e.total) * 100)));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', '网络连接失败，请检查网络后重试'));
    xhr.onload = () => {
      const d = Date.parse(xhr.getResponseHeader('date') ?? '');
      if (Number.isFinite(d)) serverOffsetMs = d - Date.now();
      try {
        resolve(settle<T>(xhr.status, xhr.responseText, path));
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    };
    xhr.send(multipart ? body : JSON.stringify(body));
  });
}

export const http = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  del: <T>(path: string) => request<T>('DELETE', path),
};

/** The Chinese message to show for anything thrown. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error && e.message) return e.message;
  return '操作失败，请稍后重试';
}
