import { z } from 'zod';

// Every setting comes from the environment, validated once at start-up so a bad value fails loudly
// before the server accepts traffic.
const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  // PostgreSQL server; when empty the embedded PGlite database under DATA_DIR is used.
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().default('./data'),
  // PGlite only: "on" fsyncs every commit to disk (survives a power loss); off by default because it costs about a
  // third of ticket-creation throughput on the measured machine (bench/pglite-durability.ts, docs/operations.md).
  PGLITE_FSYNC: z.enum(['on', 'off']).default('off'),
  // 32-byte key, base64, for AES-256-GCM encryption of personal data (第六条). In development a key
  // file under DATA_DIR is generated when this is unset; production refuses to start without it.
  PII_KEY: z.string().optional(),
  // Which jobs this process runs: "http", "scheduler" or both (comma separated) — lets a deployment
  // run several stateless HTTP processes and any number of schedulers (the sweeper is SKIP LOCKED safe).
  ROLES: z.string().default('http,scheduler'),
  SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(100).default(15_000),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SEED_DEMO: z.enum(['true', 'false']).default('true'),
  COOKIE_SECURE: z.enum(['true', 'false']).default('false'),
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
});

export type Config = z.infer<typeof schema> & { roles: Set<string> };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const cfg = parsed.data;
  if (cfg.NODE_ENV === 'production' && !cfg.PII_KEY) throw new Error('PII_KEY is required in production');
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
