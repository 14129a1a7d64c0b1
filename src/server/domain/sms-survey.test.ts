import { describe, expect, it } from 'vitest';
import { parseSurveyAnswer } from './sms-survey.js';

describe('第十七条 短信回访：回复内容识别', () => {
  it.each([
    ['1', 'satisfied'],
    [' 1 ', 'satisfied'],
    ['１', 'satisfied'],
    ['1。', 'satisfied'],
    ['满意', 'satisfied'],
    ['满意！', 'satisfied'],
    ['非常满意', 'satisfied'],
    ['2', 'basically_satisfied'],
    ['２', 'basically_satisfied'],
    ['基本满意', 'basically_satisfied'],
    ['比较满意', 'basically_satisfied'],
    ['3', 'unsatisfied'],
    ['３', 'unsatisfied'],
    ['不满意', 'unsatisfied'],
    ['不满意。', 'unsatisfied'],
    ['“3”', 'unsatisfied'],
  ])('%j is an answer: %s', (text, expected) => {
    expect(parseSurveyAnswer(text)).toBe(expected);
  });

  it.each([
    '',
    '4',
    '0',
    '12',
    '13',
    '1号楼又停水了',
    '满意个啥，还没修好',
    '不太满意',
    '3楼漏水',
    '我不满意你们的处理，路灯还是不亮',
    'TD',
    '好',
  ])('%j is not an answer and goes to an agent', (text) => {
    expect(parseSurveyAnswer(text)).toBeNull();
  });
});
