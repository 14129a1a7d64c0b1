import { Tag, Tooltip } from 'antd';
import { CARD_LABELS, STATUS_LABELS, type SupervisionStatus } from '../../../shared/domain/supervision';

export const CASE_STATUS_COLORS: Record<SupervisionStatus, string> = {
  proposed: 'purple',
  open: 'processing',
  answered: 'cyan',
  escalated: 'magenta',
  closed: 'success',
  dismissed: 'default',
};

export function CaseStatusTag({ status }: { status: SupervisionStatus }) {
  return <Tag color={CASE_STATUS_COLORS[status]}>{STATUS_LABELS[status]}</Tag>;
}

/** 第二十二条(二): a 黄牌 (warned) or 红牌 (breached). */
export function CardTag({ colour, title }: { colour: 'yellow' | 'red'; title?: string }) {
  const tag = (
    <Tag color={colour === 'red' ? 'red' : 'gold'} data-card={colour}>
      {CARD_LABELS[colour]}
    </Tag>
  );
  return title ? <Tooltip title={title}>{tag}</Tooltip> : tag;
}

/** Whether a deadline is past, for a case that still waits for the unit. */
export function isCaseOverdue(r: { status: SupervisionStatus; due_at: string | null }, now: Date): boolean {
  return (
    (r.status === 'open' || r.status === 'escalated') && !!r.due_at && new Date(r.due_at).getTime() < now.getTime()
  );
}
