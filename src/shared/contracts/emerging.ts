import { z } from 'zod';
import { dbIdParam, isoDay, safeString } from './common.js';

// 第二十八条(三)(四) 新兴诉求词: request schemas and answers shared by the server routes and the screen.

const region = safeString().regex(/^\d{6,12}$/, '区域代码应为 6 至 12 位数字');
/** The Monday of a ranked week (the service says when it is not one). */
const week = isoDay;

export const emergingTermsQuery = z.object({ region: region.optional(), week: week.optional() });
export const emergingTicketsQuery = z.object({
  term: safeString({ error: '词语不正确' })
    .trim()
    .regex(/^\p{Script=Han}{2,8}$/u, '词语应为 2 至 8 个汉字'),
  region: region.optional(),
  week: week.optional(),
});

/**
 * 新兴诉求提醒: a unit's (its people), or one unit's or every unit's (the centre's readers), newest first; `unread`
 * the ones not yet acknowledged; `before` the page after the one that ended at that id.
 */
export const emergingRemindersQuery = z.object({
  unitId: dbIdParam('单位编号不正确').optional(),
  unread: z.enum(['true', 'false']).optional(),
  before: dbIdParam('翻页位置不正确').optional(),
});

export interface EmergingTermRow {
  rank: number;
  /** the leading word of a group of words that rose in mostly the same tickets */
  term: string;
  related: string[];
  /** tickets with the word in the recent window, in the baseline, in the recent window's weeks a year before */
  recent: number;
  baseline: number;
  lastYear: number;
  recentWeekly: number;
  baselineWeekly: number;
  /** share now over share before; null for a new word */
  ratio: number | null;
  score: number;
  isNew: boolean;
  seasonal: boolean;
  /** tickets a week with the word, `seriesWeeks` in order */
  series: number[];
}

export interface EmergingTermsView {
  /** the regions the reader may choose: the city (when in scope) and its counties */
  regions: Array<{ code: string; name: string }>;
  region: string;
  /** ranked weeks of the region, newest first (at most 12) */
  weeks: string[];
  /** null when no week is ranked yet */
  week: string | null;
  status: 'ok' | 'short_history' | null;
  computedAt: string | null;
  recentFrom: string | null;
  baselineFrom: string | null;
  /** the Mondays of `series`, oldest first */
  seriesWeeks: string[];
  recentTickets: number;
  baselineTickets: number;
  rules: { recentWeeks: number; baselineWeeks: number; minRecent: number; minRatio: number };
  terms: EmergingTermRow[];
}

export interface EmergingTicketsView {
  term: string;
  region: string;
  /** a unit's reader sees only the tickets its unit leads */
  ownUnitOnly: boolean;
  from: string;
  to: string;
  /** the newest tickets with the word (at most 50) */
  tickets: Array<{
    id: number;
    number: string;
    title: string;
    status: string;
    createdAt: string;
    categoryPath: string;
    regionName: string;
  }>;
  /** the categories the word's tickets are filed under, most first, of the newest `sampled` */
  categories: Array<{ categoryId: number; path: string; tickets: number }>;
  sampled: number;
  /** more tickets than were sampled */
  capped: boolean;
}

/** 新兴诉求提醒: a matter rising in the city or a county, told to a unit that leads some of its tickets. */
export interface EmergingReminder {
  id: number;
  unitId: number;
  unitName: string;
  /** the ranked week (its Monday) and the list that found it */
  week: string;
  region: string;
  regionName: string;
  term: string;
  /** the group's words, the leading one first */
  words: string[];
  /** the word's tickets in the list's region: the last 4 weeks, and the 26 weeks before */
  recent: number;
  baseline: number;
  ratio: number | null;
  isNew: boolean;
  /** of the word's newest `sampled` recent tickets, those the unit leads */
  unitTickets: number;
  sampled: number;
  categories: Array<{ categoryId: number; path: string; tickets: number }>;
  createdAt: string;
  acknowledgedAt: string | null;
  acknowledgedByName: string | null;
}

export interface EmergingRemindersView {
  reminders: EmergingReminder[];
  /** the `before` of the next page; null: no more */
  next: number | null;
}
