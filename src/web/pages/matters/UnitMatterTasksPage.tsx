import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, Segmented, Table, Tag } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { MATTER_STATUS_LABELS, TASK_STATUS_LABELS, type TaskStatus } from '../../../shared/domain/matters';
import { mattersApi, type UnitMatterTask } from '../../api/matters';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ExportMenu } from '../../components/ExportMenu';
import { PageHeader } from '../../components/PageHeader';
import { downloadTable } from '../../lib/csv';
import { useAsync } from '../../lib/useAsync';
import { TaskStatusTag } from './matter-labels';
import { TaskReportModal } from './MatterTasksTab';

/** 专题任务 (第二十六条 三级协同联动): the tasks the unit owns in matters under special study, and their reports. */
export default function UnitMatterTasksPage() {
  const [status, setStatus] = useState<TaskStatus | 'active'>('active');
  const list = useAsync(() => mattersApi.unitTasks(status), [status]);
  const [reporting, setReporting] = useState<UnitMatterTask | null>(null);
  const rows = list.data ?? [];
  const exportRows = (format: 'csv' | 'xlsx') =>
    downloadTable(
      format,
      '专题任务',
      ['专题', '牵头单位', '任务', '完成期限', '状态', '办理情况'],
      rows.map((t) => [t.matter_title, t.lead_unit_name, t.title, t.due_on, TASK_STATUS_LABELS[t.status], t.result]),
      { status },
    );
  return (
    <>
      <PageHeader
        title="专题任务"
        sub="第二十六条：市、县（区）、乡镇（街道）三级协同联动——本单位在专题治理中承担的任务"
        extra={
          <>
            <ExportMenu onExport={exportRows} disabled={rows.length === 0} />
            <Button icon={<ReloadOutlined />} onClick={() => void list.reload()}>
              刷新
            </Button>
          </>
        }
      />
      <Segmented
        style={{ marginBottom: 12 }}
        value={status}
        onChange={(v) => setStatus(v as TaskStatus | 'active')}
        options={[
          { value: 'active', label: '未完成' },
          { value: 'done', label: '已完成' },
        ]}
      />
      <ErrorAlert message={list.errorText} onRetry={() => void list.reload()} />
      <Table<UnitMatterTask>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: '本单位暂无专题任务' }}
        columns={[
          {
            title: '专题',
            dataIndex: 'matter_title',
            render: (t: string, r) => (
              <>
                <Link to={`/matters/${r.matter_id}`}>{t}</Link>
                <div>
                  <Tag>{MATTER_STATUS_LABELS[r.matter_status]}</Tag>
                  {r.lead_unit_name} 牵头
                </div>
              </>
            ),
          },
          { title: '任务', dataIndex: 'title' },
          {
            title: '完成期限',
            dataIndex: 'due_on',
            width: 150,
            render: (d: string | null, r) => (
              <>
                {d ?? '—'} {r.overdue && <Tag color="red">已逾期</Tag>}
              </>
            ),
          },
          { title: '状态', dataIndex: 'status', width: 90, render: (s: TaskStatus) => <TaskStatusTag status={s} /> },
          { title: '办理情况', dataIndex: 'result', width: 220 },
          {
            title: '',
            key: 'op',
            width: 100,
            render: (_: unknown, r) =>
              r.matter_status !== 'archived' && (
                <Button size="small" type="primary" ghost onClick={() => setReporting(r)}>
                  报告进展
                </Button>
              ),
          },
        ]}
      />
      <TaskReportModal
        task={reporting}
        onClose={() => setReporting(null)}
        onSubmit={async (b) => {
          await mattersApi.taskStatus(reporting!.matter_id, reporting!.id, b);
          void list.reload();
        }}
      />
    </>
  );
}
