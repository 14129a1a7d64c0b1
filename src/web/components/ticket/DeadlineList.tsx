import { Empty, Flex, Tag, Tooltip, Typography } from 'antd';
import type { TicketDeadline } from '../../api/types';
import { fmtDateTime } from '../../lib/format';
import { DEADLINE_HEX, DeadlineTag } from '../Tags';

const short = (v: string | null) => (v ? fmtDateTime(v).slice(5) : '');
const UNCONFIRMED_TIP =
  '计算这个时限时，所跨年份的节假日安排尚未经管理员确认：春节等节假日和调休可能没有计入，实际到期日可能更晚。管理员在“工作日历”中确认后，新计算的时限不再标注。';

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
          style={{
            borderLeft: `3px solid ${open(d) ? (DEADLINE_HEX[d.state as 'ok'] ?? '#d9d9d9') : '#e8e8e8'}`,
            padding: '2px 0 2px 10px',
          }}
        >
          <Flex justify="space-between" align="center" gap={8}>
            <Typography.Text strong={open(d)} type={open(d) ? undefined : 'secondary'}>
              {d.kindLabel}
            </Typography.Text>
            <Flex gap={4} align="center">
              {/* 第八条: computed over days whose holidays no admin has confirmed */}
              {d.calendarUnconfirmed && (
                <Tooltip title={UNCONFIRMED_TIP}>
                  <Tag color="warning" style={{ marginInlineEnd: 0 }} data-calendar-unconfirmed="true">
                    节假日未确认
                  </Tag>
                </Tooltip>
              )}
              <DeadlineTag state={d.state} label={d.stateLabel} />
            </Flex>
          </Flex>
          <Typography.Text
            type="secondary"
            style={{ fontSize: 12, display: 'block' }}
            ellipsis={{ tooltip: d.unitName }}
          >
            {d.unitName ?? ''}
          </Typography.Text>
          <Typography.Text style={{ fontSize: 12 }}>
            {short(d.dueAt)} 到期
            {d.metAt && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                ，{short(d.metAt)} 完成
              </Typography.Text>
            )}
            {d.cancelledAt && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                ，{short(d.cancelledAt)} 取消
              </Typography.Text>
            )}
          </Typography.Text>
        </div>
      ))}
    </Flex>
  );
}
