import { z } from 'zod';
import { dbId, dbIdParam, safeString } from './common.js';

// 第十二、十八条: searching the knowledge base, flags, synonyms, figures and the portal's self-service — the
// requests the web and the API share.

const regionCode = safeString()
  .regex(/^\d{6,12}$/, '行政区划代码格式不正确')
  .optional();

/** A search box: at most 100 characters (a question, not a document). */
export const knowledgeSearchQuery = z.object({
  q: safeString().trim().min(1, '请输入要查找的问题或关键词').max(100, '查询内容不能超过 100 字'),
  categoryId: dbIdParam().optional(),
  regionCode,
  limit: z.coerce.number().int().min(1).max(20).default(10),
});

/** Suggestions from the contact's own words while the agent records it (the first 200 characters are used). */
export const knowledgeSuggestBody = z.object({
  text: safeString().trim().min(2, '内容过短').max(10000, '内容不能超过 10000 字'),
  categoryId: dbId().optional(),
  regionCode,
  limit: z.number().int().min(1).max(20).default(5),
});

export const FLAG_REASONS = ['wrong', 'outdated', 'unclear', 'other'] as const;
export const FLAG_REASON_LABELS: Record<(typeof FLAG_REASONS)[number], string> = {
  wrong: '内容有误',
  outdated: '政策已过时',
  unclear: '表述不清',
  other: '其他',
};

export const knowledgeFlagBody = z
  .object({
    reason: z.enum(FLAG_REASONS, { error: '请选择纠错原因' }),
    note: safeString().trim().max(1000, '说明不能超过 1000 字').optional(),
    contactId: dbId().optional(),
  })
  .refine((b) => b.reason !== 'other' || !!b.note, { message: '选择“其他”时请填写说明', path: ['note'] });

export const knowledgeFlagsQuery = z.object({
  status: z.enum(['open', 'resolved']).default('open'),
  before: dbIdParam().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const knowledgeFlagResolveBody = z.object({
  resolution: safeString().trim().min(1, '请填写处理结果').max(1000, '处理结果不能超过 1000 字'),
});

const synonymTerm = safeString()
  .trim()
  .min(1, '同义词不能为空')
  .max(20, '每个词不超过 20 字')
  .regex(/^[^\s|&!:()'\\]+$/, "同义词不能包含空格或 | & ! : ( ) ' \\ 等符号");
export const synonymTerms = z
  .array(synonymTerm)
  .min(2, '一组同义词至少 2 个')
  .max(20, '一组同义词最多 20 个')
  .refine((t) => new Set(t.map((x) => x.toLowerCase())).size === t.length, '同一组内的词不能重复');
export const synonymCreateBody = z.object({ terms: synonymTerms });
export const synonymUpdateBody = z
  .object({ terms: synonymTerms.optional(), active: z.boolean().optional() })
  .refine((b) => b.terms !== undefined || b.active !== undefined, '请填写要修改的内容');

const day = safeString().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
export const knowledgeFiguresQuery = z.object({ from: day, to: day });

/** The portal's box: public input, short. */
export const publicKnowledgeSearchQuery = z.object({
  q: safeString().trim().min(1, '请输入要查找的问题').max(100, '查询内容不能超过 100 字'),
  categoryId: dbIdParam().optional(),
});
export const publicKnowledgeFeedbackBody = z.object({ helpful: z.boolean({ error: '请选择是否解决了您的问题' }) });
