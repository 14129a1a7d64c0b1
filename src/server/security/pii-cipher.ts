import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { pooledRandomBytes } from './random-pool.js';
import { checkKeyring, type KeyringEntry } from '../domain/pii-keyring.js';

// 第六条: personal data is encrypted at rest with AES-256-GCM. The stored form is "v<n>.<iv>.<tag>.<ciphertext>"
// (base64url), n being the version of the key that wrote it, so a rotation reads old values while it rewrites
// them. Phone numbers also get a keyed hash (HMAC-SHA256 with a key derived from the master key) so that
// "all tickets from this caller" is an index look-up without ever storing the number in clear.
//
// The cipher is a keyring: one current key (every new ciphertext and hash) and older keys kept for reading.
// Keyed hashes carry no version of their own (their format is fixed by the columns and tokens that hold them):
// look-ups try the hash under every configured version, current first (keyedHashes, phoneHashes), and the rows
// whose hash cannot be recomputed record the version in a column (requesters.key_version,
// tickets.tracking_key_version — migration 0023).

interface DerivedKeys {
  enc: Buffer;
  hash: Buffer;
}

/** A ciphertext names a key version that this process was not given (PII_KEY / PII_KEYS_PREVIOUS). */
export class PiiKeyNotConfiguredError extends Error {
  constructor(readonly version: number) {
    super(`PII key version ${version} is not configured (PII_KEY_VERSION / PII_KEYS_PREVIOUS)`);
    this.name = 'PiiKeyNotConfiguredError';
  }
}

function derive(masterKey: Buffer): DerivedKeys {
  if (masterKey.length !== 32) throw new Error('PII key must be 32 bytes');
  // the HKDF labels name the purpose, not the key version: each version is a different master key
  return {
    enc: Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'pii-encryption-v1', 32)),
    hash: Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'pii-lookup-hash-v1', 32)),
  };
}

const CIPHERTEXT = /^v([1-9]\d{0,9})\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/;

export class PiiCipher {
  readonly currentVersion: number;
  private readonly masters: ReadonlyMap<number, Buffer>;
  private readonly keys: ReadonlyMap<number, DerivedKeys>;

  /** A keyring of one key (version 1 unless given) and, optionally, older keys for reading. */
  constructor(masterKey: Buffer, version = 1, previous: readonly KeyringEntry[] = []) {
    const ring = checkKeyring({ version, key: masterKey }, [...previous]);
    const all = [ring.current, ...ring.previous];
    this.currentVersion = ring.current.version;
    this.masters = new Map(all.map((k) => [k.version, k.key]));
    this.keys = new Map(all.map((k) => [k.version, derive(k.key)]));
  }

  static fromBase64(key: string): PiiCipher {
    return new PiiCipher(Buffer.from(key, 'base64'));
  }

  static keyring(current: KeyringEntry, previous: readonly KeyringEntry[] = []): PiiCipher {
    return new PiiCipher(current.key, current.version, previous);
  }

  static generateKey(): string {
    return randomBytes(32).toString('base64');
  }

  /** Every configured version, the current one first, then newest to oldest. */
  get versions(): number[] {
    return [
      this.currentVersion,
      ...[...this.keys.keys()].filter((v) => v !== this.currentVersion).sort((a, b) => b - a),
    ];
  }

  /** The older versions kept for reading, newest first. */
  get previousVersions(): number[] {
    return this.versions.slice(1);
  }

  hasVersion(version: number): boolean {
    return this.keys.has(version);
  }

  /** The same keys with a new current one; the present current key joins the previous ones (a restart after rotation). */
  withNewCurrentKey(version: number, masterKey: Buffer): PiiCipher {
    return new PiiCipher(
      masterKey,
      version,
      [...this.masters].map(([v, key]) => ({ version: v, key })),
    );
  }

  /** The same keyring without one previous version (an operator removing it from PII_KEYS_PREVIOUS). */
  withoutVersion(version: number): PiiCipher {
    if (version === this.currentVersion) throw new Error('the current key version cannot be removed');
    const rest = [...this.masters].filter(([v]) => v !== version && v !== this.currentVersion);
    return new PiiCipher(
      this.masters.get(this.currentVersion)!,
      this.currentVersion,
      rest.map(([v, key]) => ({ version: v, key })),
    );
  }

  private keysOf(version: number): DerivedKeys {
    const k = this.keys.get(version);
    if (!k) throw new PiiKeyNotConfiguredError(version);
    return k;
  }

  encrypt(plain: string): string;
  encrypt(plain: string | null | undefined): string | null;
  encrypt(plain: string | null | undefined): string | null {
    if (plain === null || plain === undefined || plain === '') return null;
    const iv = pooledRandomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keysOf(this.currentVersion).enc, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      `v${this.currentVersion}`,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      ct.toString('base64url'),
    ].join('.');
  }

  /** Decrypts with the key the prefix names; a version not configured is a PiiKeyNotConfiguredError. */
  decrypt(stored: string | null): string | null {
    if (stored === null) return null;
    const m = CIPHERTEXT.exec(stored);
    if (!m) throw new Error('unrecognised ciphertext format');
    const [, v, iv, tag, ct] = m;
    const decipher = createDecipheriv('aes-256-gcm', this.keysOf(Number(v)).enc, Buffer.from(iv!, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag!, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct!, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** The key version a stored value was encrypted with; null when it is not a ciphertext (or null). */
  versionOf(stored: string | null | undefined): number | null {
    if (stored === null || stored === undefined) return null;
    const m = CIPHERTEXT.exec(stored);
    return m ? Number(m[1]) : null;
  }

  /** Whether a stored value needs no re-encryption: null, or written with the current key. */
  isCurrent(stored: string | null | undefined): boolean {
    return stored === null || stored === undefined || this.versionOf(stored) === this.currentVersion;
  }

  /** The value under the current key (unchanged when it already is). */
  reencrypt(stored: string | null): string | null {
    if (this.isCurrent(stored)) return stored;
    return this.encrypt(this.decrypt(stored));
  }

  /** Keyed hash of a normalised phone number under the current key; equal numbers in any format give equal hashes. */
  phoneHash(phone: string | null | undefined): string | null {
    const n = normalisePhone(phone);
    return n ? this.keyedHash('phone', n) : null;
  }

  /** The phone's keyed hash under every configured version, current first (look-ups during and after a rotation). */
  phoneHashes(phone: string | null | undefined): string[] {
    const n = normalisePhone(phone);
    return n ? this.keyedHashes('phone', n) : [];
  }

  /** Keyed hash of any identifier (WeChat openid, Weibo uid, tracking code), separated by purpose. */
  keyedHash(purpose: string, value: string): string {
    return this.keyedHashAt(this.currentVersion, purpose, value);
  }

  /** The keyed hash under every configured version, current first. */
  keyedHashes(purpose: string, value: string): string[] {
    return this.versions.map((v) => this.keyedHashAt(v, purpose, value));
  }

  /** The keyed hash under one version's key (a row that recorded the version it was hashed with). */
  keyedHashAt(version: number, purpose: string, value: string): string {
    return createHmac('sha256', this.keysOf(version).hash).update(`${purpose}\u0000${value}`).digest('base64url');
  }
}

export function normalisePhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  let digits = phone.replace(/[^\d]/g, '');
  if (digits.startsWith('86') && digits.length === 13) digits = digits.slice(2);
  return digits || null;
}
