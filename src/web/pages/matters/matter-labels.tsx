import { Tag } from 'antd';
import {
  JOINT_FIELD_LABELS,
  MATTER_STATUS_LABELS,
  MATTER_TIER_LABELS,
  TASK_STATUS_LABELS,
  type JointField,
  type MatterStatus,
  type MatterTier,
  type TaskStatus,
} from '../../../shared/domain/matters';

// 第二十五、二十六条 专题治理: how statuses look on screen.
export const MATTER_STATUS_COLORS: Record<MatterStatus, string> = {
  registered: 'blue',
  studying: 'purple',
  advancing: 'orange',
  resolved: 'green',
  archived: 'default',
};
export const TASK_STATUS_COLORS: Record<TaskStatus, string> = {
  open: 'default',
  in_progress: 'processing',
  done: 'success',
};

export const MatterStatusTag = ({ status }: { status: MatterStatus }) => (
  <Tag color={MATTER_STATUS_COLORS[status]}>{MATTER_STATUS_LABELS[status]}</Tag>
);
export const TaskStatusTag = ({ status }: { status: TaskStatus }) => (
  <Tag color={TASK_STATUS_COLORS[status]}>{TASK_STATUS_LABELS[status]}</Tag>
);
export const TierTag = ({ tier }: { tier: MatterTier }) => (
  <Tag color={tier === 'city' ? 'geekblue' : tier === 'county' ? 'cyan' : 'lime'}>{MATTER_TIER_LABELS[tier]}</Tag>
);
/** 第二十六条第二款: the field of a jointly coordinated matter. */
export const JointFieldTag = ({ field }: { field: JointField }) => (
  <Tag color="magenta" style={{ marginLeft: 8 }}>
    联合处置·{JOINT_FIELD_LABELS[field]}
  </Tag>
);
