import { describe, expect, it } from 'vitest';
import {
  EMERGING_RULES,
  groupCooccurring,
  isTrackedWord,
  lastCompleteWeek,
  logLikelihood,
  placeWords,
  rankEmergingTerms,
  ticketWords,
  usesWord,
  weekOf,
  weeksBetween,
  windowsOf,
  unitReminders,
  type SampledTicket,
  type TermWindowCounts,
} from './emerging-terms.js';

const row = (term: string, recent: number, baseline: number, lastYear = 0): TermWindowCounts => ({
  term,
  recent,
  baseline,
  lastYear,
});
const totals = { recent: 400, baseline: 2600, lastYear: 0 };

describe('第二十八条(三)(四) 新兴诉求词: weeks and windows', () => {
  it('a week is its Monday', () => {
    expect(weekOf('2025-03-03')).toBe('2025-03-03'); // Monday
    expect(weekOf('2025-03-05')).toBe('2025-03-03');
    expect(weekOf('2025-03-09')).toBe('2025-03-03'); // Sunday
    expect(weekOf('2025-03-10')).toBe('2025-03-10');
    expect(weekOf('2025-01-01')).toBe('2024-12-30'); // across a year
  });

  it('the week computed is the last one that has ended', () => {
    expect(lastCompleteWeek('2025-03-10')).toBe('2025-03-03'); // on Monday, last week
    expect(lastCompleteWeek('2025-03-16')).toBe('2025-03-03'); // on Sunday the week is not over
    expect(lastCompleteWeek('2025-03-17')).toBe('2025-03-10');
  });

  it('windows: four recent weeks ending with the week, 26 before them, the same four weeks 52 weeks earlier', () => {
    expect(windowsOf('2025-03-03')).toEqual({
      recentFrom: '2025-02-10',
      recentTo: '2025-03-03',
      baselineFrom: '2024-08-12',
      baselineTo: '2025-02-03',
      lastYearFrom: '2024-02-12',
      lastYearTo: '2024-03-04',
    });
    const w = windowsOf('2025-03-03');
    expect(weeksBetween(w.recentFrom, w.recentTo)).toHaveLength(EMERGING_RULES.recentWeeks);
    expect(weeksBetween(w.baselineFrom, w.baselineTo)).toHaveLength(EMERGING_RULES.baselineWeeks);
    expect(weeksBetween(w.baselineFrom, w.recentTo)).toHaveLength(30);
    expect(weeksBetween('2025-03-10', '2025-03-03')).toEqual([]);
  });
});

describe('第二十八条(三)(四) 新兴诉求词: which words count', () => {
  it('words of two to eight Chinese characters, not a place of the centre, not a word of every ticket', () => {
    expect(isTrackedWord('预付卡')).toBe(true);
    expect(isTrackedWord('充电桩')).toBe(true);
    expect(isTrackedWord('卡')).toBe(false);
    expect(isTrackedWord('wifi')).toBe(false);
    expect(isTrackedWord('A3区')).toBe(false);
    expect(isTrackedWord('2025')).toBe(false);
    expect(isTrackedWord('工作人员')).toBe(false);
    expect(isTrackedWord('小区')).toBe(false);
    const places = placeWords(['菏泽市', '牡丹区', '东城街道', '丹阳社区', '曹县', '吕陵镇']);
    expect([...places].sort()).toEqual(
      ['东城', '东城街道', '丹阳', '丹阳社区', '曹县', '牡丹', '牡丹区', '吕陵', '吕陵镇', '菏泽', '菏泽市'].sort(),
    );
    expect(isTrackedWord('东城', places)).toBe(false);
    expect(isTrackedWord('超市', places)).toBe(true); // ends like 市, is no place
  });

  it("a ticket's words: precise words of title and text, once each, masked parts none", () => {
    const words = ticketWords(
      '健身房闭店预付卡退不了',
      '我在东城街道的健身房办了预付卡，健身房闭店了，电话138****1234，预付卡的钱退不了。',
      placeWords(['东城街道']),
    );
    expect(words).toContain('健身房');
    expect(words).toContain('预付卡');
    expect(words).toContain('闭店');
    expect(new Set(words).size).toBe(words.length);
    expect(words).not.toContain('东城');
    expect(words).not.toContain('街道');
    expect(words.some((w) => /\d|\*/.test(w))).toBe(false);
    expect(ticketWords(null, '')).toEqual([]);
  });

  it('a word used as a word, not inside a longer one (what a search of the stored words also finds)', () => {
    expect(usesWord('预付卡', '健身房闭店', '我办的预付卡退不了')).toBe(true);
    expect(usesWord('中华', '和平路与中华路交叉口')).toBe(false); // 中华路 is one word
    expect(usesWord('中华', '中华西路一带')).toBe(true);
    expect(usesWord('中华', null, '')).toBe(false);
  });
});

describe('第二十八条(三)(四) 新兴诉求词: ranking the rise', () => {
  it("Dunning's G²: zero for equal shares, larger for a larger rise, finite for a word absent before", () => {
    expect(logLikelihood(10, 100, 100, 1000)).toBeCloseTo(0, 10);
    expect(logLikelihood(20, 100, 100, 1000)).toBeGreaterThan(logLikelihood(15, 100, 100, 1000));
    const fresh = logLikelihood(12, 400, 0, 2600);
    expect(Number.isFinite(fresh)).toBe(true);
    expect(fresh).toBeGreaterThan(EMERGING_RULES.minScore);
  });

  it('a word new in the recent weeks is listed as new, without a ratio', () => {
    const [t] = rankEmergingTerms([row('预付卡', 12, 0)], totals);
    expect(t).toMatchObject({ term: '预付卡', recent: 12, baseline: 0, ratio: null, isNew: true, seasonal: false });
    expect(t!.recentWeekly).toBe(3);
    expect(t!.score).toBeGreaterThan(EMERGING_RULES.minScore);
  });

  it('a word that rose markedly is listed with its ratio; one that did not, or too little, is not', () => {
    // 15 of 400 now (3.75 %) against 20 of 2 600 before (0.77 %): ×4.8
    const listed = rankEmergingTerms(
      [row('充电桩', 15, 20), row('路灯', 40, 260), row('噪音', 8, 30), row('停水', 4, 0)],
      totals,
    );
    expect(listed.map((t) => t.term)).toEqual(['充电桩']);
    expect(listed[0]!.ratio).toBeCloseTo(15 / 400 / (20.5 / 2600), 1);
    expect(listed[0]!.isNew).toBe(false);
    expect(listed[0]!.baselineWeekly).toBeCloseTo(20 / 26, 2);
  });

  it('shares, not counts: a busy month lifts every word alike and lists none', () => {
    // every word doubled with the tickets
    expect(rankEmergingTerms([row('供水', 40, 130), row('物业', 60, 195)], totals)).toEqual([]);
  });

  it('a word as frequent in the same weeks a year before is marked seasonal', () => {
    const [heating] = rankEmergingTerms([row('暖气', 40, 10, 35)], { ...totals, lastYear: 380 });
    expect(heating).toMatchObject({ term: '暖气', seasonal: true, lastYear: 35 });
    const [fresh] = rankEmergingTerms([row('暖气', 40, 10, 2)], { ...totals, lastYear: 380 });
    expect(fresh!.seasonal).toBe(false);
    // a history without last year's weeks, or that barely reaches them, cannot call anything seasonal
    expect(rankEmergingTerms([row('暖气', 40, 10, 0)], totals)[0]!.seasonal).toBe(false);
    expect(rankEmergingTerms([row('电动车', 7, 0, 1)], { ...totals, lastYear: 1 })[0]!.seasonal).toBe(false);
    expect(rankEmergingTerms([row('暖气', 40, 10, 19)], { ...totals, lastYear: 99 })[0]!.seasonal).toBe(false);
    expect(rankEmergingTerms([row('暖气', 40, 10, 19)], { ...totals, lastYear: 100 })[0]!.seasonal).toBe(true);
  });

  it('highest score first, ties by the longer word, then the word; at most `candidates`', () => {
    const rows = Array.from({ length: 120 }, (_, i) => row(`词语${String.fromCharCode(0x4e00 + i)}`, 6 + (i % 60), 0));
    const listed = rankEmergingTerms(rows, { ...totals, recent: 4000 });
    expect(listed).toHaveLength(EMERGING_RULES.candidates);
    expect(listed[0]!.recent).toBe(65);
    for (let i = 1; i < listed.length; i++) expect(listed[i - 1]!.score).toBeGreaterThanOrEqual(listed[i]!.score);
    const tie = rankEmergingTerms(
      [row('乙乙', 9, 0), row('甲甲', 9, 0), row('企业', 9, 0), row('环保部门', 9, 0)],
      totals,
    );
    expect(tie.map((t) => t.term)).toEqual(['环保部门', ...['乙乙', '甲甲', '企业'].sort()]);
  });

  it('a baseline too short to compare with, or no recent tickets, lists nothing', () => {
    expect(rankEmergingTerms([row('预付卡', 12, 0)], { recent: 400, baseline: 99, lastYear: 0 })).toEqual([]);
    expect(rankEmergingTerms([row('预付卡', 12, 0)], { recent: 0, baseline: 2600, lastYear: 0 })).toEqual([]);
    // a count above its window's total (inconsistent rows) is skipped, not divided into a share above 1
    expect(rankEmergingTerms([row('预付卡', 500, 0)], totals)).toEqual([]);
  });

  it('the thresholds are the rules passed', () => {
    const loose = { ...EMERGING_RULES, minRecent: 2, minRatio: 1.5, minScore: 0 };
    expect(rankEmergingTerms([row('停水', 4, 0)], totals, loose).map((t) => t.term)).toEqual(['停水']);
  });
});

describe('第二十八条(三)(四) 新兴诉求词: words of one matter grouped', () => {
  const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
  const words = (...terms: string[]) => terms.map((term) => ({ term }));

  it('words that rose in mostly the same tickets are one group, led by the highest scoring', () => {
    const tickets = new Map([
      ['偷排', ids(0, 60)],
      ['刺鼻', ids(5, 60)], // 55 of its 55 in 偷排's
      ['预付卡', ids(100, 130)],
      ['化工', ids(30, 90)], // 30 of 60: half, joins
      ['闭店', ids(110, 150)], // 20 of 30 with 预付卡's (the smaller): joins
      ['充电桩', ids(200, 220)],
    ]);
    expect(groupCooccurring(words('偷排', '刺鼻', '预付卡', '化工', '闭店', '充电桩'), tickets)).toEqual([
      { term: '偷排', related: ['刺鼻', '化工'] },
      { term: '预付卡', related: ['闭店'] },
      { term: '充电桩', related: [] },
    ]);
  });

  it('less than the minimum overlap stays apart; a word joins the first group it fits, not the best', () => {
    const tickets = new Map([
      ['甲甲', ids(0, 10)],
      ['乙乙', ids(20, 30)],
      ['丙丙', ids(6, 26)], // 4 with 甲甲 (of 10: 0.4), 6 with 乙乙 (0.6)
      ['丁丁', ids(0, 10).concat(ids(20, 30))], // 10 with 甲甲 (1.0): joins the first
    ]);
    expect(groupCooccurring(words('甲甲', '乙乙', '丙丙', '丁丁'), tickets)).toEqual([
      { term: '甲甲', related: ['丁丁'] },
      { term: '乙乙', related: ['丙丙'] },
    ]);
  });

  it('a group is seasonal when any of its words is', () => {
    const tickets = new Map([
      ['供热公司', ids(0, 10)],
      ['暖气', ids(0, 10)],
      ['预付卡', ids(20, 30)],
    ]);
    const groups = groupCooccurring(
      [
        { term: '供热公司', seasonal: false },
        { term: '暖气', seasonal: true },
        { term: '预付卡', seasonal: false },
      ],
      tickets,
    );
    expect(groups).toEqual([
      { term: '供热公司', seasonal: true, related: ['暖气'] },
      { term: '预付卡', seasonal: false, related: [] },
    ]);
  });

  it('at most `top` groups and `maxRelated` words beside each; a word without a sample leads its own', () => {
    const tickets = new Map<string, number[]>([['甲甲', ids(0, 10)]]);
    const many = words('甲甲', ...Array.from({ length: 12 }, (_, i) => `同${String.fromCharCode(0x4e00 + i)}`));
    for (const w of many.slice(1)) tickets.set(w.term, ids(0, 10));
    const [g] = groupCooccurring(many, tickets, { minOverlap: 0.5, maxRelated: 3, top: 5 });
    expect(g!.related).toHaveLength(3);
    const apart = groupCooccurring(words('甲甲', '乙乙', '丙丙'), new Map(), {
      minOverlap: 0.5,
      maxRelated: 3,
      top: 2,
    });
    expect(apart.map((x) => x.term)).toEqual(['甲甲', '乙乙']);
  });
});

describe('第二十八条(三)(四) 新兴诉求提醒: which units are told', () => {
  const t = (id: number, leadUnitId: number | null, categoryId = 1): SampledTicket => ({ id, leadUnitId, categoryId });
  const group = (term: string, seasonal = false, related: string[] = []) => ({ term, related, seasonal });

  it("a unit that leads at least the minimum of the leading word's tickets, with its categories most first", () => {
    const samples = new Map([
      ['预付卡', [t(1, 7, 30), t(2, 7, 31), t(3, 7, 30), t(4, 8), t(5, 8), t(6, null), t(7, null), t(8, null)]],
    ]);
    expect(unitReminders([group('预付卡', false, ['健身房', '闭店'])], samples)).toEqual([
      {
        unitId: 7,
        term: '预付卡',
        words: ['预付卡', '健身房', '闭店'],
        unitTickets: 3,
        sampled: 8,
        categories: [
          { categoryId: 30, tickets: 2 },
          { categoryId: 31, tickets: 1 },
        ],
      },
    ]);
    // unit 8 leads two: below the minimum; tickets not yet dispatched count for nobody
    expect(
      unitReminders([group('预付卡')], samples, { remindTop: 10, remindMinTickets: 2, remindMinShare: 0 }).map(
        (r) => r.unitId,
      ),
    ).toEqual([7, 8]);
  });

  it('seasonal groups are left to 预案提醒, and only the first `remindTop` of the others are read', () => {
    const many = (unit: number) => [t(1, unit), t(2, unit), t(3, unit)];
    const samples = new Map([
      ['暖气', many(1)],
      ['预付卡', many(2)],
      ['充电', many(3)],
      ['直播', many(4)],
    ]);
    const groups = [group('暖气', true), group('预付卡'), group('充电'), group('直播')];
    expect(
      unitReminders(groups, samples, { remindTop: 2, remindMinTickets: 3, remindMinShare: 0 }).map((r) => r.term),
    ).toEqual(['预付卡', '充电']);
  });

  it("a unit with a few of a large matter's tickets is not told: at least `remindMinShare` of the sample", () => {
    // 100 tickets: unit 1 leads 90, unit 2 leads 5 (5 %), unit 3 leads 4 (4 %), one not dispatched
    const sample = [
      ...Array.from({ length: 90 }, (_, i) => t(i, 1)),
      ...Array.from({ length: 5 }, (_, i) => t(100 + i, 2)),
      ...Array.from({ length: 4 }, (_, i) => t(200 + i, 3)),
      t(300, null),
    ];
    const r = unitReminders([group('暖气片')], new Map([['暖气片', sample]]));
    expect(r.map((x) => [x.unitId, x.unitTickets, x.sampled])).toEqual([
      [1, 90, 100],
      [2, 5, 100],
    ]);
  });

  it('at most three categories; several units of one word in unit order; no sample, no reminder', () => {
    const samples = new Map([['充电', [t(1, 9, 4), t(2, 9, 3), t(3, 9, 2), t(4, 9, 1), t(5, 5), t(6, 5), t(7, 5)]]]);
    const r = unitReminders([group('充电'), group('直播')], samples);
    expect(r.map((x) => [x.unitId, x.unitTickets])).toEqual([
      [5, 3],
      [9, 4],
    ]);
    // a tie of one ticket each: the lower category id first
    expect(r[1]!.categories).toEqual([
      { categoryId: 1, tickets: 1 },
      { categoryId: 2, tickets: 1 },
      { categoryId: 3, tickets: 1 },
    ]);
    expect(unitReminders([], samples)).toEqual([]);
  });
});
