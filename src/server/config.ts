import { z } from 'zod';
import { keyringFromEnv } from './domain/pii-keyring.js';

// Every setting comes from the environment, validated once at start-up so a bad value fails loudly
// before the server accepts traffic.
const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  // PostgreSQL server; when empty the embedded PGlite database under DATA_DIR is used.
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().default('./data'),
  // PostgreSQL only: the connections each process keeps open. Processes × this, plus backups and consoles, must stay
  // below the server's max_connections (docs/operations.md, "Sizing PostgreSQL").
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  // PGlite only: "on" fsyncs every commit to disk (survives a power loss); off by default because it costs about a
  // third of ticket-creation throughput on the measured machine (bench/pglite-durability.ts, docs/operations.md).
  PGLITE_FSYNC: z.enum(['on', 'off']).default('off'),
  // 32-byte key, base64, for AES-256-GCM encryption of personal data (第六条). In development a key
  // file under DATA_DIR is generated when this is unset; production refuses to start without it.
  PII_KEY: z.string().optional(),
  // Key rotation (第六条, docs/operations.md): the version of PII_KEY (new ciphertexts are "v<n>."; data from before
  // rotation existed is version 1), and older keys still needed for reading, as comma-separated "version:base64key".
  // Checked by domain/pii-keyring.ts below; without PII_KEY the development key file holds every version instead.
  PII_KEY_VERSION: z.string().optional(),
  PII_KEYS_PREVIOUS: z.string().optional(),
  // Rows re-encrypted per rotation batch: one short transaction each, committed with the rotation's cursor.
  PII_ROTATION_BATCH_SIZE: z.coerce.number().int().min(10).max(5_000).default(500),
  // Which jobs this process runs: "http", "scheduler" or both (comma separated) — lets a deployment
  // run several stateless HTTP processes and any number of schedulers (the sweeper is SKIP LOCKED safe).
  ROLES: z.string().default('http,scheduler'),
  SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(100).default(15_000),
  // 等保 2.0 身份鉴别: a session ends SESSION_TTL_HOURS after sign-in, or SESSION_IDLE_MINUTES after its last use
  SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .positive()
    .max(24 * 60)
    .default(30),
  // Issue 8: seconds an app process keeps a signed-in session instead of reading it on every request (0: never).
  // Every change of a session, user, unit region or security setting is announced by the database and drops the
  // entry at once in every process (migration 0049, modules/auth/session-cache.ts); this is only the backstop.
  SESSION_CACHE_SECONDS: z.coerce.number().int().min(0).max(60).default(5),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Demo organisation, users and knowledge on an empty database: on by default outside production, never in
  // production whatever this says (security/production-checks.ts).
  SEED_DEMO: z.enum(['true', 'false']).optional(),
  // A year of demo tickets (issues 10 and 12) with the demo data: on by default where the demo is seeded, never in
  // production (the demo is not); DEMO_HISTORY_TICKETS sizes it (default 4 000: about 15 s on PGlite, once).
  DEMO_HISTORY: z.enum(['true', 'false']).optional(),
  DEMO_HISTORY_TICKETS: z.coerce.number().int().min(100).max(2_000_000).optional(),
  COOKIE_SECURE: z.enum(['true', 'false']).default('false'),
  // Behind a reverse proxy (docs/operations.md): which proxies' X-Forwarded-For to believe, so the audit, the login
  // throttle and rate limits see the client's address rather than the proxy's. "false" (direct), "true" (any: only
  // when nothing but the proxy can reach the app), or comma-separated addresses/CIDRs of the proxies.
  TRUST_PROXY: z
    .string()
    .trim()
    .regex(/^(true|false|[0-9A-Fa-f.:/]+(\s*,\s*[0-9A-Fa-f.:/]+)*)$/, 'TRUST_PROXY: true, false or addresses/CIDRs')
    .default('false'),
  TIMEZONE_OFFSET_MINUTES: z.coerce.number().int().default(480),
  // Channels (第二条). The WeChat token is the one configured in the official account's server settings
  // (3–32 letters/digits); unset in production disables /wechat instead of trusting a known dev value.
  WECHAT_TOKEN: z
    .string()
    .regex(/^[A-Za-z0-9]{3,32}$/, 'WECHAT_TOKEN must be 3-32 letters or digits')
    .optional(),
  WECHAT_APPID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'WECHAT_APPID must be the account AppID (letters, digits, _ or -)')
    .optional(),
  // 安全模式: the 43-character EncodingAESKey of the server configuration. With it, messages pushed with
  // encrypt_type=aes are decrypted and answered encrypted; the AppID is then required, since every decrypted
  // message names the account it was meant for.
  WECHAT_ENCODING_AES_KEY: z
    .string()
    .regex(/^[A-Za-z0-9]{43}$/, 'WECHAT_ENCODING_AES_KEY must be the 43 letters/digits of the EncodingAESKey')
    .optional(),
  // With the AppSecret, pictures, voice and video users send are downloaded from the WeChat API (第九条) by
  // the scheduler; without it they stay references. The API base is configurable for a proxy or a test double.
  WECHAT_APPSECRET: z
    .string()
    .regex(/^[A-Za-z0-9]{16,64}$/, 'WECHAT_APPSECRET must be the AppSecret (letters and digits)')
    .optional(),
  WECHAT_API_BASE: z.url({ protocol: /^https?$/ }).default('https://api.weixin.qq.com'),
  WECHAT_MEDIA_INTERVAL_MS: z.coerce.number().int().min(100).default(15_000),
  // Outbound SMS: "log" writes a line with the masked number only; a real gateway adapter adds a value here.
  SMS_SENDER: z.enum(['log']).default('log'),
  OUTBOX_INTERVAL_MS: z.coerce.number().int().min(100).default(10_000),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
  // Open311 GeoReport v2: the one jurisdiction served, and the public endpoint URL announced by discovery
  // (behind a proxy the request's own host is not the address partners must use).
  OPEN311_JURISDICTION: z.string().trim().min(1).max(100).default('heze.gov.cn'),
  OPEN311_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  // Monitoring (docs/operations.md). METRICS_TOKEN: /metrics answers Prometheus text to "Authorization: Bearer <token>"
  // (without it /metrics does not exist on the app's address). METRICS_PORT: a separate listener on METRICS_HOST
  // serving only /metrics (the token is required there too when set), for an address only the monitoring reaches.
  // (an empty value, as env files write an unset one, is unset)
  METRICS_TOKEN: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(/^[\x21-\x7e]{24,256}$/, 'METRICS_TOKEN must be 24-256 visible ASCII characters')
      .optional(),
  ),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  METRICS_PORT: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(1).max(65535).optional()),
  // /readyz reports "degraded" when an undelivered outbound message is older than this, or a deadline has been past
  // due without being marked for longer than this (no scheduler sweeping, or one that cannot keep up).
  READY_OUTBOX_MAX_AGE_SECONDS: z.coerce.number().int().min(1).default(900),
  READY_SWEEPER_MAX_LAG_SECONDS: z.coerce.number().int().min(1).default(300),
});

export type Config = z.infer<typeof schema> & { roles: Set<string> };

/** TRUST_PROXY as Fastify's trustProxy option. */
export function trustProxyOption(v: string): boolean | string {
  return v === 'true' ? true : v === 'false' ? false : v;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const cfg = parsed.data;
  if (cfg.NODE_ENV === 'production' && !cfg.PII_KEY) throw new Error('PII_KEY is required in production');
  if (cfg.PII_KEY) {
    try {
      keyringFromEnv(cfg.PII_KEY, cfg.PII_KEY_VERSION, cfg.PII_KEYS_PREVIOUS);
    } catch (err) {
      throw new Error(`Invalid configuration:\n${(err as Error).message}`, { cause: err });
    }
  } else if (cfg.PII_KEY_VERSION !== undefined || cfg.PII_KEYS_PREVIOUS)
    throw new Error(
      'Invalid configuration:\nPII_KEY_VERSION and PII_KEYS_PREVIOUS need PII_KEY (without it the key file under DATA_DIR holds every version)',
    );
  if (cfg.WECHAT_ENCODING_AES_KEY && !cfg.WECHAT_APPID)
    throw new Error('Invalid configuration:\nWECHAT_APPID is required with WECHAT_ENCODING_AES_KEY');
  if (cfg.WECHAT_APPSECRET && !cfg.WECHAT_APPID)
    throw new Error('Invalid configuration:\nWECHAT_APPID is required with WECHAT_APPSECRET');
  return {
    ...cfg,
    roles: new Set(
      cfg.ROLES.split(',')
        .map((r) => r.trim())
        .filter(Boolean),
    ),
  };
}

/**
 * Where the data lives, read exactly as the server reads it (same names, same defaults) and nothing else: backup and
 * restore run where the rest of the configuration (keys, channel secrets) may be absent, e.g. a restore drill.
 */
export function loadStorageConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = schema.pick({ DATABASE_URL: true, DATA_DIR: true, PGLITE_FSYNC: true }).safeParse(env);
  if (!parsed.success)
    throw new Error(
      `Invalid configuration:\n${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  return parsed.data;
}
