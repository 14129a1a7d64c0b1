import type { FastifyInstance } from 'fastify';
import type { AppMetrics } from './metrics.js';
import { bearerMatches } from './metrics-token.js';
import type { ReadinessService } from './readiness.service.js';

const NOT_FOUND = { code: 'not_found', message: '接口不存在' };

/**
 * /healthz (liveness: the process answers), /readyz (readiness: its dependencies, see domain/readiness.ts) and
 * /metrics (Prometheus text; only with METRICS_TOKEN, as a Bearer token — otherwise it does not exist here, and a
 * deployment may serve it on an internal address instead, metrics-server.ts). All hidden from the OpenAPI document.
 */
export function healthRoutes(
  app: FastifyInstance,
  readiness: ReadinessService,
  metrics: { collector: AppMetrics | null; token?: string },
) {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    const r = await readiness.check();
    return reply
      .status(r.httpStatus)
      .header('cache-control', 'no-store')
      .send({ status: r.status, degraded: r.degraded, checks: r.checks });
  });

  // registered even when off: the web app's catch-all would otherwise answer GET /metrics with the app shell
  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    const { collector, token } = metrics;
    if (!collector || !token) return reply.status(404).send({ error: { ...NOT_FOUND, requestId: req.id } });
    if (!bearerMatches(req.headers.authorization, token)) {
      return reply
        .status(401)
        .header('www-authenticate', 'Bearer realm="metrics"')
        .send({ error: { code: 'unauthenticated', message: '需要有效的监控令牌', requestId: req.id } });
    }
    return reply
      .header('cache-control', 'no-store')
      .type(collector.contentType)
      .send(await collector.scrape());
  });
}
