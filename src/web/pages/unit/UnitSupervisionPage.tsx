import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, Segmented, Space, Table, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import {
  METHOD_LABELS,
  STATUS_LABELS,
  TRIGGER_LABELS,
  type SupervisionTrigger,
} from '../../../shared/domain/supervision';
import { serverNow } from '../../api/client';
import { supervisionApi, type SupervisionCaseRow } from '../../api/supervision';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { downloadTable } from '../../lib/csv';
import { ExportMenu } from '../../components/ExportMenu';
import { fmtDateTime } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';
import { CaseStatusTag, isCaseOverdue } from '../supervision/supervision-labels';

/** 督办件 (第二十二条), the unit's side: the cases about this unit with their answer deadline; answer from the case. */
export default function UnitSupervisionPage() {
  const nav = useNavigate();
  const [which, setWhich] = useState<'open' | 'all'>('open');
  const list = useAsync(
    () => supervisionApi.cases({ status: which === 'open' ? 'open,escalated,answered' : undefined, limit: 200 }),
    [which],
  );
  const rows = list.data?.items ?? [];
  const now = serverNow();
  return (
    <>
      <PageHeader
        title="督办件"
        sub="热线工作机构对本单位的督办（第二十二条）：请在反馈期限前反馈办理情况"
        extra={
          <Space>
            <ExportMenu
              disabled={rows.length === 0}
              onExport={(format) =>
                downloadTable(
                  format,
                  '本单位督办件',
                  ['督办编号', '督办情形', '督办方式', '状态', '反馈期限', '督办事由'],
                  rows.map((r) => [
                    r.number,
                    TRIGGER_LABELS[r.trigger],
                    r.method ? METHOD_LABELS[r.method] : '',
                    STATUS_LABELS[r.status],
                    fmtDateTime(r.due_at),
                    r.reason,
                  ]),
                  { which },
                )
              }
            />
            <Button icon={<ReloadOutlined />} onClick={() => void list.reload()}>
              刷新
            </Button>
          </Space>
        }
      />
      <Segmented
        style={{ marginBottom: 12 }}
        value={which}
        onChange={(v) => setWhich(v as 'open' | 'all')}
        options={[
          { value: 'open', label: '待反馈与办理中' },
          { value: 'all', label: '全部' },
        ]}
      />
      <ErrorAlert message={list.errorText} onRetry={() => void list.reload()} />
      <Table<SupervisionCaseRow>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: '本单位没有督办件' }}
        onRow={(r) => ({ onDoubleClick: () => nav(`/supervision/cases/${r.id}`) })}
        columns={[
          {
            title: '督办编号',
            dataIndex: 'number',
            width: 130,
            render: (n: string, r) => <Link to={`/supervision/cases/${r.id}`}>{n}</Link>,
          },
          { title: '督办情形', dataIndex: 'trigger', width: 230, render: (t: SupervisionTrigger) => TRIGGER_LABELS[t] },
          { title: '督办事由', dataIndex: 'reason' },
          {
            title: '方式',
            dataIndex: 'method',
            width: 100,
            render: (m: SupervisionCaseRow['method']) => (m ? METHOD_LABELS[m] : '—'),
          },
          {
            title: '反馈期限',
            dataIndex: 'due_at',
            width: 170,
            render: (d: string | null, r) =>
              isCaseOverdue(r, now) ? (
                <Typography.Text type="danger">{fmtDateTime(d)}（已逾期）</Typography.Text>
              ) : (
                fmtDateTime(d)
              ),
          },
          {
            title: '状态',
            dataIndex: 'status',
            width: 100,
            render: (s: SupervisionCaseRow['status']) => <CaseStatusTag status={s} />,
          },
          {
            title: '',
            key: 'go',
            width: 110,
            render: (_: unknown, r) =>
              (r.status === 'open' || r.status === 'escalated') && (
                <Button size="small" type="primary" onClick={() => nav(`/supervision/cases/${r.id}`)}>
                  反馈办理情况
                </Button>
              ),
          },
        ]}
      />
    </>
  );
}
