import { z } from 'zod';
import { dbIdParam, isoDay, safeString } from './common.js';

// 等保 2.0 安全审计: the administrators' audit (who changed which setting, account or reference data, logins and
// their failures, from where) as the auditor reads and exports it, and the record every screen's export leaves.

/** What an audit row is about, in the auditor's words; an entity not listed shows its code. */
export const AUDIT_ENTITY_LABELS: Record<string, string> = {
  user: '用户',
  login_account: '登录账号（未知用户名）',
  unit: '单位',
  category: '事项分类',
  catalogue_rule: '派单目录',
  time_limit: '办理时限',
  calendar_day: '工作日历（日）',
  calendar_year: '工作日历（年度）',
  reply_contact_policy: '联系诉求人规则',
  api_token: '对接令牌',
  webhook_subscription: '数据推送订阅',
  access_log_settings: '访问日志设置',
  knowledge_settings: '知识库设置',
  knowledge_synonym: '知识库同义词',
  security_settings: '安全策略',
  pii_key_rotation: '个人信息密钥轮换',
  // 第二十三条、第九条
  referral: '问责移送',
  staff_complaint: '工作人员投诉',
  // 第二十七条 风险预警
  warning: '风险预警',
  warning_word: '敏感风险词',
  warning_settings: '预警阈值',
  system: '系统',
};

export const AUDIT_ACTION_LABELS: Record<string, string> = {
  create: '新建',
  update: '修改',
  activate: '启用',
  deactivate: '停用',
  set: '设置',
  clear: '清除',
  confirm: '确认',
  reset_password: '重置密码',
  login: '登录成功',
  login_failed: '登录失败',
  login_lock: '登录锁定',
  login_unlock: '解除锁定',
  login_lock_expired: '锁定到期',
  logout: '退出登录',
  issue: '签发',
  revoke: '吊销',
  rotate_secret: '轮换密钥',
  replay: '重新推送',
  start: '开始',
  // 第二十三条 问责移送 and 第九条 complaint handling
  accept: '记录受理',
  conclude: '记录结论',
  investigate: '转入调查',
  note: '调查记录',
  reply: '答复',
  close: '办结',
  escalate: '移送纪检监察',
  // 第二十七条 风险预警
  acknowledge: '确认',
  assign: '指派',
  link: '关联专题',
};

const code = safeString()
  .trim()
  .regex(/^[a-z_]{1,60}$/, '应为小写字母和下划线');

export const adminAuditQuery = z.object({
  userId: dbIdParam('人员编号不正确').optional(),
  entity: code.optional(),
  entityId: safeString().trim().min(1).max(100, '对象编号过长').optional(),
  action: code.optional(),
  from: isoDay.optional(),
  to: isoDay.optional(),
  before: dbIdParam().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type AdminAuditQuery = z.infer<typeof adminAuditQuery>;
export const adminAuditExportQuery = adminAuditQuery.omit({ before: true, limit: true });

/** 第六、三十条 个人信息访问审计 as the auditor filters it (issue 14): by person, ticket number and local days. */
export const piiAccessFilter = z.object({
  userId: dbIdParam('人员编号不正确').optional(),
  ticketNumber: safeString()
    .trim()
    .toUpperCase()
    .regex(/^HZ\d{8}-\d{6}$/, '工单号格式不正确，如 HZ20250312-000123')
    .optional(),
  from: isoDay.optional(),
  to: isoDay.optional(),
});
export const piiAccessQuery = piiAccessFilter.extend({
  before: dbIdParam().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type PiiAccessQuery = z.infer<typeof piiAccessQuery>;

/** A screen's export (CSV or Excel made in the browser from what is on screen): what, with which filter, how many rows. */
export const exportRecordBody = z.object({
  screen: safeString().trim().min(1, '请说明导出的页面').max(60, '页面名称过长'),
  format: z.enum(['csv', 'xlsx'], { error: '格式不正确' }).default('csv'),
  filter: z
    .record(
      safeString().max(40, '条件名过长'),
      z.union([safeString().max(500, '条件过长'), z.number(), z.boolean(), z.null()]),
    )
    .refine((r) => Object.keys(r).length <= 30, '条件过多')
    .default({}),
  rows: z.number({ error: '行数不正确' }).int('行数不正确').min(0, '行数不正确').max(10_000_000, '行数不正确'),
});
export type ExportRecord = z.infer<typeof exportRecordBody>;
