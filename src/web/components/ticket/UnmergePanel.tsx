import { useState } from 'react';
import { Alert, App, Button, Card, Popconfirm, Typography } from 'antd';
import { UndoOutlined } from '@ant-design/icons';
import { api } from '../../api/endpoints';
import { errorMessage } from '../../api/client';
import type { TicketView } from '../../api/types';
import { fmtDateTime } from '../../lib/format';
import { STATUS_LABELS } from '../../lib/labels';
import { mergeFacts } from '../../lib/permissions';
import { unmergeUntil, UNMERGE_WINDOW_HOURS } from '../../../shared/domain/unmerge';

/**
 * Issue 14 撤销并单 (dispatcher): a ticket merged into another comes back — as the merge found it — within 24 hours
 * and while the surviving ticket has not been answered (an answer already went to every requester it carries).
 */
export function UnmergePanel({ ticket, onDone }: { ticket: TicketView; onDone: () => void }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { mergedAt } = mergeFacts(ticket);
  const into = ticket.events.findLast((e) => e.kind === 'merged_into')?.data.intoNumber;
  const intoNumber = typeof into === 'string' ? into : '主工单';

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const back = await api.duplicates.unmerge(ticket.id, { expectedVersion: ticket.version });
      message.success(`已撤销并单，工单 ${ticket.number} 恢复为「${STATUS_LABELS[back.status]}」`, 6);
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title="撤销并单" data-testid="unmerge-panel">
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} role="alert" />}
      <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
        并单后 {UNMERGE_WINDOW_HOURS} 小时内
        {mergedAt ? `（至 ${fmtDateTime(unmergeUntil(mergedAt).toISOString())}）` : ''}、{intoNumber}
        答复前可撤销。撤销后本工单恢复并单前的状态、承办单位与办理时限，其诉求人移出 {intoNumber}。
      </Typography.Paragraph>
      <Popconfirm
        title="确认撤销并单？"
        description={`${ticket.number} 将从 ${intoNumber} 中移出，恢复单独办理（原时限不变）；两张工单的办理记录都会记下此次撤销。`}
        okText="撤销并单"
        cancelText="取消"
        onConfirm={() => run()}
      >
        <Button icon={<UndoOutlined />} loading={busy}>
          撤销并单
        </Button>
      </Popconfirm>
    </Card>
  );
}
