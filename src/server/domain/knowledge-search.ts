import { maskPiiInText } from './pii-text.js';
import { segmentWords, tokenize } from './text-tokens.js';

// 第十八条: finding the article that answers a question asked in a citizen's own words. Pure: what to look for
// (segmented words, synonyms the centre keeps), the to_tsquery expression for it, and how a candidate's text
// rank is adjusted for freshness, use and open flags. The repository runs the one indexed query.

/** Longest query text looked at; a contact's words beyond this add nothing to finding its matter. */
export const QUERY_MAX_CHARS = 200;
/** At most this many alternatives in one tsquery (an OR of many rare words costs nothing, of hundreds a lot). */
export const MAX_ALTERNATIVES = 32;
/** Queries this short (after normalising) also match titles by trigram similarity: "医保", "公积金", "税". */
export const SHORT_QUERY_CHARS = 3;
/** A query without words of its own ("12345", stop words only) is compared with titles up to this length. */
export const TRIGRAM_MAX_CHARS = 20;

/**
 * Words of a question that say nothing about which matter it is (办理, 咨询, 流程…): on their own they would
 * match half the knowledge base, so a search drops them when it has other words. A query of only these keeps them.
 */
export const GENERIC_WORDS = new Set(
  (
    '办理 办事 咨询 请问 想问 问问 问一 一问 电话 号码 怎样 怎么办 么办 怎么样 哪里 哪儿 那里 这里 多少 需要 需不 ' +
    '可以 可不 手续 流程 程序 规定 政策 相关 问题 事情 情况 知道 告诉 了解 帮忙 帮助 麻烦 我想 我要 我的 你们 他们 ' +
    '问一下 一下 有问题 反映 请求 希望 要求 怎么回事'
  ).split(/\s+/),
);

// control characters (\p{Cc}: NUL, tabs, C1) and the invisible format characters (\p{Cf}: zero-width, bidi, BOM)
const CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const HAN_ONLY = /^\p{Script=Han}+$/u;

/**
 * One form for one question: full-width letters and digits folded (NFKC), control and zero-width characters and
 * broken surrogates removed, whitespace collapsed, lower case, at most `max` characters.
 */
export function normaliseQuery(raw: string, max = QUERY_MAX_CHARS): string {
  const s = raw
    .normalize('NFKC')
    .replace(CONTROL, ' ')
    .replace(LONE_SURROGATE, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
  return [...s].slice(0, max).join('').trim();
}

/**
 * What of a search may be kept (the unanswered-search list): the normalised text with phone, ID and bank card
 * numbers masked (第六条), at most 100 characters. A portal query is public input and may carry them.
 */
export function storableQuery(raw: string): string {
  return [...maskPiiInText(normaliseQuery(raw, 100)).text].slice(0, 100).join('');
}

/** Synonym groups as the centre keeps them (社保 / 社会保险): each a list of terms meaning the same. */
export type SynonymGroups = ReadonlyArray<ReadonlyArray<string>>;

/**
 * The lexemes that find a term in an article's stored tokens. Articles store jieba's words and every bigram of a
 * run of Chinese characters (text-tokens.ts), so a Chinese term is found by all of its bigrams whatever jieba made
 * of its context; other terms (ETC, 12345) by their words.
 */
export function termLexemes(term: string): string[] {
  const t = normaliseQuery(term, 40).replace(/\s+/g, '');
  if (!t) return [];
  if (HAN_ONLY.test(t)) {
    const chars = [...t];
    if (chars.length < 2) return [];
    if (chars.length === 2) return [t];
    const grams = new Set<string>();
    for (let i = 0; i + 2 <= chars.length; i++) grams.add(chars[i]! + chars[i + 1]!);
    return [...grams];
  }
  return tokenize(t);
}

export interface SearchPlan {
  /** the normalised query text */
  norm: string;
  /** the query's own words (jieba's, stop words and generic or common words removed) */
  words: string[];
  /** synonym terms added because the query contains another term of their group */
  synonyms: string[];
  /** to_tsquery('simple', …) matching any word or any synonym; null when nothing searchable remains */
  tsquery: string | null;
  /** the text to compare with titles by trigram similarity (short queries), else null */
  trigram: string | null;
}

const quote = (lexeme: string) => `'${lexeme.replace(/\\/g, '').replace(/'/g, "''")}'`;

/** A to_tsquery expression: alternatives OR-ed, the lexemes of one alternative AND-ed. Operators cannot be injected. */
export function tsqueryOf(alternatives: string[][], max = MAX_ALTERNATIVES): string | null {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const alt of alternatives) {
    const lexemes = [...new Set(alt.map((l) => l.replace(/\\/g, '')).filter((l) => l.trim()))];
    if (!lexemes.length) continue;
    const key = [...lexemes].sort().join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    parts.push(lexemes.length === 1 ? quote(lexemes[0]!) : `(${lexemes.map(quote).join(' & ')})`);
    if (parts.length >= max) break;
  }
  return parts.length ? parts.join(' | ') : null;
}

/**
 * How many titles a word is in (document frequency), for the words in more than TERM_STATS_MIN_DOCS titles; a
 * word not listed is rarer. Refreshed by a job (knowledge_term_stats).
 */
export type TermFrequencies = ReadonlyMap<string, number>;
export const TERM_STATS_MIN_DOCS = 30;
/**
 * A search ranks every title that shares a word with it; this bounds how many (estimated from the frequencies):
 * the rarest alternatives are kept while their titles add up to at most this, the rest (菏泽市, 办理, a county's
 * name — words that find everything and tell nothing) are left out. The rarest one is always kept.
 */
export const TITLE_BUDGET = 1000;

/** The estimated titles an alternative matches: a single word its frequency, an AND of words the rarest's. */
export function alternativeFrequency(alt: string[], df: TermFrequencies): number {
  if (!alt.length) return 0;
  return Math.min(...alt.map((l) => df.get(l) ?? 0));
}

/**
 * The alternatives to search for within the budget, rarest first (query order among equals). The first `own`
 * alternatives are the query's own words: the rarest of them is always kept, so a query is never replaced by its
 * synonyms alone.
 */
export function withinBudget(
  alternatives: string[][],
  df: TermFrequencies,
  budget = TITLE_BUDGET,
  own = alternatives.length,
): string[][] {
  const scored = alternatives
    .map((alt, i) => ({ alt, i, f: alternativeFrequency(alt, df), own: i < own }))
    .filter((a) => a.alt.length)
    .sort((x, y) => x.f - y.f || x.i - y.i);
  const first = scored.find((s) => s.own) ?? scored[0];
  const kept: typeof scored = first ? [first] : [];
  // the forced one is outside the budget (the scan cap bounds it): the rest share the budget
  let total = 0;
  for (const s of scored) {
    if (s === first) continue;
    if (kept.length && total + s.f > budget) continue;
    kept.push(s);
    total += s.f;
  }
  return kept.sort((x, y) => x.i - y.i).map((s) => s.alt);
}

export interface PlanOptions {
  maxChars?: number;
  budget?: number;
  maxAlternatives?: number;
}
/**
 * A contact's own words (the console's suggestions) are a paragraph, not a question: its first sentences name the
 * matter, and a smaller budget keeps the suggestion as quick as a search.
 */
export const SUGGESTION_PLAN: PlanOptions = { maxChars: 100, budget: 600, maxAlternatives: 12 };

/**
 * What to look for: the query's words, and for every synonym group one of whose terms the query contains, the
 * group's other terms (社保 → 社会保险), within the budget of titles to rank (`df`: how many titles each word is in).
 * Titles weigh more than answers in the index; that is the ranking's job.
 */
export function planSearch(
  raw: string,
  groups: SynonymGroups,
  df: TermFrequencies = new Map(),
  opts: PlanOptions = {},
): SearchPlan {
  const norm = normaliseQuery(raw, opts.maxChars ?? QUERY_MAX_CHARS);
  // jieba's words, not the bigrams across word boundaries (市牡, 区景) that would match half the titles
  const all = norm ? segmentWords(norm) : [];
  const specific = all.filter((w) => !GENERIC_WORDS.has(w));
  const meaningful = specific.length ? specific : all;
  const compact = norm.replace(/\s+/g, '');
  const synonyms: string[] = [];
  for (const group of groups) {
    const terms = group.map((t) => normaliseQuery(t, 40).replace(/\s+/g, '')).filter(Boolean);
    if (!terms.some((t) => compact.includes(t))) continue;
    for (const t of terms) if (!compact.includes(t) && !synonyms.includes(t)) synonyms.push(t);
  }
  // the query's words first: when the cap cuts, it cuts the synonyms of a long text, not its own words.
  // A longer Chinese word is also found by all of its bigrams, however jieba segmented the article.
  const own = meaningful.flatMap((w) => (HAN_ONLY.test(w) && [...w].length >= 3 ? [[w], termLexemes(w)] : [[w]]));
  const alternatives = withinBudget(
    [...own, ...synonyms.map(termLexemes)],
    df,
    opts.budget ?? TITLE_BUDGET,
    own.length,
  ).slice(0, opts.maxAlternatives ?? MAX_ALTERNATIVES);
  const kept = new Set(alternatives.flat());
  const words = meaningful.filter((w) => kept.has(w) || termLexemes(w).every((l) => kept.has(l)));
  const chars = [...compact].length;
  return {
    norm,
    words,
    synonyms: synonyms.filter((t) => termLexemes(t).every((l) => kept.has(l))),
    tsquery: tsqueryOf(alternatives),
    // titles similar to a query without words of its own (12345, one character); see the repository for when
    trigram: chars >= 1 && chars <= TRIGRAM_MAX_CHARS && (!all.length || chars <= SHORT_QUERY_CHARS) ? compact : null,
  };
}

/** An article not confirmed by a reviewer within its review cycle is stale (第十八条: 真实、有效、准确). */
export function isStale(reviewedAt: Date | null, reviewCycleDays: number, now: Date): boolean {
  if (!reviewedAt) return true;
  return now.getTime() - reviewedAt.getTime() > reviewCycleDays * 86_400_000;
}

export interface RankInput {
  /** ts_rank_cd of the words (0 for a trigram-only match) */
  textRank: number;
  /** trigram word similarity of a short query to the title, 0..1 (0 when not asked) */
  titleSimilarity: number;
  reviewedAt: Date | null;
  reviewCycleDays: number;
  useCount: number;
  openFlagCount: number;
}

/**
 * The order offered: text relevance first, then small adjustments — current articles over stale ones, articles
 * often used over never used ones (logarithmic, so a popular article cannot bury a better match), and each open
 * flag (an agent said it may be wrong) pushes an article down.
 */
export function rankScore(a: RankInput, now: Date): number {
  const text = a.textRank + 0.5 * a.titleSimilarity;
  const fresh = isStale(a.reviewedAt, a.reviewCycleDays, now) ? 0.85 : 1.1;
  const used = 1 + 0.05 * Math.log1p(Math.max(0, a.useCount));
  const flagged = 1 / (1 + 0.3 * Math.max(0, a.openFlagCount));
  return text * fresh * used * flagged;
}

/** Candidates in the order to offer them, best first; ties by newer id. */
export function rankCandidates<T extends RankInput & { id: number }>(rows: T[], now: Date, limit: number): T[] {
  return rows
    .map((r) => ({ r, s: rankScore(r, now) }))
    .sort((x, y) => y.s - x.s || y.r.id - x.r.id)
    .slice(0, limit)
    .map((x) => x.r);
}

/**
 * The answer a citizen may read on the portal: the public version when written, else the short answer — and
 * only for a public article. The internal answer never (第十八条; issue 9: no internal text reaches the portal).
 */
export function publicAnswerOf(a: {
  visibility: string;
  public_answer: string | null;
  short_answer: string | null;
}): string | null {
  if (a.visibility !== 'public') return null;
  return a.public_answer?.trim() ? a.public_answer : (a.short_answer ?? null);
}
