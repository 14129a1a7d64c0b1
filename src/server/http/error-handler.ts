import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../errors.js';

// Every error leaves as { error: { code, message, details?, requestId } }. Messages are Chinese because
// screens show them as they are; unknown errors are logged with the request id and answered without internals.
export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const requestId = req.id;
    if (err instanceof AppError) {
      return reply.status(err.status).send({ error: { code: err.code, message: err.message, details: err.details, requestId } });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({ path: v.instancePath || v.params?.issue?.path?.join('.') || '', message: v.message }));
      return reply.status(400).send({ error: { code: 'bad_request', message: '请求参数不正确', details: { issues }, requestId } });
    }
    // Postgres constraint violations that slipped past validation: still the client's fault, never a 500.
    const pgCode = (err as unknown as { code?: string }).code;
    if (pgCode === '23503' || pgCode === '23514' || pgCode === '22P02' || pgCode === '23502') {
      req.log.warn({ pgCode }, 'constraint violation');
      return reply.status(400).send({ error: { code: 'bad_request', message: '数据不符合约束（引用的记录不存在或取值无效）', requestId } });
    }
    if (pgCode === '23505') return reply.status(409).send({ error: { code: 'conflict', message: '记录已存在', requestId } });
    if (err.statusCode && err.statusCode < 500) {
      return reply.status(err.statusCode).send({ error: { code: 'bad_request', message: err.statusCode === 415 ? '不支持的内容类型' : err.statusCode === 413 ? '请求内容过大' : '请求格式不正确', requestId } });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal', message: '服务器内部错误，请稍后重试', requestId } });
  });
  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({ error: { code: 'not_found', message: '接口不存在', requestId: req.id } });
  });
}
