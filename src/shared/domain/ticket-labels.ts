// Chinese names of what a ticket's history records: its events, the requester's evaluation and where it came from,
// and the state of an application. One table for the ticket screen (web) and the documents the server writes about
// a ticket (the evidence pack of a misconduct referral), so both say the same words.

export const SATISFACTION_LABELS: Record<'satisfied' | 'basically_satisfied' | 'unsatisfied', string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  unsatisfied: '不满意',
};

export const APPLICATION_STATUS_LABELS: Record<'pending' | 'approved' | 'rejected', string> = {
  pending: '待审核',
  approved: '已同意',
  rejected: '已驳回',
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
  // 第十七条 回访未果 (issue 14): a callback call that did not reach the requester, or that they declined
  callback_attempt: '回访未果',
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
  // 第十四条: the dispatcher's correction before the unit accepts
  dispatch_recalled: '撤回派单（签收前）',
  reassigned: '改派（签收前）',
  // 第十五条 审核: a handler's reply and the unit manager's decision on it
  reply_submitted: '答复提交单位审核',
  reply_signed_off: '单位负责人审核通过',
  reply_returned: '单位负责人退回答复',
  handler_assigned: '指定承办人',
  // 二级派单 (第十四至十六条): the lead unit passes the ticket to a sub-unit and stays the lead
  sub_dispatched: '转派下级单位',
  sub_dispatch_recalled: '撤回转派（下级签收前）',
  sub_accepted: '下级单位签收',
  sub_returned: '下级单位退回',
  sub_replied: '下级单位答复',
  sub_reply_approved: '采纳下级答复',
  sub_reply_returned: '退回下级重新办理',
  sub_extension_applied: '下级单位申请延期',
  sub_extension_approved: '同意下级延期',
  sub_extension_rejected: '驳回下级延期',
  merged_into: '并单（并入其他工单）',
  merged_from: '并单（合并相同诉求）',
  // issue 14 撤销并单: the merged ticket comes back; the surviving ticket lets its requesters go
  unmerged: '撤销并单（恢复单独办理）',
  unmerged_from: '撤销并单（移出被并入的工单）',
  repeat_contact: '重复来电（第十三条第三项）',
  requester_evaluated: '诉求人评价',
  staff_complaint: '诉求人投诉工作人员',
  deadline_warned: '时限临期预警',
  deadline_breached: '时限超期',
  // 第二十三条 问责移送 (centre staff only: units never see these)
  referral_transferred: '问题线索移交纪检监察机关',
  referral_accepted: '纪检监察机关受理',
  referral_concluded: '纪检监察机关处理结果',
  // 第二十五条 专题治理: the ticket is studied as part of a matter
  matter_linked: '纳入专题研究',
  matter_unlinked: '移出专题',
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

/** Where the requester's own evaluation came from (第九、十七条). */
export const EVALUATION_VIA_LABELS: Record<string, string> = {
  portal: '网上评价',
  sms: '回复回访短信',
  wechat: '微信回复回访',
  weibo: '微博回复回访',
};

export const eventLabel = (kind: string) => EVENT_KIND_LABELS[kind] ?? kind;
