import { useState } from 'react';
import { Button, Drawer } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import type { TicketListItem } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { TicketTable } from '../../components/TicketTable';
import { TicketDetail } from '../../components/ticket/TicketDetail';
import { useQueue } from '../../lib/useQueue';

/** 派单员: tickets waiting for dispatch; a row opens the ticket with the catalogue's suggestion beside it. */
export default function DispatchQueuePage() {
  const queue = useQueue({ view: 'centre', status: ['pending_dispatch'] });
  const [open, setOpen] = useState<TicketListItem | null>(null);
  return (
    <>
      <PageHeader
        title="待派单"
        sub="按派单目录派单，或人工指定主办、协办单位"
        extra={
          <Button icon={<ReloadOutlined />} onClick={queue.reload}>
            刷新
          </Button>
        }
      />
      <ErrorAlert message={queue.error} onRetry={queue.reload} />
      <TicketTable
        queue={queue}
        exportName="待派单"
        onOpen={setOpen}
        columns={['number', 'title', 'type', 'category', 'region', 'urgency', 'created']}
        emptyText="没有待派单的工单"
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
    </>
  );
}
