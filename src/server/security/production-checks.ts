import { verify } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { DEV_WECHAT_TOKEN } from '../modules/channels/channel-settings.js';

// 等保 2.0 (安全计算环境, 身份鉴别) and 第六条: a production start must not run on what the repository itself publishes.
// The README prints the demo password, tests and docs carry keys and tokens anyone can read: a deployment that
// kept one of them would be open to whoever read the source. These checks refuse such a start with a message
// naming the setting (never its value); they are pure except the database look-up of demo passwords.

/**
 * PII keys (base64 of 32 bytes) that appear in the repository — tests, docs, benchmarks — collected by searching
 * for base64 literals of 32 bytes and the keys tests build in code (Buffer.alloc(32, n), which the single-byte rule
 * below covers for every n). A new fixed key in a test or doc belongs here too.
 */
export const REPOSITORY_PII_KEYS: readonly string[] = [
  Buffer.alloc(32, 0).toString('base64'),
  Buffer.alloc(32, 7).toString('base64'), // src/server/domain/masking.test.ts
  Buffer.alloc(32, 8).toString('base64'), // src/server/domain/masking.test.ts
];

/** WeChat tokens of development and of the tests (and the official sample a tutorial would copy). */
export const REPOSITORY_WECHAT_TOKENS: readonly string[] = [DEV_WECHAT_TOKEN, 'heze12345safe', 'QDG6eK', 'pamtest'];

/** EncodingAESKeys of the tests, including WeChat's published sample. */
export const REPOSITORY_WECHAT_AES_KEYS: readonly string[] = [
  'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  'Hz12345SafeModeKey0123456789abcdefghijklmno',
  'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
];

/** AppSecrets of the tests. */
export const REPOSITORY_WECHAT_APPSECRETS: readonly string[] = ['a1b2c3d4e5f60718293a4b5c6d7e8f90'];

/**
 * A random 32-byte key has about 30 distinct byte values; one with 16 or fewer was typed, not generated (the odds of
 * a random key having so few are about 2·10⁻¹⁵), e.g. "0123456789abcdef" twice.
 */
const MIN_DISTINCT_KEY_BYTES = 17;

export interface ProductionSettings {
  NODE_ENV: string;
  PII_KEY?: string;
  WECHAT_TOKEN?: string;
  WECHAT_ENCODING_AES_KEY?: string;
  WECHAT_APPSECRET?: string;
}

/** Why a PII key must not protect production data, or null when nothing is known against it. */
export function piiKeyProblem(key: string): string | null {
  const t = key.trim();
  const bytes = /^[A-Za-z0-9+/_-]+={0,2}$/.test(t) ? Buffer.from(t, 'base64') : Buffer.alloc(0);
  if (bytes.length !== 32) return 'PII_KEY must be 32 random bytes, base64-encoded (openssl rand -base64 32)';
  const canonical = bytes.toString('base64');
  if (REPOSITORY_PII_KEYS.includes(canonical))
    return 'PII_KEY is a key published in the repository (tests or docs); generate one with: openssl rand -base64 32';
  if (new Set(bytes).size < MIN_DISTINCT_KEY_BYTES)
    return 'PII_KEY is not random (all zero, one byte repeated or a typed pattern); generate one with: openssl rand -base64 32';
  return null;
}

/**
 * What refuses a production start in the configuration itself (empty outside production). Each line names the
 * setting and what to do; no value is repeated, since the message reaches logs.
 */
export function productionConfigProblems(cfg: ProductionSettings): string[] {
  if (cfg.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  if (!cfg.PII_KEY) problems.push('PII_KEY is required in production (openssl rand -base64 32)');
  else {
    const p = piiKeyProblem(cfg.PII_KEY);
    if (p) problems.push(p);
  }
  if (cfg.WECHAT_TOKEN && REPOSITORY_WECHAT_TOKENS.includes(cfg.WECHAT_TOKEN))
    problems.push(
      'WECHAT_TOKEN is the development default or a test value; set the token of your official account (or leave it unset to disable /wechat)',
    );
  if (cfg.WECHAT_ENCODING_AES_KEY && REPOSITORY_WECHAT_AES_KEYS.includes(cfg.WECHAT_ENCODING_AES_KEY))
    problems.push('WECHAT_ENCODING_AES_KEY is a sample or test key; set the EncodingAESKey of your official account');
  if (cfg.WECHAT_APPSECRET && REPOSITORY_WECHAT_APPSECRETS.includes(cfg.WECHAT_APPSECRET))
    problems.push('WECHAT_APPSECRET is a test value; set the AppSecret of your official account');
  return problems;
}

/**
 * Whether this start seeds the demo organisation and users: never in production (with a notice when SEED_DEMO=true
 * was asked for), by default elsewhere.
 */
export function demoSeedDecision(cfg: { NODE_ENV: string; SEED_DEMO?: 'true' | 'false' }): {
  seed: boolean;
  notice: string | null;
} {
  if (cfg.NODE_ENV === 'production')
    return {
      seed: false,
      notice:
        cfg.SEED_DEMO === 'true'
          ? 'SEED_DEMO=true is ignored in production: no demo data is seeded (create the first administrator with npm run admin:create)'
          : null,
    };
  return { seed: cfg.SEED_DEMO !== 'false', notice: null };
}

/**
 * Usernames of active people whose password is `password` (the demo password, for a production start): an argon2
 * verify per account, a few at a time. Machine accounts have no password ('!') and are skipped.
 */
export async function accountsWithPassword(db: Kysely<DB>, password: string): Promise<string[]> {
  const users = await db
    .selectFrom('users')
    .select(['username', 'password_hash'])
    .where('active', '=', true)
    .where('password_hash', '<>', '!')
    .orderBy('username')
    .execute();
  const found: string[] = [];
  const PARALLEL = 4;
  for (let i = 0; i < users.length; i += PARALLEL) {
    const batch = users.slice(i, i + PARALLEL);
    const hits = await Promise.all(batch.map((u) => verify(u.password_hash, password).catch(() => false)));
    batch.forEach((u, j) => hits[j] && found.push(u.username));
  }
  return found;
}

/** The refusal for accounts that still have the demo password, naming them. */
export function demoPasswordProblem(usernames: string[]): string | null {
  if (!usernames.length) return null;
  const shown = usernames.slice(0, 20).join(', ') + (usernames.length > 20 ? ` and ${usernames.length - 20} more` : '');
  return (
    `active accounts still have the demo password published in the README: ${shown}. ` +
    'Give each a one-time password (npm run user:reset-password -- --username <name>) or deactivate it, then start again'
  );
}
