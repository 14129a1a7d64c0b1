import { describe, expect, it } from 'vitest';
import { vectorize, type SparseVector, type Vocabulary } from './features.js';
import { prng } from './softmax-model.js';

// 第四条 智能分类, issue 13: vectorize() allocates no object per term (a retraining's 20 000 holdout predictions made
// ~200 MB of [index, value] pairs). It must give exactly what the straightforward way gives, bit for bit: the model's
// scores and the stored figures depend on it.

/** The straightforward way, as vectorize() was written before: a pair per known term, sorted by index. */
function byPairs(terms: Map<string, number>, vocab: Vocabulary): SparseVector {
  const pairs: Array<[number, number]> = [];
  for (const [t, w] of terms) {
    const j = vocab.index.get(t);
    if (j !== undefined) pairs.push([j, (1 + Math.log(w)) * vocab.idf[j]!]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  let norm = 0;
  for (const [, v] of pairs) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  return { idx: Int32Array.from(pairs, (p) => p[0]), val: Float32Array.from(pairs, (p) => p[1] / norm) };
}

function vocabulary(size: number, random: () => number): Vocabulary {
  const terms = Array.from({ length: size }, (_, i) => `词${i}`);
  return {
    terms,
    index: new Map(terms.map((t, i) => [t, i])),
    idf: Float32Array.from(terms, () => 1 + random() * 8),
  };
}

describe('第四条 智能分类: vectorize', () => {
  it('gives the same indexes and values as a pair per term, on texts of every size (past its reused buffers)', () => {
    const random = prng(7);
    const vocab = vocabulary(5_000, random);
    for (const size of [0, 1, 2, 17, 300, 511, 512, 513, 1_500, 4_000]) {
      const terms = new Map<string, number>();
      for (let i = 0; i < size; i++) {
        // known and unknown terms mixed, inserted in no order, counts 1–4 and a title's weighted 1.5
        const known = random() < 0.8;
        const t = known ? vocab.terms[Math.floor(random() * vocab.terms.length)]! : `生词${i}`;
        terms.set(t, random() < 0.2 ? 1.5 : 1 + Math.floor(random() * 4));
      }
      const want = byPairs(terms, vocab);
      const got = vectorize(terms, vocab);
      expect([...got.idx]).toEqual([...want.idx]);
      expect([...got.val]).toEqual([...want.val]);
    }
  });

  it('answers an empty vector when no term is known', () => {
    const vocab = vocabulary(10, prng(1));
    const x = vectorize(new Map([['生词', 2]]), vocab);
    expect(x.idx.length).toBe(0);
    expect(x.val.length).toBe(0);
  });

  it('returns arrays of its own: a later call does not change an earlier vector', () => {
    const vocab = vocabulary(100, prng(3));
    const first = vectorize(new Map(vocab.terms.slice(0, 50).map((t) => [t, 1])), vocab);
    const copy = { idx: [...first.idx], val: [...first.val] };
    vectorize(new Map(vocab.terms.slice(50).map((t) => [t, 3])), vocab);
    expect([...first.idx]).toEqual(copy.idx);
    expect([...first.val]).toEqual(copy.val);
  });
});
