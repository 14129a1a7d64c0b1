import { describe, expect, it } from 'vitest';
import { allTermsQuery, classifySearch, MAX_TEXT_TERMS, textTerms } from './ticket-search.js';

describe('one search box: ticket number, phone number or words', () => {
  it('reads a ticket number however it was typed', () => {
    expect(classifySearch('HZ20250311-000002')).toEqual({ kind: 'number', number: 'HZ20250311-000002' });
    expect(classifySearch('  hz20250311-000002 ')).toEqual({ kind: 'number', number: 'HZ20250311-000002' });
    expect(classifySearch('HZ 20250311-000002')).toEqual({ kind: 'number', number: 'HZ20250311-000002' });
  });

  it('reads a portal message number (留言编号) as the contact it names; one too large to be an id is nothing', () => {
    expect(classifySearch('WEB-1024')).toEqual({ kind: 'reference', contactId: 1024 });
    expect(classifySearch(' web-7 ')).toEqual({ kind: 'reference', contactId: 7 });
    expect(classifySearch('WEB-0')).toBeNull();
    expect(classifySearch('WEB-99999999999')).toBeNull();
    expect(classifySearch('WEB-12a')?.kind).toBe('text');
  });

  it('reads mobile numbers and landlines with an area code, in the usual spellings', () => {
    expect(classifySearch('13905301234')).toEqual({ kind: 'phone', phone: '13905301234' });
    expect(classifySearch('139 0530 1234')).toEqual({ kind: 'phone', phone: '13905301234' });
    expect(classifySearch('+86 139-0530-1234')).toEqual({ kind: 'phone', phone: '13905301234' });
    expect(classifySearch('0530-5312345')).toEqual({ kind: 'phone', phone: '05305312345' });
    expect(classifySearch('(0530) 531 2345')).toEqual({ kind: 'phone', phone: '05305312345' });
  });

  it("treats other numbers as words, not as someone's phone", () => {
    expect(classifySearch('5312345')).toEqual({ kind: 'text', terms: ['5312345'] });
    expect(classifySearch('2345678901234')?.kind).toBe('text'); // too long for a phone
    expect(classifySearch('HZ20250311-00002')?.kind).toBe('text'); // one digit short of a ticket number
  });

  it('tiles Chinese into bigrams that need not be adjacent, and keeps other words whole', () => {
    expect(classifySearch('路灯不亮')).toEqual({ kind: 'text', terms: ['路灯', '不亮'] });
    expect(textTerms('和平路')).toEqual(['和平', '平路']); // odd length: the last tile overlaps
    expect(textTerms('15路公交 夜班')).toEqual(['路公', '公交', '夜班', '15']);
  });

  it('has nothing to search for in blanks, punctuation or single characters', () => {
    expect(classifySearch('')).toBeNull();
    expect(classifySearch('   ')).toBeNull();
    expect(classifySearch('，。！')).toBeNull();
    expect(classifySearch('路')).toBeNull();
  });

  it('caps the terms and builds an AND query no input can break out of', () => {
    expect(textTerms('一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯').length).toBeLessThanOrEqual(MAX_TEXT_TERMS);
    expect(allTermsQuery(['路灯', "o'k", 'a\\b'])).toBe("'路灯' & 'o''k' & 'ab'");
    expect(allTermsQuery([])).toBeNull();
  });
});
