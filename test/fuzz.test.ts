import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { pgInputRefusal } from '../src/server/http/error-handler.js';
import { wechatSignature } from '../src/server/modules/channels/wechat.protocol.js';
import { DEMO_PASSWORD } from '../src/server/seed/heze-organisation.js';
import { describeEachDb, type TestEnv } from './helpers/test-env.js';

/** A generated value as it goes into a URL: objects as JSON, everything else as its string. */
const asText = (v: unknown): string => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v as string));

// Issue 8: bad input never answers 5xx. A bounded, deterministic fuzz over every operation of the OpenAPI document
// (schema-driven bodies, queries and path parameters, then mutated: NUL bytes in strings and keys, ids beyond int4
// and beyond 2^63, wrong types, deep nesting, long strings, empty bodies, odd unicode), plus explicit cases for what
// the document does not describe (WeChat XML, Open311 forms, the SMS gateway, multipart). A failure is any 5xx, a
// body that leaks internals, or a refused-for-NUL request that was accepted. PGlite only: the fixes are in the
// schemas and the input guard, before any database sees the value, so one engine is enough for the fuzz.

// FUZZ_SEED, FUZZ_PER_OPERATION and FUZZ_DB=postgres explore further by hand (e.g. FUZZ_SEED=7
// FUZZ_PER_OPERATION=100, about 100 s); the suite runs the fixed seed on PGlite, so that a failure is reproducible
const SEED = Number(process.env.FUZZ_SEED ?? 0x12345);
const PER_OPERATION = Number(process.env.FUZZ_PER_OPERATION ?? 40);
// FUZZ_LOG=warn shows the server's own log (e.g. whether the database safety net of error-handler.ts ever fired).

/** mulberry32: small, fast and the same on every machine. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof prng>;

// ---------- leaks ----------
const LEAKS = [/at .*\.ts:\d+/, /select |insert into|relation "/i, /\/work\/|node_modules/];

// ---------- values ----------
/** Marks a number that JSON.stringify cannot write (1e400, -0) so it goes into the raw body text as it is. */
const RAW = (text: string) => `\u0001RAW:${text}\u0001`;
const unraw = (json: string) => json.replace(/"\\u0001RAW:([^\\"]*)\\u0001"/g, '$1');

const HUGE_NUMBERS: unknown[] = [
  2 ** 31,
  2 ** 31 + 1,
  2 ** 53,
  2 ** 53 + 2,
  2 ** 63,
  1e308,
  -1,
  0,
  1.5,
  RAW('1e400'),
  RAW('-0'),
  RAW('-1e400'),
  RAW('9223372036854775808'),
  RAW('99999999999999999999999999'),
  '9223372036854775808',
  '1e400',
  '-0',
  'NaN',
  '2147483648',
];
const HUGE_PARAMS = [
  '2147483648',
  '2147483647',
  '9007199254740993',
  '9223372036854775808',
  '18446744073709551616',
  '99999999999999999999999',
  '1e400',
  '-0',
  'NaN',
  'Infinity',
  '0x7fffffff',
  '1.5',
  '-1',
  '0',
  ' 2147483648',
  '',
];
const NUL_PARAMS = ['%00', 'a%00b', '1%00', '%00.json', '%C0%80'];
const ODD_PARAMS = [
  '..%2F..%2Fetc%2Fpasswd',
  encodeURIComponent('工单'),
  '%F0%9F%98%80',
  '%ED%A0%80',
  '%FF',
  'x'.repeat(3000),
  '%E2%80%AE',
];
const UNICODE = [
  '\uD800',
  '\uDFFF',
  'a\uD83D',
  '\u202E反转',
  '\u200B\u200C\u200D',
  '\uFEFF',
  '😀'.repeat(20),
  'e\u0301\u0301\u0301',
  '\uFFFF\uFFFE',
  '\u0085\u2028\u2029',
  '\r\n\t\v\f',
  '\u0001\u001f\u007f',
  '%00',
  '\\u0000',
  '\\0',
  '<![CDATA[x]]>',
  '{{7*7}}',
  '菏泽'.repeat(300),
];
const WRONG_TYPES: unknown[] = [{}, [], true, false, null, 0, 'text', [1, 2, 3], { a: 1 }, [[]], 12.5];

const nested = (depth: number, kind: 'array' | 'object'): unknown => {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
};

interface Schema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean | number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  nullable?: boolean;
  default?: unknown;
  additionalProperties?: boolean | Schema;
}

interface Pools {
  ids: number[];
  idFor: (path: string) => number[] | null;
}

/** Strings that satisfy the patterns of this API's schemas. */
function stringFor(s: Schema, rng: Rng): string {
  const p = s.pattern ?? '';
  let v: string;
  if (p.includes('HZ')) v = 'HZ20250303-000001';
  else if (p.includes('\\d{6,12}')) v = rng.pick(['371702', '371702001', '371721']);
  else if (p.includes('\\d{4}-\\d{2}-\\d{2}')) v = rng.pick(['2025-03-10', '2025-10-01']);
  else if (p.includes('[+\\d]') || p.includes('\\+?\\d') || p.includes('\\d[\\d\\s-]')) v = '13905301234';
  else if (p.includes('a-z0-9_')) v = `fuzz_${rng.int(1000)}`;
  else if (p.includes('A-Za-z0-9_-')) v = `FZ-${rng.int(1000)}`;
  else if (p.includes('\\d{1,20}')) v = '5612345678';
  else if (p.includes('[A-Za-z]') || p.includes('\\d')) v = 'Passw0rd12345';
  else if (s.format === 'date-time') v = '2025-03-03T09:30:00+08:00';
  else if (s.format === 'uri' || s.format === 'url') v = 'https://example.com/a.jpg';
  else if (s.format === 'email') v = 'a@example.com';
  else v = rng.pick(['和平路路灯连续一周不亮，请尽快维修', '测试内容', 'abc', '13905301234 张先生', '1', 'close']);
  if (s.maxLength !== undefined && v.length > s.maxLength) v = v.slice(0, s.maxLength);
  while (s.minLength !== undefined && v.length < s.minLength) v += '文';
  return v;
}

function generate(s: Schema | undefined, rng: Rng, pools: Pools, depth = 0): unknown {
  if (!s || depth > 8) return undefined;
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return rng.pick(s.enum);
  const union = s.oneOf ?? s.anyOf;
  if (union?.length) return generate(rng.pick(union), rng, pools, depth + 1);
  if (s.allOf?.length) return generate(s.allOf[0], rng, pools, depth + 1);
  const types = Array.isArray(s.type) ? s.type.filter((t) => t !== 'null') : s.type ? [s.type] : [];
  const type = types.length ? rng.pick(types) : s.properties ? 'object' : undefined;
  if ((s.nullable || (Array.isArray(s.type) && s.type.includes('null'))) && rng.chance(0.1)) return null;
  switch (type) {
    case 'string':
      return stringFor(s, rng);
    case 'boolean':
      return rng.chance(0.5);
    case 'integer':
    case 'number': {
      const min = s.minimum ?? 1;
      const max = s.maximum ?? 1000;
      const candidates = [...pools.ids, 1, 2, 3, 5, 10, 30].filter(
        (n) => n >= min && n <= max && !(s.exclusiveMinimum === true && n === min),
      );
      return candidates.length ? rng.pick(candidates) : min;
    }
    case 'array': {
      const n = Math.max(s.minItems ?? 0, rng.int(3));
      return Array.from({ length: Math.min(n, s.maxItems ?? n) }, () => generate(s.items, rng, pools, depth + 1));
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties ?? {})) {
        if (s.required?.includes(k) || rng.chance(0.5)) out[k] = generate(v, rng, pools, depth + 1);
      }
      return out;
    }
    default:
      return rng.pick(['x', 1, true]);
  }
}

// ---------- mutation of a JSON value ----------
type Path = Array<string | number>;
function positions(v: unknown, path: Path = [], out: Array<{ path: Path; value: unknown }> = []) {
  out.push({ path, value: v });
  if (Array.isArray(v)) v.forEach((x, i) => positions(x, [...path, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) positions(x, [...path, k], out);
  return out;
}
function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (!path.length) return value;
  const copy: any = Array.isArray(root) ? [...root] : { ...(root as object) };
  copy[path[0]!] = setAt(copy[path[0]!], path.slice(1), value);
  return copy;
}
function renameKeyAt(root: unknown, path: Path, rng: Rng): unknown {
  // path points at an object: add or rename one of its keys to hold a NUL
  const target = path.reduce<any>((o, k) => o?.[k], root);
  if (!target || typeof target !== 'object' || Array.isArray(target)) return setAt(root, path, { ['a\u0000b']: 1 });
  const keys = Object.keys(target);
  const next: Record<string, unknown> = { ...target };
  if (keys.length && rng.chance(0.6)) {
    const k = rng.pick(keys);
    next[`${k}\u0000`] = next[k];
    delete next[k];
  } else next[rng.pick(['\u0000', 'x\u0000', '\u0000constructor', '__proto__\u0000'])] = 'v';
  return setAt(root, path, next);
}

const BODY_MUTATIONS = [
  'nul-string',
  'nul-key',
  'huge-number',
  'wrong-type',
  'deep',
  'long-string',
  'unicode',
  'drop',
  'empty',
  'raw-deep',
] as const;
type Mutation =
  | 'valid'
  | (typeof BODY_MUTATIONS)[number]
  | 'param-huge'
  | 'param-nul'
  | 'param-odd'
  | 'query-nul'
  | 'query-key-nul'
  | 'query-huge'
  | 'query-repeat';

interface Built {
  mutation: Mutation;
  method: string;
  url: string;
  body?: string;
  contentType?: string;
  nul: boolean;
}

function mutateBody(
  body: unknown,
  m: (typeof BODY_MUTATIONS)[number],
  rng: Rng,
): { text?: string; contentType?: string; nul: boolean } {
  const all = positions(body);
  const strings = all.filter((p) => typeof p.value === 'string');
  const numbers = all.filter((p) => typeof p.value === 'number');
  const objects = all.filter((p) => p.value && typeof p.value === 'object' && !Array.isArray(p.value));
  const json = (v: unknown) => ({ text: unraw(JSON.stringify(v) ?? 'null'), contentType: 'application/json' });
  switch (m) {
    case 'nul-string': {
      const at = strings.length ? rng.pick(strings) : rng.pick(all);
      const s = typeof at.value === 'string' ? at.value : 'x';
      const v = rng.pick([`${s}\u0000`, `\u0000${s}`, '\u0000', `${s.slice(0, 1)}\u0000${s.slice(1)}`]);
      return { ...json(setAt(body, at.path, v)), nul: true };
    }
    case 'nul-key':
      return { ...json(renameKeyAt(body, (objects.length ? rng.pick(objects) : all[0]!).path, rng)), nul: true };
    case 'huge-number': {
      const at = numbers.length ? rng.pick(numbers) : rng.pick(all);
      return { ...json(setAt(body, at.path, rng.pick(HUGE_NUMBERS))), nul: false };
    }
    case 'wrong-type':
      return { ...json(setAt(body, rng.pick(all).path, rng.pick(WRONG_TYPES))), nul: false };
    case 'deep':
      return {
        ...json(
          setAt(body, rng.pick(all).path, nested(rng.pick([40, 200, 1000]), rng.pick(['array', 'object'] as const))),
        ),
        nul: false,
      };
    case 'long-string': {
      const at = strings.length ? rng.pick(strings) : rng.pick(all);
      return {
        ...json(setAt(body, at.path, rng.pick(['x', '菏', '😀']).repeat(rng.pick([10_001, 200_000, 600_000])))),
        nul: false,
      };
    }
    case 'unicode': {
      const at = strings.length ? rng.pick(strings) : rng.pick(all);
      return { ...json(setAt(body, at.path, rng.pick(UNICODE))), nul: false };
    }
    case 'drop': {
      const at = rng.pick(all);
      if (!at.path.length) return { ...json({}), nul: false };
      const parentPath = at.path.slice(0, -1);
      const parent = parentPath.reduce<any>((o, k) => o?.[k], body);
      const copy: any = Array.isArray(parent)
        ? parent.filter((_: unknown, i: number) => i !== at.path.at(-1))
        : { ...parent };
      if (!Array.isArray(parent)) delete copy[at.path.at(-1)!];
      return { ...json(setAt(body, parentPath, copy)), nul: false };
    }
    case 'empty': {
      const e = rng.pick([
        { text: undefined, contentType: undefined },
        { text: '', contentType: 'application/json' },
        { text: 'null', contentType: 'application/json' },
        { text: '{}', contentType: 'application/json' },
        { text: '[]', contentType: 'application/json' },
        { text: '"x"', contentType: 'application/json' },
        { text: '{"a":', contentType: 'application/json' },
        { text: 'a=1', contentType: 'text/plain' },
        { text: '\u0000', contentType: 'application/json' },
        { text: '{"__proto__":{"x":1}}', contentType: 'application/json' },
        { text: '{"constructor":{"prototype":{"x":1}}}', contentType: 'application/json' },
      ]);
      return { text: e.text, contentType: e.contentType, nul: false };
    }
    case 'raw-deep': {
      const n = rng.pick([200, 5000, 20_000]);
      return {
        text: rng.chance(0.5) ? `${'['.repeat(n)}${']'.repeat(n)}` : `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`,
        contentType: 'application/json',
        nul: false,
      };
    }
  }
}

interface Operation {
  method: string;
  path: string;
  params: Array<{ name: string; in: string; schema: Schema; required?: boolean }>;
  body?: Schema;
}

function operations(doc: any): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(ops)) {
      out.push({
        method: method.toUpperCase(),
        path,
        params: op.parameters ?? [],
        body: op.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  return out;
}

function buildRequest(op: Operation, rng: Rng, pools: Pools): Built {
  const mutation: Mutation = rng.chance(0.15)
    ? 'valid'
    : rng.pick<Mutation>(
        op.body
          ? [
              ...BODY_MUTATIONS,
              ...BODY_MUTATIONS,
              'param-huge',
              'param-nul',
              'param-odd',
              'query-nul',
              'query-key-nul',
              'query-huge',
            ]
          : [
              'param-huge',
              'param-nul',
              'param-odd',
              'query-nul',
              'query-key-nul',
              'query-huge',
              'query-repeat',
              'nul-string',
              'nul-key',
              'deep',
              'empty',
            ],
      );
  let nul = mutation === 'param-nul' || mutation === 'query-nul' || mutation === 'query-key-nul';
  const pathParams = op.params.filter((p) => p.in === 'path');
  let url = op.path;
  const mutatedParam = pathParams.length ? rng.pick(pathParams).name : null;
  if (!mutatedParam && mutation.startsWith('param-')) nul = false;
  for (const p of pathParams) {
    let v: string;
    if (p.name === 'format') v = rng.pick(['json', 'xml']);
    else if (p.name === 'id') v = String(rng.pick(pools.idFor(op.path) ?? pools.ids));
    else v = encodeURIComponent(asText(generate(p.schema, rng, pools) ?? 'x'));
    if (p.name === mutatedParam) {
      if (mutation === 'param-huge') v = rng.pick(HUGE_PARAMS);
      else if (mutation === 'param-nul') v = rng.pick(NUL_PARAMS);
      else if (mutation === 'param-odd') v = rng.pick(ODD_PARAMS);
    }
    url = url.replace(`{${p.name}}`, v);
  }
  const query = new URLSearchParams();
  const queryParams = op.params.filter((p) => p.in === 'query');
  for (const p of queryParams) {
    if (p.required || rng.chance(0.6)) {
      const v = generate(p.schema, rng, pools);
      if (v !== undefined && v !== null) query.append(p.name, asText(v));
    }
  }
  let qs = query.toString();
  const qp = queryParams.length ? rng.pick(queryParams).name : 'q';
  if (mutation === 'query-nul') qs += `${qs ? '&' : ''}${qp}=${rng.pick(['%00', 'a%00', '1%00'])}`;
  if (mutation === 'query-key-nul') qs += `${qs ? '&' : ''}${rng.pick(['%00', 'a%00b', `${qp}%00`])}=1`;
  if (mutation === 'query-huge') qs += `${qs ? '&' : ''}${qp}=${rng.pick(HUGE_PARAMS)}`;
  if (mutation === 'query-repeat') qs += `${qs ? '&' : ''}${qp}=1&${qp}=2&${qp}[]=3`;
  if (qs) url += `?${qs}`;

  if (!op.body && !['nul-string', 'nul-key', 'deep', 'empty'].includes(mutation)) {
    return { mutation, method: op.method, url, nul };
  }
  const valid = op.body
    ? (generate(op.body, rng, pools) ?? {})
    : { service_code: 'CX-SZ', description: '路灯不亮很久了', lat: '35.2', long: '115.4' };
  if (mutation === 'valid' || !BODY_MUTATIONS.includes(mutation as never)) {
    return {
      mutation,
      method: op.method,
      url,
      body: unraw(JSON.stringify(valid)),
      contentType: 'application/json',
      nul,
    };
  }
  const m = mutateBody(valid, mutation as (typeof BODY_MUTATIONS)[number], rng);
  // a GET's body is never read, so what it holds is not accepted either
  return {
    mutation,
    method: op.method,
    url,
    body: m.text,
    contentType: m.contentType,
    nul: m.nul && op.method !== 'GET',
  };
}

// ---------- who may call what ----------
type Who =
  | 'admin'
  | 'agent'
  | 'dispatcher'
  | 'callback'
  | 'supervisor'
  | 'auditor'
  | 'handler'
  | 'manager'
  | 'gateway'
  | 'partner'
  | 'anonymous';
const ROUTE_ROLES: Array<[RegExp, Who[]]> = [
  [/^\/api\/channels\/(sms|cti|weibo)/, ['gateway']],
  [/^\/api\/channels\/partner/, ['partner']],
  [/^\/(open311|wechat)|^\/api\/public\/|^\/api\/auth\/(login|logout)/, ['anonymous']],
  [/^\/api\/audit/, ['auditor']],
  // 第三十条 data sharing: subscriptions (admin, the unit's manager) and the unit's feed (its manager)
  [/^\/api\/(sharing|units\/feed)/, ['admin', 'manager']],
  [/^\/api\/(users|units|categories|catalogue|calendar|time-limits|admin|auth\/tokens|unreachable)/, ['admin']],
  [/^\/api\/tickets\/\{id\}\/(dispatch|merge)|^\/api\/applications/, ['dispatcher', 'supervisor']],
  [/^\/api\/tickets\/\{id\}\/callback/, ['callback']],
  [
    /^\/api\/tickets\/\{id\}\/(accept|contacts|progress|assist|reply|return|extension|termination|dispute)/,
    ['handler', 'manager'],
  ],
  [
    /^\/api\/(tickets|contacts|duplicates|requesters|requester-flags|attachments|staff)/,
    ['agent', 'supervisor', 'dispatcher'],
  ],
  [/.*/, ['agent', 'admin', 'dispatcher', 'supervisor']],
];
const ALL_WHO: Who[] = [
  'admin',
  'agent',
  'dispatcher',
  'callback',
  'supervisor',
  'auditor',
  'handler',
  'manager',
  'gateway',
  'partner',
  'anonymous',
];

// Not fuzzed: the SSE stream never ends (covered by test/channels-cti.test.ts); logging out would end the sessions the
// fuzz is using (it is sent anonymously instead, by the rule above).
const SKIP = new Set(['GET /api/channels/cti/stream']);

interface Failure {
  op: string;
  mutation: string;
  who: Who;
  url: string;
  status: number;
  body: string;
  why: string;
}
type Headers = Record<string, string>;
type Res = { statusCode: number; body: string; headers: Record<string, unknown> };

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** A multipart/form-data body as a browser builds it. */
function multipart(fields: Record<string, string>, files: Array<{ name: string; data: Buffer }> = []) {
  const boundary = '----FuzzBoundary7MA4YWxkTrZu0gW';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="pictures"; filename="${f.name}"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      f.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describeEachDb(
  'issue 8: bad input is a 4xx with a structured error, never a 5xx (bounded schema-driven fuzz)',
  (getEnv) => {
    let env: TestEnv;
    const headersFor = new Map<Who, Headers>();
    const as = (who: Who) => headersFor.get(who)!;
    const call = (method: string, url: string, headers: Headers, payload?: unknown) =>
      env.app.inject({ method: method as never, url, headers, payload: payload as never }) as Promise<Res>;
    const ok = async (method: string, url: string, who: Who, payload: unknown, status = 201) => {
      const res = await call(method, url, as(who), payload);
      if (res.statusCode !== status)
        throw new Error(`${method} ${url}: expected ${status}, got ${res.statusCode} ${res.body}`);
      return JSON.parse(res.body);
    };
    const counts = async () =>
      (
        await sql<{ contacts: number; requesters: number; attachments: number; tickets: number; events: number }>`SELECT
    (SELECT count(*)::int FROM contacts) AS contacts, (SELECT count(*)::int FROM requesters) AS requesters,
    (SELECT count(*)::int FROM attachments) AS attachments, (SELECT count(*)::int FROM tickets) AS tickets,
    (SELECT count(*)::int FROM ticket_events) AS events`.execute(env.db)
      ).rows[0]!;

    beforeAll(async () => {
      env = getEnv();
      const { ids } = env;
      headersFor.set('anonymous', {});
      const users: Array<[Who, string]> = [
        ['admin', 'admin'],
        ['agent', 'agent'],
        ['dispatcher', 'dispatcher'],
        ['callback', 'callback'],
        ['supervisor', 'supervisor'],
        ['auditor', 'auditor'],
        ['handler', 'handler_md'],
        ['manager', 'manager_md'],
      ];
      for (const [who, username] of users) {
        const res = await call('POST', '/api/auth/login', {}, { username, password: DEMO_PASSWORD });
        if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode}`);
        headersFor.set(who, { cookie: String(res.headers['set-cookie']).split(';')[0]! });
      }
      // machine users get bearer tokens the way an administrator issues them (docs/channels.md)
      for (const who of ['gateway', 'partner'] as const) {
        const { token } = await ok('POST', '/api/auth/tokens', 'admin', {
          userId: ids.users[who],
          name: `fuzz ${who}`,
        });
        headersFor.set(who, { authorization: `Bearer ${token}` });
      }
    });

    const structured = (status: number, url: string, text: string, type: string): string | null => {
      if (status < 400 || url.startsWith('/open311')) return null;
      if (!type.includes('json')) return `a ${status} that is not JSON (${type})`;
      try {
        const e = JSON.parse(text).error;
        if (!e || typeof e.code !== 'string' || typeof e.message !== 'string' || !e.requestId)
          return 'error body without code/message/requestId';
        if (!/[\u4e00-\u9fff]/.test(e.message)) return `error message not in Chinese: ${e.message}`;
      } catch {
        return 'error body is not JSON';
      }
      return null;
    };
    const judge = (status: number, url: string, text: string, type: string, nul: boolean): string | null => {
      if (status >= 500) return `HTTP ${status}`;
      for (const re of LEAKS) if (re.test(text)) return `leaks internals (${re})`;
      if (nul && status < 400) return `a NUL was accepted (HTTP ${status})`;
      return structured(status, url, text, type);
    };

    // ---------- what the document does not describe, and the cases of the issue by name ----------
    const expectBadRequest = (res: Res, message?: RegExp) => {
      if (res.statusCode !== 400) throw new Error(`expected 400, got ${res.statusCode}: ${res.body.slice(0, 300)}`);
      const e = JSON.parse(res.body).error;
      expect(e).toMatchObject({ code: 'bad_request', requestId: expect.any(String) });
      expect(e.message).toMatch(/[\u4e00-\u9fff]/);
      if (message) expect(e.message).toMatch(message);
    };
    const open311Error = (res: Res, fmt: 'json' | 'xml', status = 400) => {
      expect(res.statusCode).toBe(status);
      if (fmt === 'json')
        expect(JSON.parse(res.body)).toEqual([{ code: status, description: expect.stringMatching(/[\u4e00-\u9fff]/) }]);
      else
        expect(res.body).toMatch(
          new RegExp(`<errors><error><code>${status}</code><description>[^<]*[\\u4e00-\\u9fff]`),
        );
    };
    const signedWechat = (over: Record<string, string> = {}) => {
      const timestamp = '1740965401';
      const nonce = '1598476320';
      const signature = wechatSignature(env.services.channels.settings.wechat.token!, timestamp, nonce);
      return new URLSearchParams({ signature, timestamp, nonce, openid: 'oFuzzOpenId', ...over }).toString();
    };
    const wechatText = (content: string) =>
      `<xml><ToUserName><![CDATA[gh_fuzz]]></ToUserName><FromUserName><![CDATA[oFuzzOpenId]]></FromUserName>` +
      `<CreateTime>1740965400</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>6054768590064713728</MsgId></xml>`;

    it('NUL bytes anywhere — anonymous login, Open311 paths and forms, the SMS gateway, webhooks, multipart, queries — are a 400 that writes nothing', async () => {
      const before = await counts();
      // anonymous callers
      expectBadRequest(await call('POST', '/api/auth/login', {}, { username: 'admin\u0000', password: 'x' }), /空字符/);
      expectBadRequest(
        await call('POST', '/api/auth/login', {}, { 'username\u0000': 'admin', password: 'x' }),
        /空字符/,
      );
      open311Error(await call('GET', '/open311/v2/services/%00.json', {}), 'json');
      open311Error(await call('GET', '/open311/v2/services/%00.xml', {}), 'xml');
      open311Error(await call('GET', '/open311/v2/requests.json?service_code=%00', {}), 'json');
      open311Error(await call('GET', '/open311/v2/requests/HZ%00.xml', {}), 'xml');
      const { token: apiKey } = await ok('POST', '/api/auth/tokens', 'admin', {
        userId: env.ids.users.partner,
        name: 'fuzz open311',
      });
      const lamp = {
        api_key: apiKey,
        service_code: 'CX-SZ',
        lat: '35.246531',
        long: '115.441312',
        description: '和平路路灯连续一周不亮，夜间通行很危险。',
      };
      const formBody = (f: Record<string, string>) => new URLSearchParams(f).toString();
      const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
      open311Error(
        await call(
          'POST',
          '/open311/v2/requests.json',
          formHeaders,
          formBody({ ...lamp, description: '路灯不亮\u0000很久了' }),
        ),
        'json',
      );
      open311Error(
        await call('POST', '/open311/v2/requests.xml', formHeaders, formBody({ ...lamp, 'attribute[a\u0000]': 'x' })),
        'xml',
      );
      open311Error(
        await call(
          'POST',
          '/open311/v2/requests.json',
          { 'content-type': 'application/json' },
          { ...lamp, first_name: '\u0000' },
        ),
        'json',
      );
      // the SMS gateway retries every 5xx (docs/channels.md): a NUL must be a 4xx it will not retry
      const sms = {
        messageId: 'fuzz-sms-1',
        from: '13905301234',
        to: '12345',
        text: '路灯不亮\u0000',
        receivedAt: '2025-03-03T09:30:00+08:00',
      };
      expectBadRequest(await call('POST', '/api/channels/sms/inbound', as('gateway'), sms), /空字符/);
      expectBadRequest(
        await call('POST', '/api/channels/sms/inbound', as('gateway'), {
          ...sms,
          text: '路灯不亮',
          messageId: 'a\u0000',
        }),
        /空字符/,
      );
      expectBadRequest(
        await call('POST', '/api/channels/sms/inbound', as('gateway'), { ...sms, text: '路灯不亮', 'x\u0000': 1 }),
        /空字符/,
      );
      expectBadRequest(
        await call('POST', '/api/channels/weibo/messages', as('gateway'), {
          messageId: 'fuzz-wb-1',
          senderUid: '5612345678',
          text: '\u0000',
          createdAt: '2025-03-03T09:30:00+08:00',
        }),
      );
      expectBadRequest(
        await call('POST', '/api/channels/cti/events', as('gateway'), {
          type: 'call.offered',
          callId: 'c\u0000',
          caller: '13905301234',
          callee: '12345',
          at: '2025-03-03T09:30:00+08:00',
        }),
      );
      expectBadRequest(
        await call('POST', '/api/channels/partner/contacts', as('partner'), {
          externalId: 'fuzz-p-1',
          content: '路灯不亮',
          meta: { a: { b: { 'c\u0000': 1 } } },
        }),
      );
      expectBadRequest(
        await call('POST', '/api/contacts', as('agent'), {
          channel: 'phone',
          content: '路灯不亮',
          requester: { name: '张\u0000' },
        }),
      );
      expectBadRequest(await call('POST', '/api/tickets/search', as('agent'), { q: '\u0000' }));
      expectBadRequest(await call('GET', '/api/tickets?%00=1', as('agent')), /查询参数/);
      expectBadRequest(await call('GET', '/api/tickets?view=lead%00', as('agent')), /查询参数/);
      expectBadRequest(await call('DELETE', '/api/calendar/days/2025-10-01%00', as('admin')), /路径参数/);
      // the public form (multipart): a field, a field name, a file name
      const formToken = JSON.parse((await call('GET', '/api/public/form-token', {})).body).token as string;
      env.clock.set(new Date(env.clock.now().getTime() + 8_000));
      const good = {
        formToken,
        hz_trap: '',
        name: '赵敏',
        phone: '13805308888',
        content: '丹阳路菜市场门口污水外溢，气味很大，希望尽快处理。',
      };
      const submit = (fields: Record<string, string>, files: Array<{ name: string; data: Buffer }> = []) =>
        env.app.inject({
          method: 'POST',
          url: '/api/public/requests',
          remoteAddress: '192.0.2.200',
          ...multipart(fields, files),
        }) as Promise<Res>;
      expectBadRequest(await submit({ ...good, content: '丹阳路菜市场门口\u0000污水外溢' }), /空字符/);
      expectBadRequest(await submit({ ...good, 'address\u0000': '牡丹区' }), /空字符/);
      expectBadRequest(await submit(good, [{ name: 'a\u0000.png', data: PNG }]), /空字符/);
      // a signed WeChat message with a NUL in its text
      const nulWechat = await call(
        'POST',
        `/wechat?${signedWechat()}`,
        { 'content-type': 'text/xml' },
        wechatText('路灯\u0000不亮'),
      );
      expectBadRequest(nulWechat, /微信消息格式不正确/);
      expect(await counts()).toEqual(before);
    });

    it('ids beyond the int4 columns and beyond 2^63, in paths, queries and bodies, are a 400', async () => {
      const before = await counts();
      for (const id of ['2147483648', '9007199254740993', '9223372036854775808', '1e400', '-0', 'NaN']) {
        expectBadRequest(await call('GET', `/api/tickets/${id}`, as('agent')));
        expectBadRequest(await call('GET', `/api/stats/queue-deadlines?ticketIds=1,${id}`, as('supervisor')));
        expectBadRequest(await call('GET', `/api/contacts?after=${id}`, as('agent')));
      }
      const huge = await call('GET', '/api/stats/queue-deadlines?ticketIds=9223372036854775808', as('supervisor'));
      expectBadRequest(huge);
      expect(JSON.stringify(JSON.parse(huge.body).error.details)).toContain('工单编号列表不正确');
      expect((await call('GET', '/api/tickets/2147483647', as('agent'))).statusCode).toBe(404);
      for (const n of [2 ** 31, 2 ** 53, 2 ** 63]) {
        expectBadRequest(
          await call('POST', '/api/tickets', as('agent'), {
            requestType: 'help',
            categoryId: n,
            regionCode: '371702',
            title: '求助',
            content: '内容',
          }),
        );
        expectBadRequest(await call('POST', '/api/auth/tokens', as('admin'), { userId: n, name: 'x' }));
        expectBadRequest(
          await call('POST', '/api/users', as('admin'), {
            username: 'fuzz_big',
            displayName: '大',
            password: 'Fuzz12345678',
            unitId: n,
            roles: ['agent'],
            scope: 'unit',
          }),
        );
      }
      const raw = (text: string) =>
        call('POST', '/api/tickets', { ...as('agent'), 'content-type': 'application/json' }, text);
      expectBadRequest(
        await raw('{"requestType":"help","categoryId":1e400,"regionCode":"371702","title":"求助","content":"内容"}'),
      );
      expectBadRequest(
        await raw(
          '{"requestType":"help","categoryId":9223372036854775808,"regionCode":"371702","title":"求助","content":"内容"}',
        ),
      );
      // Open311 tokens are contact ids: a number beyond the column is simply no such token
      open311Error(await call('GET', '/open311/v2/tokens/9223372036854775808.json', {}), 'json', 404);
      open311Error(await call('GET', '/open311/v2/tokens/2147483648.xml', {}), 'xml', 404);
      expect(await counts()).toEqual(before);
    });

    it('the safety net behind the schemas: what the database itself refuses (NUL, int4 overflow) maps to a 400 message', async () => {
      const refusal = async (q: ReturnType<typeof sql>) => {
        try {
          await q.execute(env.db);
        } catch (err) {
          return pgInputRefusal(err);
        }
        return 'no error';
      };
      expect(await refusal(sql`SELECT ${'a\u0000b'}::text`)).toMatch(/无法保存的字符/);
      expect(await refusal(sql`SELECT ${'{"a":"\\u0000"}'}::jsonb`)).toMatch(/无法保存的字符/);
      expect(await refusal(sql`SELECT ${'2147483648'}::int4`)).toBe('数值超出范围');
      expect(pgInputRefusal({ code: '54001' })).toMatch(/嵌套/);
      expect(pgInputRefusal({ code: '23505' })).toBeNull();
      expect(pgInputRefusal(new Error('x'))).toBeNull();
    });

    it('deep nesting, broken unicode and undecodable URLs are a 400; a signed WeChat push of 5,000 nested tags is refused as WeChat input', async () => {
      const before = await counts();
      const deep = (n: number) => `${'<a>'.repeat(n)}x${'</a>'.repeat(n)}`;
      const deepPush = `<xml><ToUserName><![CDATA[gh_fuzz]]></ToUserName>${deep(5000)}</xml>`;
      expectBadRequest(
        await call('POST', `/wechat?${signedWechat()}`, { 'content-type': 'text/xml' }, deepPush),
        /微信消息格式不正确.*嵌套/,
      );
      expectBadRequest(
        await call('POST', `/wechat?${signedWechat()}`, { 'content-type': 'text/xml' }, `<xml>${deep(4)}</xml>`),
        /微信消息格式不正确/,
      );
      // unsigned: the body is not looked at, whatever it holds
      expect(
        (
          await call(
            'POST',
            `/wechat?${signedWechat({ signature: 'a'.repeat(40) })}`,
            { 'content-type': 'text/xml' },
            deepPush,
          )
        ).statusCode,
      ).toBe(401);
      // the same message flat is still an ordinary WeChat message
      const flat = await call(
        'POST',
        `/wechat?${signedWechat()}`,
        { 'content-type': 'text/xml' },
        wechatText('路灯不亮，请维修'),
      );
      expect(flat.statusCode).toBe(200);
      const afterFlat = await counts();
      expect(afterFlat.contacts).toBe(before.contacts + 1);

      const nested = (n: number): unknown => (n === 0 ? 'x' : { a: nested(n - 1) });
      expectBadRequest(
        await call('POST', '/api/contacts', as('agent'), { channel: 'phone', content: '路灯不亮', meta: nested(200) }),
        /嵌套/,
      );
      expectBadRequest(
        await call('POST', '/api/channels/partner/contacts', as('partner'), {
          externalId: 'fuzz-deep',
          content: '路灯不亮',
          meta: nested(40),
        }),
        /嵌套/,
      );
      const rawDeep = `{"channel":"phone","content":"x","meta":${'['.repeat(5000)}${']'.repeat(5000)}}`;
      expectBadRequest(
        await call('POST', '/api/contacts', { ...as('agent'), 'content-type': 'application/json' }, rawDeep),
        /嵌套/,
      );
      expectBadRequest(
        await call('POST', '/api/contacts', as('agent'), { channel: 'phone', content: '半个表情\uD83D' }),
        /Unicode/,
      );
      expectBadRequest(
        await call('POST', '/api/channels/partner/contacts', as('partner'), {
          externalId: 'fuzz-u',
          content: '路灯不亮',
          meta: { '\uDC00': 1 },
        }),
        /Unicode/,
      );
      expectBadRequest(await call('GET', '/api/tickets/%FF', as('agent')), /请求地址/);
      expectBadRequest(await call('PATCH', `/api/units/${'9'.repeat(200)}`, as('admin'), { name: '单位' }), /参数过长/);
      open311Error(await call('GET', '/open311/v2/requests/%C0%80.json', {}), 'json');
      expect(await counts()).toEqual(afterFlat);
    });

    // last: the fuzz changes rows (it may deactivate the rows made for it), the cases above want the seed as it is
    it('every OpenAPI operation, a few thousand mutated requests: no 5xx, no leaks, nothing with NUL accepted', async () => {
      const rng = prng(SEED);
      // rows that exist, so that well-formed requests get past "not found" into the services
      const ticket = await ok('POST', '/api/tickets', 'agent', {
        requestType: 'complaint',
        categoryId: env.ids.categories['CX-SZ'],
        regionCode: '371702001',
        title: '和平路路灯连续一周不亮',
        content: '和平路与中华路交叉口往东一段路灯已经连续一周晚上不亮。',
        requester: { name: '张秀英', phone: '13905301234' },
      });
      const dispatched = await ok('POST', '/api/tickets', 'agent', {
        requestType: 'help',
        categoryId: env.ids.categories['CX-SZ'],
        regionCode: '371702001',
        title: '井盖缺失',
        content: '路口井盖缺失',
      });
      await ok(
        'POST',
        `/api/tickets/${dispatched.id}/dispatch`,
        'dispatcher',
        { leadUnitId: env.ids.units['gov-md'] },
        200,
      );
      const contact = await ok('POST', '/api/contacts', 'agent', {
        channel: 'phone',
        content: '来电反映路灯不亮',
        requester: { phone: '13905301234' },
      });
      const fuzzUser = await ok('POST', '/api/users', 'admin', {
        username: 'fuzz_target',
        displayName: '模糊测试',
        password: 'Fuzz12345678',
        unitId: env.ids.units['gov-md'],
        roles: ['handler'],
        scope: 'unit',
      });
      const fuzzUnit = await ok('POST', '/api/units', 'admin', {
        code: 'fuzz-unit',
        name: '模糊测试单位',
        kind: 'other',
        tier: 'city',
      });
      const fuzzCategory = await ok('POST', '/api/categories', 'admin', { code: 'FZ-CAT', name: '模糊测试分类' });
      // 第三十条: a token made to be revoked, so the sessions' and machines' own tokens stay valid
      const fuzzToken = await ok('POST', '/api/admin/api-tokens', 'admin', {
        unitId: env.ids.units['gov-md'],
        name: '模糊测试令牌',
        scopes: ['feed:read'],
      });
      const pools: Pools = {
        ids: [ticket.id, dispatched.id, contact.id, 1, 2, 3],
        // people, units and categories are fuzzed on rows made for it, so the sessions above stay usable
        idFor: (path) =>
          /^\/api\/(admin\/)?users\//.test(path)
            ? [fuzzUser.id]
            : path.startsWith('/api/admin/api-tokens/')
              ? [fuzzToken.id]
              : path.startsWith('/api/units/')
                ? [fuzzUnit.id]
                : path.startsWith('/api/categories/')
                  ? [fuzzCategory.id]
                  : null,
      };

      const ops = operations(env.app.swagger()).filter((op) => !SKIP.has(`${op.method} ${op.path}`));
      expect(ops.length).toBeGreaterThan(60);
      const failures: Failure[] = [];
      let sent = 0;
      const statuses = new Map<number, number>();
      const started = Date.now();
      for (const op of ops) {
        const preferred = ROUTE_ROLES.find(([re]) => re.test(op.path))![1];
        for (let i = 0; i < PER_OPERATION; i++) {
          const req = buildRequest(op, rng, pools);
          let who: Who = rng.chance(0.8) ? rng.pick(preferred) : rng.pick(ALL_WHO);
          if (op.path === '/api/auth/logout') who = 'anonymous';
          const headers: Headers = { ...as(who) };
          if (req.contentType) headers['content-type'] = op.path.startsWith('/wechat') ? 'text/xml' : req.contentType;
          const res = await call(req.method, req.url, headers, req.body);
          sent++;
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          const why = judge(
            res.statusCode,
            req.url,
            res.body,
            String((res.headers['content-type'] as string | undefined) ?? ''),
            req.nul,
          );
          if (why)
            failures.push({
              op: `${op.method} ${op.path}`,
              mutation: req.mutation,
              who,
              url: req.url.slice(0, 200),
              status: res.statusCode,
              body: res.body.slice(0, 300),
              why,
            });
        }
      }
      console.log(
        `fuzz: ${sent} requests over ${ops.length} operations in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${SEED}), ${failures.length} failures; by status ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`,
      );
      if (failures.length) {
        const byKind = new Map<string, Failure[]>();
        for (const f of failures) byKind.set(`${f.op} ${f.why}`, [...(byKind.get(`${f.op} ${f.why}`) ?? []), f]);
        for (const [k, fs] of byKind)
          console.log(
            `${fs.length}× ${k}\n   e.g. ${fs[0]!.mutation} as ${fs[0]!.who}: ${fs[0]!.url.slice(0, 120)} → ${fs[0]!.body.slice(0, 200)}`,
          );
      }
      expect(failures.map((f) => `${f.op}: ${f.why}`)).toEqual([]);
      // the sessions and tokens were valid to the end: the fuzz reached past authentication all along
      for (const who of ALL_WHO.filter((w) => w !== 'anonymous'))
        expect((await call('GET', '/api/auth/me', as(who))).statusCode, who).toBe(200);
      expect(statuses.get(200)! + (statuses.get(201) ?? 0)).toBeGreaterThan(100);
      // over 200 operations now (issues 10, 13, 15), a few thousand requests: minutes on a loaded 2-core machine
    }, 600_000);
  },
  { kinds: [process.env.FUZZ_DB === 'postgres' ? 'postgres' : 'pglite'], logLevel: process.env.FUZZ_LOG },
);
