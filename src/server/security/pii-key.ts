import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatKeyFile, keyringFromEnv, parseKeyFile } from '../domain/pii-keyring.js';
import type { Config } from '../config.js';
import { PiiCipher } from './pii-cipher.js';

/**
 * The PII keyring from PII_KEY (current), PII_KEY_VERSION and PII_KEYS_PREVIOUS, or (development only) from a key
 * file generated once under the data directory so an embedded installation keeps reading its own data across
 * restarts. The file may hold several versions, "version:base64key" a line (domain/pii-keyring.ts parseKeyFile);
 * the highest is current. A keyring that cannot be used throws a KeyringError naming the setting.
 */
export function loadPiiCipher(opts: {
  key?: string;
  version?: string;
  previous?: string;
  dataDir: string;
  production: boolean;
}): {
  cipher: PiiCipher;
  source: string;
} {
  if (opts.key) {
    const ring = keyringFromEnv(opts.key, opts.version, opts.previous);
    return { cipher: PiiCipher.keyring(ring.current, ring.previous), source: 'PII_KEY' };
  }
  if (opts.production) throw new Error('PII_KEY is required in production');
  const file = join(opts.dataDir, 'pii.key');
  if (!existsSync(file)) {
    mkdirSync(opts.dataDir, { recursive: true });
    writeFileSync(file, formatKeyFile([{ version: 1, key: Buffer.from(PiiCipher.generateKey(), 'base64') }]), {
      mode: 0o600,
    });
  }
  const ring = parseKeyFile(readFileSync(file, 'utf8'), file);
  return { cipher: PiiCipher.keyring(ring.current, ring.previous), source: file };
}

/** The keyring as configured (config.ts): what the server and the operational commands both read. */
export function loadConfiguredPiiCipher(
  config: Pick<Config, 'PII_KEY' | 'PII_KEY_VERSION' | 'PII_KEYS_PREVIOUS' | 'DATA_DIR' | 'NODE_ENV'>,
) {
  return loadPiiCipher({
    key: config.PII_KEY,
    version: config.PII_KEY_VERSION,
    previous: config.PII_KEYS_PREVIOUS,
    dataDir: config.DATA_DIR,
    production: config.NODE_ENV === 'production',
  });
}
