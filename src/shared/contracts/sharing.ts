import { z } from 'zod';
import { dbId, dbIdParam, isoDay, safeString } from './common.js';

// 第三十条: what units receive (webhooks and the pull feed) and what the access log records. Shared by the server
// (validation, OpenAPI, payload tests) and the web screens.

export const SCHEMA_VERSION = '1';

/** The kinds of event a subscription chooses from; every ticket event belongs to one group. */
export const EVENT_GROUPS = [
  'dispatch',
  'accept',
  'handling',
  'reply',
  'callback',
  'supervision',
  'merge',
  'other',
] as const;
export type EventGroup = (typeof EVENT_GROUPS)[number];

export const EVENT_GROUP_LABELS: Record<EventGroup, string> = {
  dispatch: '派单与改派',
  accept: '签收',
  handling: '办理过程（联系、反馈、协办、申请）',
  reply: '办结答复',
  callback: '回访与评价',
  supervision: '督办（时限预警、超期、投诉）',
  merge: '并单',
  other: '其他',
};

const GROUP_OF: Record<string, EventGroup> = {
  dispatched: 'dispatch',
  return_approved: 'dispatch',
  consultation_held: 'dispatch',
  dispatch_recalled: 'dispatch',
  reassigned: 'dispatch',
  reply_submitted: 'handling',
  reply_signed_off: 'handling',
  reply_returned: 'handling',
  handler_assigned: 'handling',
  sub_dispatched: 'handling',
  sub_dispatch_recalled: 'handling',
  sub_accepted: 'handling',
  sub_returned: 'handling',
  sub_replied: 'handling',
  sub_reply_approved: 'handling',
  sub_reply_returned: 'handling',
  sub_extension_applied: 'handling',
  sub_extension_approved: 'handling',
  sub_extension_rejected: 'handling',
  accepted: 'accept',
  requester_contacted: 'handling',
  progress_reported: 'handling',
  assist_submitted: 'handling',
  return_applied: 'handling',
  return_rejected: 'handling',
  extension_applied: 'handling',
  extension_approved: 'handling',
  extension_rejected: 'handling',
  termination_applied: 'handling',
  termination_approved: 'handling',
  termination_rejected: 'handling',
  dispute_applied: 'handling',
  dispute_rejected: 'handling',
  repeat_contact: 'handling',
  replied: 'reply',
  closed: 'callback',
  rework: 'callback',
  requester_evaluated: 'callback',
  deadline_warned: 'supervision',
  deadline_breached: 'supervision',
  staff_complaint: 'supervision',
  supervision_opened: 'supervision',
  supervision_confirmed: 'supervision',
  supervision_answered: 'supervision',
  supervision_closed: 'supervision',
  supervision_supervised_again: 'supervision',
  supervision_escalated: 'supervision',
  merged_into: 'merge',
  merged_from: 'merge',
  unmerged: 'merge',
  unmerged_from: 'merge',
};

export function eventGroupOf(kind: string): EventGroup {
  return GROUP_OF[kind] ?? 'other';
}

// ---- the payload (schemaVersion '1') ------------------------------------------------------------------------

const iso = z.string().describe('ISO 8601 time');

export const sharedRequesterSchema = z
  .object({
    name: z.string().nullable().describe('masked (张**), as the unit sees it on screen'),
    phone: z.string().nullable().describe('masked (139****1234); null for an assisting unit'),
    revealPath: z
      .string()
      .nullable()
      .describe('the audited reveal (POST) for the clear values, for the unit whose staff may reveal them'),
  })
  .describe('null for a 举报 sent to the unit it is about (第三十三条) and for anonymous requests');

export const sharedTicketSchema = z.object({
  id: z.number().int(),
  number: z.string(),
  unitAccess: z.enum(['current', 'ended']).describe("'ended': the unit no longer handles the ticket; details withheld"),
  status: z.string().nullable(),
  requestType: z.string().nullable(),
  categoryId: z.number().int().nullable(),
  urgency: z.string().nullable(),
  regionCode: z.string().nullable(),
  address: z.string().nullable().describe('masked'),
  title: z.string().nullable(),
  content: z
    .string()
    .nullable()
    .describe('numbers in it masked (第六条); for a reported unit, the text written for it'),
  leadUnitId: z.number().int().nullable(),
  createdAt: iso.nullable(),
  dispatchedAt: iso.nullable(),
  acceptedAt: iso.nullable(),
  repliedAt: iso.nullable(),
  closedAt: iso.nullable(),
  dueAt: iso.nullable(),
  reply: z.object({ result: z.string(), explanation: z.string().nullable() }).nullable(),
  satisfaction: z.string().nullable(),
  requester: sharedRequesterSchema.nullable(),
  identityWithheld: z.boolean(),
});

export const sharedEventSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  id: z.string().describe('the unit feed id: the idempotency key (X-Hz-Event-Id) and the feed position'),
  type: z.string().describe('the ticket event kind, e.g. dispatched, accepted, replied, closed'),
  group: z.enum(EVENT_GROUPS),
  occurredAt: iso,
  unit: z.object({ id: z.number().int(), role: z.enum(['lead', 'assist']) }),
  event: z.object({
    id: z.number().int(),
    kind: z.string(),
    at: iso,
    fromStatus: z.string().nullable(),
    toStatus: z.string().nullable(),
    reason: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
  }),
  ticket: sharedTicketSchema,
});
export type SharedEvent = z.infer<typeof sharedEventSchema>;

/** A test delivery ("ping") from the subscription screen. */
export const pingSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  id: z.string(),
  type: z.literal('ping'),
  occurredAt: iso,
  unit: z.object({ id: z.number().int() }),
  subscriptionId: z.number().int(),
});

/** One line of the backfill (NDJSON) and one item of the ticket part of a feed. */
export const backfillLineSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  unit: z.object({ id: z.number().int(), role: z.enum(['lead', 'assist']) }),
  ticket: sharedTicketSchema,
});

export const feedPageSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  items: z.array(sharedEventSchema),
  next: z.string().describe('pass as ?after= to continue; equal to the cursor given when nothing new arrived'),
  more: z.boolean(),
});

// ---- requests -----------------------------------------------------------------------------------------------

const name = safeString().trim().min(1, '名称不能为空').max(100, '名称不能超过 100 字');
const url = safeString().trim().min(1, '推送地址不能为空').max(2000, '地址过长');
const groups = z
  .array(z.enum(EVENT_GROUPS, { error: '事件类型不正确' }))
  .min(1, '至少选择一类事件')
  .max(EVENT_GROUPS.length);

export const createSubscriptionBody = z.object({
  unitId: dbId('单位编号不正确'),
  name,
  url,
  eventGroups: groups,
});
export const updateSubscriptionBody = z.object({
  name: name.optional(),
  url: url.optional(),
  eventGroups: groups.optional(),
  status: z.enum(['active', 'paused']).optional(),
  version: dbId('版本号不正确').describe('optimistic concurrency: the version the client last saw'),
});
export const subscriptionsQuery = z.object({ unitId: dbIdParam('单位编号不正确').optional() });
export const deliveriesQuery = z.object({
  status: z.enum(['pending', 'sending', 'delivered', 'dead']).optional(),
  before: dbIdParam().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const feedQuery = z.object({
  after: safeString().max(200).optional().describe('the opaque cursor of the previous page (absent: from the start)'),
  limit: z.coerce
    .number({ error: '条数不正确' })
    .int('条数不正确')
    .min(1, '条数不正确')
    .max(500, '每页最多 500 条')
    .default(100),
});

export const TOKEN_SCOPES = ['feed:read'] as const;
export const TOKEN_SCOPE_LABELS: Record<(typeof TOKEN_SCOPES)[number], string> = {
  'feed:read': '读取本单位数据（增量接口与全量导出）',
};
export const createUnitTokenBody = z.object({
  unitId: dbId('单位编号不正确'),
  name,
  scopes: z
    .array(z.enum(TOKEN_SCOPES, { error: '权限范围不正确' }))
    .min(1, '至少选择一项权限')
    .max(TOKEN_SCOPES.length),
});

export const ACCESS_KINDS = [
  'search',
  'reveal',
  'export',
  'feed',
  'backfill',
  'webhook_delivery',
  'report_download',
  'audit_export',
  // 第十四、十五、二十四条: a download of an uploaded application, reply or appeal file
  'file_download',
] as const;
export const ACCESS_KIND_LABELS: Record<(typeof ACCESS_KINDS)[number], string> = {
  search: '工单查询',
  reveal: '查看个人信息',
  export: '导出',
  feed: '增量接口读取',
  backfill: '全量导出（对接）',
  webhook_delivery: '推送送达',
  report_download: '报表下载',
  audit_export: '审计日志导出',
  file_download: '材料下载',
};

export const accessLogQuery = z.object({
  userId: dbIdParam('人员编号不正确').optional(),
  unitId: dbIdParam('单位编号不正确').optional(),
  ticketId: dbIdParam('工单编号不正确').optional(),
  ticketNumber: safeString()
    .trim()
    .regex(/^HZ\d{8}-\d{6}$/i, '工单号格式应为 HZ20250303-000123')
    .optional()
    .describe('the ticket number (HZ…) instead of its id'),
  kind: z.enum(ACCESS_KINDS, { error: '类型不正确' }).optional(),
  from: isoDay.optional(),
  to: isoDay.optional(),
  before: dbIdParam().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export const accessExportQuery = accessLogQuery.omit({ before: true, limit: true });

export const RETENTION_MIN_DAYS = 180;
export const retentionBody = z.object({
  days: z
    .number({ error: '保存天数不正确' })
    .int('保存天数不正确')
    .min(RETENTION_MIN_DAYS, `访问日志至少保存 ${RETENTION_MIN_DAYS} 天（网络日志不少于六个月）`)
    .max(3650, '保存天数不能超过 3650 天'),
});
