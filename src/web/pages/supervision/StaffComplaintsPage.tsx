import { Link } from 'react-router-dom';
import { Button, Table, Tag } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api/endpoints';
import type { StaffComplaint } from '../../api/contact-types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { fmtDateTime } from '../../lib/format';
import { useReference } from '../../lib/reference';
import { useAsync } from '../../lib/useAsync';

/** 第九条、第二十二条: requesters' complaints about staff, sent to supervision — never to the unit first. */
export default function StaffComplaintsPage() {
  const ref = useReference();
  const list = useAsync(() => api.supervision.staffComplaints(), []);
  return (
    <>
      <PageHeader
        title="工作人员投诉"
        sub="诉求人凭工单号和查询码提交的对工作人员的投诉（待处理）"
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void list.reload()}>
            刷新
          </Button>
        }
      />
      <ErrorAlert message={list.errorText} onRetry={() => void list.reload()} />
      <Table<StaffComplaint>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: '没有待处理的投诉' }}
        columns={[
          { title: '收到时间', dataIndex: 'created_at', width: 140, render: fmtDateTime },
          {
            title: '工单',
            dataIndex: 'ticket_id',
            width: 110,
            render: (id: number) => <Link to={`/tickets/${id}`}>查看工单</Link>,
          },
          {
            title: '被投诉单位',
            dataIndex: 'against_unit_id',
            width: 200,
            render: (id: number | null) => (id ? ref.unitName(id) : '—'),
          },
          { title: '被投诉人员', dataIndex: 'against_staff', width: 120, render: (v: string | null) => v || '—' },
          { title: '投诉内容', dataIndex: 'content', render: (v: string) => <span className="pre-wrap">{v}</span> },
          {
            title: '状态',
            dataIndex: 'status',
            width: 80,
            render: (s: StaffComplaint['status']) => (s === 'open' ? <Tag color="red">待处理</Tag> : <Tag>已处理</Tag>),
          },
        ]}
      />
    </>
  );
}
