import { Empty, Flex, Typography } from 'antd';
import type { TicketDeadline } from '../../api/types';
import { fmtDateTime } from '../../lib/format';
import { DEADLINE_HEX, DeadlineTag } from '../Tags';

const short = (v: string | null) => (v ? fmtDateTime(v).slice(5) : '');

/** Every deadline of the ticket with its state label and colour; open ones first. */
export function DeadlineList({ deadlines }: { deadlines: TicketDeadline[] }) {
  if (!deadlines.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚未派单，暂无办理时限" />;
  const open = (d: TicketDeadline) => !d.metAt && !d.cancelledAt;
  const sorted = [...deadlines].sort((a, b) => Number(open(b)) - Number(open(a)) || a.id - b.id);
  return (
    <Flex vertical gap={6}>
      {sorted.map((d) => (
        <div
          key={d.id}
          data-deadline-kind={d.kind}
          data-deadline-state={d.state}
          style={{ borderLeft: `3px solid ${open(d) ? DEADLINE_HEX[d.state as 'ok'] ?? '#d9d9d9' : '#e8e8e8'}`, padding: '2px 0 2px 10px' }}
        >
          <Flex justify="space-between" align="center" gap={8}>
            <Typography.Text strong={open(d)} type={open(d) ? undefined : 'secondary'}>{d.kindLabel}</Typography.Text>
            <DeadlineTag state={d.state} label={d.stateLabel} />
          </Flex>
          <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }} ellipsis={{ tooltip: d.unitName }}>
            {d.unitName ?? ''}
          </Typography.Text>
          <Typography.Text style={{ fontSize: 12 }}>
            {short(d.dueAt)} 到期
            {d.metAt && <Typography.Text type="secondary" style={{ fontSize: 12 }}>，{short(d.metAt)} 完成</Typography.Text>}
            {d.cancelledAt && <Typography.Text type="secondary" style={{ fontSize: 12 }}>，{short(d.cancelledAt)} 取消</Typography.Text>}
          </Typography.Text>
        </div>
      ))}
    </Flex>
  );
}
