import { z } from 'zod';
import { dbId, safeString } from './common.js';
import { unitTextField } from './tickets.js';

// 第十二、十三条: every contact gets exactly one disposition, each with its own required fields.
const note = safeString().max(2000).optional();
// 第十二条 (全面准确记录): a phone call is recorded while it rings, with no text; what the caller said is written
// down by the agent and sent with the disposition, whichever it is, to become the contact's text.
const callRecord = safeString().trim().max(10000, '通话记录不能超过 10000 字').optional();

export const dispositionBody = z.discriminatedUnion('disposition', [
  // 第十二条: answered online (咨询 answered from policy/knowledge)
  z.object({
    disposition: z.literal('answered'),
    callRecord,
    answer: safeString().trim().min(1, '请填写答复内容').max(5000),
    // 第十二条: the knowledge article that answered it; its current published version is recorded (第十八条)
    knowledgeArticleId: dbId('知识编号不正确').optional(),
    note,
  }),
  // 第十三条(一)
  z.object({
    disposition: z.literal('transferred'),
    callRecord,
    hotline: z.enum(['110', '119', '120', '122']),
    transferredAt: z.coerce.date().optional(),
    followedSuggestion: z.boolean().optional(),
    note,
  }),
  // 第十三条(二)
  z.object({
    disposition: z.literal('redirected'),
    callRecord,
    channel: z.enum([
      'litigation',
      'arbitration',
      'discipline_inspection',
      'administrative_reconsideration',
      'information_disclosure',
      'petition',
    ]),
    alreadyInChannel: z.boolean().default(false),
    note,
  }),
  // 第十三条(三)
  z.object({ disposition: z.literal('repeat'), callRecord, ticketId: dbId(), note }),
  // 第十三条(四)
  z.object({
    disposition: z.literal('explained'),
    callRecord,
    secretKind: z.enum(['state_secret', 'trade_secret', 'personal_information']),
    explanation: safeString().trim().min(1, '请填写解释内容').max(2000),
  }),
  // 第十三条(五)
  z.object({
    disposition: z.literal('admonished'),
    callRecord,
    violation: safeString().trim().min(1, '请说明违反的规定').max(1000),
    note,
  }),
  // 第十三条(六)
  z.object({
    disposition: z.literal('not_accepted'),
    callRecord,
    reason: safeString().trim().min(1, '请说明不予受理的理由').max(1000),
  }),
  // 第十二条: a ticket for the units
  z.object({
    disposition: z.literal('dispatched'),
    callRecord,
    requestType: z.enum(['consult', 'help', 'complaint', 'report', 'suggestion', 'praise']),
    categoryId: dbId(),
    urgency: z.enum(['normal', 'urgent']).default('normal'),
    regionCode: safeString().regex(/^\d{6,12}$/, '行政区划代码格式不正确'),
    address: safeString().max(500).nullish(),
    title: safeString().trim().min(1, '请填写诉求摘要').max(200),
    content: safeString().trim().min(1).max(10000).optional(),
    reportedUnitId: dbId()
      .optional()
      .describe('举报: the unit reported on, which never sees who reported it (第三十三条)'),
    unitText: unitTextField,
    // 第四条 智能分类: the categories the console suggested, best first (the take rate counts which one was chosen)
    suggestedCategoryIds: z.array(dbId()).max(3, '最多 3 个建议').optional(),
  }),
]);
export type DispositionInput = z.infer<typeof dispositionBody>;
