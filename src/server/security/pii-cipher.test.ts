import { createCipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PiiCipher, PiiKeyNotConfiguredError } from './pii-cipher.js';
import { loadPiiCipher } from './pii-key.js';
import { loadConfig } from '../config.js';

const K1 = Buffer.alloc(32, 1);
const K2 = Buffer.alloc(32, 2);
const K3 = Buffer.alloc(32, 3);

/** A "v1." value exactly as the code before key rotation wrote it (one key, no keyring). */
function legacyEncrypt(master: Buffer, plain: string) {
  const key = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'pii-encryption-v1', 32));
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return ['v1', iv.toString('base64url'), c.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}
function legacyHash(master: Buffer, purpose: string, value: string) {
  const key = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'pii-lookup-hash-v1', 32));
  return createHmac('sha256', key).update(`${purpose}\u0000${value}`).digest('base64url');
}

describe('第六条 个人信息加密 密钥轮换: the cipher as a keyring', () => {
  const v1 = new PiiCipher(K1);
  const v2 = PiiCipher.keyring({ version: 2, key: K2 }, [{ version: 1, key: K1 }]);

  it('a single key is version 1 and reads and hashes exactly as before key rotation existed', () => {
    expect(v1.currentVersion).toBe(1);
    expect(v1.versions).toEqual([1]);
    expect(v1.decrypt(legacyEncrypt(K1, '张秀英'))).toBe('张秀英');
    expect(v1.encrypt('x')).toMatch(/^v1\./);
    expect(v1.phoneHash('139 0530 1234')).toBe(legacyHash(K1, 'phone', '13905301234'));
    expect(v1.keyedHash('tracking', 'AB12CD')).toBe(legacyHash(K1, 'tracking', 'AB12CD'));
  });

  it('writes with the current version and reads every configured one', () => {
    const old = v1.encrypt('牡丹区和平路 12 号')!;
    const fresh = v2.encrypt('牡丹区和平路 12 号')!;
    expect(fresh).toMatch(/^v2\./);
    expect(v2.decrypt(old)).toBe('牡丹区和平路 12 号');
    expect(v2.decrypt(fresh)).toBe('牡丹区和平路 12 号');
    expect(v2.versionOf(old)).toBe(1);
    expect(v2.versionOf(fresh)).toBe(2);
    expect(v2.isCurrent(old)).toBe(false);
    expect(v2.isCurrent(fresh)).toBe(true);
    expect(v2.isCurrent(null)).toBe(true);
  });

  it('re-encrypts old values under the current key and leaves current ones as they are', () => {
    const old = v1.encrypt('13905301234')!;
    const re = v2.reencrypt(old)!;
    expect(re).toMatch(/^v2\./);
    expect(v2.decrypt(re)).toBe('13905301234');
    expect(v2.reencrypt(re)).toBe(re);
    expect(v2.reencrypt(null)).toBeNull();
  });

  it('fails clearly on a version whose key is not configured, naming the version and never the data', () => {
    const v3only = new PiiCipher(K3, 3);
    const old = v2.encrypt('张秀英')!;
    const err = (() => {
      try {
        v3only.decrypt(old);
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(PiiKeyNotConfiguredError);
    expect((err as PiiKeyNotConfiguredError).version).toBe(2);
    expect(err!.message).toBe('PII key version 2 is not configured (PII_KEY_VERSION / PII_KEYS_PREVIOUS)');
    expect(err!.message).not.toContain('张');
    expect(() => v3only.keyedHashAt(1, 'tracking', 'x')).toThrow(PiiKeyNotConfiguredError);
  });

  it('refuses what is not one of its ciphertexts', () => {
    for (const bad of ['', 'plain text', 'v0.a.b.c', 'v1.a.b', 'x1.a.b.c', 'v1.a b.c.d'])
      expect(() => v2.decrypt(bad), bad).toThrow('unrecognised ciphertext format');
    expect(v2.versionOf('plain text')).toBeNull();
    expect(v2.isCurrent('plain text')).toBe(false);
    // a value of the right version under the wrong key fails authentication
    expect(() => new PiiCipher(K3).decrypt(v1.encrypt('x'))).toThrow();
  });

  it('hashes with the current key; look-ups get every version, the current first', () => {
    expect(v2.phoneHash('+86 139 0530 1234')).toBe(legacyHash(K2, 'phone', '13905301234'));
    expect(v2.phoneHashes('13905301234')).toEqual([
      legacyHash(K2, 'phone', '13905301234'),
      legacyHash(K1, 'phone', '13905301234'),
    ]);
    expect(v2.phoneHashes(null)).toEqual([]);
    expect(v2.keyedHashes('wechat', 'oAbc')).toEqual([v2.keyedHash('wechat', 'oAbc'), v1.keyedHash('wechat', 'oAbc')]);
    expect(v2.keyedHashAt(1, 'tracking', 'X')).toBe(v1.keyedHash('tracking', 'X'));
    // purposes are kept apart
    expect(v2.keyedHash('wechat', 'same')).not.toBe(v2.keyedHash('weibo', 'same'));
  });

  it('lists versions current first, then newest to oldest', () => {
    const c = PiiCipher.keyring({ version: 5, key: K3 }, [
      { version: 1, key: K1 },
      { version: 4, key: K2 },
    ]);
    expect(c.versions).toEqual([5, 4, 1]);
    expect(c.previousVersions).toEqual([4, 1]);
    expect(c.hasVersion(4)).toBe(true);
    expect(c.hasVersion(2)).toBe(false);
  });

  it('refuses a keyring that repeats a version or has one that is not a positive integer', () => {
    expect(() => new PiiCipher(K2, 2, [{ version: 2, key: K1 }])).toThrow(/version 2 is the current version/);
    expect(
      () =>
        new PiiCipher(K3, 3, [
          { version: 1, key: K1 },
          { version: 1, key: K2 },
        ]),
    ).toThrow(/listed twice/);
    expect(() => new PiiCipher(Buffer.alloc(16))).toThrow('PII key must be 32 bytes');
  });

  it('a restart with a new key: the old current key joins the previous ones; dropping one leaves the rest', () => {
    const next = v2.withNewCurrentKey(3, K3);
    expect(next.versions).toEqual([3, 2, 1]);
    const old = v1.encrypt('a')!;
    expect(next.decrypt(old)).toBe('a');
    const dropped = next.withoutVersion(1);
    expect(dropped.versions).toEqual([3, 2]);
    expect(() => dropped.decrypt(old)).toThrow(PiiKeyNotConfiguredError);
    expect(() => next.withoutVersion(3)).toThrow('the current key version cannot be removed');
  });

  describe('loading the keyring', () => {
    const dirs: string[] = [];
    const dir = () => {
      const d = mkdtempSync(join(tmpdir(), 'hz-pii-key-'));
      dirs.push(d);
      return d;
    };
    afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

    it('from the environment: PII_KEY, PII_KEY_VERSION and PII_KEYS_PREVIOUS', () => {
      const { cipher, source } = loadPiiCipher({
        key: K2.toString('base64'),
        version: '2',
        previous: `1:${K1.toString('base64')}`,
        dataDir: dir(),
        production: true,
      });
      expect(source).toBe('PII_KEY');
      expect(cipher.versions).toEqual([2, 1]);
      expect(cipher.decrypt(v1.encrypt('x'))).toBe('x');
    });

    it('in development: a key file written once (version 1), and a bare key from before rotation still reads', () => {
      const d = dir();
      const first = loadPiiCipher({ dataDir: d, production: false });
      expect(first.cipher.versions).toEqual([1]);
      expect(readFileSync(join(d, 'pii.key'), 'utf8')).toMatch(/^1:[A-Za-z0-9+/]{43}=$/m);
      const again = loadPiiCipher({ dataDir: d, production: false });
      expect(again.cipher.decrypt(first.cipher.encrypt('同一把钥匙'))).toBe('同一把钥匙');

      const legacy = dir();
      writeFileSync(join(legacy, 'pii.key'), K1.toString('base64') + '\n');
      expect(loadPiiCipher({ dataDir: legacy, production: false }).cipher.decrypt(legacyEncrypt(K1, 'y'))).toBe('y');
    });

    it('in development: appending "2:<key>" to the file makes version 2 current and keeps version 1 for reading', () => {
      const d = dir();
      writeFileSync(join(d, 'pii.key'), `${K1.toString('base64')}\n2:${K2.toString('base64')}\n`);
      const { cipher } = loadPiiCipher({ dataDir: d, production: false });
      expect(cipher.versions).toEqual([2, 1]);
      expect(cipher.decrypt(legacyEncrypt(K1, 'z'))).toBe('z');
      expect(cipher.encrypt('z')).toMatch(/^v2\./);
    });

    it('start-up (loadConfig) refuses a keyring that repeats the current version or has a version that is not a positive integer', () => {
      const k1 = K1.toString('base64');
      const k2 = K2.toString('base64');
      expect(loadConfig({ PII_KEY: k2, PII_KEY_VERSION: '2', PII_KEYS_PREVIOUS: `1:${k1}` }).PII_KEY_VERSION).toBe('2');
      expect(() => loadConfig({ PII_KEY: k2, PII_KEY_VERSION: '2', PII_KEYS_PREVIOUS: `2:${k1}` })).toThrow(
        'Invalid configuration:\nPII_KEYS_PREVIOUS: version 2 is the current version (PII_KEY_VERSION); list only older keys',
      );
      for (const bad of ['0', '-1', '1.5', 'two'])
        expect(() => loadConfig({ PII_KEY: k2, PII_KEY_VERSION: bad })).toThrow(/PII_KEY_VERSION.*positive integer/);
      expect(() => loadConfig({ PII_KEY: k2, PII_KEY_VERSION: '3', PII_KEYS_PREVIOUS: `x:${k1}` })).toThrow(
        /PII_KEYS_PREVIOUS entry 1: key version "x" must be a positive integer/,
      );
      expect(() => loadConfig({ PII_KEY: 'short' })).toThrow('PII_KEY: the key must be 32 bytes, base64-encoded');
      expect(() => loadConfig({ PII_KEY_VERSION: '2' })).toThrow(/PII_KEY_VERSION and PII_KEYS_PREVIOUS need PII_KEY/);
    });

    it('production without PII_KEY refuses to start', () =>
      expect(() => loadPiiCipher({ dataDir: dir(), production: true })).toThrow('PII_KEY is required in production'));
  });
});
