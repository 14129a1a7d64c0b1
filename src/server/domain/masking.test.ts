import { describe, expect, it } from 'vitest';
import { maskAddress, maskName, maskPhone } from './masking.js';
import { PiiCipher, normalisePhone } from '../security/pii-cipher.js';

describe('第六条 个人信息 masking and encryption', () => {
  it('masks names, phones and addresses', () => {
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('李')).toBe('*');
    expect(maskName(null)).toBeNull();
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('5551234')).toBe('***1234');
    expect(maskAddress('牡丹区中华路88号3单元')).toBe('牡丹区中华路****');
  });

  it('encrypts with a fresh IV each time and decrypts back', () => {
    const c = new PiiCipher(Buffer.alloc(32, 7));
    const a = c.encrypt('13812345678');
    const b = c.encrypt('13812345678');
    expect(a).not.toBe(b);
    expect(a).not.toContain('13812345678');
    expect(c.decrypt(a)).toBe('13812345678');
    expect(c.encrypt('')).toBeNull();
  });

  it('detects tampering', () => {
    const c = new PiiCipher(Buffer.alloc(32, 7));
    const s = c.encrypt('张三');
    const parts = s.split('.');
    parts[3] = Buffer.from('李四').toString('base64url');
    expect(() => c.decrypt(parts.join('.'))).toThrow();
  });

  it('hashes phone numbers by their digits only, with a key', () => {
    const c = new PiiCipher(Buffer.alloc(32, 7));
    expect(c.phoneHash('138-1234-5678')).toBe(c.phoneHash('+86 13812345678'));
    expect(c.phoneHash('13812345678')).not.toBe(new PiiCipher(Buffer.alloc(32, 8)).phoneHash('13812345678'));
    expect(normalisePhone('')).toBeNull();
  });
});
