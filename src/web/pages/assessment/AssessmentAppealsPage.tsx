import { useState } from 'react';
import { Link } from 'react-router-dom';
import { App, Button, Form, Input, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { assessmentApi, type Appeal } from '../../api/assessment';
import { useMe } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ExportMenu } from '../../components/ExportMenu';
import { FormModal } from '../../components/FormModal';
import { PageHeader } from '../../components/PageHeader';
import { WorkFileLinks } from '../../components/WorkFileLinks';
import { downloadTable } from '../../lib/csv';
import { fmtDateTime } from '../../lib/format';
import { hasRole, isCentre } from '../../lib/permissions';
import { useAsync } from '../../lib/useAsync';
import { APPEAL_STATUS } from './period';

/** 考核申诉 (第二十四条): the centre's queue (accept or reject), or a unit's own appeals. */
export default function AssessmentAppealsPage() {
  const me = useMe();
  const { message } = App.useApp();
  const centre = isCentre(me);
  const [status, setStatus] = useState<string | undefined>(centre ? 'pending' : undefined);
  const [pages, setPages] = useState<number[]>([]);
  const before = pages.at(-1);
  const res = useAsync(() => assessmentApi.appeals({ status, before }), [status, before]);
  const [deciding, setDeciding] = useState<Appeal | null>(null);
  const canDecide = centre && hasRole(me, 'supervisor');
  const items = res.data?.items ?? [];
  const exportRows = (format: 'csv' | 'xlsx') =>
    downloadTable(
      format,
      '考核申诉',
      ['编号', '考核期', '单位', '工单号', '指标', '理由', '佐证材料', '状态', '提出时间', '审核意见'],
      items.map((a) => [
        a.id,
        a.period,
        a.unitName ?? '',
        a.ticketNumber ?? '',
        a.indicatorLabel,
        a.reason,
        a.materials.map((m) => m.name).join('、'),
        APPEAL_STATUS[a.status]?.label ?? a.status,
        fmtDateTime(a.createdAt),
        a.decisionNote ?? '',
      ]),
      { status: status ?? null },
    );
  return (
    <>
      <PageHeader
        title="考核申诉"
        sub={
          centre
            ? '单位对工单计分的申诉：采纳后该工单不再计入该指标，已生成的考核结果随之生成新版本'
            : '本单位提出的申诉；在「考核结果」中下钻到扣分工单提出申诉（考核期结束后 5 个工作日内）'
        }
        extra={
          <Space>
            <Select
              allowClear
              placeholder="状态"
              aria-label="状态"
              style={{ width: 120 }}
              value={status}
              onChange={(v) => {
                setStatus(v);
                setPages([]);
              }}
              options={Object.entries(APPEAL_STATUS).map(([value, s]) => ({ value, label: s.label }))}
              data-testid="appeal-status-filter"
            />
            <ExportMenu onExport={exportRows} disabled={items.length === 0} />
          </Space>
        }
      />
      <ErrorAlert message={res.errorText} onRetry={() => void res.reload()} />
      <Table<Appeal>
        size="small"
        rowKey="id"
        loading={res.loading}
        dataSource={items}
        pagination={false}
        data-testid="appeals-table"
        columns={[
          { title: '编号', dataIndex: 'id', width: 70 },
          { title: '考核期', dataIndex: 'period', width: 90 },
          { title: '单位', dataIndex: 'unitName', width: 180 },
          {
            title: '工单',
            dataIndex: 'ticketNumber',
            width: 170,
            render: (v: string, a) => (
              <Link to={`/tickets/${a.ticketId}`} title={a.ticketTitle}>
                {v}
              </Link>
            ),
          },
          { title: '指标', dataIndex: 'indicatorLabel', width: 100 },
          {
            // 第二十四条: the reason, and the unit's evidence as downloads for the centre that decides
            title: '申诉理由与材料',
            dataIndex: 'reason',
            render: (reason: string, a) => (
              <>
                <Typography.Paragraph ellipsis={{ rows: 2, tooltip: reason }} style={{ marginBottom: 0 }}>
                  {reason}
                </Typography.Paragraph>
                <WorkFileLinks items={a.materials} />
              </>
            ),
          },
          {
            title: '状态',
            dataIndex: 'status',
            width: 90,
            render: (s: string) => <Tag color={APPEAL_STATUS[s]?.color}>{APPEAL_STATUS[s]?.label}</Tag>,
          },
          { title: '提出时间', dataIndex: 'createdAt', width: 150, render: fmtDateTime },
          {
            title: '审核',
            width: 160,
            render: (_: unknown, a) =>
              a.status === 'pending' && canDecide ? (
                <Button size="small" type="primary" onClick={() => setDeciding(a)} data-testid={`decide-${a.id}`}>
                  审核
                </Button>
              ) : (
                <Typography.Text type="secondary" ellipsis>
                  {a.decisionNote ?? ''}
                </Typography.Text>
              ),
          },
        ]}
      />
      <Space style={{ marginTop: 8 }}>
        {pages.length > 0 && <Button onClick={() => setPages((p) => p.slice(0, -1))}>上一页</Button>}
        {res.data?.nextBefore && <Button onClick={() => setPages((p) => [...p, res.data!.nextBefore!])}>下一页</Button>}
      </Space>
      <FormModal<{ decision: 'accept' | 'reject'; note: string }>
        title={
          deciding
            ? `审核申诉 #${deciding.id}：${deciding.unitName} · ${deciding.ticketNumber} · ${deciding.indicatorLabel}`
            : ''
        }
        open={!!deciding}
        onClose={() => setDeciding(null)}
        initialValues={{ decision: 'accept' }}
        okText="确定"
        onSubmit={async (v) => {
          const r = await assessmentApi.decide(deciding!.id, v.decision, v.note);
          message.success(
            r.status === 'accepted'
              ? `已采纳${r.revised.length ? `，考核结果已更新：${r.revised.map((x) => `${x.period} 第 ${x.version} 版`).join('、')}` : ''}`
              : '已驳回',
          );
          setDeciding(null);
          await res.reload();
        }}
      >
        {deciding && (
          <Typography.Paragraph>
            <Typography.Text type="secondary">申诉理由：</Typography.Text>
            {deciding.reason}
            {deciding.materials.length > 0 && (
              <>
                <br />
                <Typography.Text type="secondary">材料：</Typography.Text>
                <WorkFileLinks items={deciding.materials} />
              </>
            )}
          </Typography.Paragraph>
        )}
        <Form.Item name="decision" label="审核结果">
          <Radio.Group
            options={[
              { value: 'accept', label: '采纳（该工单不计入该指标）' },
              { value: 'reject', label: '驳回' },
            ]}
          />
        </Form.Item>
        <Form.Item name="note" label="审核意见" rules={[{ required: true, min: 2, message: '请填写审核意见' }]}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </FormModal>
    </>
  );
}
