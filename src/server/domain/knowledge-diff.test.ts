import { describe, expect, it } from 'vitest';
import { diffText, diffVersions, type ComparableVersion, type TextSegment } from './knowledge-diff.js';

const rebuild = (s: TextSegment[], side: 'a' | 'b') =>
  s
    .filter((x) => x.op === 'equal' || x.op === (side === 'a' ? 'delete' : 'insert'))
    .map((x) => x.text)
    .join('');

describe('第十八条 version compare', () => {
  it('a changed word in Chinese text shows as that word', () => {
    const s = diffText('供暖时间为每年11月15日至次年3月15日。', '供暖时间为每年11月15日至次年3月31日。');
    // only the day changed: everything else is equal text
    expect(s.filter((x) => x.op !== 'equal').reduce((n, x) => n + x.text.length, 0)).toBeLessThanOrEqual(4);
    expect(s[0]).toEqual({ op: 'equal', text: '供暖时间为每年11月15日至次年3月' });
    expect(rebuild(s, 'a')).toBe('供暖时间为每年11月15日至次年3月15日。');
    expect(rebuild(s, 'b')).toBe('供暖时间为每年11月15日至次年3月31日。');
  });
  it('lines added and removed', () => {
    const a = '第一步：登录\n第二步：填写\n第三步：提交\n';
    const b = '第一步：登录\n第三步：提交\n第四步：查询进度\n';
    const s = diffText(a, b);
    expect(rebuild(s, 'a')).toBe(a);
    expect(rebuild(s, 'b')).toBe(b);
    expect(s.some((x) => x.op === 'delete' && x.text.includes('填写'))).toBe(true);
    expect(s.some((x) => x.op === 'insert' && x.text.includes('查询进度'))).toBe(true);
  });
  it('identical, empty and whole replacements', () => {
    expect(diffText('相同', '相同')).toEqual([{ op: 'equal', text: '相同' }]);
    expect(diffText('', '新增')).toEqual([{ op: 'insert', text: '新增' }]);
    expect(diffText('删除', '')).toEqual([{ op: 'delete', text: '删除' }]);
  });
  it('10 000 characters each, entirely different, stays fast and correct', () => {
    const a = '甲'.repeat(10_000);
    const b = '乙'.repeat(5_000) + '\n' + '丙'.repeat(4_999);
    const t0 = Date.now();
    const s = diffText(a, b);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(rebuild(s, 'a')).toBe(a);
    expect(rebuild(s, 'b')).toBe(b);
  });
  it('many lines, a few changed', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `第${i}行内容，说明办理材料。\n`);
    const a = lines.join('');
    const b = lines.map((l, i) => (i === 200 ? '第200行内容，说明办理地点。\n' : l)).join('');
    const s = diffText(a, b);
    expect(rebuild(s, 'b')).toBe(b);
    expect(s.filter((x) => x.op !== 'equal').map((x) => x.text)).toEqual(['材料', '地点']);
  });
  it('versions field by field: lists added/removed, values from/to', () => {
    const v: ComparableVersion = {
      title: '公积金提取',
      aliases: ['取公积金'],
      answer: '携带身份证',
      shortAnswer: '携带身份证办理',
      publicAnswer: null,
      visibility: 'internal',
      policyBasis: [{ document: '住房公积金管理条例', number: '国务院令第262号', clause: '第二十四条' }],
      categoryIds: [1],
      regionCodes: [],
      effectiveFrom: '2025-01-01',
      expiresOn: null,
      policyChangedOn: null,
      attachmentIds: [],
    };
    const d = diffVersions(v, {
      ...v,
      aliases: ['公积金怎么取'],
      visibility: 'public',
      categoryIds: [1, 2],
      expiresOn: '2026-01-01',
    });
    const by = Object.fromEntries(d.map((x) => [x.field, x]));
    expect(by.title!.changed).toBe(false);
    expect(by.aliases).toMatchObject({ changed: true, added: ['公积金怎么取'], removed: ['取公积金'] });
    expect(by.visibility).toMatchObject({ changed: true, from: 'internal', to: 'public' });
    expect(by.categoryIds).toMatchObject({ added: ['2'], removed: [], kept: ['1'] });
    expect(by.expiresOn).toMatchObject({ from: null, to: '2026-01-01' });
    expect(by.policyBasis!.changed).toBe(false);
  });
});
