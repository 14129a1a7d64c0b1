import { describe, expect, it } from 'vitest';
import {
  checkKeyring,
  formatKeyFile,
  KeyringError,
  keyringFromEnv,
  parseKey,
  parseKeyFile,
  parseKeyVersion,
  parsePreviousKeys,
} from './pii-keyring.js';

const K1 = Buffer.alloc(32, 1).toString('base64');
const K2 = Buffer.alloc(32, 2).toString('base64');
const K3 = Buffer.alloc(32, 3).toString('base64');

describe('第六条 个人信息加密 密钥轮换: the keyring as configured', () => {
  describe('versions', () => {
    it.each([
      ['1', 1],
      ['2', 2],
      [' 12 ', 12],
      ['2147483647', 2147483647],
    ])('"%s" is version %d', (text, n) => expect(parseKeyVersion(text, 'X')).toBe(n));

    it.each(['0', '-1', '1.5', '01', 'v2', '', ' ', '2147483648', '99999999999', '1e3', '0x10', 'NaN'])(
      '"%s" is refused as not a positive integer',
      (text) => expect(() => parseKeyVersion(text, 'PII_KEY_VERSION')).toThrow(/PII_KEY_VERSION.*positive integer/),
    );
  });

  describe('keys', () => {
    it('accepts 32 bytes in standard or URL-safe base64', () => {
      expect(parseKey(K1, 'X')).toEqual(Buffer.alloc(32, 1));
      const raw = Buffer.from(Array.from({ length: 32 }, (_, i) => 250 - i));
      expect(parseKey(raw.toString('base64url'), 'X')).toEqual(raw);
    });
    it.each([
      ['16 bytes', Buffer.alloc(16, 1).toString('base64')],
      ['33 bytes', Buffer.alloc(33, 1).toString('base64')],
      ['not base64', 'this is not a key at all, not even close!!'],
      ['empty', ''],
    ])('refuses %s without echoing the value', (_, text) => {
      const err = (() => {
        try {
          parseKey(text, 'PII_KEY');
        } catch (e) {
          return e as Error;
        }
        return null;
      })();
      expect(err).toBeInstanceOf(KeyringError);
      expect(err!.message).toBe('PII_KEY: the key must be 32 bytes, base64-encoded');
    });
  });

  describe('PII_KEYS_PREVIOUS', () => {
    it('is empty when unset or blank', () => {
      expect(parsePreviousKeys(undefined)).toEqual([]);
      expect(parsePreviousKeys('  ')).toEqual([]);
    });
    it('reads comma-separated "version:base64key", spaces and a trailing comma allowed', () => {
      expect(parsePreviousKeys(` 1:${K1} , 2:${K2},`)).toEqual([
        { version: 1, key: Buffer.alloc(32, 1) },
        { version: 2, key: Buffer.alloc(32, 2) },
      ]);
    });
    it.each([
      [`${K1}`, /entry 1: expected "version:base64key"/],
      [`0:${K1}`, /entry 1: key version "0" must be a positive integer/],
      [`1:${K1},x:${K2}`, /entry 2: key version "x" must be a positive integer/],
      [`3:short`, /entry 1 \(version 3\): the key must be 32 bytes/],
    ])('refuses %s', (text, msg) => expect(() => parsePreviousKeys(text)).toThrow(msg));
  });

  describe('the keyring from the environment', () => {
    it('is version 1 alone by default (data from before rotation existed is "v1.")', () => {
      const r = keyringFromEnv(K1, undefined, undefined);
      expect(r.current).toEqual({ version: 1, key: Buffer.alloc(32, 1) });
      expect(r.previous).toEqual([]);
    });
    it('keeps the previous keys newest first', () => {
      const r = keyringFromEnv(K3, '3', `1:${K1},2:${K2}`);
      expect(r.current.version).toBe(3);
      expect(r.previous.map((p) => p.version)).toEqual([2, 1]);
    });
    it('refuses the current version among the previous ones', () =>
      expect(() => keyringFromEnv(K2, '2', `1:${K1},2:${K2}`)).toThrow(
        'PII_KEYS_PREVIOUS: version 2 is the current version (PII_KEY_VERSION); list only older keys',
      ));
    it('refuses a previous version listed twice', () =>
      expect(() => keyringFromEnv(K3, '3', `1:${K1},1:${K2}`)).toThrow('PII_KEYS_PREVIOUS: version 1 is listed twice'));
    it('refuses a version that is not a positive integer', () => {
      expect(() => keyringFromEnv(K1, '0', undefined)).toThrow(/PII_KEY_VERSION/);
      expect(() => keyringFromEnv(K1, 'two', undefined)).toThrow(/PII_KEY_VERSION/);
    });
    it('allows an older key with a higher number than none (versions need not be consecutive)', () => {
      const r = checkKeyring({ version: 10, key: Buffer.alloc(32) }, [{ version: 7, key: Buffer.alloc(32, 7) }]);
      expect(r.previous.map((p) => p.version)).toEqual([7]);
    });
  });

  describe('the development key file', () => {
    it('reads a bare key as version 1 (a file written before key rotation)', () => {
      const r = parseKeyFile(`${K1}\n`);
      expect(r.current).toEqual({ version: 1, key: Buffer.alloc(32, 1) });
      expect(r.previous).toEqual([]);
    });
    it('takes the highest version as current, whatever the order, ignoring comments and blank lines', () => {
      const r = parseKeyFile(`# keys\n\n2:${K2}\n${K1}\n  3:${K3}  \n`);
      expect(r.current.version).toBe(3);
      expect(r.previous.map((p) => p.version)).toEqual([2, 1]);
    });
    it('round-trips what formatKeyFile writes', () => {
      const keys = [
        { version: 2, key: Buffer.alloc(32, 2) },
        { version: 1, key: Buffer.alloc(32, 1) },
      ];
      const text = formatKeyFile(keys);
      expect(text.trim().split('\n').slice(-2)).toEqual([`1:${K1}`, `2:${K2}`]);
      const r = parseKeyFile(text);
      expect(r.current).toEqual(keys[0]);
      expect(r.previous).toEqual([keys[1]]);
    });
    it.each([
      ['', /no key/],
      ['# only a comment\n', /no key/],
      [`1:${K1}\n${K2}\n`, /version 1 is listed twice/],
      [`2:${K1}\n2:${K2}\n`, /version 2 is listed twice/],
      [`1:${K1}\nnot-a-key\n`, /line 2: the key must be 32 bytes/],
    ])('refuses %j', (text, msg) => expect(() => parseKeyFile(text, 'pii.key')).toThrow(msg));
  });
});
