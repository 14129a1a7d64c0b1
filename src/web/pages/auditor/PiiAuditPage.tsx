import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, Form, Input, Table } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { api, type PiiAccessFilter } from '../../api/endpoints';
import type { PiiAccess } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ServerExportMenu } from '../../components/ExportMenu';
import { FilterForm } from '../../components/FilterForm';
import { PageHeader } from '../../components/PageHeader';
import { UserSelect } from '../../components/Pickers';
import { fmtDateTime } from '../../lib/format';
import { pageByLastId, useKeysetList } from '../../lib/useKeysetList';
import { LoadMore } from '../../components/LoadMore';

const FIELD_LABELS: Record<string, string> = {
  name: '姓名',
  phone: '电话',
  address: '地址',
  text: '工单内容原文',
  message: '来电来信原文',
};
const PAGE = 100;

/**
 * 个人信息访问审计: every reveal of a requester's personal data, newest first (第六、三十条), with the person's name and
 * the ticket's number, filtered by person, ticket and days (issue 14); the export takes the same filter.
 */
export default function PiiAuditPage() {
  const [filter, setFilter] = useState<PiiAccessFilter>({});
  const list = useKeysetList(filter, async (before: number | null) =>
    pageByLastId(await api.admin.piiAccess({ ...filter, limit: PAGE, ...(before ? { before } : {}) }), PAGE),
  );
  const exportQuery = new URLSearchParams(
    Object.entries(filter)
      .filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '')
      .map(([k, v]) => [k, String(v)]),
  ).toString();
  return (
    <>
      <PageHeader
        title="个人信息访问审计"
        sub="谁在何时以何事由查看了诉求人个人信息（工单、来电来信、按来电号码查询）"
        extra={
          <>
            <ServerExportMenu
              name="个人信息访问审计"
              testId="pii-audit-export"
              request={(format) => ({
                url: `/api/exports/pii-access?format=${format}${exportQuery ? `&${exportQuery}` : ''}`,
              })}
            />
            <Button icon={<ReloadOutlined />} onClick={list.reload}>
              刷新
            </Button>
          </>
        }
      />
      <FilterForm<PiiAccessFilter>
        range={['开始日期', '结束日期']}
        onSearch={(v) => setFilter({ ...v, ticketNumber: v.ticketNumber?.toUpperCase() })}
      >
        <Form.Item name="userId">
          <UserSelect placeholder="人员" />
        </Form.Item>
        <Form.Item
          name="ticketNumber"
          rules={[{ pattern: /^\s*HZ\d{8}-\d{6}\s*$/i, message: '工单号格式不正确，如 HZ20250312-000123' }]}
        >
          <Input allowClear placeholder="工单号" aria-label="工单号" style={{ width: 200 }} />
        </Form.Item>
      </FilterForm>
      <ErrorAlert message={list.error} onRetry={list.reload} />
      <Table<PiiAccess>
        rowKey="id"
        size="middle"
        loading={list.loadingFirst}
        dataSource={list.items}
        pagination={false}
        scroll={{ y: 'calc(100vh - 330px)' }}
        locale={{ emptyText: '没有符合条件的访问记录' }}
        data-testid="pii-audit-table"
        columns={[
          { title: '时间', dataIndex: 'at', width: 150, render: fmtDateTime },
          { title: '人员', dataIndex: 'userName', width: 120 },
          {
            title: '工单',
            dataIndex: 'ticketNumber',
            width: 190,
            render: (n: string | null, r) => (n && r.ticket_id ? <Link to={`/tickets/${r.ticket_id}`}>{n}</Link> : '—'),
          },
          {
            title: '来电来信',
            dataIndex: 'contact_id',
            width: 110,
            render: (id: number | null) => (id ? `来电来信 ${id}` : '—'),
          },
          {
            title: '查看内容',
            dataIndex: 'fields',
            width: 160,
            render: (f: string[]) => f.map((x) => FIELD_LABELS[x] ?? x).join('、'),
          },
          { title: '事由', dataIndex: 'purpose' },
        ]}
      />
      <LoadMore list={list} />
    </>
  );
}
