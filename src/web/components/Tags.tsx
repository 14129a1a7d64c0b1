import { Tag, Tooltip } from 'antd';
import type { DeadlineState, TicketStatus, Urgency } from '../api/types';
import { DEADLINE_STATE_LABELS, STATUS_LABELS, URGENCY_LABELS } from '../lib/labels';
import { fmtDateTime } from '../lib/format';

const STATUS_COLORS: Record<TicketStatus, string> = {
  pending_dispatch: 'gold',
  dispatched: 'blue',
  in_progress: 'processing',
  replied: 'purple',
  closed: 'default',
  terminated: 'default',
};

export function StatusTag({ status }: { status: TicketStatus }) {
  return <Tag color={STATUS_COLORS[status]}>{STATUS_LABELS[status]}</Tag>;
}

export function UrgencyTag({ urgency }: { urgency: Urgency }) {
  return urgency === 'urgent' ? <Tag color="red">{URGENCY_LABELS.urgent}</Tag> : <Tag>{URGENCY_LABELS.normal}</Tag>;
}

/** ok green, warning orange, breached red; settled deadlines stay neutral. */
export const DEADLINE_COLORS: Record<DeadlineState, string> = {
  ok: 'green',
  warning: 'orange',
  breached: 'red',
  met: 'cyan',
  met_late: 'volcano',
  cancelled: 'default',
};
export const DEADLINE_HEX: Record<'ok' | 'warning' | 'breached', string> = {
  ok: '#52c41a',
  warning: '#fa8c16',
  breached: '#f5222d',
};

export function DeadlineTag({
  state,
  label,
  dueAt,
  kindLabel,
}: {
  state: DeadlineState;
  label?: string;
  dueAt?: string | null;
  kindLabel?: string;
}) {
  const tag = (
    <Tag color={DEADLINE_COLORS[state]} data-deadline-state={state}>
      {label ?? DEADLINE_STATE_LABELS[state]}
    </Tag>
  );
  // 第二十二条(二): a deadline about to pass is a 黄牌, a passed one a 红牌, wherever the ticket is listed
  const card =
    state === 'warning' ? (
      <Tag color="gold" data-card="yellow">
        黄牌
      </Tag>
    ) : state === 'breached' ? (
      <Tag color="red" data-card="red">
        红牌
      </Tag>
    ) : null;
  if (!dueAt)
    return card ? (
      <>
        {tag}
        {card}
      </>
    ) : (
      tag
    );
  return (
    <>
      <Tooltip title={`${kindLabel ?? '时限'}：${fmtDateTime(dueAt)} 到期`}>{tag}</Tooltip>
      {card}
    </>
  );
}
