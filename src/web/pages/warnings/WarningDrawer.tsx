import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import {
  App,
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { LineChart } from 'echarts/charts';
import type { EChartsCoreOption } from 'echarts/core';
import { WARNING_ACTION_LABELS, type WarningAction } from '../../../shared/domain/warnings';
import { errorMessage } from '../../api/client';
import { mattersApi } from '../../api/matters';
import { warningsApi, type SpikeDay } from '../../api/warnings';
import { ErrorAlert } from '../../components/ErrorAlert';
import { fmtDateTime } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';
import { echarts } from '../overview/charts';
import { EChart } from '../overview/EChart';
import { EVENT_LABELS, WarningLevelTag, WarningStatusTag } from './warning-labels';

echarts.use([LineChart]);

/** 诉求量 with its baseline and the band up to the first level's score (the detector's view of the 28 days). */
function spikeOption(series: SpikeDay[]): EChartsCoreOption {
  const days = series.map((d) => d.day.slice(5));
  return {
    tooltip: { trigger: 'axis' },
    legend: { data: ['诉求量', '基线', '预警线'], bottom: 0 },
    grid: { left: 40, right: 16, top: 16, bottom: 48 },
    xAxis: { type: 'category', data: days, boundaryGap: false },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      // the band: transparent floor at the baseline, a filled area up to the 预警线
      {
        name: '基线',
        type: 'line',
        data: series.map((d) => d.expected),
        lineStyle: { type: 'dashed' },
        symbol: 'none',
        stack: 'band',
        color: '#8c8c8c',
      },
      {
        name: '预警线',
        type: 'line',
        data: series.map((d) =>
          d.upper !== null && d.expected !== null ? Math.round((d.upper - d.expected) * 10) / 10 : null,
        ),
        stack: 'band',
        symbol: 'none',
        lineStyle: { opacity: 0 },
        areaStyle: { color: 'rgba(250, 173, 20, 0.25)' },
        color: '#faad14',
        tooltip: { show: false },
      },
      { name: '诉求量', type: 'line', data: series.map((d) => d.count), color: '#cf1322', symbolSize: 6 },
    ],
  };
}

/** One warning: what raised it, its tickets, its history, and the steps the user may take. */
export function WarningDrawer({
  id,
  onClose,
  onChanged,
}: {
  id: number | null;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { message } = App.useApp();
  const w = useAsync(async () => (id === null ? null : warningsApi.get(id)), [id]);
  const [busy, setBusy] = useState(false);
  const [modal, setModal] = useState<WarningAction | null>(null);
  const [form] = Form.useForm<{ userId?: number; matterId?: number; note?: string }>();
  const assignees = useAsync(async () => (modal === 'assign' ? warningsApi.assignees() : []), [modal]);
  const matters = useAsync(
    async () => (modal === 'link' ? mattersApi.list({ status: 'open', limit: 200 }) : []),
    [modal],
  );
  const v = w.data;
  const chart = useMemo(() => (v?.evidence.series?.length ? spikeOption(v.evidence.series) : null), [v]);

  const run = async (action: WarningAction, values: { userId?: number; matterId?: number; note?: string } = {}) => {
    if (!v) return;
    setBusy(true);
    try {
      if (action === 'acknowledge') await warningsApi.acknowledge(v.id, v.version);
      if (action === 'assign') await warningsApi.assign(v.id, values.userId!, values.note, v.version);
      if (action === 'link') await warningsApi.link(v.id, values.matterId!, v.version);
      if (action === 'close') await warningsApi.close(v.id, values.note ?? '', v.version);
      void message.success(`已${WARNING_ACTION_LABELS[action]}`);
      setModal(null);
      form.resetFields();
      await w.reload();
      onChanged();
    } catch (e) {
      void message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const can = (a: WarningAction) => !!v?.allowedActions.includes(a);

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      width={720}
      title={
        v ? (
          <Space>
            {<WarningLevelTag level={v.level} />}
            {v.kindLabel}
          </Space>
        ) : (
          '预警详情'
        )
      }
      extra={
        v && (
          <Space>
            {can('acknowledge') && (
              <Button type="primary" loading={busy} data-testid="warning-ack" onClick={() => void run('acknowledge')}>
                确认
              </Button>
            )}
            {can('assign') && (
              <Button data-testid="warning-assign" onClick={() => setModal('assign')}>
                指派
              </Button>
            )}
            {can('link') && (
              <Button data-testid="warning-link" onClick={() => setModal('link')}>
                关联专题
              </Button>
            )}
            {can('close') && (
              <Button danger data-testid="warning-close" onClick={() => setModal('close')}>
                关闭
              </Button>
            )}
          </Space>
        )
      }
    >
      <ErrorAlert message={w.errorText} onRetry={() => void w.reload()} />
      {v && (
        <div data-testid="warning-drawer">
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {v.title}
          </Typography.Title>
          <Descriptions size="small" column={2} bordered style={{ marginBottom: 16 }}>
            <Descriptions.Item label="状态">
              <WarningStatusTag status={v.status} />
            </Descriptions.Item>
            <Descriptions.Item label="预警时间">{fmtDateTime(v.raisedAt)}</Descriptions.Item>
            <Descriptions.Item label="区域">{v.regionName}</Descriptions.Item>
            <Descriptions.Item label="事项分类">{v.categoryName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="指派">{v.assigneeName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="关联专题">
              {v.matterId ? <Link to={`/matters/${v.matterId}`}>{v.matterTitle}</Link> : '—'}
            </Descriptions.Item>
            {v.closingNote && (
              <Descriptions.Item label="关闭说明" span={2}>
                {v.closingNote}
              </Descriptions.Item>
            )}
          </Descriptions>
          <Typography.Title level={5}>预警依据</Typography.Title>
          {v.kind === 'spike' && (
            <>
              <Typography.Paragraph>
                当日诉求量 <b>{v.evidence.observed}</b> 件，同类日（工作日或休息日，含调休）基线约{' '}
                <b>{v.evidence.baseline}</b> 件，高出 <b>{v.evidence.z}</b> 个波动幅度。
                {v.evidence.days && v.evidence.days.length > 1 && `共 ${v.evidence.days.length} 天突增。`}
              </Typography.Paragraph>
              {chart && (
                <div data-testid="warning-chart">
                  <EChart option={chart} height={240} />
                </div>
              )}
            </>
          )}
          {v.kind === 'collective' && (
            <Typography.Paragraph>
              {v.evidence.hours} 小时内 <b>{v.evidence.requesters}</b> 位诉求人反映同一类问题（{v.evidence.tickets}{' '}
              件，预警阈值 {v.evidence.threshold} 人）。
            </Typography.Paragraph>
          )}
          {v.kind === 'sensitive' && (
            <Typography.Paragraph>
              工单 <b>{v.evidence.ticketNumber}</b> 含敏感风险词：
              {v.evidence.words?.map((x) => (
                <Tag color="red" key={x}>
                  {x}
                </Tag>
              ))}
            </Typography.Paragraph>
          )}
          {v.tickets.length > 0 && (
            <Table
              size="small"
              rowKey="id"
              pagination={v.tickets.length > 10 ? { pageSize: 10 } : false}
              dataSource={v.tickets}
              style={{ marginBottom: 16 }}
              columns={[
                {
                  title: '工单号',
                  dataIndex: 'number',
                  render: (n: string, t) => <Link to={`/tickets/${t.id}`}>{n}</Link>,
                },
                { title: '状态', dataIndex: 'statusLabel', width: 100 },
                { title: '受理时间', dataIndex: 'createdAt', width: 170, render: fmtDateTime },
              ]}
            />
          )}
          <Typography.Title level={5}>处理记录</Typography.Title>
          <Timeline
            items={v.events.map((e) => ({
              children: (
                <>
                  <Typography.Text strong>{EVENT_LABELS[e.action] ?? e.action}</Typography.Text>{' '}
                  <Typography.Text type="secondary">
                    {e.actorName} · {fmtDateTime(e.at)}
                  </Typography.Text>
                  {e.note && <div>{e.note}</div>}
                </>
              ),
            }))}
          />
        </div>
      )}
      <Modal
        open={modal !== null}
        title={modal ? WARNING_ACTION_LABELS[modal] : ''}
        okText="确定"
        cancelText="取消"
        confirmLoading={busy}
        onCancel={() => setModal(null)}
        onOk={() => void form.validateFields().then((values) => run(modal!, values))}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          {modal === 'assign' && (
            <>
              <Form.Item name="userId" label="指派给" rules={[{ required: true, message: '请选择人员' }]}>
                <Select
                  showSearch
                  optionFilterProp="label"
                  loading={assignees.loading}
                  options={(assignees.data ?? []).map((p) => ({
                    value: p.id,
                    label: `${p.name}（${p.roles.join('、')}）`,
                  }))}
                />
              </Form.Item>
              <Form.Item name="note" label="说明">
                <Input.TextArea rows={2} maxLength={500} />
              </Form.Item>
            </>
          )}
          {modal === 'link' && (
            <Form.Item name="matterId" label="专题" rules={[{ required: true, message: '请选择专题' }]}>
              <Select
                showSearch
                optionFilterProp="label"
                loading={matters.loading}
                options={(matters.data ?? []).map((m) => ({ value: m.id, label: `#${m.id} ${m.title}` }))}
              />
            </Form.Item>
          )}
          {modal === 'close' && (
            <Form.Item name="note" label="处理说明" rules={[{ required: true, message: '请填写处理说明' }]}>
              <Input.TextArea rows={3} maxLength={1000} />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </Drawer>
  );
}
