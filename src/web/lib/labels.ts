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
  TerminationCase,
  Tier,
  Unit,
  Urgency,
} from '../api/types';

export { STATUS_LABELS, DEADLINE_KIND_LABELS, DEADLINE_STATE_LABELS };
export {
  SATISFACTION_LABELS,
  APPLICATION_STATUS_LABELS,
  EVENT_KIND_LABELS,
  eventLabel,
  EVALUATION_VIA_LABELS,
} from '../../shared/domain/ticket-labels';

export { PEOPLE_ROLES, ROLE_LABELS } from '../../shared/contracts/roles';

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
  // 第二十九条: a grid worker's own report
  grid: '主动发现',
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
  sub_review: '二级派单上级审核预留',
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
