import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

// Chinese has no spaces: texts are segmented with jieba once when stored, and the words are indexed with
// PostgreSQL full-text search ('simple' configuration over the segmented words, GIN index). The same
// function segments a new contact to look for likely duplicates.
let jieba: Jieba | null = null;
const segmenter = () => (jieba ??= Jieba.withDict(dict));

// Words that say nothing about which matter it is.
const STOPWORDS = new Set(
  (
    '的 了 和 与 及 或 是 在 有 我 我们 你 你们 他 她 它 他们 这 那 这个 那个 一个 一下 一些 已经 还 也 都 就 很 非常 太 又 再 ' +
    '请 希望 要求 反映 问题 情况 相关 部门 有关 政府 领导 你好 您好 谢谢 感谢 尽快 解决 处理 一直 现在 目前 能否 能不能 是否 什么 怎么 ' +
    '为什么 如何 没有 不 没 被 把 让 给 对 从 到 向 为 以 于 上 下 中 里 后 前 时 时候 年 月 日 号 多 大 小 说 去 来 做 看 想 会 能 可以 应该 ' +
    '本人 市民 群众 居民 12345 热线'
  ).split(/\s+/),
);

const LETTERS_ONLY = /^[\p{L}\p{N}]+$/u;
const SURROGATE = /[\uD800-\uDFFF]/;
/** The one-character stopwords, by UTF-16 code: a bigram of two of them is skipped. */
const STOP_CHARS = new Set([...STOPWORDS].filter((w) => w.length === 1).map((w) => w.charCodeAt(0)));
/** A CJK unified ideograph (basic block): a letter, the same case in upper and lower, no space. */
const isHan = (code: number) => code >= 0x4e00 && code <= 0x9fff;

/** A word as a term (trimmed, lower case), or null when it says nothing: a single character, punctuation, a stopword. */
function asTerm(w: string): string | null {
  // Most of jieba's words are single characters or words of Chinese characters alone: answered without the general
  // checks below, with the same answer (issue 8: these checks ran for every word of every new ticket).
  if (w.length < 2) return null;
  if (allHan(w)) return STOPWORDS.has(w) ? null : w;
  const word = w.trim().toLowerCase();
  if (word.length < 2 && !/^\d{3,}$/.test(word)) return null; // single characters are noise in Chinese search
  if (!/[\p{L}\p{N}]/u.test(word) || STOPWORDS.has(word)) return null;
  return word;
}

function allHan(w: string): boolean {
  for (let i = 0; i < w.length; i++) if (!isHan(w.charCodeAt(i))) return false;
  return true;
}

/**
 * Every occurrence of a meaningful term of a text, in order: jieba's words (search mode), then the character
 * bigrams of each run of Chinese characters. The bigrams catch what the dictionary segments oddly ("路灯不亮" →
 * 路 / 灯不亮), so two reports of one matter still share terms however each was segmented.
 */
function eachTerm(text: string, visit: (term: string, isWord: boolean) => void, precise = false): void {
  eachWord(text, (t) => visit(t, true), precise);
  for (const run of text.match(/\p{Script=Han}{2,}/gu) ?? []) {
    // A run of letters and numbers without surrogate pairs passes asTerm()'s checks bigram by bigram (no case, no
    // spaces, two characters): those are skipped, one test per run instead of two regexes per bigram (issue 8).
    const plain = LETTERS_ONLY.test(run) && !SURROGATE.test(run);
    for (let i = 0; i + 2 <= run.length; i++) {
      if (STOP_CHARS.has(run.charCodeAt(i)) && STOP_CHARS.has(run.charCodeAt(i + 1))) continue;
      const bigram = run.slice(i, i + 2);
      if (!plain) {
        const t = asTerm(bigram);
        if (t !== null) visit(t, false);
      } else if (!STOPWORDS.has(bigram)) visit(bigram, false);
    }
  }
}

/**
 * jieba's words of a text that are terms, in order: search mode (a long word and the dictionary words inside it), or
 * with `precise` jieba's precise mode (the long word alone; a quarter less of jieba's time — the classifier's reading,
 * whose character bigrams already hold the short words inside).
 */
function eachWord(text: string, visit: (word: string) => void, precise = false): void {
  for (const w of precise ? segmenter().cut(text, true) : segmenter().cutForSearch(text, true)) {
    const t = asTerm(w);
    if (t !== null) visit(t);
  }
}

/** Distinct meaningful terms of a text: jieba's words plus the character bigrams of each run of Chinese characters. */
export function tokenize(text: string): string[] {
  const seen = new Set<string>();
  eachTerm(text, (t) => seen.add(t));
  return [...seen];
}

/**
 * tokenize()'s terms with how often each occurs (a jieba word and the bigram of the same two characters are two
 * occurrences), at most `cap`: how much a text speaks of a thing, for the classifier (features.ts `termCounts`).
 * `precise`: jieba's precise mode instead of search mode (features.ts `segmentation`).
 */
export function termCounts(text: string, cap: number, precise = false): Map<string, number> {
  const counts = new Map<string, number>();
  eachTerm(text, (t) => counts.set(t, Math.min(cap, (counts.get(t) ?? 0) + 1)), precise);
  return counts;
}

/**
 * jieba's words of a text (search mode) without the bigrams tokenize() adds: what a question asks for. A search
 * (knowledge-search.ts) looks for these against texts stored with tokenize(), whose bigrams cover any segmentation.
 */
export function segmentWords(text: string): string[] {
  const seen = new Set<string>();
  eachWord(text, (t) => seen.add(t));
  return [...seen];
}

/** jieba's precise-mode words of a text, distinct, in order (each word cut once, no words inside words). */
export function preciseWords(text: string): string[] {
  const seen = new Set<string>();
  eachWord(text, (t) => seen.add(t), true);
  return [...seen];
}

/**
 * tokenize() and segmentWords() of one text from one jieba cut: the terms to match it by, and the words a reader
 * sees in it (依据词语) — for a caller that needs both.
 */
export function termsAndWords(text: string): { terms: string[]; words: string[] } {
  const terms = new Set<string>();
  const words = new Set<string>();
  eachTerm(text, (t, isWord) => {
    terms.add(t);
    if (isWord) words.add(t);
  });
  return { terms: [...terms], words: [...words] };
}

/** The space-separated form a ticket's INSERT turns into its search_vector (to_tsvector('simple', …)). */
export function searchTokens(...texts: Array<string | null | undefined>): string {
  // tokenize() of each text, in order, without repeats: one set for all of them
  const words = new Set<string>();
  for (const t of texts) if (t) eachTerm(t, (w) => words.add(w));
  return [...words].join(' ');
}

/** A to_tsquery expression matching any of the words (words are quoted so no operator can be injected). */
export function anyWordQuery(words: string[], max = 24): string | null {
  const picked = words.slice(0, max).map((w) => `'${w.replace(/'/g, "''").replace(/\\/g, '')}'`);
  return picked.length ? picked.join(' | ') : null;
}

/** Jaccard similarity of two word sets, 0..1, for explaining how alike two texts are. */
export function similarity(a: string[], b: string[]): number {
  if (!a.length || !b.length) return 0;
  const sa = new Set(a);
  const inter = b.filter((w) => sa.has(w)).length;
  return inter / (sa.size + new Set(b).size - inter);
}
