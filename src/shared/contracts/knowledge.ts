import { z } from 'zod';
import { dbId, dbIdParam, safeString } from './common.js';

// 第十八条 知识库: request shapes of the authoring side, shared by the server (validation, OpenAPI) and the web forms.
// Messages are Chinese because they reach users as they are.

/** What each field of an article version is called on screen and in a version comparison (第十八条). */
export const KNOWLEDGE_FIELD_LABELS = {
  title: '标题',
  aliases: '别名（问法）',
  answer: '答复内容',
  shortAnswer: '简短答复',
  publicAnswer: '公开答复',
  visibility: '公开范围',
  policyBasis: '政策依据',
  categoryIds: '事项分类',
  regionCodes: '适用区域',
  effectiveFrom: '生效日期',
  expiresOn: '失效日期',
  policyChangedOn: '政策变化日期',
  attachmentIds: '附件',
} as const;

export const KNOWLEDGE_LIMITS = {
  title: 200,
  aliases: 20,
  alias: 100,
  answer: 10_000,
  /** fit for one SMS / WeChat message (第十二条: the phrase sent to the requester carries it) */
  shortAnswer: 300,
  publicAnswer: 10_000,
  policyBasis: 10,
  document: 200,
  number: 100,
  clause: 200,
  reason: 500,
  categories: 20,
  regions: 50,
  attachmentBytes: 10 * 1024 * 1024,
} as const;

const L = KNOWLEDGE_LIMITS;
const text = (max: number, label: string) =>
  safeString({ error: `${label}不能为空` })
    .trim()
    .min(1, `${label}不能为空`)
    .max(max, `${label}不能超过 ${max} 字`);
export const dayString = (label: string) =>
  safeString({ error: `${label}不能为空` }).regex(/^\d{4}-\d{2}-\d{2}$/, `${label}格式应为 YYYY-MM-DD`);

export const policyBasisItem = z.object({
  document: text(L.document, '政策文件名称'),
  number: safeString().trim().max(L.number, `文号不能超过 ${L.number} 字`).nullish(),
  clause: safeString().trim().max(L.clause, `条款不能超过 ${L.clause} 字`).nullish(),
});

/** The content of one version: what a unit writes. */
export const articleContent = z.object({
  title: text(L.title, '标题'),
  aliases: z
    .array(text(L.alias, '别名'), { error: '别名应为列表' })
    .max(L.aliases, `别名最多 ${L.aliases} 个`)
    .default([])
    .describe('how citizens ask the same question (问法), each ≤ 100 characters, at most 20'),
  answer: text(L.answer, '答复内容'),
  shortAnswer: text(L.shortAnswer, '简短答复').describe('read out or sent by SMS/WeChat: at most 300 characters'),
  publicAnswer: safeString()
    .trim()
    .max(L.publicAnswer, `公开答复不能超过 ${L.publicAnswer} 字`)
    .nullish()
    .describe('the text the public portal shows (public articles); the internal answer never reaches the portal'),
  visibility: z.enum(['internal', 'public'], { error: '公开范围应为「内部」或「公开」' }),
  policyBasis: z
    .array(policyBasisItem, { error: '政策依据应为列表' })
    .max(L.policyBasis, `政策依据最多 ${L.policyBasis} 条`)
    .default([]),
  categoryIds: z
    .array(dbId('事项分类不正确'), { error: '事项分类应为列表' })
    .max(L.categories, `事项分类最多 ${L.categories} 个`)
    .default([]),
  regionCodes: z
    .array(safeString().regex(/^\d{6,12}$/, '行政区划代码格式不正确'), { error: '适用区域应为列表' })
    .max(L.regions, `适用区域最多 ${L.regions} 个`)
    .default([])
    .describe('empty: the whole city'),
  effectiveFrom: dayString('生效日期'),
  expiresOn: dayString('失效日期').nullish(),
  policyChangedOn: dayString('政策变化日期').nullish().describe('when the policy behind this change took effect'),
  reviewCycleDays: z
    .number()
    .int('复核周期应为整数天')
    .min(7, '复核周期至少 7 天')
    .max(1095, '复核周期最长 1095 天')
    .nullish(),
  attachmentIds: z
    .array(dbId('附件编号不正确'))
    .max(20, '附件最多 20 个')
    .optional()
    .describe("the article's attachments this version carries; omitted: those of the version it replaces"),
});
export type ArticleContent = z.infer<typeof articleContent>;

export const lockVersion = z
  .number({ error: '缺少版本号（lockVersion），请刷新后重试' })
  .int()
  .min(0)
  .max(2_147_483_647)
  .describe("optimistic concurrency: the article's lockVersion the client read");

const changeReason = text(L.reason, '修改原因');

export const createArticleBody = articleContent.extend({
  changeReason: changeReason.optional(),
  /** the centre (knowledge reviewer) writes for a unit: which one; a unit always writes for itself */
  ownerUnitId: dbId('所属单位不正确').optional(),
  /** save and submit in one step */
  submit: z.boolean().optional(),
});
export const updateArticleBody = articleContent.extend({
  changeReason,
  lockVersion,
  submit: z.boolean().optional(),
});
export const stepBody = z.object({ lockVersion, note: safeString().trim().max(L.reason).nullish() });
export const reasonBody = z.object({ lockVersion, reason: text(L.reason, '理由') });

export const listArticlesQuery = z.object({
  ownerUnitId: dbIdParam().optional(),
  status: z.enum(['draft', 'published', 'withdrawn']).optional(),
  workingState: z.enum(['draft', 'unit_review', 'centre_review', 'published', 'returned', 'withdrawn']).optional(),
  stale: z.enum(['true', 'false']).optional(),
  expired: z.enum(['true', 'false']).optional(),
  expiringWithinDays: z.coerce.number().int().min(0).max(365).optional(),
  categoryId: dbIdParam().optional(),
  q: safeString().trim().max(50, '关键词不能超过 50 字').optional(),
  cursor: safeString()
    .regex(/^\d{13}_\d{1,10}$/, '分页游标不正确')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const compareQuery = z.object({ from: dbIdParam('起始版本不正确'), to: dbIdParam('对比版本不正确') });

export const settingsBody = z.object({
  expiryNoticeDays: z.number().int().min(1, '到期提醒天数至少 1 天').max(365, '到期提醒天数最多 365 天'),
  defaultReviewCycleDays: z.number().int().min(7, '默认复核周期至少 7 天').max(1095, '默认复核周期最长 1095 天'),
  staleGraceDays: z.number().int().min(0, '宽限天数不能为负').max(365, '宽限天数最多 365 天'),
});

export const attachmentBody = z.object({
  name: text(200, '文件名'),
  dataBase64: z.string().min(1, '附件内容为空').max(15_000_000, '附件过大：不能超过 10 MB'),
});

/** 第十八条第二款: what a unit's own system pushes (its own id is in the path). */
export const pushArticleBody = articleContent.extend({
  changeReason: changeReason.optional(),
  withdrawn: z.boolean().optional().describe('true: the unit asks the centre to withdraw the article'),
});

export const proposalBody = z.object({
  articleId: dbId('知识编号不正确')
    .optional()
    .describe('propose an update to this article of the unit instead of a new one'),
});
