// 第九条 知情权: the steps of a ticket's history the public may see (tracking page, Open311), by event kind.
// Staff names, personal data and internal applications are never among them.
export const PUBLIC_EVENTS: Record<string, string> = {
  created: '诉求已受理',
  dispatched: '已转交承办单位办理',
  return_approved: '已重新派单',
  consultation_held: '经会商确定承办单位',
  accepted: '承办单位已签收',
  requester_contacted: '承办单位已联系诉求人',
  progress_reported: '承办单位反馈阶段性进展',
  extension_approved: '办理期限已延长',
  replied: '承办单位已答复',
  rework: '已退回承办单位重新办理',
  closed: '已办结',
  termination_approved: '已终止办理',
  merged_into: '已与相同诉求合并办理',
  merged_from: '合并了相同诉求',
  unmerged: '已撤销合并，恢复单独办理',
  unmerged_from: '已撤销合并的相同诉求',
};
