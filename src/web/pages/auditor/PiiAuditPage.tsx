import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, DatePicker, Flex, Form, Input, Select, Table } from 'antd';
import { ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { api, type PiiAccessFilter } from '../../api/endpoints';
import type { PiiAccess } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ServerExportMenu } from '../../components/ExportMenu';
import { PageHeader } from '../../components/PageHeader';
import { fmtDateTime } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';
import { pageByLastId, useKeysetList } from '../../lib/useKeysetList';

const FIELD_LABELS: Record<string, string> = {
  name: '姓名',
  phone: '电话',
  address: '地址',
  text: '工单内容原文',
  message: '来电来信原文',
};
const PAGE = 100;

interface Filters {
  userId?: number;
  ticketNumber?: string;
  range?: [Dayjs, Dayjs] | null;
}

/**
 * 个人信息访问审计: every reveal of a requester's personal data, newest first (第六、三十条), with the person's name and
 * the ticket's number, filtered by person, ticket and days (issue 14); the export takes the same filter.
 */
export default function PiiAuditPage() {
  const [form] = Form.useForm<Filters>();
  const [filter, setFilter] = useState<PiiAccessFilter>({});
  const users = useAsync(() => api.admin.users(), []);
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
      <Form<Filters>
        form={form}
        layout="inline"
        style={{ marginBottom: 12, rowGap: 8 }}
        onFinish={(v) =>
          setFilter({
            userId: v.userId,
            ticketNumber: v.ticketNumber?.trim().toUpperCase() || undefined,
            from: v.range?.[0]?.format('YYYY-MM-DD'),
            to: v.range?.[1]?.format('YYYY-MM-DD'),
          })
        }
      >
        <Form.Item name="userId">
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder="人员"
            aria-label="人员"
            style={{ width: 140 }}
            loading={users.loading}
            options={(users.data ?? []).map((u) => ({ value: u.id, label: u.display_name }))}
          />
        </Form.Item>
        <Form.Item
          name="ticketNumber"
          rules={[{ pattern: /^\s*HZ\d{8}-\d{6}\s*$/i, message: '工单号格式不正确，如 HZ20250312-000123' }]}
        >
          <Input allowClear placeholder="工单号" aria-label="工单号" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="range">
          <DatePicker.RangePicker placeholder={['开始日期', '结束日期']} style={{ width: 240 }} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
            查询
          </Button>
        </Form.Item>
      </Form>
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
      {list.hasMore && (
        <Flex justify="end" style={{ marginTop: 8 }}>
          <Button onClick={list.loadMore} loading={list.loadingMore}>
            加载更多
          </Button>
        </Flex>
      )}
    </>
  );
}
