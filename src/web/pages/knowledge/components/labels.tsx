import { Tag } from 'antd';
import type {
  ArticleListItem,
  Freshness,
  KnowledgeAction,
  VersionState,
  WorkingState,
} from '../../../api/knowledge-authoring';

// 第十八条: the words the knowledge screens use for states, actions and history (the server's domain labels, which
// the web may not import, say the same).

export const VERSION_STATE_LABELS: Record<VersionState, string> = {
  draft: '草稿',
  unit_review: '待本单位审核',
  centre_review: '待中心审核',
  published: '已发布',
  returned: '已退回',
  superseded: '已被新版本取代',
  discarded: '已放弃',
};
export const WORKING_STATE_LABELS: Record<WorkingState, string> = {
  draft: '草稿',
  unit_review: '待本单位审核',
  centre_review: '待中心审核',
  published: '已发布',
  returned: '已退回',
  withdrawn: '已下架',
};
const WORKING_COLORS: Record<WorkingState, string> = {
  draft: 'default',
  unit_review: 'orange',
  centre_review: 'gold',
  published: 'green',
  returned: 'red',
  withdrawn: 'default',
};
export const FRESHNESS_LABELS: Record<Freshness, string> = {
  not_published: '未发布',
  withdrawn: '已下架',
  expired: '已过期',
  not_yet_in_force: '未生效',
  stale: '超期未复核',
  expiring: '即将过期',
  current: '有效',
};
const FRESHNESS_COLORS: Record<Freshness, string> = {
  not_published: 'default',
  withdrawn: 'default',
  expired: 'red',
  not_yet_in_force: 'blue',
  stale: 'volcano',
  expiring: 'orange',
  current: 'green',
};
export const ACTION_LABELS: Record<KnowledgeAction, string> = {
  edit: '编辑',
  submit: '提交审核',
  approve: '审核通过',
  return: '退回',
  publish: '发布',
  discard: '放弃草稿',
  withdraw: '下架',
  request_withdraw: '申请下架',
  confirm_valid: '复核确认',
};
export const EVENT_LABELS: Record<string, string> = {
  created: '新建',
  edited: '修改',
  submitted: '提交审核',
  approved: '单位审核通过',
  returned: '退回',
  published: '发布',
  discarded: '放弃草稿',
  withdrawn: '下架',
  withdraw_requested: '申请下架',
  confirmed: '复核确认',
  attachment_added: '上传附件',
  pushed: '单位系统推送',
  proposed_from_ticket: '由工单答复提议',
  flagged: '纠错',
  flag_resolved: '纠错已处理',
};
export const NOTICE_LABELS: Record<string, string> = {
  expiring: '即将过期',
  expired: '已过期',
  stale: '超期未复核',
  flagged: '纠错',
  returned: '退回',
  published: '已发布',
};
export const SOURCE_LABELS: Record<string, string> = {
  person: '人工编辑',
  push: '单位系统推送',
  ticket_reply: '工单答复提议',
  seed: '初始建库',
};
export const VISIBILITY_LABELS: Record<string, string> = { internal: '内部', public: '公开' };

export const WorkingStateTag = ({ state }: { state: WorkingState }) => (
  <Tag color={WORKING_COLORS[state]}>{WORKING_STATE_LABELS[state] ?? state}</Tag>
);
export const FreshnessTag = ({ value }: { value: Freshness }) =>
  value === 'not_published' || value === 'withdrawn' ? null : (
    <Tag color={FRESHNESS_COLORS[value]}>{FRESHNESS_LABELS[value] ?? value}</Tag>
  );

/** What a list row says about where the article stands, in one phrase (for the CSV export). */
export const rowStateText = (r: ArticleListItem) =>
  [WORKING_STATE_LABELS[r.workingState], r.status === 'published' ? FRESHNESS_LABELS[r.freshness] : null]
    .filter(Boolean)
    .join('，');
