import { describe, expect, it } from 'vitest';
import { PASSWORD_POLICY, passwordClasses, passwordViolations, reusedPassword } from './password-policy.js';

const rules = (pw: string, opts?: Parameters<typeof passwordViolations>[1]) =>
  passwordViolations(pw, opts).map((v) => v.rule);

describe('第六条 等保 2.0 身份鉴别: password policy', () => {
  it('the demo password and typical strong passwords pass', () => {
    for (const pw of ['Heze12345!', 'Welcome2025x', 'Another2025y', 'correct horse Battery', 'Abcdefghi1'])
      expect(passwordViolations(pw, { username: 'agent' })).toEqual([]);
  });

  it('length: at least 10 characters by default, counted as characters, at most 128', () => {
    expect(rules('Abcdefgh1')).toEqual(['too_short']);
    expect(passwordViolations('Abcdefgh1')[0]!.message).toBe('密码至少10位');
    expect(rules('Abcdefghi1')).toEqual([]);
    // four Chinese characters are four characters, not twelve bytes
    expect(rules('Ab1菏泽市热线中心')).toEqual([]);
    expect(rules('Ab1菏泽市热线中')).toEqual(['too_short']);
    expect(rules('Aa1' + 'x'.repeat(125))).toEqual([]);
    expect(rules('Aa1' + 'x'.repeat(126))).toEqual(['too_long']);
    expect(passwordViolations('Aa1' + 'x'.repeat(126))[0]!.message).toBe('密码不能超过128位');
  });

  it('the minimum length follows the setting but never goes below 10', () => {
    expect(rules('Abcdefghi1', { minLength: 12 })).toEqual(['too_short']);
    expect(passwordViolations('Abcdefghi1', { minLength: 12 })[0]!.message).toBe('密码至少12位');
    expect(rules('Abcdefghij12', { minLength: 12 })).toEqual([]);
    expect(rules('Abcdefgh1', { minLength: 6 })).toEqual(['too_short']);
    expect(passwordViolations('Abcdefgh1', { minLength: 6 })[0]!.message).toBe('密码至少10位');
  });

  it('classes: any three of lower, upper, digit, symbol; fewer is refused', () => {
    const cases: Array<[string, boolean]> = [
      ['abcdefghij', false], // lower only
      ['ABCDEFGHIJ', false],
      ['1234567890', false],
      ['!@#$%^&*()', false],
      ['abcdeFGHIJ', false], // lower + upper
      ['abcde12345', false], // lower + digit
      ['abcde!@#$%', false], // lower + symbol
      ['ABCDE12345', false],
      ['ABCDE!@#$%', false],
      ['12345!@#$%', false],
      ['abcDE12345', true], // lower + upper + digit
      ['abcDE!@#$%', true], // lower + upper + symbol
      ['abcde123!@', true], // lower + digit + symbol
      ['ABCDE123!@', true], // upper + digit + symbol
      ['abCD12!@xy', true], // all four
    ];
    for (const [pw, ok] of cases) expect(rules(pw).includes('classes'), pw).toBe(!ok);
    expect(passwordViolations('abcdefghij')[0]!.message).toBe('密码须包含大写字母、小写字母、数字、符号中的至少三类');
  });

  it('spaces, Chinese characters and other non-ASCII count as symbols', () => {
    expect(passwordClasses('a A')).toEqual({ lower: true, upper: true, digit: false, symbol: true });
    expect(passwordClasses('热线1a')).toEqual({ lower: true, upper: false, digit: true, symbol: true });
    expect(passwordClasses('é')).toEqual({ lower: false, upper: false, digit: false, symbol: true });
    expect(passwordClasses('')).toEqual({ lower: false, upper: false, digit: false, symbol: false });
  });

  it('must not contain the username, in any case', () => {
    expect(rules('Xadmin2025!', { username: 'admin' })).toEqual(['contains_username']);
    expect(rules('xADMIN2025!', { username: 'admin' })).toEqual(['contains_username']);
    expect(rules('Adm1n2025!x', { username: 'admin' })).toEqual([]);
    expect(passwordViolations('Zhang_san2025', { username: 'zhang_san' })[0]!.message).toBe('密码不能包含用户名');
    // no username (or a blank one) checks nothing
    expect(rules('Xadmin2025!', { username: '' })).toEqual([]);
    expect(rules('Xadmin2025!', { username: '  ' })).toEqual([]);
    expect(rules('Xadmin2025!', { username: null })).toEqual([]);
  });

  it('reports every rule broken, in the order a person fixes them', () => {
    expect(rules('admin', { username: 'admin' })).toEqual(['too_short', 'classes', 'contains_username']);
    expect(rules('')).toEqual(['too_short', 'classes']);
  });

  it('reuse of one of the last N passwords has its own message with N', () => {
    expect(reusedPassword(5)).toEqual({ rule: 'reused', message: '不能与最近5次使用过的密码相同' });
    expect(reusedPassword(12).message).toBe('不能与最近12次使用过的密码相同');
  });

  it('limits an admin may set', () => {
    expect(PASSWORD_POLICY).toMatchObject({
      minLengthFloor: 10,
      defaultMinLength: 10,
      defaultHistory: 5,
      minClasses: 3,
      maxLength: 128,
    });
  });
});
