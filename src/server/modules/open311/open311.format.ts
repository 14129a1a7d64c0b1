// Open311 GeoReport v2 output: one value renders as JSON or as XML (the spec's required format), so the two
// formats can never disagree. XML is written here by hand rather than with a library: the documents are a
// fixed set of flat element names, and the one thing that matters — escaping, and dropping the control
// characters XML 1.0 forbids (a citizen's text may carry them; a builder would emit an unparseable document)
// — is a few lines that the fixture tests check with a real parser.

export type Fmt = 'xml' | 'json';

export type O311Value = string | number | boolean | null | undefined | O311Value[] | { [key: string]: O311Value };

/** A refusal in the spec's error format; the status is one of those GeoReport v2 names (400, 403, 404). */
export class Open311Error extends Error {
  constructor(
    readonly status: 400 | 403 | 404,
    readonly description: string,
  ) {
    super(description);
    this.name = 'Open311Error';
  }
}

/** XML names of the items of each list, by the list's own name (GeoReport v2 and the FixMyStreet extension). */
const ITEM_TAGS: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  service_request_updates: 'request_update',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
  errors: 'error',
};

export const CONTENT_TYPES: Record<Fmt, string> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

export function parseFormat(ext: string | undefined): Fmt | null {
  const f = ext?.toLowerCase();
  return f === 'xml' || f === 'json' ? f : null;
}

/** Renders a response: `root` names the XML document element; JSON is the value itself. */
export function render(fmt: Fmt, root: string, value: O311Value): string {
  if (fmt === 'json') return JSON.stringify(value, (_k, v: unknown) => (v === undefined ? null : v));
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(root, value)}`;
}

export function renderErrors(fmt: Fmt, errors: Array<{ code: number; description: string }>): string {
  return render(fmt, 'errors', errors);
}

function element(name: string, value: O311Value): string {
  if (value === null || value === undefined || value === '') return `<${name}/>`;
  if (Array.isArray(value)) {
    const tag = ITEM_TAGS[name];
    if (!tag) throw new Error(`no XML item name for list ${name}`);
    return `<${name}>${value.map((v) => element(tag, v)).join('')}</${name}>`;
  }
  if (typeof value === 'object')
    return `<${name}>${Object.entries(value)
      .map(([k, v]) => element(k, v))
      .join('')}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

// XML 1.0 allows tab, LF, CR and everything from U+0020 except lone surrogates and U+FFFE/U+FFFF.
// XML 1.0 forbids these control characters: matching them is the point.
const INVALID_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXml(s: string): string {
  return s
    .replace(INVALID_XML, '')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

// China Standard Time has had no daylight saving since 1991, so the offset is fixed (see domain/calendar.ts).
const OFFSET_MS = 8 * 3_600_000;

/** W3C date-time with the +08:00 offset and whole seconds, e.g. 2025-03-03T09:00:00+08:00 (GeoReport v2). */
export function w3cDate(d: Date | null | undefined): string | null {
  if (!d) return null;
  const local = new Date(d.getTime() + OFFSET_MS).toISOString();
  return `${local.slice(0, 19)}+08:00`;
}

/** Reads a W3C date-time; a date or time without an offset is taken as Beijing time. */
export function parseW3cDate(s: string, field: string): Date {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/.exec(s.trim());
  const d = m ? new Date(`${m[1]}T${m[2] ?? '00:00:00'}${normaliseOffset(m[3])}`) : null;
  if (!d || Number.isNaN(d.getTime()))
    throw new Open311Error(400, `${field} 不是有效的 W3C 日期时间（例如 2025-03-03T09:00:00+08:00）`);
  return d;
}

function normaliseOffset(z: string | undefined): string {
  if (!z) return '+08:00';
  if (z === 'Z') return 'Z';
  return z.includes(':') ? z : `${z.slice(0, 3)}:${z.slice(3)}`;
}
