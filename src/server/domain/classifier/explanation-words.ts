import type { WordWeight } from './classifier.js';

/**
 * The words shown as 依据词语 beside a suggestion: of the terms that weighed for it (heaviest first), those a reader
 * finds as words in the text — jieba's words, `readerWords` — up to `n`. The model also reads the character bigrams of
 * the text, and a bigram across two words (车夜 of 电动车夜间) can weigh, but shown it reads as a typo, not a reason.
 * When no term that weighed is a word (a text of unusual words), the heaviest terms are shown as they are rather
 * than nothing.
 */
export function explanationWords(
  weighed: readonly WordWeight[],
  readerWords: ReadonlySet<string>,
  n: number,
): WordWeight[] {
  const words = weighed.filter((w) => readerWords.has(w.term)).slice(0, n);
  return words.length ? words : weighed.slice(0, n);
}
