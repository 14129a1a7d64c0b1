import { searchTokens } from './text-tokens.js';

// 第十八条: what of an article is searched. Titles and aliases (how citizens ask) weigh most (tsvector weight A);
// the answers weigh less (B). Segmented with jieba once, when a version is published, never per search.
export interface KnowledgeSearchable {
  title: string;
  aliases: string[];
  answer: string;
  shortAnswer: string;
  publicAnswer?: string | null;
}

export function knowledgeTokens(a: KnowledgeSearchable): { titleTokens: string; bodyTokens: string } {
  return {
    titleTokens: searchTokens(a.title, ...a.aliases),
    bodyTokens: searchTokens(a.shortAnswer, a.answer, a.publicAnswer),
  };
}
