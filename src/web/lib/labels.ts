// Chinese labels for the API's codes. Status, deadline kind and deadline state labels come from the server's
// domain modules (the same tables the server uses in its responses); the rest are display names kept here.
import { STATUS_LABELS } from '../../shared/domain/transitions';
import { DEADLINE_KIND_LABELS, DEADLINE_STATE_LABELS } from '../../shared/domain/deadline-state';
import type {
  ApplicationKind,
  Basis,
  LimitClock,
  LimitStep,
  LimitUnit,
  RequestType,
  Role,
  Satisfaction,
  TerminationCase,
  Tier,
  Unit,
  Urgency,
} from '../api/types';

export { STATUS_LABELS, DEADLINE_KIND_LABELS, DEADLINE_STATE_LABELS };

export const ROLE_LABELS: Record<Role, string> = {
  agent: '话务员',
  dispatcher: '派单员',
  handler: '承办人',
  unit_manager: '单位负责人',
  callback_agent: '回访员',
  supervisor: '督办员',
  analyst: '分析员',
  auditor: '审计员',
  admin: '系统管理员',
  knowledge_reviewer: '知识库审核员',
};

export const REQUEST_TYPE_LABELS: Record<RequestType, string> = {
  consult: '咨询',
  help: '求助',
  complaint: '投诉',
  report: '举报',
  suggestion: '建议',
  praise: '表扬',
};
export const URGENCY_LABELS: Record<Urgency, string> = { normal: '一般', urgent: '紧急' };
export const CHANNEL_LABELS: Record<string, string> = {
  phone: '电话',
  sms: '短信',
  wechat: '微信',
  weibo: '微博',
  web: '网站',
  api: '接口',
};
export const SATISFACTION_LABELS: Record<Satisfaction, string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  unsatisfied: '不满意',
};
export const CONTACT_METHOD_LABELS: Record<'phone' | 'sms' | 'visit' | 'other', string> = {
  phone: '电话',
  sms: '短信',
  visit: '上门走访',
  other: '其他',
};
export const APPLICATION_KIND_LABELS: Record<ApplicationKind, string> = {
  return: '退单申请',
  extension: '延期申请',
  termination: '终止办理申请',
  dispute: '职责争议',
};
export const APPLICATION_STATUS_LABELS: Record<'pending' | 'approved' | 'rejected', string> = {
  pending: '待审核',
  approved: '已同意',
  rejected: '已驳回',
};
export const TERMINATION_CASE_LABELS: Record<TerminationCase, string> = {
  refused_information: '诉求人拒不提供必要信息（第十五条第五项）',
  unreasonable_request: '诉求不合理或无理诉求（第十五条第六项）',
};
export const BASIS_LABELS: Record<Basis, string> = {
  statutory: '职权法定',
  territorial: '属地管理',
  tiered: '分级负责',
};
export const TIER_LABELS: Record<Tier, string> = { city: '市级', county: '县区级', town: '乡镇街道级' };
export const UNIT_KIND_LABELS: Record<Unit['kind'], string> = {
  centre: '热线工作机构',
  department: '政府部门',
  town: '乡镇街道',
  utility: '公共服务企业',
  other: '其他',
};
export const ASSIGNMENT_ROLE_LABELS: Record<'lead' | 'assist', string> = { lead: '主办', assist: '协办' };
export const ASSIGNMENT_STATUS_LABELS: Record<'active' | 'submitted' | 'ended', string> = {
  active: '办理中',
  submitted: '已提交结果',
  ended: '已结束',
};
export const LIMIT_STEP_LABELS: Record<LimitStep, string> = {
  accept: '签收',
  return_window: '退单申请期限',
  first_contact: '联系诉求人',
  reply: '办结答复',
  extension_max: '累计延期上限',
  callback: '回访',
  rework: '重办',
  assist: '协办',
};
export const LIMIT_UNIT_LABELS: Record<LimitUnit, string> = {
  working_days: '个工作日',
  working_hours: '个工作小时',
  clock_hours: '小时（自然时间）',
};
export const LIMIT_CLOCK_LABELS: Record<LimitClock, string> = {
  calendar: '按工作日历',
  round_the_clock: '全天候（水电气热网络等）',
};

/** Every event kind the server writes to a ticket's history. */
export const EVENT_KIND_LABELS: Record<string, string> = {
  created: '受理登记',
  dispatched: '派单',
  accepted: '签收',
  requester_contacted: '联系诉求人',
  progress_reported: '阶段性反馈',
  assist_submitted: '提交协办结果',
  replied: '办结答复',
  closed: '回访办结',
  rework: '回访退回重办',
  return_applied: '申请退单',
  return_approved: '同意退单',
  return_rejected: '驳回退单申请',
  extension_applied: '申请延期',
  extension_approved: '同意延期',
  extension_rejected: '驳回延期申请',
  termination_applied: '申请终止办理',
  termination_approved: '同意终止办理',
  termination_rejected: '驳回终止办理申请',
  dispute_applied: '提出职责争议',
  dispute_rejected: '驳回职责争议',
  consultation_held: '会商确定承办单位',
  merged_into: '并单（并入其他工单）',
  merged_from: '并单（合并相同诉求）',
  repeat_contact: '重复来电（第十三条第三项）',
  requester_evaluated: '诉求人评价',
  staff_complaint: '诉求人投诉工作人员',
  deadline_warned: '时限临期预警',
  deadline_breached: '时限超期',
  // 第二十三条 问责移送 (centre staff only: units never see these)
  referral_transferred: '问题线索移交纪检监察机关',
  referral_accepted: '纪检监察机关受理',
  referral_concluded: '纪检监察机关处理结果',
  // 第二十二条 督办: each step of a supervision case on its tickets
  supervision_proposed: '督办建议',
  supervision_opened: '立案督办',
  supervision_confirmed: '确认督办',
  supervision_dismissed: '不予督办',
  supervision_answered: '督办反馈',
  supervision_closed: '督办办结',
  supervision_supervised_again: '再次督办',
  supervision_escalated: '提级督办',
  // 第二十四条 考核申诉: a unit contests the ticket's counting; the centre decides
  assessment_appealed: '考核申诉',
  assessment_appeal_accepted: '考核申诉已采纳',
  assessment_appeal_rejected: '考核申诉已驳回',
};

export const eventLabel = (kind: string) => EVENT_KIND_LABELS[kind] ?? kind;

/** Where the requester's own evaluation came from (第九、十七条). */
export const EVALUATION_VIA_LABELS: Record<string, string> = {
  portal: '网上评价',
  sms: '回复回访短信',
  wechat: '微信回复回访',
  weibo: '微博回复回访',
};
