import { z } from 'zod';
import { safeString } from './common.js';

// Issue 14: saved views. A view is a name and the list screen's URL query (key → value); the screen reads it back
// through its own filters, which check every value again, so a stored view can never smuggle in what a URL cannot.

/** The list screens that keep views (their route names, stable across releases). */
export const VIEW_SCREENS = ['ticket-search', 'dispatch-queue', 'unit-lead-queue', 'callback-queue'] as const;
export type ViewScreen = (typeof VIEW_SCREENS)[number];
/** The most views one person keeps for one screen. */
export const MAX_VIEWS_PER_SCREEN = 20;

const screen = z.enum(VIEW_SCREENS, { error: '未知列表页面' });
export const savedViewsQuery = z.object({ screen });
export const savedViewBody = z.object({
  screen,
  name: safeString().trim().min(1, '请填写视图名称').max(30, '视图名称不能超过 30 字'),
  params: z
    .record(safeString().regex(/^[a-zA-Z]{1,30}$/, '筛选条件名称不正确'), safeString().max(200, '筛选条件过长'))
    .refine((p) => Object.keys(p).length <= 20, '筛选条件过多'),
});
export type SavedViewBody = z.infer<typeof savedViewBody>;
