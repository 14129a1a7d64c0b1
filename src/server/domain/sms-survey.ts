import type { Satisfaction } from '../db/schema.js';

// 第九、十七条 短信回访: the reply notice asks the requester to answer with one digit. A survey answer is a short
// message that is nothing but that digit or the word for it; anything longer is a new contact for an agent,
// never guessed at ("1号楼又停水了" is not "满意").

/** How long a requester may answer the survey SMS; after that a "1" is an ordinary message again. */
export const SURVEY_DAYS = 7;

export const SURVEY_PROMPT = '请直接回复数字评价办理结果：1满意，2基本满意，3不满意';

const WORDS: Record<string, Satisfaction> = {
  '1': 'satisfied',
  满意: 'satisfied',
  非常满意: 'satisfied',
  '2': 'basically_satisfied',
  基本满意: 'basically_satisfied',
  比较满意: 'basically_satisfied',
  '3': 'unsatisfied',
  不满意: 'unsatisfied',
};

/** The satisfaction a survey answer gives, or null when the text is anything else. */
export function parseSurveyAnswer(text: string): Satisfaction | null {
  const plain = text
    .normalize('NFKC') // full-width digits from Chinese input methods: "１" → "1"
    .replace(/[\s.,!?;:'"。，！？；：、“”‘’【】()（）~～-]/g, '');
  return WORDS[plain] ?? null;
}
