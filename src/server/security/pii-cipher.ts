import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

// 第六条: personal data is encrypted at rest with AES-256-GCM. The stored form is
// "v1.<iv>.<tag>.<ciphertext>" (base64url), so a key rotation can introduce v2 without a migration.
// Phone numbers also get a keyed hash (HMAC-SHA256 with a key derived from the master key) so that
// "all tickets from this caller" is an index look-up without ever storing the number in clear.
export class PiiCipher {
  private readonly encKey: Buffer;
  private readonly hashKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('PII key must be 32 bytes');
    this.encKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'pii-encryption-v1', 32));
    this.hashKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'pii-lookup-hash-v1', 32));
  }

  static fromBase64(key: string): PiiCipher {
    return new PiiCipher(Buffer.from(key, 'base64'));
  }

  static generateKey(): string {
    return randomBytes(32).toString('base64');
  }

  encrypt(plain: string): string;
  encrypt(plain: string | null | undefined): string | null;
  encrypt(plain: string | null | undefined): string | null {
    if (plain === null || plain === undefined || plain === '') return null;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join(
      '.',
    );
  }

  decrypt(stored: string | null): string | null {
    if (stored === null) return null;
    const [v, iv, tag, ct] = stored.split('.');
    if (v !== 'v1' || !iv || !tag || ct === undefined) throw new Error('unrecognised ciphertext format');
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Keyed hash of a normalised phone number; equal numbers in any format give equal hashes. */
  phoneHash(phone: string | null | undefined): string | null {
    const n = normalisePhone(phone);
    return n ? this.keyedHash('phone', n) : null;
  }

  /** Keyed hash of any identifier (WeChat openid, Weibo uid, tracking code), separated by purpose. */
  keyedHash(purpose: string, value: string): string {
    return createHmac('sha256', this.hashKey).update(`${purpose}\u0000${value}`).digest('base64url');
  }
}

export function normalisePhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  let digits = phone.replace(/[^\d]/g, '');
  if (digits.startsWith('86') && digits.length === 13) digits = digits.slice(2);
  return digits || null;
}
