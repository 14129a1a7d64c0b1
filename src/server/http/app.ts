import { authChangeFeed } from '../db/database.js';
import { SessionCache } from '../modules/auth/session-cache.js';
import type { SessionUser } from '../modules/auth/auth.service.js';
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Clock } from '../clock.js';
import type { PiiCipher } from '../security/pii-cipher.js';
import { authRoutes } from '../modules/auth/auth.routes.js';
import { configRoutes } from '../modules/config/config.routes.js';
import { adminRoutes } from '../modules/config/admin.routes.js';
import { ticketRoutes } from '../modules/tickets/tickets.routes.js';
import {
  dispatchChangeRoutes,
  replySignoffRoutes,
  ticketHandlerRoutes,
} from '../modules/tickets/dispatch-changes.routes.js';
import { subDispatchRoutes } from '../modules/tickets/sub-dispatch.routes.js';
import { intakeRoutes } from '../modules/intake/intake.routes.js';
import { publicRoutes } from '../modules/public/public.routes.js';
import { LocalDiskStorage, type AttachmentStorage } from '../modules/intake/attachment-storage.js';
import { statsRoutes } from '../modules/stats/stats.routes.js';
import { open311Routes } from '../modules/open311/open311.routes.js';
import { channelRoutes } from '../modules/channels/channels.routes.js';
import { knowledgeAnsweringRoutes } from '../modules/knowledge/knowledge-search.routes.js';
import { knowledgeAuthoringRoutes } from '../modules/knowledge/knowledge-articles.routes.js';
import { sharingRoutes } from '../modules/sharing/sharing.routes.js';
import { piiKeyRoutes } from '../modules/pii-keys/pii-keys.routes.js';
import { exportRoutes } from '../modules/exports/exports.routes.js';
import { auditRoutes } from '../modules/audit/audit.routes.js';
import { assessmentRoutes } from '../modules/assessment/assessment.routes.js';
import { supervisionRoutes } from '../modules/supervision/supervision.routes.js';
import { referralRoutes } from '../modules/referrals/referrals.routes.js';
import { presenceRoutes } from '../modules/presence/presence.routes.js';
import { savedViewRoutes } from '../modules/views/saved-views.routes.js';
import { callbackAttemptRoutes } from '../modules/tickets/callback-attempts.routes.js';
import { matterRoutes } from '../modules/matters/matters.routes.js';
import { workFileRoutes } from '../modules/work-files/work-files.routes.js';
import { classificationRoutes } from '../modules/classification/classification.routes.js';
import { disclosureRoutes } from '../modules/disclosure/disclosure.routes.js';
import { analyticsRoutes } from '../modules/analytics/analytics.routes.js';
import { forecastRoutes } from '../modules/forecast/forecast.routes.js';
import { emergingRoutes } from '../modules/emerging/emerging.routes.js';
import { unitAnalysisRoutes } from '../modules/unit-analysis/unit-analysis.routes.js';
import { warningRoutes } from '../modules/warnings/warnings.routes.js';
import { gridRoutes } from '../modules/grids/grids.routes.js';
import { notificationRoutes } from '../modules/notifications/notifications.routes.js';
import { registerWeb } from './static-web.js';
import {
  registerSecurityHeaders,
  setFrameworkErrorHeaders,
  swaggerUiContentSecurityPolicy,
} from './security-headers.js';
import { healthRoutes } from '../modules/health/health.routes.js';
import { createMetrics, type AppMetrics } from '../modules/health/metrics.js';
import { DEFAULT_READINESS, ReadinessService, type ReadinessOptions } from '../modules/health/readiness.service.js';
import { open311Url } from '../modules/open311/open311.routes.js';
import { registerAuth } from './auth-plugin.js';
import { registerErrorHandler } from './error-handler.js';
import { answerFrameworkError, registerInputGuard } from './input-guard.js';
import { buildServices, type Services } from './services.js';

export interface AppOptions {
  db: Kysely<DB>;
  clock: Clock;
  cipher: PiiCipher;
  logLevel?: string;
  sessionTtlHours?: number;
  /** 等保 2.0: a session unused this long ends (SESSION_IDLE_MINUTES; default 30) */
  sessionIdleMinutes?: number;
  secureCookie?: boolean;
  /** Where attachments are kept; defaults to local disk under attachmentDir. */
  storage?: AttachmentStorage;
  attachmentDir?: string;
  /** Fastify's trustProxy (TRUST_PROXY): whose X-Forwarded-For gives req.ip */
  trustProxy?: boolean | string;
  /**
   * Prometheus metrics: `collect` keeps them (METRICS_TOKEN or METRICS_PORT set); `token` also serves them at
   * /metrics of this app to a Bearer of that token. Off by default: /metrics answers 404.
   */
  metrics?: { collect: boolean; token?: string };
  /**
   * Issue 8: seconds an app process may keep a signed-in session's user (SESSION_CACHE_SECONDS; 0 or absent: read it
   * on every request). Only where the database announces changes (openDatabase's feed, migration 0049).
   */
  sessionCacheSeconds?: number;
  /** /readyz thresholds (READY_* settings) */
  readiness?: Partial<ReadinessOptions>;
  /** the web build to serve (default WEB_DIST_DIR) */
  webRoot?: string;
}

// Request and response bodies are never logged: they carry names, phone numbers and addresses (第六条).
// Only method, URL, status, timing, request id and user id are.
const REDACT = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'];

export async function buildApp(
  opts: AppOptions,
): Promise<{ app: FastifyInstance; services: Services; metrics: AppMetrics | null }> {
  const app = Fastify({
    logger: { level: opts.logLevel ?? 'info', redact: REDACT },
    genReqId: (req) =>
      typeof req.headers['x-request-id'] === 'string' && req.headers['x-request-id'].length <= 100
        ? req.headers['x-request-id']
        : randomUUID(),
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    trustProxy: opts.trustProxy ?? false,
    // a URL that does not decode or a path parameter over the router's limit: the same structured 400 as other bad input
    frameworkErrors: (err, req, reply) => {
      setFrameworkErrorHeaders(reply, opts.secureCookie ?? false);
      void answerFrameworkError(err, req, reply);
    },
    // "/open311/v2//services.xml" (a client joining a base URL that ends in a slash) is "/open311/v2/services.xml"
    rewriteUrl: (req) => open311Url(req.url ?? '/'),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // first of all hooks: every response has the security headers, including those refused by a later hook
  await registerSecurityHeaders(app, { secure: opts.secureCookie ?? false });
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  registerErrorHandler(app);
  // before every route: NUL bytes and absurd nesting are a 400 for all of them (issue 8)
  registerInputGuard(app);
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: {
        title: '菏泽市12345政务服务便民热线 API',
        version: '0.1.0',
        description: 'Ticket lifecycle of the Heze 12345 hotline regulation (第八、十二、十四至十七、二十条).',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'hz_sid' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  // its own <style> elements have no nonce: a documented relaxation on its routes only (security-headers.ts)
  await app.register(swaggerUi, { routePrefix: '/api/docs', transformStaticCSP: swaggerUiContentSecurityPolicy });

  const feed = opts.sessionCacheSeconds ? authChangeFeed(opts.db) : null;
  const sessionCache = feed ? new SessionCache<SessionUser>(opts.sessionCacheSeconds! * 1000) : null;
  if (feed && sessionCache) {
    const stop = feed.listen(
      (payload) => sessionCache.invalidate(payload),
      (up) => sessionCache.setListening(up),
    );
    app.addHook('onClose', async () => stop());
  }
  const services = buildServices(
    { db: opts.db, clock: opts.clock, cipher: opts.cipher },
    {
      sessionTtlHours: opts.sessionTtlHours ?? 12,
      sessionIdleMinutes: opts.sessionIdleMinutes,
      sessionCache,
      storage: opts.storage ?? new LocalDiskStorage(opts.attachmentDir ?? './data/attachments'),
      log: app.log,
    },
  );
  registerAuth(app, services.auth);

  const metrics =
    opts.metrics?.collect || opts.metrics?.token ? createMetrics(app, { db: opts.db, clock: opts.clock }) : null;
  if (metrics) app.addHook('onClose', async () => metrics.close());
  healthRoutes(app, new ReadinessService(opts.db, opts.clock, { ...DEFAULT_READINESS, ...opts.readiness }), {
    collector: metrics,
    token: opts.metrics?.token,
  });
  authRoutes(app, services, { secureCookie: opts.secureCookie ?? false });
  configRoutes(app, services);
  adminRoutes(app, services);
  ticketRoutes(app, services);
  dispatchChangeRoutes(app, services);
  replySignoffRoutes(app, services);
  ticketHandlerRoutes(app, services);
  subDispatchRoutes(app, services);
  intakeRoutes(app, services);
  publicRoutes(app, services);
  statsRoutes(app, services);
  await open311Routes(app, services);
  channelRoutes(app, services);
  knowledgeAnsweringRoutes(app, services);
  knowledgeAuthoringRoutes(app, services);
  sharingRoutes(app, services);
  auditRoutes(app, services);
  piiKeyRoutes(app, services);
  assessmentRoutes(app, services);
  supervisionRoutes(app, services);
  referralRoutes(app, services);
  presenceRoutes(app, services);
  savedViewRoutes(app, services);
  callbackAttemptRoutes(app, services);
  matterRoutes(app, services);
  workFileRoutes(app, services);
  classificationRoutes(app, services);
  disclosureRoutes(app, services);
  analyticsRoutes(app, services);
  forecastRoutes(app, services);
  emergingRoutes(app, services);
  unitAnalysisRoutes(app, services);
  warningRoutes(app, services);
  gridRoutes(app, services);
  notificationRoutes(app, services);
  exportRoutes(app, services);
  await registerWeb(app, { root: opts.webRoot });
  return { app, services, metrics };
}
