import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { sendOpen311Refusal } from '../modules/open311/open311.routes.js';
import { hasNoNul, isWellFormed } from '../../shared/contracts/common.js';

// Issue 8: what no route's schema can see is refused here, for every route, before validation and before anything
// reaches the database: a NUL (U+0000) in any string or key of a parsed body, the query string or the path
// parameters (PostgreSQL text and jsonb cannot hold it, and it never belongs in a citizen's words), a lone UTF-16
// surrogate (half an emoji: it has no UTF-8 form, and jsonb refuses its escape), and JSON
// nested deeper than any of our bodies is (a jsonb of thousands of levels exhausts the server's stack).
// Attachments travel as base64, so a legitimate body never holds a NUL. Bodies that arrive as text (the WeChat
// XML) are checked by their own parser after the signature; multipart parts by the form reader.

/** Deeper than any request body of the API (the deepest, a partner's meta, is a few levels). */
export const MAX_BODY_DEPTH = 32;

export type InputProblem = { kind: 'nul' | 'unicode'; path: string } | { kind: 'depth' };

const MAX_PATH = 120;
const show = (key: string) => key.replaceAll('\u0000', '\\u0000').slice(0, 40);

/** The first NUL or over-deep nesting in a parsed value, walked without recursion (a deep value cannot overflow it). */
export function findUnsafeInput(value: unknown, maxDepth = MAX_BODY_DEPTH): InputProblem | null {
  const stack: Array<{ v: unknown; depth: number; path: string }> = [{ v: value, depth: 0, path: '' }];
  while (stack.length) {
    const { v, depth, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (!hasNoNul(v)) return { kind: 'nul', path };
      if (!isWellFormed(v)) return { kind: 'unicode', path };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (Buffer.isBuffer(v)) continue;
    if (depth >= maxDepth) return { kind: 'depth' };
    const join = (k: string) => (path ? `${path}.${show(k)}` : show(k)).slice(0, MAX_PATH);
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], depth: depth + 1, path: join(String(i)) });
      continue;
    }
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      if (!hasNoNul(k)) return { kind: 'nul', path: join(k) };
      if (!isWellFormed(k)) return { kind: 'unicode', path: join(k) };
      stack.push({ v: child, depth: depth + 1, path: join(k) });
    }
  }
  return null;
}

const WHERE = { body: '请求内容', query: '查询参数', params: '路径参数' } as const;

/** Throws the 400 for a request whose body, query string or path parameters hold what the API never accepts. */
export function checkRequestInput(req: FastifyRequest): void {
  for (const where of ['params', 'query', 'body'] as const) {
    const value = req[where];
    // text bodies (XML) are their parser's to check; undefined/empty have nothing to check
    if (value === undefined || value === null || typeof value === 'string') continue;
    const problem = findUnsafeInput(value);
    if (!problem) continue;
    if (problem.kind === 'depth') {
      throw new AppError('bad_request', `${WHERE[where]}嵌套层级过深（不超过 ${MAX_BODY_DEPTH} 层）`, { in: where });
    }
    if (problem.kind === 'unicode') {
      throw new AppError('bad_request', `${WHERE[where]}含有无效的 Unicode 字符（不成对的代理项）`, {
        in: where,
        path: problem.path,
      });
    }
    throw new AppError('bad_request', `${WHERE[where]}不能包含空字符（\\u0000）`, { in: where, path: problem.path });
  }
}

export function registerInputGuard(app: FastifyInstance) {
  app.addHook('preValidation', async (req) => checkRequestInput(req));
}

/**
 * What the router refuses before any route runs (Fastify's frameworkErrors): a URL whose percent-encoding does not
 * decode (`%FF`, `%C0%80`) or a path parameter over its length limit. Answered like every other bad input (a 400
 * with the structured error, or Open311's own error format under /open311/), never echoing the URL.
 */
export function answerFrameworkError(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const message = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? '请求地址中的参数过长' : '请求地址格式不正确（无法解码）';
  if (req.url.startsWith('/open311/')) return sendOpen311Refusal(req, reply, 400, message);
  return reply.status(400).send({ error: { code: 'bad_request', message, requestId: req.id } });
}
