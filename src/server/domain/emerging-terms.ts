import { addDays } from './analytics.js';
import { preciseWords } from './text-tokens.js';

// 第二十八条(三)(四) 研究新业态、新领域问题，开展源头治理: which words citizens have started to use. A new business form
// (预付卡 of a gym that closed, 飞线充电 of electric bikes) reaches the hotline as tickets filed under old categories,
// so no category count shows it; the words do. Each week the words of the last RECENT_WEEKS weeks' tickets are compared
// with the BASELINE_WEEKS weeks before, as shares of the tickets of each window (a busy month lifts every word alike),
// and a word is listed when it is markedly more frequent now and the rise is unlikely to be chance (Dunning's
// log-likelihood, the usual test of a word's keyness between two corpora). A word as frequent in the same weeks a year
// before is marked 季节性: that is 第二十八条(二)'s seasonal forecast, not a new field.

export const EMERGING_RULES = {
  /** the recent window, in weeks, ending with the week computed */
  recentWeeks: 4,
  /** the weeks before the recent window it is compared with */
  baselineWeeks: 26,
  /** a word must be in at least this many tickets of the recent window */
  minRecent: 5,
  /** and its share of tickets at least this many times its share before */
  minRatio: 3,
  /** Dunning's G² at least this (p < 0.001 with one degree of freedom) */
  minScore: 10.83,
  /** below this many tickets in the baseline there is nothing to compare with ("history too short") */
  minBaselineTickets: 100,
  /** the groups kept per week and region (words that occur together, `groupCooccurring`) */
  top: 30,
  /** the candidates grouped into them, highest score first */
  candidates: 100,
  /** a word joins a group when at least this share of the smaller of their ticket samples is in both */
  minOverlap: 0.5,
  /**
   * a word is called seasonal only when the same weeks a year before hold at least this many tickets, and a quarter
   * of the recent window's (a history that barely reaches back a year says nothing about seasons)
   */
  minLastYearTickets: 20,
  /** the words shown beside a group's first */
  maxRelated: 8,
  /** the newest tickets of a word read to tell which words occur together */
  overlapSample: 300,
  /** a word in at most this many tickets of the baseline is new (新出现) */
  newAtMost: 1,
  /** 新兴诉求提醒: the highest-ranked groups of a list whose lead units are told (seasonal ones are 预案提醒's) */
  remindTop: 10,
  /** a unit is told when it leads at least this many of the word's recent tickets (of the sample read) */
  remindMinTickets: 3,
  /** and at least this share of them: a unit with a few of a citywide matter's hundreds is not the one to study it */
  remindMinShare: 0.05,
  /** and is not told again of a matter any of whose words it was told of within this many weeks */
  remindEveryWeeks: 26,
} as const;
export type EmergingRules = { [K in keyof typeof EMERGING_RULES]: number };

/**
 * How many weeks of word counts are kept: the recent window's weeks a year (52 weeks) before, for the last complete
 * week and the seven before it that a fresh start ranks (52 + 3 + 7 = 62, and two to spare).
 */
export const KEEP_WEEKS = 64;

/** The Monday of a day's week (`YYYY-MM-DD`). */
export function weekOf(day: string): string {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, -((dow + 6) % 7));
}

/** The last week that has ended by `today` (its Monday): the week the job computes. */
export const lastCompleteWeek = (today: string) => addDays(weekOf(today), -7);

export interface EmergingWindows {
  /** the first and last Monday of the recent window */
  recentFrom: string;
  recentTo: string;
  baselineFrom: string;
  baselineTo: string;
  /** the recent window's weeks a year (52 weeks) before */
  lastYearFrom: string;
  lastYearTo: string;
}

/** The windows of a computed week (Mondays, both ends included). */
export function windowsOf(week: string, rules: EmergingRules = EMERGING_RULES): EmergingWindows {
  const recentFrom = addDays(week, -7 * (rules.recentWeeks - 1));
  return {
    recentFrom,
    recentTo: week,
    baselineFrom: addDays(recentFrom, -7 * rules.baselineWeeks),
    baselineTo: addDays(recentFrom, -7),
    lastYearFrom: addDays(recentFrom, -364),
    lastYearTo: addDays(week, -364),
  };
}

/** The Mondays from `from` to `to`, oldest first. */
export function weeksBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let w = from; w <= to; w = addDays(w, 7)) out.push(w);
  return out;
}

// Words that name a place rise with any cluster in one place; the place is the warning's business (第二十七条), the
// matter is this list's. The centre's own region names are left out, with and without their 区/县/街道/镇/社区 ending
// (jieba cuts 东城街道 into 东城 / 街道).
const REGION_ENDING = /(街道办事处|街道|社区|居委会|村委会|办事处|开发区|新区|市|县|区|镇|乡|村)$/u;

/** The words of the centre's region names to leave out (全称 and the name without its ending). */
export function placeWords(regionNames: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const name of regionNames) {
    out.add(name);
    const short = name.replace(REGION_ENDING, '');
    if (short.length >= 2) out.add(short);
  }
  return out;
}

const HAN_ONLY = /^\p{Script=Han}{2,8}$/u;
// Words of every month: how a citizen asks, not what about. Counted they only crowd the rise of real matters out.
const COMMON = new Set(
  (
    '工作 人员 工作人员 时间 地方 东西 事情 家里 孩子 老人 今天 昨天 最近 晚上 早上 白天 每天 多次 经常 严重 影响 导致 ' +
    '联系 电话 打电话 答复 回复 投诉 举报 咨询 建议 表扬 请求 帮助 督促 协调 查处 核实 落实 安排 已经 还是 但是 因为 所以 ' +
    '如果 然后 可是 而且 并且 这样 那么 这些 那些 自己 大家 知道 告诉 发现 出现 需要 不能 无法 不是 只能 街道 社区 小区'
  ).split(' '),
);

/** Whether a word is counted: two to eight Chinese characters, not a place of the centre, not a word of every ticket. */
export const isTrackedWord = (w: string, places: ReadonlySet<string> = NO_PLACES) =>
  HAN_ONLY.test(w) && !COMMON.has(w) && !places.has(w);
const NO_PLACES: ReadonlySet<string> = new Set();

/** Whether a text uses `word` as one of jieba's precise words (a search for it also finds it inside longer words). */
export const usesWord = (word: string, ...parts: Array<string | null | undefined>) =>
  parts.some((p) => !!p && p.includes(word) && preciseWords(p).includes(word));

/**
 * The words a ticket counts for: jieba's precise words of its title and text (stored masked: a masked name or number
 * is no word), each once per ticket — the figure is how many tickets use a word, not how often one citizen repeats it.
 */
export function ticketWords(
  title: string | null | undefined,
  content: string | null | undefined,
  places: ReadonlySet<string> = NO_PLACES,
): string[] {
  const words = new Set<string>();
  for (const part of [title, content])
    if (part) for (const w of preciseWords(part)) if (isTrackedWord(w, places)) words.add(w);
  return [...words];
}

export interface TermWindowCounts {
  term: string;
  /** tickets with the word in the recent window, the baseline, and the recent window's weeks a year before */
  recent: number;
  baseline: number;
  lastYear: number;
}

export interface WindowTotals {
  /** all tickets of each window (the words' shares are of these) */
  recent: number;
  baseline: number;
  /** too few (a history that does not reach a year back): no word is called seasonal */
  lastYear: number;
}

export interface EmergingTerm {
  term: string;
  recent: number;
  baseline: number;
  /** tickets with the word in the recent window's weeks a year before */
  lastYear: number;
  /** tickets a week in the baseline, and now */
  baselineWeekly: number;
  recentWeekly: number;
  /** the word's share of tickets now over its share before (the baseline count smoothed by ½); null when new */
  ratio: number | null;
  /** Dunning's G² of the rise */
  score: number;
  /** in at most `newAtMost` tickets of the baseline */
  isNew: boolean;
  /** as frequent in the same weeks a year before: a season's return, not a new field */
  seasonal: boolean;
}

/** Dunning's log-likelihood G² of a count `a` of `r` against `b` of `s` (two cells, the usual keyness form). */
export function logLikelihood(a: number, r: number, b: number, s: number): number {
  const e1 = (r * (a + b)) / (r + s);
  const e2 = (s * (a + b)) / (r + s);
  const part = (o: number, e: number) => (o > 0 && e > 0 ? o * Math.log(o / e) : 0);
  return 2 * (part(a, e1) + part(b, e2));
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

/** Tickets a week, to two decimals: a window's count over its weeks (the list's 周均). */
export const weeklyAverage = (tickets: number, weeks: number) => round(tickets / weeks, 2);

/**
 * The words that rose markedly, highest score first, then the longer word (at most `candidates`): in at least `minRecent` recent tickets, a share
 * at least `minRatio` times the baseline's and a G² of at least `minScore`. Empty when the baseline is too short to
 * compare with (the caller says so).
 */
export function rankEmergingTerms(
  rows: Iterable<TermWindowCounts>,
  totals: WindowTotals,
  rules: EmergingRules = EMERGING_RULES,
): EmergingTerm[] {
  if (totals.baseline < rules.minBaselineTickets || totals.recent <= 0) return [];
  const comparable = totals.lastYear >= Math.max(rules.minLastYearTickets, totals.recent / 4);
  const out: EmergingTerm[] = [];
  for (const row of rows) {
    if (row.recent < rules.minRecent || row.recent > totals.recent) continue;
    const shareNow = row.recent / totals.recent;
    const ratio = shareNow / ((row.baseline + 0.5) / totals.baseline);
    if (ratio < rules.minRatio) continue;
    // a word falling (or level) has a G² too: only rises count, and those above
    const score = logLikelihood(row.recent, totals.recent, row.baseline, totals.baseline);
    if (score < rules.minScore) continue;
    const isNew = row.baseline <= rules.newAtMost;
    out.push({
      term: row.term,
      recent: row.recent,
      baseline: row.baseline,
      lastYear: row.lastYear,
      baselineWeekly: weeklyAverage(row.baseline, rules.baselineWeeks),
      recentWeekly: weeklyAverage(row.recent, rules.recentWeeks),
      ratio: isNew ? null : round(ratio, 1),
      score: round(score, 1),
      isNew,
      seasonal: comparable && row.lastYear >= 2 && row.lastYear / totals.lastYear >= shareNow / 2,
    });
  }
  // ties (words of the same tickets score alike) lead with the longer word: 环保部门 says more than 企业
  out.sort((x, y) => y.score - x.score || y.term.length - x.term.length || (x.term < y.term ? -1 : 1));
  return out.slice(0, rules.candidates);
}

export type EmergingGroup<T extends { term: string }> = T & {
  /** words that rose in mostly the same tickets, highest score first (at most `maxRelated`) */
  related: string[];
};

/**
 * Words that rose in the same tickets are one matter told in several words (偷排, 刺鼻, 化工, 园区 of one odour): each
 * word, highest score first, joins the first group whose leading word shares at least `minOverlap` of the smaller
 * of their ticket samples, else leads a group of its own; at most `top` groups. `tickets` holds each word's sample
 * of ticket ids (a word without one leads its own group). A group is seasonal when any of its words is.
 */
export function groupCooccurring<T extends { term: string; seasonal?: boolean }>(
  ranked: readonly T[],
  tickets: ReadonlyMap<string, readonly number[]>,
  rules: Pick<EmergingRules, 'minOverlap' | 'maxRelated' | 'top'> = EMERGING_RULES,
): Array<EmergingGroup<T>> {
  const groups: Array<{ lead: T; ids: Set<number>; related: string[]; seasonal: boolean }> = [];
  for (const t of ranked) {
    const ids = tickets.get(t.term) ?? [];
    const home = ids.length
      ? groups.find((g) => {
          if (!g.ids.size) return false;
          let both = 0;
          for (const id of ids) if (g.ids.has(id)) both++;
          return both / Math.min(ids.length, g.ids.size) >= rules.minOverlap;
        })
      : undefined;
    if (home) {
      if (home.related.length < rules.maxRelated) home.related.push(t.term);
      // a matter one of whose words came back from last year's same weeks is the season's (暖气 among 供热公司, 温度)
      home.seasonal ||= t.seasonal === true;
    } else if (groups.length < rules.top)
      groups.push({ lead: t, ids: new Set(ids), related: [], seasonal: t.seasonal === true });
  }
  return groups.map((g) => ({
    ...g.lead,
    ...(g.lead.seasonal === undefined ? {} : { seasonal: g.seasonal }),
    related: g.related,
  }));
}

/** One of a word's recent tickets as the reminders read it: who leads it (null: not dispatched yet) and its category. */
export interface SampledTicket {
  id: number;
  leadUnitId: number | null;
  categoryId: number;
}

export interface UnitReminder {
  unitId: number;
  /** the group's leading word, and all its words (the leading one first) */
  term: string;
  words: string[];
  /** of the word's sampled recent tickets, those the unit leads; `sampled` tickets were read */
  unitTickets: number;
  sampled: number;
  /** the categories the unit's tickets with the word are filed under, most first (at most three) */
  categories: Array<{ categoryId: number; tickets: number }>;
}

/**
 * 第二十八条(三)(四) 新兴诉求提醒: the article asks the units to study new business forms, so the units that already
 * lead a rising matter's tickets are told of it rather than left to find it on a screen. Of a ranked list's first
 * `remindTop` groups that are not seasonal (a season's return is 第二十八条(二)'s 预案提醒), each unit that leads at
 * least `remindMinTickets` of the leading word's sampled tickets and at least `remindMinShare` of them; the caller
 * leaves out what a unit was told before.
 */
export function unitReminders(
  groups: ReadonlyArray<{ term: string; related: readonly string[]; seasonal: boolean }>,
  samples: ReadonlyMap<string, readonly SampledTicket[]>,
  rules: Pick<EmergingRules, 'remindTop' | 'remindMinTickets' | 'remindMinShare'> = EMERGING_RULES,
): UnitReminder[] {
  const out: UnitReminder[] = [];
  for (const g of groups.filter((x) => !x.seasonal).slice(0, rules.remindTop)) {
    const sample = samples.get(g.term) ?? [];
    const byUnit = new Map<number, Map<number, number>>();
    for (const t of sample) {
      if (t.leadUnitId === null) continue;
      const cats = byUnit.get(t.leadUnitId) ?? new Map<number, number>();
      cats.set(t.categoryId, (cats.get(t.categoryId) ?? 0) + 1);
      byUnit.set(t.leadUnitId, cats);
    }
    for (const [unitId, cats] of [...byUnit].sort((a, b) => a[0] - b[0])) {
      const unitTickets = [...cats.values()].reduce((a, b) => a + b, 0);
      if (unitTickets < rules.remindMinTickets || unitTickets < rules.remindMinShare * sample.length) continue;
      out.push({
        unitId,
        term: g.term,
        words: [g.term, ...g.related],
        unitTickets,
        sampled: sample.length,
        categories: [...cats]
          .sort((a, b) => b[1] - a[1] || a[0] - b[0])
          .slice(0, 3)
          .map(([categoryId, tickets]) => ({ categoryId, tickets })),
      });
    }
  }
  return out;
}
