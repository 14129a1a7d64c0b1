import { describe, expect, it } from 'vitest';
import { canonicalJson, chainHash, GENESIS_HASH, sha256Hex, verifyLinks, type ChainedRow } from './access-chain.js';

const row = (over: Partial<ChainedRow> = {}): ChainedRow => ({
  at: new Date('2025-03-03T01:00:00Z'),
  userId: 7,
  unitId: 1,
  actorKind: 'person',
  actorLabel: '王话务',
  kind: 'search',
  ticketIds: [3, 5],
  filter: { q: 'HZ1', limit: 20 },
  rowCount: 2,
  contentSha256: sha256Hex('x'),
  requestId: 'req-1',
  ...over,
});

function chain(n: number) {
  const out: Array<ChainedRow & { id: number; prevHash: string; hash: string }> = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const r = row({ rowCount: i });
    const hash = chainHash(prev, r);
    out.push({ ...r, id: i, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe('第三十条第二款 the access log hash chain', () => {
  it('canonical JSON sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null }, u: undefined })).toBe(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson(new Date('2025-01-01T00:00:00Z'))).toBe('"2025-01-01T00:00:00.000Z"');
    expect(canonicalJson(Number.NaN)).toBe('null');
    expect(canonicalJson('引号"')).toBe('"引号\\""');
  });

  it('the hash does not depend on key order (jsonb reorders) but on every value and the predecessor', () => {
    const a = chainHash(GENESIS_HASH, row({ filter: { q: 'x', limit: 1 } }));
    expect(chainHash(GENESIS_HASH, row({ filter: { limit: 1, q: 'x' } }))).toBe(a);
    expect(chainHash(GENESIS_HASH, row({ filter: { limit: 2, q: 'x' } }))).not.toBe(a);
    expect(chainHash('1'.repeat(64), row({ filter: { q: 'x', limit: 1 } }))).not.toBe(a);
    for (const over of [
      { userId: 8 },
      { unitId: null },
      { kind: 'export' },
      { rowCount: 3 },
      { ticketIds: [3] },
      { requestId: null },
      { contentSha256: null },
      { actorLabel: '李' },
      { at: new Date('2025-03-03T01:00:00.001Z') },
    ])
      expect(chainHash(GENESIS_HASH, row(over))).not.toBe(chainHash(GENESIS_HASH, row()));
  });

  it('verifies an intact chain and names the first broken link: changed, removed, inserted, reordered', () => {
    const good = chain(5);
    expect(verifyLinks(good, GENESIS_HASH)).toEqual({ broken: null, last: good[4]!.hash });
    const changed = good.map((r) => (r.id === 3 ? { ...r, rowCount: 99 } : r));
    expect(verifyLinks(changed, GENESIS_HASH).broken).toEqual({ id: 3, reason: 'hash' });
    const removed = good.filter((r) => r.id !== 2);
    expect(verifyLinks(removed, GENESIS_HASH).broken).toEqual({ id: 3, reason: 'prev_hash' });
    const swapped = [good[0]!, good[2]!, good[1]!, good[3]!];
    expect(verifyLinks(swapped, GENESIS_HASH).broken).toEqual({ id: 3, reason: 'prev_hash' });
    // a forged row with a recomputed own hash still breaks the next link
    const forged = good.map((r) =>
      r.id === 2 ? { ...r, rowCount: 0, hash: chainHash(r.prevHash, { ...r, rowCount: 0 }) } : r,
    );
    expect(verifyLinks(forged, GENESIS_HASH).broken).toEqual({ id: 3, reason: 'prev_hash' });
    // continuing from a batch boundary
    expect(verifyLinks(good.slice(2), good[1]!.hash).broken).toBeNull();
    expect(verifyLinks(good.slice(2), GENESIS_HASH).broken).toEqual({ id: 3, reason: 'prev_hash' });
    expect(verifyLinks([], 'x')).toEqual({ broken: null, last: 'x' });
  });
});
