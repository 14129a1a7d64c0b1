import { maskPiiInText } from './pii-text.js';

// 第十五条 临期提醒: the SMS a unit's notification phone receives when one of its deadlines is about to breach. It
// names the ticket and the time only — never the requester or anything they said beyond the title's first words,
// and numbers that look like personal data are masked even there (第六条).

const TITLE_CHARS = 20;
const CHINA_OFFSET_MS = 8 * 3_600_000;

const STEP: Record<string, { limit: string; act: string }> = {
  accept: { limit: '签收时限', act: '签收' },
  reply: { limit: '办理时限', act: '办理' },
  rework: { limit: '重办时限', act: '办理' },
};

/** The deadline kinds of the lead unit that are told by SMS. */
export const SMS_DEADLINE_KINDS = Object.keys(STEP);

/** "12月3日17:00" in China time (UTC+8, no daylight saving). */
export function chinaMonthDayTime(at: Date): string {
  const d = new Date(at.getTime() + CHINA_OFFSET_MS);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日${hh}:${mm}`;
}

/** The title's first 20 characters (by code point), personal numbers masked. */
export function smsTitle(title: string): string {
  const clean = maskPiiInText(title.replace(/\s+/g, ' ').trim()).text;
  const chars = [...clean];
  return chars.length > TITLE_CHARS ? `${chars.slice(0, TITLE_CHARS).join('')}…` : clean;
}

export function deadlineSmsText(d: { number: string; title: string; deadlineKind: string; dueAt: Date }): string {
  const step = STEP[d.deadlineKind] ?? STEP.reply!;
  return `【菏泽12345】工单${d.number}（${smsTitle(d.title)}）的${step.limit}将于${chinaMonthDayTime(d.dueAt)}到期，请及时${step.act}。`;
}
