import { loadConfig, trustProxyOption } from './config.js';
import { systemClock } from './clock.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { buildApp } from './http/app.js';
import { startMetricsServer } from './modules/health/metrics-server.js';
import { startScheduler } from './jobs/scheduler.js';
import { OutboxWorker, startOutbox } from './jobs/outbox.js';
import { createSmsSender } from './modules/channels/sms-sender.js';
import { WechatApiClient } from './modules/channels/wechat-api.js';
import { SIZE_LIMITS } from './modules/intake/attachment-storage.js';
import { startWechatMedia, WechatMediaFetcher } from './jobs/wechat-media.js';
import { startDataSharing } from './jobs/data-sharing.js';
import { startPiiKeyRotation } from './jobs/pii-key-rotation.js';
import { loadConfiguredPiiCipher } from './security/pii-key.js';
import { seedDemo, seedReferenceData } from './seed/seed.js';
import { seedDemoHistory } from './demo/history.js';
import { seedDemoAccountability } from './demo/accountability-demo.js';
import { seedDemoDisclosure } from './demo/disclosure-demo.js';
import { seedDemoMatters } from './demo/matters-demo.js';
import { seedDemoGrids } from './demo/grids-demo.js';
import { seedDemoWarnings } from './demo/warnings-demo.js';
import { DEMO_PASSWORD, USERS } from './seed/heze-organisation.js';
import { ROLE_LABELS, type Role } from './modules/auth/actor.js';
import {
  accountsWithPassword,
  demoPasswordProblem,
  demoSeedDecision,
  productionConfigProblems,
} from './security/production-checks.js';

/** 等保 2.0: a start that must not happen says why on stderr and exits 1. */
function refuseToStart(problems: string[]) {
  if (!problems.length) return;
  process.stderr.write(`Refusing to start in production:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exit(1);
}

const config = loadConfig();
// 等保 2.0: production refuses the repository's own secrets before anything is opened
refuseToStart(productionConfigProblems(config));
const handle = await openDatabase({
  url: config.DATABASE_URL,
  dataDir: config.DATA_DIR,
  poolSize: config.DATABASE_POOL_SIZE,
  durable: config.PGLITE_FSYNC === 'on',
});
const { cipher, source } = loadConfiguredPiiCipher(config);
const applied = await migrateToLatest(handle.db);
await seedReferenceData(handle.db);
// never in production, whatever SEED_DEMO says: the first administrator comes from npm run admin:create
const demo = demoSeedDecision(config);
const seeded = demo.seed ? await seedDemo(handle.db, systemClock.now(), DEMO_PASSWORD, true) : null;
// issues 10 and 12: a year of demo tickets so the supervision, assessment and analysis screens show something true;
// written once (skipped when the database already holds older tickets), with a progress line
if (demo.seed && config.DEMO_HISTORY !== 'false')
  await seedDemoHistory(handle.db, cipher, systemClock.now(), {
    tickets: config.DEMO_HISTORY_TICKETS ?? 4_000,
    log: (line) => console.log(line),
  });
// issue 10: a few staff complaints and misconduct referrals at their various steps (once)
if (demo.seed) await seedDemoAccountability(handle.db, systemClock.now());
// 第二十五、二十六条: the long-running matter of the history registered as a 专题 (once)
if (demo.seed) await seedDemoMatters(handle.db, systemClock.now());
// 第二十九条: the demo grid workers' 主动发现 reports of the last weeks (once)
if (demo.seed && config.DEMO_HISTORY !== 'false') await seedDemoGrids(handle.db, cipher, systemClock.now());
// 第二十七条: yesterday's odour spike and two sensitive-word tickets; the collective pass once, spikes by the scheduler
if (demo.seed && config.DEMO_HISTORY !== 'false') await seedDemoWarnings(handle.db, cipher, systemClock.now());
if (config.NODE_ENV === 'production') {
  const problem = demoPasswordProblem(await accountsWithPassword(handle.db, DEMO_PASSWORD));
  if (problem) {
    await handle.close();
    refuseToStart([problem]);
  }
}

const { app, services, metrics } = await buildApp({
  db: handle.db,
  clock: systemClock,
  cipher,
  logLevel: config.LOG_LEVEL,
  sessionTtlHours: config.SESSION_TTL_HOURS,
  sessionIdleMinutes: config.SESSION_IDLE_MINUTES,
  sessionCacheSeconds: config.SESSION_CACHE_SECONDS,
  secureCookie: config.COOKIE_SECURE === 'true',
  attachmentDir: `${config.DATA_DIR}/attachments`,
  trustProxy: trustProxyOption(config.TRUST_PROXY),
  metrics: { collect: !!(config.METRICS_TOKEN || config.METRICS_PORT), token: config.METRICS_TOKEN },
  readiness: {
    outboxMaxAgeSeconds: config.READY_OUTBOX_MAX_AGE_SECONDS,
    sweeperMaxLagSeconds: config.READY_SWEEPER_MAX_LAG_SECONDS,
  },
});
// Prometheus on an address of its own (e.g. 127.0.0.1:9464) when METRICS_PORT is set, whatever this process's roles
const metricsServer =
  metrics && config.METRICS_PORT
    ? await startMetricsServer(metrics, {
        host: config.METRICS_HOST,
        port: config.METRICS_PORT,
        token: config.METRICS_TOKEN,
      })
    : null;
if (metricsServer) app.log.info({ metrics: metricsServer.url }, 'metrics listener ready');
if (demo.notice) app.log.warn(demo.notice);
app.log.info(
  {
    database: handle.kind,
    migrations: applied,
    demoSeeded: seeded !== null,
    piiKey: source === 'PII_KEY' ? 'env' : 'file',
    piiKeyVersion: cipher.currentVersion,
    piiKeyPreviousVersions: cipher.previousVersions,
  },
  'database ready',
);
// 第六条: an old PII key removed while rows still need it (e.g. tracking codes hashed with it): say which
const piiMissing = await services.piiKeys.missingVersions();
if (piiMissing.length)
  app.log.warn(
    { missingVersions: piiMissing },
    'PII key versions still needed by stored data are not configured (PII_KEYS_PREVIOUS); see 系统管理 → 个人信息密钥',
  );
// docs/operations.md: without fsync a power loss can take the last commits with it
if (handle.kind === 'pglite' && config.NODE_ENV === 'production')
  app.log.warn(
    { pgliteFsync: config.PGLITE_FSYNC },
    'embedded PGlite in production: use PostgreSQL (DATABASE_URL)' +
      (config.PGLITE_FSYNC === 'on' ? '' : '; commits are not fsynced (PGLITE_FSYNC=on)'),
  );
// 第八条: a year within the next 90 days whose holidays no admin has confirmed (no personal data in this line).
const coverage = await services.config.calendarYears.coverage();
if (coverage.warnings.length)
  app.log.warn(
    { unconfirmedYears: coverage.unconfirmedYears, horizonEnd: coverage.horizonEnd },
    `working calendar: ${coverage.warnings.join(' ')}`,
  );

// Listen first: the background workers' first passes (a fresh demo's year of events) keep the one PGlite connection
// busy for a while, and the printed URL should answer at once.
if (config.roles.has('http')) {
  const address = await app.listen({ host: config.HOST, port: config.PORT });
  const url = address.replace('127.0.0.1', 'localhost');
  const logins = USERS.filter((u) => !u.machine)
    .map((u) => `  ${u.username.padEnd(14)} ${u.roles.map((r) => ROLE_LABELS[r as Role]).join('/')}`)
    .join('\n');
  // the demo password is printed only where the demo may exist: never in production
  const accounts = demo.seed
    ? `Demo logins (password ${DEMO_PASSWORD}):\n${logins}\n\n`
    : 'No demo data. Create the first administrator with: npm run admin:create -- --username <name>\n\n';
  process.stdout.write(
    `\n菏泽市12345政务服务便民热线 is running (${handle.kind}${handle.kind === 'pglite' ? `, data in ${config.DATA_DIR}` : ''})\n` +
      `  ${url}/          工作台 (staff workbench)\n  ${url}/portal    公众门户 (public portal, no login)\n  ${url}/api/docs  API documentation (OpenAPI)\n  ${url}/healthz\n\n${accounts}`,
  );
}

const scheduler = config.roles.has('scheduler')
  ? startScheduler(handle.db, systemClock, config.SCHEDULER_INTERVAL_MS, app.log, handle.kind)
  : null;
// 第二十一条: last month's report published in the demo, in the background once the assessment rollup has read the
// demo history (it never delays the start; skipped once any report exists)
if (demo.seed)
  void seedDemoDisclosure(handle.db, services.disclosure.reports, systemClock)
    .then((r) => r.month && app.log.info({ month: r.month }, 'demo disclosure report published'))
    .catch((err: unknown) => app.log.warn({ err }, 'demo disclosure report not published'));
// SMS receipts, tracking codes and notices leave through the outbox (SKIP LOCKED safe with several schedulers).
const outbox = config.roles.has('scheduler')
  ? startOutbox(
      new OutboxWorker(handle.db, systemClock, cipher, createSmsSender(config.SMS_SENDER, app.log), app.log, {
        maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
      }),
      config.OUTBOX_INTERVAL_MS,
      app.log,
    )
  : null;
// 第三十条: units' feeds and webhook pushes, and the access log's retention (SKIP LOCKED safe with several schedulers)
const dataSharing = config.roles.has('scheduler')
  ? startDataSharing(handle.db, systemClock, cipher, app.log, Math.min(config.OUTBOX_INTERVAL_MS, 5_000))
  : null;
// 第六条: a PII key rotation started on the admin screen runs here, batch by batch (SKIP LOCKED safe, resumable)
const piiRotation = config.roles.has('scheduler')
  ? startPiiKeyRotation(handle.db, systemClock, cipher, app.log, {
      intervalMs: 2_000,
      batchSize: config.PII_ROTATION_BATCH_SIZE,
    })
  : null;
// With the AppSecret, the WeChat API downloads what users send (第九条) and carries the centre's answers back to
// them as customer-service messages; one client, so one cached access token for both.
const wechatApi =
  config.roles.has('scheduler') && config.WECHAT_APPID && config.WECHAT_APPSECRET
    ? new WechatApiClient(
        {
          base: config.WECHAT_API_BASE,
          appId: config.WECHAT_APPID,
          appSecret: config.WECHAT_APPSECRET,
          maxBytes: SIZE_LIMITS.video,
        },
        systemClock,
      )
    : null;
const wechatMedia = wechatApi
  ? startWechatMedia(
      new WechatMediaFetcher(handle.db, systemClock, services.storage, wechatApi, app.log),
      config.WECHAT_MEDIA_INTERVAL_MS,
      app.log,
    )
  : null;
const wechatOutbox = wechatApi
  ? startOutbox(
      new OutboxWorker(handle.db, systemClock, cipher, wechatApi, app.log, {
        maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
        channel: 'wechat',
      }),
      config.OUTBOX_INTERVAL_MS,
      app.log,
      'outbox-wechat',
    )
  : null;
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  app.log.info({ signal }, 'shutting down');
  await scheduler?.stop();
  await outbox?.stop();
  await dataSharing?.stop();
  await piiRotation?.stop();
  await wechatMedia?.stop();
  await wechatOutbox?.stop();
  await metricsServer?.close();
  await app.close();
  await handle.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
