import { useEffect, useState, type HTMLAttributes } from 'react';
import { Alert, Button, Modal, Table, Tag, Typography } from 'antd';
import { api } from '../../api/endpoints';
import { errorMessage } from '../../api/client';
import type { TicketListItem } from '../../api/types';
import { unitWorkflowApi, type BatchDispatchResult } from '../../api/unit-workflow';
import { useReference } from '../../lib/reference';

type Row = TicketListItem & { suggested?: string | null; result?: BatchDispatchResult['results'][number] };

/**
 * 批量派单 (第十二条): the selected tickets, each with the unit the catalogue proposes; on confirmation each is
 * dispatched by its suggestion in its own transaction, and the result is shown ticket by ticket.
 */
export function BatchDispatchModal({
  tickets,
  onClose,
  onDone,
}: {
  tickets: TicketListItem[] | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const ref = useReference();
  const [rows, setRows] = useState<Row[]>([]);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!tickets) return;
    setRows(tickets);
    setDone(false);
    setError(null);
    let live = true;
    // the catalogue's proposal for each (the ticket view carries it)
    void Promise.all(
      tickets.map((t) =>
        api.tickets
          .view(t.id)
          .then((v) => v.dispatchSuggestion?.leadUnitName ?? null)
          .catch(() => null),
      ),
    ).then((names) => {
      if (live) setRows(tickets.map((t, i) => ({ ...t, suggested: names[i] })));
    });
    return () => {
      live = false;
    };
  }, [tickets]);

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const res = await unitWorkflowApi.batchDispatch(rows.map((r) => r.id));
      const byId = new Map(res.results.map((r) => [r.ticketId, r]));
      setRows((rs) => rs.map((r) => ({ ...r, result: byId.get(r.id) })));
      setDone(true);
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const ok = rows.filter((r) => r.result?.ok).length;

  return (
    <Modal
      open={!!tickets}
      title={done ? '批量派单结果' : `批量派单：确认以下 ${rows.length} 件工单按派单目录派出`}
      width={900}
      onCancel={onClose}
      destroyOnHidden
      footer={
        done
          ? [
              <Button key="c" type="primary" onClick={onClose}>
                关闭
              </Button>,
            ]
          : [
              <Button key="x" onClick={onClose}>
                取消
              </Button>,
              <Button key="ok" type="primary" loading={busy} onClick={() => void run()} data-testid="batch-confirm">
                确认派单（{rows.length} 件）
              </Button>,
            ]
      }
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} role="alert" />}
      {done && (
        <Alert
          type={ok === rows.length ? 'success' : 'warning'}
          showIcon
          style={{ marginBottom: 12 }}
          message={`派出 ${ok} 件，未派出 ${rows.length - ok} 件`}
          description={ok < rows.length ? '未派出的工单仍在待派单队列，请逐件人工派单。' : undefined}
        />
      )}
      <Table<Row>
        rowKey="id"
        size="small"
        pagination={false}
        scroll={{ y: 360 }}
        dataSource={rows}
        data-testid="batch-dispatch-list"
        onRow={(r) => ({ 'data-ticket-number': r.number }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: '工单编号', dataIndex: 'number', width: 170 },
          { title: '标题', dataIndex: 'title', ellipsis: true },
          {
            title: '派单目录建议',
            key: 'suggested',
            width: 200,
            ellipsis: true,
            render: (_: unknown, r) =>
              r.suggested === undefined ? (
                <Typography.Text type="secondary">查询中…</Typography.Text>
              ) : r.suggested === null ? (
                <Typography.Text type="warning">无匹配规则</Typography.Text>
              ) : (
                r.suggested
              ),
          },
          {
            title: '结果',
            key: 'result',
            width: 220,
            render: (_: unknown, r) =>
              !r.result ? (
                '—'
              ) : r.result.ok ? (
                <Tag color="green">已派至 {ref.unitName(r.result.leadUnitId)}</Tag>
              ) : (
                <Typography.Text type="danger">{r.result.message}</Typography.Text>
              ),
          },
        ]}
      />
    </Modal>
  );
}
