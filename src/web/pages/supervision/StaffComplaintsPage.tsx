import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, Segmented, Table, Tag } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import {
  COMPLAINT_FINDING_LABELS,
  COMPLAINT_STATUS_LABELS,
  COMPLAINT_STATUSES,
  type ComplaintFinding,
  type ComplaintStatus,
} from '../../../shared/domain/referrals';
import { referralsApi, type ComplaintRow } from '../../api/referrals';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { downloadTable } from '../../lib/csv';
import { ExportMenu } from '../../components/ExportMenu';
import { fmtDateTime } from '../../lib/format';
import { useReference } from '../../lib/reference';
import { useAsync } from '../../lib/useAsync';
import { COMPLAINT_STATUS_COLORS, StaffComplaintDrawer } from './StaffComplaintDrawer';

type Filter = ComplaintStatus | 'active' | 'all';

/**
 * 第九条: requesters' complaints about staff, sent to supervision — never to the unit first — and handled here:
 * investigated, found 属实/部分属实/不属实, answered to the requester, closed or escalated to a referral (第二十三条).
 */
export default function StaffComplaintsPage() {
  const ref = useReference();
  const [status, setStatus] = useState<Filter>('active');
  const [open, setOpen] = useState<number | null>(null);
  const list = useAsync(() => referralsApi.complaints(status), [status]);
  const rows = list.data ?? [];
  const exportRows = (format: 'csv' | 'xlsx') =>
    downloadTable(
      format,
      '工作人员投诉',
      ['编号', '收到时间', '工单号', '被投诉单位', '被投诉人员', '投诉内容', '状态', '调查结论', '调查人', '问责移送'],
      rows.map((c) => [
        c.id,
        fmtDateTime(c.created_at),
        c.ticket_number,
        c.against_unit_id ? ref.unitName(c.against_unit_id) : '',
        c.against_staff,
        c.content,
        COMPLAINT_STATUS_LABELS[c.status],
        c.finding ? COMPLAINT_FINDING_LABELS[c.finding] : '',
        c.assignee_name,
        c.referral_id,
      ]),
      { status },
    );
  return (
    <>
      <PageHeader
        title="工作人员投诉"
        sub="诉求人凭工单号和查询码提交的对工作人员的投诉：调查、结论、答复投诉人、办结或移送纪检监察机关（第九条、第二十三条）"
        extra={
          <>
            <ExportMenu onExport={exportRows} disabled={rows.length === 0} />
            <Button icon={<ReloadOutlined />} onClick={() => void list.reload()}>
              刷新
            </Button>
          </>
        }
      />
      <Segmented<Filter>
        style={{ marginBottom: 12 }}
        value={status}
        onChange={setStatus}
        options={[
          { value: 'active', label: '办理中' },
          ...COMPLAINT_STATUSES.map((s) => ({ value: s, label: COMPLAINT_STATUS_LABELS[s] })),
          { value: 'all', label: '全部' },
        ]}
      />
      <ErrorAlert message={list.errorText} onRetry={() => void list.reload()} />
      <Table<ComplaintRow>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: status === 'active' ? '没有办理中的投诉' : '没有投诉' }}
        onRow={(c) => ({ onClick: () => setOpen(c.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: '收到时间', dataIndex: 'created_at', width: 140, render: fmtDateTime },
          {
            title: '工单',
            dataIndex: 'ticket_number',
            width: 170,
            render: (n: string, c) => (
              <Link to={`/tickets/${c.ticket_id}`} onClick={(e) => e.stopPropagation()}>
                {n}
              </Link>
            ),
          },
          {
            title: '被投诉单位',
            dataIndex: 'against_unit_id',
            width: 180,
            render: (id: number | null) => (id ? ref.unitName(id) : '—'),
          },
          { title: '被投诉人员', dataIndex: 'against_staff', width: 110, render: (v: string | null) => v || '—' },
          { title: '投诉内容', dataIndex: 'content', render: (v: string) => <span className="pre-wrap">{v}</span> },
          {
            title: '状态',
            dataIndex: 'status',
            width: 120,
            render: (s: ComplaintStatus) => <Tag color={COMPLAINT_STATUS_COLORS[s]}>{COMPLAINT_STATUS_LABELS[s]}</Tag>,
          },
          {
            title: '结论',
            dataIndex: 'finding',
            width: 90,
            render: (f: ComplaintFinding | null) => (f ? COMPLAINT_FINDING_LABELS[f] : '—'),
          },
          {
            title: '',
            key: 'open',
            width: 70,
            render: (_: unknown, c) => (
              <Button size="small" onClick={() => setOpen(c.id)}>
                办理
              </Button>
            ),
          },
        ]}
      />
      <StaffComplaintDrawer id={open} onClose={() => setOpen(null)} onChanged={() => void list.reload()} />
    </>
  );
}
