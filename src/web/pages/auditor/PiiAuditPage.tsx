import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, Flex, Table } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api/endpoints';
import type { PiiAccess } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ServerExportMenu } from '../../components/ExportMenu';
import { PageHeader } from '../../components/PageHeader';
import { fmtDateTime } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';

const FIELD_LABELS: Record<string, string> = {
  name: '姓名',
  phone: '电话',
  address: '地址',
  text: '工单内容原文',
  message: '来电来信原文',
};

/** 个人信息访问审计: every reveal of a requester's personal data, newest first (第六、三十条). */
export default function PiiAuditPage() {
  const [rows, setRows] = useState<PiiAccess[]>([]);
  const first = useAsync(async () => {
    const r = await api.admin.piiAccess({ limit: 100 });
    setRows(r);
    return r;
  }, []);
  const [more, setMore] = useState(false);
  const loadMore = async () => {
    const last = rows[rows.length - 1];
    if (!last) return;
    setMore(true);
    try {
      const r = await api.admin.piiAccess({ before: last.id, limit: 100 });
      setRows((p) => [...p, ...r]);
    } finally {
      setMore(false);
    }
  };
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
              request={(format) => ({ url: `/api/exports/pii-access?format=${format}` })}
            />
            <Button icon={<ReloadOutlined />} onClick={() => void first.reload()}>
              刷新
            </Button>
          </>
        }
      />
      <ErrorAlert message={first.errorText} onRetry={() => void first.reload()} />
      <Table<PiiAccess>
        rowKey="id"
        size="middle"
        loading={first.loading}
        dataSource={rows}
        pagination={false}
        scroll={{ y: 'calc(100vh - 280px)' }}
        locale={{ emptyText: '暂无访问记录' }}
        columns={[
          { title: '时间', dataIndex: 'at', width: 150, render: fmtDateTime },
          { title: '用户', dataIndex: 'username', width: 140 },
          {
            title: '工单',
            dataIndex: 'ticket_id',
            width: 100,
            render: (id: number | null) => (id ? <Link to={`/tickets/${id}`}>#{id}</Link> : '—'),
          },
          {
            title: '来电来信',
            dataIndex: 'contact_id',
            width: 100,
            render: (id: number | null) => (id ? `#${id}` : '—'),
          },
          {
            title: '查看内容',
            dataIndex: 'fields',
            width: 160,
            render: (f: string[]) => f.map((x) => FIELD_LABELS[x] ?? x).join('、'),
          },
          { title: '事由', dataIndex: 'purpose' },
          { title: '请求编号', dataIndex: 'request_id', width: 280, ellipsis: true },
        ]}
      />
      {rows.length > 0 && rows.length % 100 === 0 && (
        <Flex justify="end" style={{ marginTop: 8 }}>
          <Button onClick={() => void loadMore()} loading={more}>
            加载更多
          </Button>
        </Flex>
      )}
    </>
  );
}
