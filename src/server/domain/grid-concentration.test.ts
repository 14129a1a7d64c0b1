import { describe, expect, it } from 'vitest';
import { concentration } from './grid-concentration.js';

// matters 11, 12 in group 1; 21 in group 2
const groupOf = (c: number) => Math.floor(c / 10);

describe('第二十九条 本辖区诉求集中的问题 (grid × matter)', () => {
  it('sums per grid and matter group, ranks matters and hot grids, keeps empty grids', () => {
    const c = concentration(
      [
        { region: 'g1', category: 11, count: 3 },
        { region: 'g1', category: 21, count: 1 },
        { region: 'g2', category: 12, count: 5 },
        { region: 'g2', category: 12, count: 1 },
        { region: 'town', category: 21, count: 2 },
      ],
      ['g1', 'g2', 'g3', 'town'],
      groupOf,
    );
    expect(c.regions).toEqual([
      { region: 'g1', count: 4, byGroup: { 1: 3, 2: 1 } },
      { region: 'g2', count: 6, byGroup: { 1: 6 } },
      { region: 'g3', count: 0, byGroup: {} },
      { region: 'town', count: 2, byGroup: { 2: 2 } },
    ]);
    expect(c.groups).toEqual([
      { category: 1, count: 9 },
      { category: 2, count: 3 },
    ]);
    expect(c.topMatters).toEqual([
      { category: 12, count: 6 },
      { category: 11, count: 3 },
      { category: 21, count: 3 },
    ]);
    // the town's own row (tickets in no grid) is not a hot grid
    expect(c.hot).toEqual([
      { region: 'g2', count: 6, topCategory: 12, topCount: 6 },
      { region: 'g1', count: 4, topCategory: 11, topCount: 3 },
    ]);
  });

  it("citizens' requests are all tickets minus 主动发现; the town row is left out when empty", () => {
    const c = concentration(
      [
        { region: 'g1', category: 11, count: 4 },
        { region: 'g1', category: 11, count: -3 },
        { region: 'g1', category: 21, count: 2 },
        { region: 'g1', category: 21, count: -2 },
      ],
      ['g1', 'town'],
      groupOf,
    );
    expect(c.regions).toEqual([{ region: 'g1', count: 1, byGroup: { 1: 1 } }]);
    expect(c.groups).toEqual([{ category: 1, count: 1 }]);
    expect(c.hot).toEqual([{ region: 'g1', count: 1, topCategory: 11, topCount: 1 }]);
  });
});
