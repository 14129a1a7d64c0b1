import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PiiCipher } from './pii-cipher.js';

/**
 * The PII key from PII_KEY, or (development only) a key file generated once under the data directory so
 * an embedded installation keeps reading its own data across restarts.
 */
export function loadPiiCipher(opts: { key?: string; dataDir: string; production: boolean }): {
  cipher: PiiCipher;
  source: string;
} {
  if (opts.key) return { cipher: PiiCipher.fromBase64(opts.key), source: 'PII_KEY' };
  if (opts.production) throw new Error('PII_KEY is required in production');
  const file = join(opts.dataDir, 'pii.key');
  if (!existsSync(file)) {
    mkdirSync(opts.dataDir, { recursive: true });
    writeFileSync(file, PiiCipher.generateKey() + '\n', { mode: 0o600 });
  }
  return { cipher: PiiCipher.fromBase64(readFileSync(file, 'utf8').trim()), source: file };
}
