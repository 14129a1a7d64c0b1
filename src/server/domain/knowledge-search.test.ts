import { describe, expect, it } from 'vitest';
import {
  alternativeFrequency,
  isStale,
  normaliseQuery,
  planSearch,
  publicAnswerOf,
  rankCandidates,
  rankScore,
  storableQuery,
  SUGGESTION_PLAN,
  termLexemes,
  tsqueryOf,
  withinBudget,
} from './knowledge-search.js';
import { knowledgeTokens } from './knowledge-text.js';
import { isWellFormed } from '../../shared/contracts/common.js';

const GROUPS = [
  ['社保', '社会保险'],
  ['公积金', '住房公积金'],
  ['医保', '医疗保险'],
  ['12345', '市长热线'],
  ['低保', '最低生活保障'],
];
const NOW = new Date('2025-03-03T01:00:00Z');

/** Whether an article with these texts would match the plan's tsquery (OR of AND-ed lexemes), as PostgreSQL does. */
function matches(plan: ReturnType<typeof planSearch>, article: { title: string; answer: string }) {
  const t = knowledgeTokens({ title: article.title, aliases: [], answer: article.answer, shortAnswer: '' });
  const lexemes = new Set(`${t.titleTokens} ${t.bodyTokens}`.split(' '));
  return (plan.tsquery ?? '')
    .split(' | ')
    .filter(Boolean)
    .some((alt) =>
      alt
        .replace(/^\(|\)$/g, '')
        .split(' & ')
        .every((q) => lexemes.has(q.slice(1, -1).replace(/''/g, "'"))),
    );
}

describe('第十八条 knowledge search: normalising a query', () => {
  it('folds full-width forms, removes control and zero-width characters, collapses spaces, lower case', () => {
    expect(normaliseQuery('  ＥＴＣ\u200b  办理\u0000\t\n流程  ')).toBe('etc 办理 流程');
    expect(normaliseQuery('１２３４５')).toBe('12345');
  });
  it('cuts at the maximum length by characters, never inside a surrogate pair', () => {
    const s = normaliseQuery('😀'.repeat(300), 10);
    expect([...s]).toHaveLength(10);
    expect(isWellFormed(s)).toBe(true);
    expect(normaliseQuery('a\uD800b')).toBe('ab');
  });
  it('an empty or blank query normalises to the empty string', () => {
    expect(normaliseQuery('')).toBe('');
    expect(normaliseQuery(' \u3000\t')).toBe('');
  });
});

describe('第六条 what of a search is stored', () => {
  it('masks phone, ID and bank card numbers and keeps at most 100 characters', () => {
    const s = storableQuery('我的电话13905301234，身份证371702199001011234，公积金怎么提取');
    expect(s).not.toContain('13905301234');
    expect(s).not.toContain('371702199001011234');
    expect(s).toContain('公积金怎么提取');
    expect([...storableQuery('查'.repeat(500))]).toHaveLength(100);
  });
});

describe('第十八条 knowledge search: what is looked for', () => {
  it('segments Chinese: a question in the citizen’s words finds the article by its words', () => {
    const plan = planSearch('我想问一下公积金怎么提取', []);
    expect(plan.words).toContain('公积金');
    expect(plan.words).toContain('提取');
    expect(plan.words).not.toContain('怎么');
    expect(matches(plan, { title: '住房公积金怎么提取？', answer: '职工购房、退休可申请提取。' })).toBe(true);
    expect(matches(plan, { title: '路灯不亮找谁修', answer: '城管局负责。' })).toBe(false);
  });
  it('synonyms: 社保 finds an article that only says 社会保险, and the other way round', () => {
    const plan = planSearch('社保断缴了怎么办', GROUPS);
    expect(plan.synonyms).toEqual(['社会保险']);
    expect(matches(plan, { title: '社会保险中断后如何续缴', answer: '可携带身份证到窗口办理。' })).toBe(true);
    const back = planSearch('医疗保险报销比例', GROUPS);
    expect(back.synonyms).toEqual(['医保']);
    expect(matches(back, { title: '医保门诊报销', answer: '按规定比例报销。' })).toBe(true);
  });
  it('a longer synonym is found by all of its bigrams, whatever jieba made of the article’s context', () => {
    expect(termLexemes('最低生活保障')).toEqual(['最低', '低生', '生活', '活保', '保障']);
    const plan = planSearch('低保怎么申请', GROUPS);
    expect(matches(plan, { title: '申请最低生活保障需要什么条件', answer: '户籍所在地乡镇受理。' })).toBe(true);
  });
  it('a synonym term that is not Chinese is looked for as its words; stop words add nothing', () => {
    expect(termLexemes('ETC')).toEqual(['etc']);
    expect(termLexemes('12345')).toEqual([]);
    expect(termLexemes('税')).toEqual([]);
    expect(termLexemes('  ')).toEqual([]);
  });
  it('no operator can be injected into the tsquery', () => {
    const plan = planSearch("公积金' | '!x & (y) :* \\ 提取", []);
    expect(plan.tsquery).not.toBeNull();
    for (const part of plan.tsquery!.split(' | ')) expect(part).toMatch(/^(\(('([^']|'')+'( & )?)+\)|'([^']|'')+')$/);
    expect(tsqueryOf([["a'b"], ['c\\d', 'e']])).toBe("'a''b' | ('cd' & 'e')");
  });
  it('duplicate alternatives are written once and the number of alternatives is capped', () => {
    expect(tsqueryOf([['a'], ['a'], ['b', 'c'], ['c', 'b']])).toBe("'a' | ('b' & 'c')");
    const many = Array.from({ length: 100 }, (_, i) => [`w${i}`]);
    expect(tsqueryOf(many, 32)!.split(' | ')).toHaveLength(32);
  });
  it('nothing searchable: an empty query, punctuation or stop words only', () => {
    expect(planSearch('', GROUPS).tsquery).toBeNull();
    expect(planSearch('？？！', GROUPS).tsquery).toBeNull();
    expect(planSearch('你好 谢谢', GROUPS).tsquery).toBeNull();
  });
  it('short queries (1–3 characters) are also compared with titles by trigram similarity', () => {
    expect(planSearch('医保', GROUPS).trigram).toBe('医保');
    expect(planSearch('税', GROUPS).trigram).toBe('税');
    expect(planSearch('税', GROUPS).tsquery).toBeNull();
    expect(planSearch('公积金', GROUPS).trigram).toBe('公积金');
    expect(planSearch('公积金提取', GROUPS).trigram).toBeNull();
  });
  it('generic words (办理, 电话, 咨询) are dropped when the query has other words, kept when it has none', () => {
    const plan = planSearch('咨询一下火星移民怎么办理', []);
    expect(plan.words).not.toContain('办理');
    expect(plan.words).not.toContain('咨询');
    expect(plan.words).toContain('移民');
    expect(planSearch('办理', []).words).toEqual(['办理']);
  });
  it('a query without words of its own (12345 is a stop word) is compared with titles by trigram', () => {
    const plan = planSearch('12345', GROUPS);
    expect(plan.words).toEqual([]);
    expect(plan.synonyms).toEqual(['市长热线']);
    expect(plan.trigram).toBe('12345');
    expect(planSearch('谢谢你们'.repeat(10), []).trigram).toBeNull();
  });
  it('within the budget of titles to rank: the rarest words are kept, words most titles contain are left out', () => {
    const df = new Map([
      ['菏泽', 90_000],
      ['泽市', 90_000],
      ['菏泽市', 90_000],
      ['牡丹', 11_000],
      ['丹区', 11_000],
      ['牡丹区', 11_000],
      ['物业', 2_000],
      ['景蓉', 35],
    ]);
    const plan = planSearch('菏泽市牡丹区景蓉物业', [], df);
    expect(plan.tsquery).toContain("'景蓉'");
    expect(plan.tsquery).not.toContain('菏泽市');
    expect(plan.tsquery).not.toContain('牡丹区');
    expect(plan.words).toContain('景蓉');
    expect(plan.words).not.toContain('菏泽市');
    // nothing but common words: the rarest is kept, the query still finds something
    expect(planSearch('菏泽市', [], df).tsquery).toMatch(/菏泽/);
    // 医保 is in many titles, its synonyms in few: 医保 itself is still looked for
    const medical = planSearch('医保', [['医保', '医疗保险']], new Map([['医保', 5000]]));
    expect(medical.tsquery).toContain("'医保'");
    expect(medical.tsquery).toContain("'医疗' & '疗保' & '保险'");
  });
  it('withinBudget keeps query order, drops what would exceed the budget, never drops everything', () => {
    const df = new Map([
      ['a', 1000],
      ['b', 600],
      ['c', 10],
    ]);
    expect(withinBudget([['a'], ['b'], ['c']], df, 1000)).toEqual([['b'], ['c']]);
    expect(withinBudget([['a'], ['b'], ['c']], df, 500)).toEqual([['c']]);
    expect(withinBudget([['a']], df, 10)).toEqual([['a']]);
    expect(withinBudget([['a', 'c'], ['x']], df, 10)).toEqual([['a', 'c'], ['x']]);
    expect(withinBudget([['a', 'c'], ['x']], df, 5)).toEqual([['x']]);
    expect(withinBudget([['a', 'c'], ['x']], df, 9)).toEqual([['x']]);
    expect(alternativeFrequency(['a', 'b'], df)).toBe(600);
    // the query's own word is kept even when its synonyms are rarer
    expect(withinBudget([['a'], ['c'], ['b']], df, 100, 1)).toEqual([['a'], ['c']]);
    expect(alternativeFrequency([], df)).toBe(0);
  });
  it('a contact text for the console’s suggestions: its first 100 characters, at most 12 alternatives', () => {
    const text = '我想问一下公积金怎么提取。' + '小区门口的路灯坏了很久没人修，'.repeat(10) + '最后还有燃气表的问题';
    const plan = planSearch(text, GROUPS, new Map(), SUGGESTION_PLAN);
    expect(plan.tsquery).toContain("'提取'");
    expect(plan.tsquery).not.toContain('燃气');
    expect(plan.tsquery!.split(' | ').length).toBeLessThanOrEqual(12);
  });
  it('a long contact text keeps its own words within the cap before any synonym', () => {
    const text = '小区供暖不热，'.repeat(5) + '还有社保缴费问题和公积金提取问题以及医保报销问题，'.repeat(5);
    const plan = planSearch(text, GROUPS);
    expect(plan.tsquery!.split(' | ').length).toBeLessThanOrEqual(32);
    expect(plan.tsquery).toContain("'供暖'");
  });
});

describe('第十八条 knowledge search: ranking', () => {
  const base = { textRank: 0.5, titleSimilarity: 0, reviewCycleDays: 180, useCount: 0, openFlagCount: 0 };
  const fresh = new Date('2025-02-01T00:00:00Z');
  const old = new Date('2024-01-01T00:00:00Z');
  it('stale when not reviewed within the cycle, or never', () => {
    expect(isStale(fresh, 180, NOW)).toBe(false);
    expect(isStale(old, 180, NOW)).toBe(true);
    expect(isStale(null, 180, NOW)).toBe(true);
  });
  it('a current article ranks above the same match that is stale', () => {
    expect(rankScore({ ...base, reviewedAt: fresh }, NOW)).toBeGreaterThan(
      rankScore({ ...base, reviewedAt: old }, NOW),
    );
  });
  it('use helps, logarithmically: it cannot bury a clearly better match', () => {
    const used = rankScore({ ...base, reviewedAt: fresh, useCount: 10_000 }, NOW);
    expect(used).toBeGreaterThan(rankScore({ ...base, reviewedAt: fresh }, NOW));
    expect(used).toBeLessThan(rankScore({ ...base, textRank: 1, reviewedAt: fresh }, NOW));
  });
  it('open flags push an article down', () => {
    expect(rankScore({ ...base, reviewedAt: fresh, openFlagCount: 2 }, NOW)).toBeLessThan(
      rankScore({ ...base, reviewedAt: fresh }, NOW),
    );
  });
  it('a trigram-only title match still ranks, below a word match', () => {
    const tri = rankScore({ ...base, textRank: 0, titleSimilarity: 0.6, reviewedAt: fresh }, NOW);
    expect(tri).toBeGreaterThan(0);
  });
  it('rankCandidates orders best first, ties by newer id, and cuts at the limit', () => {
    const rows = [
      { id: 1, ...base, reviewedAt: fresh },
      { id: 2, ...base, reviewedAt: fresh },
      { id: 3, ...base, textRank: 0.9, reviewedAt: fresh },
      { id: 4, ...base, textRank: 0.1, reviewedAt: fresh },
    ];
    expect(rankCandidates(rows, NOW, 3).map((r) => r.id)).toEqual([3, 2, 1]);
  });
});

describe('第十八条 the portal answer: public articles only, never the internal answer', () => {
  it('the public answer when written, else the short answer, only for a public article', () => {
    expect(publicAnswerOf({ visibility: 'public', public_answer: '公开', short_answer: '简短' })).toBe('公开');
    expect(publicAnswerOf({ visibility: 'public', public_answer: '  ', short_answer: '简短' })).toBe('简短');
    expect(publicAnswerOf({ visibility: 'public', public_answer: null, short_answer: '简短' })).toBe('简短');
    expect(publicAnswerOf({ visibility: 'internal', public_answer: '公开', short_answer: '简短' })).toBeNull();
  });
});
