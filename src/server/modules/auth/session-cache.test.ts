import { describe, expect, it } from 'vitest';
import { SessionCache } from './session-cache.js';

function cache(ttlMs = 5_000, max = 10) {
  let now = 0;
  const c = new SessionCache<string>(ttlMs, max, () => now);
  return { c, advance: (ms: number) => (now += ms) };
}

describe('SessionCache (issue 8)', () => {
  it('serves nothing until the announcements are heard, and forgets everything when they stop', () => {
    const { c } = cache();
    c.set('a', 1, 'row', c.begin());
    expect(c.get('a')).toBeUndefined();
    c.setListening(true);
    c.set('a', 1, 'row', c.begin());
    expect(c.get('a')).toBe('row');
    c.setListening(false);
    expect(c.get('a')).toBeUndefined();
    c.setListening(true);
    expect(c.get('a')).toBeUndefined();
  });

  it('keeps an entry for its lifetime only', () => {
    const { c, advance } = cache(5_000);
    c.setListening(true);
    c.set('a', 1, 'row', c.begin());
    advance(4_999);
    expect(c.get('a')).toBe('row');
    advance(1);
    expect(c.get('a')).toBeUndefined();
  });

  it('drops one session, one user’s sessions, or everything', () => {
    const { c } = cache();
    c.setListening(true);
    for (const [k, u] of [
      ['a', 1],
      ['b', 1],
      ['c', 2],
      ['d', 3],
    ] as const)
      c.set(k, u, k, c.begin());
    c.invalidate('s:c');
    expect(c.get('c')).toBeUndefined();
    expect(c.get('d')).toBe('d');
    c.invalidate('u:1');
    expect([c.get('a'), c.get('b'), c.get('d')]).toEqual([undefined, undefined, 'd']);
    c.invalidate('*');
    expect(c.get('d')).toBeUndefined();
    c.set('e', 4, 'e', c.begin());
    c.invalidate('u:x'); // not a user id: treated as everything
    expect(c.get('e')).toBeUndefined();
  });

  it('does not store a look-up that an announcement overtook', () => {
    const { c } = cache();
    c.setListening(true);
    const g = c.begin();
    c.invalidate('u:7'); // arrives while the look-up is in flight
    c.set('a', 1, 'stale', g);
    expect(c.get('a')).toBeUndefined();
    const g2 = c.begin();
    c.setListening(false);
    c.setListening(true);
    c.set('a', 1, 'stale', g2);
    expect(c.get('a')).toBeUndefined();
  });

  it('keeps at most its size, dropping the oldest, and counts hits and misses', () => {
    const { c } = cache(5_000, 2);
    c.setListening(true);
    c.set('a', 1, 'a', c.begin());
    c.set('b', 2, 'b', c.begin());
    c.set('c', 3, 'c', c.begin());
    expect(c.get('a')).toBeUndefined();
    expect(c.get('b')).toBe('b');
    c.update('b', 'b2');
    expect(c.get('b')).toBe('b2');
    expect(c.stats()).toMatchObject({ hits: 2, misses: 1, size: 2, listening: true });
  });
});
