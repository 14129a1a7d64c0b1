import { describe, expect, it } from 'vitest';
import { hashTerm, TermTable } from './term-table.js';

// 第四条 智能分类, issue 13: the first pass's term → id table (term-table.ts) must be a Map<string, number> that
// costs less: the same ids, whatever the hashes do.

describe('第四条 训练语料：词项表 (term-table.ts)', () => {
  it('ids in order of first sight, the same id for the same term, terms read back: through many growths', () => {
    const table = new TermTable();
    const map = new Map<string, number>();
    // 60 000 distinct terms (Chinese, Latin, digits, a lone surrogate, the empty string), each seen twice
    const terms = Array.from({ length: 60_000 }, (_, i) =>
      i === 7
        ? ''
        : i === 8
          ? '\ud800x'
          : i % 3
            ? String.fromCharCode(0x4e00 + (i % 5000), 0x4e00 + i / 5000)
            : `t${i}`,
    );
    const ids: number[] = [];
    const expected: number[] = [];
    for (const t of [...terms, ...terms.slice().reverse()]) {
      if (!map.has(t)) map.set(t, map.size);
      expected.push(map.get(t)!);
      ids.push(table.id(t));
    }
    expect(ids).toEqual(expected);
    expect(table.size).toBe(map.size);
    expect([...map.keys()].map((_, id) => table.term(id))).toEqual([...map.keys()]);
  });

  it('terms whose 32-bit hashes are equal still get ids of their own', () => {
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const t = `词${i}`;
      const other = seen.get(hashTerm(t));
      if (other !== undefined) pair = [other, t];
      else seen.set(hashTerm(t), t);
    }
    const [a, b] = pair;
    expect(hashTerm(a)).toBe(hashTerm(b));
    const table = new TermTable();
    expect([table.id(a), table.id(b), table.id(a), table.id(b)]).toEqual([0, 1, 0, 1]);
    expect([table.term(0), table.term(1)]).toEqual([a, b]);
  });

  it('compares terms as JavaScript compares strings; a term longer than a piece of fromCharCode reads back', () => {
    const words = ['路灯', '路', '路灯不亮', 'a', 'B', '', '\uffff', '\ud83d\ude00', '10', '9'];
    const table = new TermTable();
    for (const w of words) table.id(w);
    const ids = words.map((_, i) => i).sort((a, b) => table.compare(a, b));
    expect(ids.map((i) => words[i])).toEqual(words.slice().sort());
    const long = '停水'.repeat(5_000);
    expect(table.term(table.id(long))).toBe(long);
  });
});
