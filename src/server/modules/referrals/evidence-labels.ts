// Chinese names of the ticket events an evidence pack lists (the same words as the ticket screen's timeline).
export const EVIDENCE_EVENT_LABELS: Record<string, string> = {
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
  repeat_contact: '重复来电',
  requester_evaluated: '诉求人评价',
  staff_complaint: '诉求人投诉工作人员',
  deadline_warned: '时限临期预警',
  deadline_breached: '时限超期',
  referral_transferred: '问题线索移交纪检监察机关',
  referral_accepted: '纪检监察机关受理',
  referral_concluded: '纪检监察机关处理结果',
};

export const APPLICATION_STATUS_LABELS: Record<string, string> = {
  pending: '待审核',
  approved: '已同意',
  rejected: '已驳回',
};
export const SATISFACTION_LABELS: Record<string, string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  unsatisfied: '不满意',
};
export const EVALUATION_VIA_LABELS: Record<string, string> = {
  portal: '网上评价',
  sms: '短信',
  wechat: '微信',
  weibo: '微博',
};
