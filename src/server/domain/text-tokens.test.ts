import { describe, expect, it } from 'vitest';
import {
  anyWordQuery,
  searchTokens,
  segmentWords,
  similarity,
  termCounts,
  termsAndWords,
  tokenize,
} from './text-tokens.js';

describe('Chinese segmentation for duplicate search', () => {
  it('keeps meaningful words and drops stop words and punctuation', () => {
    const words = tokenize('和平路与中华路交叉口的路灯已经连续一周晚上不亮，希望尽快解决！');
    expect(words).toEqual(expect.arrayContaining(['和平路', '中华路', '交叉口', '路灯', '不亮']));
    expect(words).not.toContain('已经');
    expect(words).not.toContain('希望');
    // bigrams cover odd segmentations: jieba reads 路灯不亮 as 路 / 灯不亮
    expect(tokenize('路灯不亮')).toEqual(expect.arrayContaining(['路灯', '不亮']));
    expect(words).not.toContain('，');
  });

  it('reads words of Chinese characters, of letters and digits and of mixed scripts alike', () => {
    // words of Chinese characters alone take a shorter way than the rest (issue 8): both must answer the same
    expect(tokenize('ＡＢＣ小区WiFi信号差，电梯E01故障，3号楼1203室 12345热线 非常感谢')).toEqual(
      expect.arrayContaining(['小区', 'wifi', '信号', 'e01', '故障', '1203', '电梯']),
    );
    const t = tokenize('我们 非常 感谢 热线 已经 一直 问题');
    for (const stop of ['我们', '非常', '已经', '一直', '问题', '热线']) expect(t).not.toContain(stop);
    // searchTokens: the words of each text in order, each once
    expect(searchTokens('路灯不亮', '路灯 坏了，路灯不亮')).toBe(tokenize('路灯不亮 路灯 坏了，路灯不亮').join(' '));
  });

  it('similar reports of one matter share most words; different matters share few', () => {
    const a = tokenize('和平路中华路口路灯一周不亮');
    const b = tokenize('中华路和平路交叉口路灯坏了晚上不亮');
    const c = tokenize('咨询社保缴费基数调整');
    expect(similarity(a, b)).toBeGreaterThan(0.3);
    expect(similarity(a, c)).toBe(0);
  });

  it('builds a safe OR query', () => {
    expect(anyWordQuery(['路灯', "o'neil"])).toBe("'路灯' | 'o''neil'");
    expect(anyWordQuery([])).toBeNull();
    expect(searchTokens('路灯不亮', null, '和平路')).toContain('路灯');
  });

  it('counts how often each term occurs, up to a cap, over the same terms as tokenize (第四条 智能分类)', () => {
    const text = '路灯不亮，路灯又不亮了。路灯！';
    const counts = termCounts(text, 32);
    expect([...counts.keys()]).toEqual(tokenize(text));
    // 路灯: jieba's word twice (路 / 灯不亮 the first time) and the bigram at three positions
    expect(counts.get('路灯')).toBe(5);
    expect(counts.get('不亮')).toBe(3);
    expect(counts.get('灯又')).toBe(1);
    expect(termCounts(text, 2).get('路灯')).toBe(2);
    expect(counts.has('已经')).toBe(false);
    expect(termCounts('', 32).size).toBe(0);
  });

  it('precise mode: each word cut once, without the dictionary words search mode adds inside it (第四条 智能分类)', () => {
    const search = termCounts('中华人民共和国市场监督管理局', 32);
    const precise = termCounts('中华人民共和国市场监督管理局', 32, true);
    // search mode also gives 共和国 and 管理 inside the long words; the bigrams hold 管理 in both
    expect(search.get('共和国')).toBe(1);
    expect(precise.has('共和国')).toBe(false);
    expect(search.get('管理')).toBe(2);
    expect(precise.get('管理')).toBe(1);
    for (const t of ['中华人民共和国', '市场', '监督', '管理局', '人民', '共和']) expect(precise.has(t)).toBe(true);
    expect([...precise.keys()].every((t) => search.has(t))).toBe(true);
  });

  it('termsAndWords gives tokenize() and segmentWords() of a text from one cut', () => {
    for (const text of [
      '和平路与中华路交叉口往东一段路灯已经连续一周晚上不亮，行人和电动车夜间通行很危险',
      '丹阳社区 污水',
      'WiFi 密码 12345 热线 ABC abc',
      '',
    ])
      expect(termsAndWords(text)).toEqual({ terms: tokenize(text), words: segmentWords(text) });
  });
});
