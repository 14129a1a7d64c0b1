import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../errors.js';
import { PdfFontMissingError } from '../pdf/index.js';

// Every error leaves as { error: { code, message, details?, requestId } }. Messages are Chinese because
// screens show them as they are; unknown errors are logged with the request id and answered without internals.
export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const requestId = req.id;
    if (err instanceof AppError) {
      return reply
        .status(err.status)
        .send({ error: { code: err.code, message: err.message, details: err.details, requestId } });
    }
    if (err instanceof PdfFontMissingError) {
      // an install step, not a fault of the request or of the code: say what is missing instead of an unexplained
      // 500 (a route that has another way to the same content says so itself, e.g. 请下载 Excel)
      req.log.warn('no CJK font for PDF documents (fonts-noto-cjk or PDF_FONT)');
      return reply.status(422).send({
        error: {
          code: 'unprocessable',
          message: '服务器未安装中文字体，暂不能生成 PDF（管理员：安装 fonts-noto-cjk 或设置 PDF_FONT）',
          requestId,
        },
      });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const validation = err.validation as Array<{
        instancePath?: string;
        message?: string;
        params?: { issue?: { path?: PropertyKey[] } };
      }>;
      const issues = validation.map((v) => ({
        path: v.instancePath || v.params?.issue?.path?.join('.') || '',
        message: v.message,
      }));
      return reply
        .status(400)
        .send({ error: { code: 'bad_request', message: '请求参数不正确', details: { issues }, requestId } });
    }
    // Postgres constraint violations that slipped past validation: still the client's fault, never a 500.
    const pgCode = (err as unknown as { code?: string }).code;
    const refused = pgInputRefusal(err);
    if (refused) {
      // a safety net only: the schemas and the input guard (input-guard.ts) are meant to refuse these first
      req.log.warn({ pgCode }, 'database refused a value');
      return reply.status(400).send({ error: { code: 'bad_request', message: refused, requestId } });
    }
    if (pgCode === '23503' || pgCode === '23514' || pgCode === '22P02' || pgCode === '23502') {
      req.log.warn({ pgCode }, 'constraint violation');
      return reply
        .status(400)
        .send({ error: { code: 'bad_request', message: '数据不符合约束（引用的记录不存在或取值无效）', requestId } });
    }
    if (pgCode === '23505')
      return reply.status(409).send({ error: { code: 'conflict', message: '记录已存在', requestId } });
    if (err.statusCode && err.statusCode < 500) {
      return reply.status(err.statusCode).send({
        error: {
          code: 'bad_request',
          message:
            err.statusCode === 415 ? '不支持的内容类型' : err.statusCode === 413 ? '请求内容过大' : '请求格式不正确',
          requestId,
        },
      });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal', message: '服务器内部错误，请稍后重试', requestId } });
  });
  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({ error: { code: 'not_found', message: '接口不存在', requestId: req.id } });
  });
}

/**
 * Values PostgreSQL refuses to store or compute with — a NUL in text (22021, 22P05), a number beyond its column
 * (22003), nesting beyond its stack (54001): the request's fault, answered 400 with what was wrong. Returns the
 * Chinese message, or null when the error is something else.
 */
export function pgInputRefusal(err: unknown): string | null {
  switch ((err as { code?: unknown } | null)?.code) {
    case '22021':
    case '22P05':
      return '内容含有无法保存的字符（如空字符 \\u0000）';
    case '22003':
      return '数值超出范围';
    case '54001':
      return '请求内容嵌套层级过深';
    default:
      return null;
  }
}
