import { describe, expect, it } from 'vitest';
import { epochsFor } from './softmax-model.js';

describe('第四条 智能分类：训练轮数 (a step budget, issue 13)', () => {
  const opts = { epochs: 12, maxSteps: 120_000 };

  it('gives few texts every epoch and a large history the same updates in fewer passes, at least one', () => {
    expect(epochsFor(opts, 628)).toBe(12); // the 785 labels' training folds
    expect(epochsFor(opts, 10_000)).toBe(12);
    expect(epochsFor(opts, 10_001)).toBe(11);
    expect(epochsFor(opts, 18_000)).toBe(6); // the temperature probe of a large history
    expect(epochsFor(opts, 60_000)).toBe(2);
    expect(epochsFor(opts, 90_000)).toBe(1);
    expect(epochsFor(opts, 5_000_000)).toBe(1);
  });

  it('without a budget, or with nothing to learn from, is the epochs asked for', () => {
    expect(epochsFor({ epochs: 12 }, 5_000_000)).toBe(12);
    expect(epochsFor(opts, 0)).toBe(12);
    expect(epochsFor({ epochs: 0, maxSteps: 120_000 }, 5_000_000)).toBe(0); // a model that learns nothing (the gate's test)
  });
});
