import { describe, expect, it } from 'vitest';
import { segmentWords } from '../text-tokens.js';
import { explanationWords } from './explanation-words.js';

const w = (term: string, weight: number) => ({ term, weight });

describe('第四条 智能分类: the words shown as the reason of a suggestion', () => {
  it('keeps the words of the text in weight order, leaves out bigrams across words, at most n', () => {
    const text = '和平路与中华路交叉口路灯晚上不亮，行人和电动车夜间通行很危险';
    const readerWords = new Set(segmentWords(text));
    expect(readerWords.has('车夜')).toBe(false); // a bigram of 电动车 + 夜间, not a word
    const weighed = [w('路灯', 0.9), w('车夜', 0.8), w('不亮', 0.7), w('晚上', 0.5), w('危险', 0.4), w('夜间', 0.3)];
    expect(explanationWords(weighed, readerWords, 3).map((x) => x.term)).toEqual(['路灯', '不亮', '晚上']);
    expect(explanationWords(weighed, readerWords, 10).map((x) => x.term)).toEqual([
      '路灯',
      '不亮',
      '晚上',
      '危险',
      '夜间',
    ]);
  });

  it('shows the heaviest terms as they are when none of them is a word of the text, and nothing when none weighed', () => {
    const weighed = [w('车夜', 0.8), w('阳社', 0.2)];
    expect(explanationWords(weighed, new Set(['路灯']), 5)).toEqual(weighed);
    expect(explanationWords([], new Set(['路灯']), 5)).toEqual([]);
  });
});
