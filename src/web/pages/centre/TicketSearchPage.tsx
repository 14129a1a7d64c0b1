import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Button, Flex, Segmented } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import type { TicketStatus } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { TicketTable } from '../../components/TicketTable';
import { UnitSelect } from '../../components/Pickers';
import { STATUS_LABELS } from '../../lib/labels';
import { useQueue } from '../../lib/useQueue';

const STATUSES = Object.keys(STATUS_LABELS) as TicketStatus[];

/** 工单查询 for centre staff: tickets in their regions by status and lead unit, most urgent first. */
export default function TicketSearchPage() {
  const [status, setStatus] = useState<TicketStatus | 'open'>('open');
  const [unitId, setUnitId] = useState<number | undefined>();
  const queue = useQueue({ view: 'centre', status: status === 'open' ? ['pending_dispatch', 'dispatched', 'in_progress', 'replied'] : [status], unitId });
  const nav = useNavigate();
  return (
    <>
      <PageHeader title="工单查询" sub="本中心负责区域内的工单" extra={<Button icon={<ReloadOutlined />} onClick={queue.reload}>刷新</Button>} />
      <Flex gap={12} style={{ marginBottom: 12 }} align="center" wrap>
        <Segmented value={status} onChange={(v) => setStatus(v as TicketStatus | 'open')} options={[{ value: 'open', label: '全部在办' }, ...STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))]} />
        <div style={{ width: 280 }}><UnitSelect value={unitId} onChange={(v) => setUnitId(v ?? undefined)} placeholder="按主办单位筛选" /></div>
      </Flex>
      <ErrorAlert message={queue.error} onRetry={queue.reload} />
      <TicketTable queue={queue} onOpen={(t) => nav(`/tickets/${t.id}`)} columns={['number', 'title', 'category', 'region', 'lead', 'status', 'deadline', 'created']} />
    </>
  );
}
