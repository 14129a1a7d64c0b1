import { describe, expect, it } from 'vitest';
import { decodeFeedCursor, encodeFeedCursor } from './feed-cursor.js';

describe('第三十条 feed cursors', () => {
  it('round-trips, opaque (no plain numbers on the wire)', () => {
    const c = encodeFeedCursor(12, 345);
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeFeedCursor(c, 12)).toEqual({ ok: true, afterId: 345 });
    expect(decodeFeedCursor(encodeFeedCursor(1, 0), 1)).toEqual({ ok: true, afterId: 0 });
  });

  it('is bound to the unit: another unit’s cursor is refused', () => {
    expect(decodeFeedCursor(encodeFeedCursor(12, 345), 13)).toEqual({ ok: false, reason: 'other_unit' });
  });

  it('refuses anything else without throwing', () => {
    const b = (s: string) => Buffer.from(s).toString('base64url');
    for (const c of [
      '',
      '!!',
      'a'.repeat(200),
      b('f1:12'),
      b('f2:12:3'),
      b('f1:x:3'),
      b('f1:12:-3'),
      b('f1:12:99999999999999999'),
      b('f1:12:3:4'),
    ])
      expect(decodeFeedCursor(c, 12)).toEqual({ ok: false, reason: 'malformed' });
  });
});
