import { Link } from 'react-router-dom';
import type { EChartsCoreOption } from 'echarts/core';
import { Button, Card, Col, Empty, Row, Statistic, Table, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api/endpoints';
import type { Overview, TicketStatus } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { DEADLINE_HEX, DeadlineTag, StatusTag } from '../../components/Tags';
import { fmtDateTime } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';
import { EChart } from './EChart';

const H = 190;

function Chart({ option, empty, testId }: { option: EChartsCoreOption; empty: boolean; testId: string }) {
  if (empty)
    return (
      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无数据" style={{ height: H - 30, paddingTop: 40 }} />
    );
  return (
    <div data-testid={testId}>
      <EChart option={option} height={H} />
    </div>
  );
}

function channelOption(o: Overview) {
  return {
    tooltip: { trigger: 'item', formatter: '{b}：{c} 件（{d}%）' },
    legend: { orient: 'vertical', left: 0, top: 'middle' },
    series: [
      {
        type: 'pie',
        radius: ['35%', '60%'],
        center: ['60%', '50%'],
        data: o.byChannel.map((c) => ({ name: c.label, value: c.count })),
        label: { formatter: '{b} {c}' },
      },
    ],
  };
}
function categoryOption(o: Overview) {
  const rows = [...o.byCategory].reverse();
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: rows.map((c) => c.name) },
    series: [
      {
        type: 'bar',
        data: rows.map((c) => c.count),
        itemStyle: { color: '#1677ff' },
        barMaxWidth: 18,
        label: { show: true, position: 'right' },
      },
    ],
  };
}
function statusOption(o: Overview) {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 8, top: 24, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: o.openByStatus.map((s) => s.label) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        type: 'bar',
        data: o.openByStatus.map((s) => s.count),
        itemStyle: { color: '#722ed1' },
        barMaxWidth: 36,
        label: { show: true, position: 'top' },
      },
    ],
  };
}
function deadlineOption(o: Overview) {
  const k = o.deadlines.byKind;
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: k.map((x) => x.label.replace(/时限$/, '')), axisLabel: { interval: 0 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        name: '临期预警',
        type: 'bar',
        stack: 'risk',
        data: k.map((x) => x.warning),
        itemStyle: { color: DEADLINE_HEX.warning },
        barMaxWidth: 36,
      },
      {
        name: '已超期',
        type: 'bar',
        stack: 'risk',
        data: k.map((x) => x.breached),
        itemStyle: { color: DEADLINE_HEX.breached },
        barMaxWidth: 36,
      },
    ],
  };
}

/** 概览 for centre staff: today's intake, open work and the deadlines at risk in their regions. */
export default function OverviewPage() {
  const data = useAsync(() => api.stats.overview(), []);
  const o = data.data;
  const open = o?.openByStatus.reduce((s, x) => s + x.count, 0) ?? 0;
  return (
    <>
      <PageHeader
        title="概览"
        sub={o ? `${o.date} · 数据时间 ${fmtDateTime(o.generatedAt)}` : '今日受理与在办情况'}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void data.reload()} loading={data.loading}>
            刷新
          </Button>
        }
      />
      <ErrorAlert message={data.errorText} onRetry={() => void data.reload()} />
      <Row gutter={[12, 12]}>
        <Col span={6}>
          <Card size="small" loading={!o}>
            <Statistic style={{ lineHeight: 1.2 }} title="今日受理" value={o?.todayTotal ?? 0} suffix="件" />
          </Card>
        </Col>
        <Col span={6}>
          <Card size="small" loading={!o}>
            <Statistic style={{ lineHeight: 1.2 }} title="在办工单" value={open} suffix="件" />
          </Card>
        </Col>
        <Col span={6}>
          <Card size="small" loading={!o}>
            <Statistic
              style={{ lineHeight: 1.2 }}
              title="临期预警"
              value={o?.deadlines.warning ?? 0}
              suffix="项"
              valueStyle={{ color: DEADLINE_HEX.warning }}
            />
          </Card>
        </Col>
        <Col span={6}>
          <Card size="small" loading={!o}>
            <Statistic
              style={{ lineHeight: 1.2 }}
              title="已超期"
              value={o?.deadlines.breached ?? 0}
              suffix="项"
              valueStyle={{ color: DEADLINE_HEX.breached }}
            />
          </Card>
        </Col>
        <Col span={8}>
          <Card size="small" title="今日受理 · 按渠道" loading={!o}>
            {o && <Chart testId="chart-channel" option={channelOption(o)} empty={!o.byChannel.length} />}
          </Card>
        </Col>
        <Col span={8}>
          <Card size="small" title="今日受理 · 按分类" loading={!o}>
            {o && <Chart testId="chart-category" option={categoryOption(o)} empty={!o.byCategory.length} />}
          </Card>
        </Col>
        <Col span={8}>
          <Card size="small" title="在办工单 · 按状态" loading={!o}>
            {o && <Chart testId="chart-status" option={statusOption(o)} empty={open === 0} />}
          </Card>
        </Col>
        <Col span={10}>
          <Card size="small" title="临期与超期时限 · 按环节" loading={!o}>
            {o && <Chart testId="chart-deadlines" option={deadlineOption(o)} empty={!o.deadlines.byKind.length} />}
          </Card>
        </Col>
        <Col span={14}>
          <Card size="small" title="需要关注的工单" loading={!o}>
            <Table
              rowKey={(r) => `${r.ticketId}-${r.kind}`}
              size="small"
              pagination={false}
              scroll={{ y: H - 40 }}
              dataSource={o?.atRisk ?? []}
              locale={{ emptyText: '没有临期或超期的时限' }}
              columns={[
                {
                  title: '工单',
                  dataIndex: 'number',
                  width: 160,
                  render: (n: string, r) => <Link to={`/tickets/${r.ticketId}`}>{n}</Link>,
                },
                { title: '标题', dataIndex: 'title', ellipsis: true },
                {
                  title: '状态',
                  dataIndex: 'status',
                  width: 80,
                  render: (s: TicketStatus) => <StatusTag status={s} />,
                },
                {
                  title: '环节',
                  dataIndex: 'kindLabel',
                  width: 120,
                  render: (v: string, r) => (
                    <span>
                      {v}
                      <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }} ellipsis>
                        {r.unitName}
                      </Typography.Text>
                    </span>
                  ),
                },
                {
                  title: '到期',
                  dataIndex: 'dueAt',
                  width: 190,
                  render: (v: string, r) => (
                    <span>
                      <DeadlineTag state={r.state} label={r.stateLabel} />
                      {fmtDateTime(v)}
                    </span>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
