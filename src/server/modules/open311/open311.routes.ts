import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { pgInputRefusal } from '../../http/error-handler.js';
import type { Services } from '../../http/services.js';
import type { AttributeInput } from './open311.definitions.js';
import {
  CONTENT_TYPES,
  Open311Error,
  parseFormat,
  render,
  renderErrors,
  w3cDate,
  type Fmt,
  type O311Value,
} from './open311.format.js';

export const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';
/** When this endpoint's behaviour last changed, for the discovery document. */
const CHANGESET = new Date('2025-03-01T00:00:00+08:00');

type Params = Record<string, string>;
type Query = Record<string, string | string[] | undefined>;

/**
 * Open311 GeoReport v2 at /open311/v2/ (docs/open311.md), in its own encapsulated scope: the spec's
 * form-encoded POST bodies are parsed here only, and every refusal — ours, validation, unknown paths — is
 * answered in the spec's error format (<errors> or a JSON array) instead of the app's JSON envelope.
 */
export async function open311Routes(app: FastifyInstance, s: Services) {
  await app.register(
    async (scope) => {
      scope.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string', bodyLimit: 256 * 1024 },
        (_req, body, done) => {
          done(null, parseForm(body as string));
        },
      );
      scope.setErrorHandler((err, req, reply) => {
        const { status, description } = toOpen311Error(err);
        if (status >= 500) req.log.error({ err }, 'open311 failure');
        return sendErrors(reply, formatOf(req), status, description);
      });
      // Also catches GET paths the web app's catch-all would otherwise answer with its page.
      scope.all('/*', { schema: { hide: true } }, async (req, reply) =>
        sendErrors(reply, formatOf(req), 404, `没有这个 Open311 接口：${req.url.split('?')[0]}`),
      );

      const o = s.open311;
      const tags = ['open311'];
      const get = (
        path: string,
        summary: string,
        root: string,
        handler: (req: FastifyRequest<{ Params: Params; Querystring: Query }>) => Promise<O311Value>,
      ) => {
        scope.get<{ Params: Params; Querystring: Query }>(path, { schema: { tags, summary } }, async (req, reply) => {
          const fmt = requireFormat(req);
          o.checkJurisdiction(str(req.query.jurisdiction_id));
          return send(reply, fmt, root, await handler(req));
        });
      };

      const discovery = async (req: FastifyRequest) => {
        // Announced without a trailing slash: clients append "/services.xml" (a doubled slash is accepted as well,
        // see open311Url). A configured OPEN311_BASE_URL loses its trailing slashes too.
        const base = (o.options.baseUrl ?? `${req.protocol}://${req.host}/open311/v2`).replace(/\/+$/, '');
        return {
          changeset: w3cDate(CHANGESET),
          contact: '菏泽市12345政务服务便民热线工作机构，电话 12345',
          key_service: '提交诉求须使用 api_key：由系统管理员为对接系统（partner 用户）签发',
          endpoints: [
            {
              specification: SPECIFICATION,
              url: base,
              changeset: w3cDate(CHANGESET),
              type: 'production',
              formats: ['text/xml', 'application/json'],
            },
          ],
        };
      };
      get('/discovery.:format', 'Open311 服务发现', 'discovery', discovery);
      get('/v2/discovery.:format', 'Open311 服务发现', 'discovery', discovery);
      get('/v2/services.:format', 'Open311 服务列表（事项分类）', 'services', () => o.services());
      get('/v2/services/:service_code.:format', 'Open311 服务定义（附加属性）', 'service_definition', (req) =>
        o.definition(req.params.service_code!),
      );
      get('/v2/requests.:format', 'Open311 诉求列表（默认近 90 天，最多 1000 条）', 'service_requests', (req) =>
        o.requests({
          service_request_id: str(req.query.service_request_id),
          service_code: str(req.query.service_code),
          status: str(req.query.status),
          start_date: str(req.query.start_date),
          end_date: str(req.query.end_date),
        }),
      );
      get('/v2/requests/:service_request_id.:format', 'Open311 查询单个诉求', 'service_requests', (req) =>
        o.request(req.params.service_request_id!),
      );
      get('/v2/tokens/:token.:format', 'Open311 由 token 查询诉求编号', 'service_requests', (req) =>
        o.token(req.params.token!),
      );
      get(
        '/v2/servicerequestupdates.:format',
        'Open311 诉求进展（FixMyStreet 扩展）',
        'service_request_updates',
        (req) =>
          o.updates({
            start_date: str(req.query.start_date),
            end_date: str(req.query.end_date),
          }),
      );

      const post = (
        path: string,
        summary: string,
        root: string,
        handler: (fields: Record<string, string>, attrs: AttributeInput, req: FastifyRequest) => Promise<O311Value>,
      ) => {
        scope.post<{ Params: Params; Querystring: Query }>(path, { schema: { tags, summary } }, async (req, reply) => {
          const fmt = requireFormat(req);
          const { fields, attrs } = splitBody(req.body);
          o.checkJurisdiction(fields.jurisdiction_id ?? str(req.query.jurisdiction_id));
          return send(reply, fmt, root, await handler(fields, attrs, req));
        });
      };
      const apiKey = (fields: Record<string, string>, req: FastifyRequest) =>
        fields.api_key ?? str((req.query as Query).api_key);
      post('/v2/requests.:format', 'Open311 提交诉求（需 api_key）', 'service_requests', async (fields, attrs, req) =>
        o.createRequest(await o.partner(apiKey(fields, req)), fields, attrs),
      );
      post(
        '/v2/servicerequestupdates.:format',
        'Open311 提交诉求补充（FixMyStreet 扩展，需 api_key）',
        'service_request_updates',
        async (fields, _attrs, req) => o.postUpdate(await o.partner(apiKey(fields, req)), fields),
      );
    },
    { prefix: '/open311' },
  );
}

/**
 * The server's rewriteUrl (app.ts): collapses repeated slashes in an Open311 path, so a client that joins the
 * announced endpoint "…/open311/v2/" (as older discovery documents and configurations have it) with
 * "/services.xml" reaches the same route instead of a 404. Other paths and every query string are left alone.
 */
export function open311Url(url: string): string {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (!/^\/+open311(\/|$)/.test(path) || !path.includes('//')) return url;
  return path.replace(/\/{2,}/g, '/') + (q === -1 ? '' : url.slice(q));
}

function send(reply: FastifyReply, fmt: Fmt, root: string, value: O311Value) {
  return reply
    .status(200)
    .type(CONTENT_TYPES[fmt])
    .send(render(fmt, root, value));
}

/** A refusal in Open311's error format, for what is refused before the Open311 scope sees the request. */
export function sendOpen311Refusal(req: FastifyRequest, reply: FastifyReply, status: number, description: string) {
  return sendErrors(reply, formatOf(req), status, description);
}

function sendErrors(reply: FastifyReply, fmt: Fmt, status: number, description: string) {
  return reply
    .status(status)
    .type(CONTENT_TYPES[fmt])
    .send(renderErrors(fmt, [{ code: status, description }]));
}

function requireFormat(req: FastifyRequest): Fmt {
  const fmt = parseFormat((req.params as Params).format);
  if (!fmt) throw new Open311Error(404, '只支持 .xml 和 .json 两种格式');
  return fmt;
}

/** The answer's format from the path's extension; XML, the spec's required format, when there is none. */
function formatOf(req: FastifyRequest): Fmt {
  const path = req.url.split('?')[0] ?? '';
  return parseFormat(/\.([a-z]+)$/i.exec(path)?.[1]) ?? 'xml';
}

function toOpen311Error(err: unknown): { status: number; description: string } {
  if (err instanceof Open311Error) return { status: err.status, description: err.description };
  if (err instanceof AppError) {
    const status =
      err.status === 401 ? 403 : err.status === 404 || err.status === 403 || err.status === 429 ? err.status : 400;
    return { status, description: err.message };
  }
  const statusCode = (err as { statusCode?: number }).statusCode;
  if (statusCode === 415) return { status: 400, description: '请求体须为 application/x-www-form-urlencoded' };
  if (statusCode === 413) return { status: 400, description: '请求体过大' };
  if (statusCode && statusCode < 500) return { status: 400, description: '请求格式不正确' };
  const refused = pgInputRefusal(err);
  if (refused) return { status: 400, description: refused };
  return { status: 500, description: '服务器内部错误，请稍后重试' };
}

const str = (v: unknown): string | undefined =>
  Array.isArray(v) ? str(v[0]) : typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

function parseForm(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/**
 * Splits a POST body into plain fields and attribute[code] values. Form posts name attributes
 * attribute[code] (attribute[code][] for several values); a JSON body may carry an "attribute" object.
 */
function splitBody(body: unknown): { fields: Record<string, string>; attrs: AttributeInput } {
  const fields: Record<string, string> = {};
  const attrs: AttributeInput = {};
  if (!body || typeof body !== 'object') return { fields, attrs };
  const addAttr = (code: string, v: unknown) => {
    const values = (Array.isArray(v) ? v : [v]).map(str).filter((x): x is string => x !== undefined);
    const prev = attrs[code];
    attrs[code] =
      prev === undefined
        ? values.length === 1
          ? values[0]!
          : values
        : [...(Array.isArray(prev) ? prev : [prev]), ...values];
  };
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    const m = /^attribute\[([^\]]+)\](\[\])?$/.exec(k);
    if (m) addAttr(m[1]!, v);
    else if (k === 'attribute' && v && typeof v === 'object' && !Array.isArray(v))
      for (const [code, val] of Object.entries(v)) addAttr(code, val);
    else if (str(v) !== undefined) fields[k] = str(v)!;
  }
  return { fields, attrs };
}
