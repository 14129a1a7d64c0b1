import { describe, expect, it } from 'vitest';
import { pooledRandomBytes } from './random-pool.js';

describe('pooledRandomBytes', () => {
  it('hands out the length asked for, across many pools, never the same bytes twice', () => {
    const seen = new Set<string>();
    const kept: Array<{ buf: Buffer; copy: string }> = [];
    for (let i = 0; i < 5_000; i++) {
      const n = [12, 16, 7, 13, 32][i % 5]!; // sizes that do not divide the pool: pools end mid-request
      const buf = pooledRandomBytes(n);
      expect(buf.length).toBe(n);
      if (n >= 12) {
        const hex = buf.toString('hex');
        expect(seen.has(hex)).toBe(false);
        seen.add(hex);
      }
      if (i % 500 === 0) kept.push({ buf, copy: buf.toString('hex') });
    }
    // bytes handed out stay as they were after later pools were filled
    for (const k of kept) expect(k.buf.toString('hex')).toBe(k.copy);
  });

  it('is random: the bytes of a run are spread over all values', () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 4_000; i++) for (const b of pooledRandomBytes(16)) counts[b]!++;
    // 64 000 bytes: 250 expected per value; a fixed or patterned source misses this band by far
    expect(Math.min(...counts)).toBeGreaterThan(150);
    expect(Math.max(...counts)).toBeLessThan(360);
  });

  it('refuses a size outside 1–256', () => {
    for (const n of [0, -1, 1.5, 257, Number.NaN]) expect(() => pooledRandomBytes(n)).toThrow(RangeError);
  });
});
