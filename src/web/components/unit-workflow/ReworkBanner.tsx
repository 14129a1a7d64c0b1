import { Alert } from 'antd';
import type { TicketView } from '../../api/types';
import { fmtDateTime } from '../../lib/format';
import { SATISFACTION_LABELS } from '../../lib/labels';

/**
 * 第十七条 重办: a ticket the callback sent back says so at the top of its page, with the reason from the latest
 * rework (the requester's satisfaction, whether it was solved, and the callback agent's note) and the new limit.
 */
export function ReworkBanner({ ticket }: { ticket: TicketView }) {
  if (ticket.reworkCount <= 0) return null;
  const last = [...ticket.events].reverse().find((e) => e.kind === 'rework');
  const d: Record<string, unknown> = last?.data ?? {};
  const satisfaction = SATISFACTION_LABELS[d.satisfaction as keyof typeof SATISFACTION_LABELS];
  const parts = [
    satisfaction && `诉求人${satisfaction}`,
    d.resolved === false && '诉求未解决',
    typeof d.note === 'string' && d.note.trim() && `回访记录：${d.note.trim()}`,
  ].filter(Boolean);
  const open = ticket.status === 'in_progress' || ticket.status === 'dispatched';
  return (
    <Alert
      type={open ? 'warning' : 'info'}
      showIcon
      data-testid="rework-banner"
      message={`重办工单（第 ${ticket.reworkCount} 次重办${last ? `，${fmtDateTime(last.at)} 回访退回` : ''}）`}
      description={
        <>
          <div>重办原因：{parts.length ? parts.join('；') : '回访不满意，退回重办'}</div>
          {typeof d.reworkDue === 'string' && <div>重办时限：{fmtDateTime(d.reworkDue)}</div>}
        </>
      }
    />
  );
}
