import { Tag } from 'antd';
import {
  WARNING_LEVEL_COLOURS,
  WARNING_LEVEL_NAMES,
  WARNING_STATUS_LABELS,
  type WarningLevel,
  type WarningStatus,
} from '../../../shared/domain/warnings';

// 第二十七条 风险预警: how levels and statuses look on screen.
const STATUS_COLOURS: Record<WarningStatus, string> = {
  new: 'red',
  acknowledged: 'blue',
  assigned: 'purple',
  closed: 'default',
};
export const WarningLevelTag = ({ level }: { level: WarningLevel }) => (
  <Tag color={WARNING_LEVEL_COLOURS[level]}>{WARNING_LEVEL_NAMES[level]}</Tag>
);
export const WarningStatusTag = ({ status }: { status: WarningStatus }) => (
  <Tag color={STATUS_COLOURS[status]}>{WARNING_STATUS_LABELS[status]}</Tag>
);
export const EVENT_LABELS: Record<string, string> = {
  raised: '系统预警',
  updated: '系统更新依据',
  acknowledge: '确认',
  assign: '指派',
  link: '关联专题',
  close: '关闭',
};
