import { describe, expect, it } from 'vitest';
import { batchesByIdDesc } from './table-writer.js';

// Exports read their lists newest first in keyset batches (issue 14: exports of what is on screen, any size).
describe('batchesByIdDesc (an export walking a list newest first by id)', () => {
  const ids = Array.from({ length: 7 }, (_, i) => ({ id: 70 - i * 10 })); // 70, 60, … 10
  const walk = async (size: number, rows = ids) => {
    const asked: Array<number | undefined> = [];
    const out: unknown[][] = [];
    for await (const batch of batchesByIdDesc(
      size,
      async (before, limit) => {
        asked.push(before);
        return rows.filter((r) => before === undefined || r.id < before).slice(0, limit);
      },
      (r) => [r.id, `#${r.id}`],
    ))
      out.push(batch);
    return { asked, out };
  };

  it('gives every row once, in order, a batch at a time, each asked below the last id seen', async () => {
    const { asked, out } = await walk(3);
    expect(out.map((b) => b.map((c) => (c as unknown[])[0]))).toEqual([[70, 60, 50], [40, 30, 20], [10]]);
    expect(asked).toEqual([undefined, 50, 20]);
  });

  it('stops at a short batch without asking again, and after an empty one when the list divides evenly', async () => {
    expect((await walk(7)).asked).toEqual([undefined, 10]);
    expect((await walk(8)).asked).toEqual([undefined]);
  });

  it('yields nothing for an empty list', async () => {
    expect(await walk(3, [])).toEqual({ asked: [undefined], out: [] });
  });
});
