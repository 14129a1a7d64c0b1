import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Button, Flex, Segmented, Select, Table, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { subDispatchApi, type SubDispatchItem, type SubDispatchStatus } from '../../api/sub-dispatch';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ExportMenu } from '../../components/ExportMenu';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { SubStatusTags } from '../../components/ticket/SubDispatchPanel';
import { downloadTable } from '../../lib/csv';
import { fmtDateTime } from '../../lib/format';
import { useKeysetList } from '../../lib/useKeysetList';

const STATUS_FILTERS: Record<string, { label: string; status: SubDispatchStatus[] }> = {
  live: { label: '在办', status: ['pending', 'accepted', 'submitted'] },
  pending: { label: '待签收', status: ['pending'] },
  accepted: { label: '办理中', status: ['accepted'] },
  submitted: { label: '已答复待审核', status: ['submitted'] },
  approved: { label: '答复已采纳', status: ['approved'] },
  closed: { label: '已退回/撤回/结束', status: ['returned', 'recalled', 'ended'] },
};

/**
 * 二级派单 as a list: what the lead unit passed to my unit ('received'), or what my unit passed to its sub-units
 * ('sent': their status, sub-deadline and whether they are overdue). By sub-deadline, with more on demand.
 */
export function SubDispatchTable({ view }: { view: 'received' | 'sent' }) {
  const nav = useNavigate();
  const [filter, setFilter] = useState('live');
  const status = STATUS_FILTERS[filter]!.status;
  const list = useKeysetList(`${view}:${filter}`, (after: string | null) =>
    subDispatchApi.queue({ view, status, ...(after ? { after } : {}) }),
  );
  const items = list.items;
  const unitTitle = view === 'sent' ? '下级单位' : '上级单位';
  const header = ['工单编号', '标题', unitTitle, '状态', '是否超期', '下级办理时限', '转派时间', '转派要求'];
  return (
    <>
      <Flex justify="space-between" align="center" style={{ marginBottom: 12 }} wrap gap={8}>
        <Flex gap={8} align="center">
          <Typography.Text>状态</Typography.Text>
          <Select
            value={filter}
            onChange={setFilter}
            style={{ width: 180 }}
            options={Object.entries(STATUS_FILTERS).map(([value, f]) => ({ value, label: f.label }))}
            aria-label="状态"
            data-testid="sub-status-filter"
          />
        </Flex>
        <Flex gap={8}>
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            刷新
          </Button>
          <ExportMenu
            disabled={!items.length}
            label="导出"
            onExport={(format) =>
              downloadTable(
                format,
                view === 'sent' ? '转派下级工单' : '上级转派工单',
                header,
                items.map((i) => [
                  i.ticketNumber,
                  i.ticketTitle,
                  view === 'sent' ? i.unitName : i.parentUnitName,
                  i.statusLabel,
                  i.overdue ? '已超期' : '否',
                  fmtDateTime(i.dueAt),
                  fmtDateTime(i.dispatchedAt),
                  i.instructions,
                ]),
                { view, status: STATUS_FILTERS[filter]!.label, loaded: items.length },
              )
            }
          />
        </Flex>
      </Flex>
      <ErrorAlert message={list.error} onRetry={list.reload} />
      <Table<SubDispatchItem>
        size="small"
        rowKey="id"
        loading={list.loadingFirst}
        dataSource={items}
        pagination={false}
        data-testid={`sub-dispatch-table-${view}`}
        onRow={(r) => ({ onClick: () => nav(`/tickets/${r.ticketId}`), style: { cursor: 'pointer' } })}
        locale={{ emptyText: view === 'sent' ? '暂无转派下级的工单' : '暂无上级转派的工单' }}
        columns={[
          { title: '工单编号', dataIndex: 'ticketNumber', width: 170 },
          { title: '标题', dataIndex: 'ticketTitle', ellipsis: true },
          { title: unitTitle, dataIndex: view === 'sent' ? 'unitName' : 'parentUnitName', width: 190 },
          { title: '状态', key: 'status', width: 170, render: (_, r) => <SubStatusTags item={r} /> },
          { title: '下级办理时限', dataIndex: 'dueAt', width: 150, render: (v: string) => fmtDateTime(v) },
          { title: '转派时间', dataIndex: 'dispatchedAt', width: 150, render: (v: string) => fmtDateTime(v) },
        ]}
      />
      <Flex justify="space-between" align="center" style={{ marginTop: 8 }}>
        <Typography.Text type="secondary">已加载 {items.length} 件</Typography.Text>
        <LoadMore list={list} inline />
      </Flex>
    </>
  );
}

/** 转派工单: a sub-unit's tickets from its lead unit, and a lead unit's tickets with its sub-units. */
export default function SubDispatchQueuePage() {
  const [view, setView] = useState<'received' | 'sent'>('received');
  return (
    <>
      <PageHeader
        title="转派工单"
        sub="二级派单：上级单位转派本单位办理的工单，及本单位转派下级单位的工单（第十四至十六条）"
      />
      <Segmented
        style={{ marginBottom: 12 }}
        value={view}
        onChange={(v) => setView(v as 'received' | 'sent')}
        options={[
          { value: 'received', label: '上级转派' },
          { value: 'sent', label: '转派下级' },
        ]}
      />
      <SubDispatchTable key={view} view={view} />
    </>
  );
}
