import { describe, expect, it } from 'vitest';
import { contentErrors, errorsMessage } from './knowledge-validation.js';

const known = { categoryIds: new Set([1, 2]), regionCodes: new Set(['371700', '371702']) };
const ok = {
  title: '住房公积金怎么提取',
  aliases: ['公积金提取', '取公积金'],
  visibility: 'public' as const,
  categoryIds: [1],
  regionCodes: ['371702'],
  effectiveFrom: '2025-01-01',
  expiresOn: '2026-01-01',
};

describe('第十八条 knowledge content rules', () => {
  it('accepts a sound version', () => {
    expect(contentErrors(ok, known)).toEqual([]);
    expect(contentErrors({ ...ok, expiresOn: null, regionCodes: [], categoryIds: [] }, known)).toEqual([]);
  });
  it('an expiry on or before the effective date', () => {
    expect(contentErrors({ ...ok, expiresOn: '2024-12-31' }, known)).toEqual([
      { field: 'expiresOn', message: '失效日期须晚于生效日期' },
    ]);
    expect(contentErrors({ ...ok, expiresOn: '2025-01-01' }, known)[0]!.field).toBe('expiresOn');
  });
  it('impossible dates', () => {
    expect(contentErrors({ ...ok, effectiveFrom: '2025-02-30' }, known).map((e) => e.field)).toContain('effectiveFrom');
    expect(contentErrors({ ...ok, policyChangedOn: '2025-13-01' }, known).map((e) => e.field)).toEqual([
      'policyChangedOn',
    ]);
  });
  it('categories and regions that do not exist, named', () => {
    const e = contentErrors({ ...ok, categoryIds: [1, 99], regionCodes: ['371799'] }, known);
    expect(e).toEqual([
      { field: 'categoryIds', message: '事项分类不存在：99' },
      { field: 'regionCodes', message: '行政区划不存在：371799' },
    ]);
    expect(errorsMessage(e)).toContain('事项分类不存在');
  });
  it('repeated aliases and an alias equal to the title', () => {
    expect(contentErrors({ ...ok, aliases: ['a', 'a'] }, known)[0]!.field).toBe('aliases');
    expect(contentErrors({ ...ok, aliases: ['住房公积金怎么提取'] }, known)[0]!.message).toContain('与标题相同');
  });
});
