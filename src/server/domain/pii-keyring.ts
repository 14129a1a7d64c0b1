// 第六条: the PII keyring as configured — which key versions exist and which one is current. Pure parsing and
// checks; the cipher (security/pii-cipher.ts) derives keys from what this returns.
//
// Versions are positive integers (at most 2^31 - 1: they are stored in integer columns). Ciphertexts carry their
// version as the prefix "v<n>."; data written before key rotation existed is "v1.", so a first deployment is
// version 1 with nothing to migrate.

export const MAX_KEY_VERSION = 2_147_483_647;

/** One configured key: its version and the 32-byte master key it names. */
export interface KeyringEntry {
  version: number;
  key: Buffer;
}

export interface Keyring {
  current: KeyringEntry;
  /** older keys kept for reading (and for keyed hashes made with them), newest first */
  previous: KeyringEntry[];
}

/** A keyring that cannot be used; the message names the setting and never contains key material. */
export class KeyringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyringError';
  }
}

/** A version as written in configuration: digits only, no sign, no leading zero, within MAX_KEY_VERSION. */
export function parseKeyVersion(text: string, where: string): number {
  const t = text.trim();
  const n = /^[1-9]\d{0,9}$/.test(t) ? Number(t) : NaN;
  if (!Number.isSafeInteger(n) || n > MAX_KEY_VERSION)
    throw new KeyringError(`${where}: key version "${t.slice(0, 20)}" must be a positive integer`);
  return n;
}

/** A key as written in configuration: base64 (standard or URL-safe) of exactly 32 bytes. */
export function parseKey(text: string, where: string): Buffer {
  const t = text.trim();
  const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(t) ? Buffer.from(t, 'base64') : Buffer.alloc(0);
  if (key.length !== 32) throw new KeyringError(`${where}: the key must be 32 bytes, base64-encoded`);
  return key;
}

/** One "version:base64key" pair (PII_KEYS_PREVIOUS entries and key-file lines). */
function parseEntry(text: string, where: string): KeyringEntry {
  const i = text.indexOf(':');
  if (i < 0) throw new KeyringError(`${where}: expected "version:base64key"`);
  const version = parseKeyVersion(text.slice(0, i), where);
  return { version, key: parseKey(text.slice(i + 1), `${where} (version ${version})`) };
}

/** PII_KEYS_PREVIOUS: comma-separated "version:base64key" of older keys still needed for reading. */
export function parsePreviousKeys(text: string | undefined): KeyringEntry[] {
  if (!text || !text.trim()) return [];
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s, i) => parseEntry(s, `PII_KEYS_PREVIOUS entry ${i + 1}`));
}

/**
 * Refuses a keyring a process must not start with: a version twice (the current one also among the previous, or a
 * previous one repeated) would make "v<n>." ambiguous; the previous keys are returned newest first.
 */
export function checkKeyring(current: KeyringEntry, previous: KeyringEntry[]): Keyring {
  const seen = new Set([current.version]);
  for (const p of previous) {
    if (p.version === current.version)
      throw new KeyringError(
        `PII_KEYS_PREVIOUS: version ${p.version} is the current version (PII_KEY_VERSION); list only older keys`,
      );
    if (seen.has(p.version)) throw new KeyringError(`PII_KEYS_PREVIOUS: version ${p.version} is listed twice`);
    seen.add(p.version);
  }
  return { current, previous: [...previous].sort((a, b) => b.version - a.version) };
}

/** The keyring from the environment: PII_KEY (current), PII_KEY_VERSION (default 1), PII_KEYS_PREVIOUS. */
export function keyringFromEnv(key: string, version: string | undefined, previous: string | undefined): Keyring {
  const current = {
    version: version === undefined ? 1 : parseKeyVersion(version, 'PII_KEY_VERSION'),
    key: parseKey(key, 'PII_KEY'),
  };
  return checkKeyring(current, parsePreviousKeys(previous));
}

/**
 * The development key file under DATA_DIR (pii.key). One key a line, "version:base64key"; a bare key (no
 * "version:") is version 1, as every file written before key rotation is. Blank lines and lines starting with "#"
 * are ignored. The highest version is current, the others are previous: to rotate in development, append
 * "2:<new key>" and restart.
 */
export function parseKeyFile(text: string, where = 'pii.key'): Keyring {
  const entries = text
    .split(/\r?\n/)
    .map((l, i) => ({ line: l.trim(), n: i + 1 }))
    .filter((l) => l.line && !l.line.startsWith('#'))
    .map(({ line, n }) =>
      line.includes(':')
        ? parseEntry(line, `${where} line ${n}`)
        : { version: 1, key: parseKey(line, `${where} line ${n}`) },
    );
  if (entries.length === 0) throw new KeyringError(`${where}: no key`);
  const newest = entries.reduce((a, b) => (b.version > a.version ? b : a));
  const rest = entries.filter((e) => e !== newest);
  if (rest.some((e) => e.version === newest.version))
    throw new KeyringError(`${where}: version ${newest.version} is listed twice`);
  return checkKeyring(newest, rest);
}

/** The text of a key file with the given keys (newest last, so appending a line is how one rotates by hand). */
export function formatKeyFile(keys: KeyringEntry[]): string {
  const lines = [...keys].sort((a, b) => a.version - b.version).map((k) => `${k.version}:${k.key.toString('base64')}`);
  return (
    '# PII keys (第六条): one "version:base64key" a line; the highest version encrypts, older ones are kept for\n' +
    '# reading until a completed rotation (系统管理 → 个人信息密钥) says they may go. Never lose this file.\n' +
    lines.join('\n') +
    '\n'
  );
}
