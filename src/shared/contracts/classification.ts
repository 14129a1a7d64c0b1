import { z } from 'zod';
import { dbId, safeString } from './common.js';

// 第四、十二条 智能分类: requests of the suggestion API, the dispatcher's category correction and the admin's model page.

/** The category suggestion for what the agent is typing (or a dispatcher reads). Odd text is not an error. */
export const suggestBody = z.object({
  title: safeString().max(200, '标题不能超过 200 字').nullish(),
  body: safeString().max(20_000, '内容不能超过 20000 字'),
  contactId: dbId().optional(),
  ticketId: dbId().optional(),
});
export type SuggestBody = z.infer<typeof suggestBody>;

/** The categories that were suggested, best first: which one was taken is counted (take rate). */
const suggestedCategoryIds = z.array(dbId()).max(3, '最多 3 个建议').optional();

/** 第十二条: the dispatcher corrects the category of a ticket awaiting dispatch. */
export const recategorizeBody = z.object({
  categoryId: dbId('事项分类不正确'),
  expectedVersion: dbId('版本号不正确').optional(),
  suggestedCategoryIds,
  note: safeString().trim().max(500, '说明不能超过 500 字').optional(),
});
export type RecategorizeBody = z.infer<typeof recategorizeBody>;

export const takeRatesQuery = z.object({
  weeks: z.coerce
    .number({ error: '周数不正确' })
    .int('周数不正确')
    .min(1, '周数不正确')
    .max(104, '周数不正确')
    .default(12),
});

export const activateBody = z
  .object({ note: safeString().trim().max(500, '说明不能超过 500 字').optional() })
  .default({});

export { suggestedCategoryIds };
