import { useState } from 'react';
import { Button, Drawer, Space } from 'antd';
import { ReloadOutlined, ThunderboltOutlined } from '@ant-design/icons';
import type { TicketListItem } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { TicketTable } from '../../components/TicketTable';
import { TicketDetail } from '../../components/ticket/TicketDetail';
import { BatchDispatchModal } from '../../components/unit-workflow/BatchDispatchModal';
import { ListFilterBar } from '../../components/ListFilterBar';
import { useListFilters } from '../../lib/useListFilters';
import { useQueue } from '../../lib/useQueue';

/** The most tickets one batch dispatch takes (the server's limit). */
const BATCH_MAX = 50;

/** 派单员: tickets waiting for dispatch; a row opens the ticket with the catalogue's suggestion beside it. */
export default function DispatchQueuePage() {
  // issue 14: the list's filters from the URL (status is this queue's own)
  const { filters } = useListFilters();
  const { status: _status, unitId: _unit, ...rest } = filters;
  const queue = useQueue({ view: 'centre', status: ['pending_dispatch'], ...rest });
  const [open, setOpen] = useState<TicketListItem | null>(null);
  // 批量派单: the rows ticked, then the confirmation listing them
  const [selected, setSelected] = useState<TicketListItem[]>([]);
  const [batch, setBatch] = useState<TicketListItem[] | null>(null);
  return (
    <>
      <PageHeader
        title="待派单"
        sub="按派单目录派单，或人工指定主办、协办单位；勾选多件可批量按派单目录派单"
        extra={
          <Space>
            <Button
              type="primary"
              icon={<ThunderboltOutlined />}
              disabled={!selected.length}
              onClick={() => setBatch(selected)}
              data-testid="batch-dispatch"
            >
              批量派单{selected.length ? `（${selected.length}）` : ''}
            </Button>
            <Button icon={<ReloadOutlined />} onClick={queue.reload}>
              刷新
            </Button>
          </Space>
        }
      />
      <ListFilterBar screen="dispatch-queue" />
      <ErrorAlert message={queue.error} onRetry={queue.reload} />
      <TicketTable
        queue={queue}
        exportName="待派单"
        onOpen={setOpen}
        columns={['number', 'title', 'type', 'category', 'region', 'urgency', 'created']}
        emptyText="没有待派单的工单"
        sortable
        rowSelection={{
          selectedRowKeys: selected.map((t) => t.id),
          onChange: (_keys, rows) => setSelected(rows.slice(0, BATCH_MAX)),
          columnWidth: 40,
        }}
      />
      <Drawer
        open={!!open}
        onClose={() => setOpen(null)}
        width={1120}
        title={open ? `派单 · ${open.number}` : ''}
        destroyOnHidden
        styles={{ body: { background: '#f5f5f5', padding: 12 } }}
      >
        {open && <TicketDetail id={open.id} onChanged={queue.reload} compact />}
      </Drawer>
      <BatchDispatchModal
        tickets={batch}
        onClose={() => setBatch(null)}
        onDone={() => {
          setSelected([]);
          queue.reload();
        }}
      />
    </>
  );
}
