import { useMemo, useState } from 'react';
import { Card, Col, Empty, Flex, Row, Statistic, Table, Tag, TreeSelect, Typography } from 'antd';
import { LineChart } from 'echarts/charts';
import { MarkAreaComponent } from 'echarts/components';
import { analyticsApi } from '../../api/analytics';
import { forecastApi, type ForecastRise } from '../../api/forecast';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ExportMenu } from '../../components/ExportMenu';
import { PageHeader } from '../../components/PageHeader';
import { downloadTable } from '../../lib/csv';
import { useAsync } from '../../lib/useAsync';
import { echarts } from '../overview/charts';
import { AnalyticsChart } from '../analytics/AnalyticsChart';
import { treeNodes } from '../../lib/tree-nodes';

echarts.use([LineChart, MarkAreaComponent]);

// 第二十八条(二) 季节预测: each month's volume beside what was forecast for it (last 24 months), next month's forecast
// with its band, the model chosen by backtest and its error, and the county × matter series expected to rise most.
// Forecasts are computed monthly by the server from the analytics rollup (按区县 × 二级事项分类).

const monthLabel = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月`;
const signed = (v: number) => `${v > 0 ? '+' : ''}${v}`;

export default function ForecastPage() {
  const [region, setRegion] = useState<string>();
  const [categoryId, setCategoryId] = useState<number>();
  const f = { region, categoryId };
  const key = JSON.stringify(f);
  const filters = useAsync(() => analyticsApi.filters(), []);
  const series = useAsync(() => forecastApi.series({ ...f, months: 24 }), [key]);
  const rises = useAsync(() => forecastApi.rises({ ...f, limit: 20 }), [key]);

  // forecasts are kept per county × matter: the filters offer the city, the counties, and matter groups and matters
  const regionTree = useMemo(() => {
    const rows = (filters.data?.regions ?? []).filter((r) => r.level <= 2);
    return treeNodes(
      rows,
      (r) => r.code,
      (r) => r.parentCode,
      (r) => r.name,
    );
  }, [filters.data]);
  const categoryTree = useMemo(
    () =>
      treeNodes(
        (filters.data?.categories ?? []).filter((c) => c.level <= 2),
        (c) => String(c.id),
        (c) => (c.parentId === null ? null : String(c.parentId)),
        (c) => c.name,
      ),
    [filters.data],
  );

  const s = series.data;
  const option = useMemo(() => {
    if (!s) return null;
    const months = s.points.map((p) => p.month);
    const lower = s.points.map((p) => p.lower);
    return {
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { data: ['实际量', '预测值', '预测区间'] },
      grid: { left: 48, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: months },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          name: '预测区间下限',
          type: 'line',
          stack: 'band',
          data: lower,
          lineStyle: { opacity: 0 },
          symbol: 'none',
          tooltip: { show: false },
        },
        {
          name: '预测区间',
          type: 'line',
          stack: 'band',
          data: s.points.map((p) => (p.upper === null || p.lower === null ? null : +(p.upper - p.lower).toFixed(1))),
          lineStyle: { opacity: 0 },
          symbol: 'none',
          areaStyle: { color: 'rgba(250, 140, 22, 0.18)' },
          itemStyle: { color: 'rgba(250, 140, 22, 0.35)' },
        },
        { name: '实际量', type: 'line', data: s.points.map((p) => p.actual), smooth: false, color: '#1677ff' },
        {
          name: '预测值',
          type: 'line',
          data: s.points.map((p) => p.expected),
          lineStyle: { type: 'dashed' },
          color: '#fa8c16',
          markArea: {
            itemStyle: { color: 'rgba(0, 0, 0, 0.04)' },
            data: [[{ xAxis: s.currentMonth }, { xAxis: s.nextMonth }]],
          },
        },
      ],
    };
  }, [s]);

  const exportRises = (format: 'csv' | 'xlsx') =>
    rises.data &&
    downloadTable(
      format,
      `季节预测_${rises.data.nextMonth}`,
      ['区县', '事项分类', '上月实际（件）', '下月预测（件）', '预测区间', '较上月', '模型', '回测误差（件）'],
      rises.data.rows.map((r) => [
        r.regionName,
        r.categoryName,
        r.lastMonth,
        r.expected,
        `${r.lower}–${r.upper}`,
        signed(r.change),
        r.modelLabel,
        r.backtestError,
      ]),
      { region: region ?? null, categoryId: categoryId ?? null, month: rises.data.nextMonth },
    );

  const next = s?.next;
  const error = filters.errorText ?? series.errorText ?? rises.errorText;
  return (
    <>
      <PageHeader
        title="季节预测"
        sub="按区县 × 事项分类预测下月诉求量，模型按回测误差逐一选定，提前研判季节性、周期性问题（第二十八条）"
      />
      <Flex gap={8} wrap style={{ marginBottom: 12 }} data-testid="forecast-filters">
        <TreeSelect
          allowClear
          placeholder="全市"
          aria-label="区域"
          style={{ width: 200 }}
          value={region}
          onChange={(v: string | undefined) => setRegion(v || undefined)}
          treeData={regionTree}
          treeDefaultExpandAll
        />
        <TreeSelect
          allowClear
          showSearch
          treeNodeFilterProp="title"
          placeholder="全部事项分类"
          aria-label="事项分类"
          style={{ width: 220 }}
          value={categoryId === undefined ? undefined : String(categoryId)}
          onChange={(v: string | undefined) => setCategoryId(v ? Number(v) : undefined)}
          treeData={categoryTree}
        />
      </Flex>
      <ErrorAlert
        message={error}
        onRetry={() => {
          void filters.reload();
          void series.reload();
          void rises.reload();
        }}
      />
      {next && (
        <Row gutter={12} style={{ marginBottom: 12 }}>
          <Col span={6}>
            <Card size="small">
              <Statistic
                title={`${monthLabel(next.month)}预测诉求量`}
                value={next.expected ?? '尚未计算'}
                suffix={next.expected === null ? undefined : '件'}
              />
              {next.lower !== null && (
                <Typography.Text type="secondary">
                  预测区间 {next.lower}–{next.upper} 件
                </Typography.Text>
              )}
            </Card>
          </Col>
          <Col span={6}>
            <Card size="small">
              <Statistic title="上月实际" value={s.points[s.points.length - 3]?.actual ?? '—'} suffix="件" />
              <Typography.Text type="secondary">
                {monthLabel(s.points[s.points.length - 3]?.month ?? '')}
              </Typography.Text>
            </Card>
          </Col>
          <Col span={6}>
            <Card size="small">
              <Statistic
                title="回测误差（各序列合计）"
                value={next.backtestError ?? '—'}
                suffix={next.backtestError === null ? undefined : '件'}
              />
              <Typography.Text type="secondary">各序列近 6 个月逐月回测的平均绝对误差</Typography.Text>
            </Card>
          </Col>
          <Col span={6}>
            <Card size="small" title="选用模型" styles={{ body: { minHeight: 54 } }}>
              <Flex gap={4} wrap data-testid="forecast-models">
                {next.models.map((m) => (
                  <Tag key={m.model} color={m.model === 'naive' ? 'default' : 'orange'}>
                    {m.label}（{m.series} 个序列）
                  </Tag>
                ))}
                {!next.models.length && <Typography.Text type="secondary">—</Typography.Text>}
              </Flex>
            </Card>
          </Col>
        </Row>
      )}
      <Card size="small" title="实际量与预测值（近 24 个月及下月）" style={{ marginBottom: 12 }}>
        {option ? (
          <AnalyticsChart option={option} height={320} testId="forecast-chart" />
        ) : (
          <Empty description="正在加载" />
        )}
        {s && !s.computed && (
          <Typography.Text type="secondary">
            下月预测尚未生成：系统每月初自动计算（历史数据汇总完成后）。
          </Typography.Text>
        )}
      </Card>
      <Card
        size="small"
        title={rises.data ? `${monthLabel(rises.data.nextMonth)}预计增幅最大的事项（较上月）` : '预计增幅最大的事项'}
        extra={
          <ExportMenu
            onExport={exportRises}
            disabled={!rises.data?.rows.length}
            testId="forecast-export"
            size="small"
          />
        }
      >
        <Table<ForecastRise>
          size="small"
          rowKey={(r) => `${r.regionCode}-${r.categoryId}`}
          loading={rises.loading}
          dataSource={rises.data?.rows ?? []}
          pagination={false}
          data-testid="forecast-rises"
          locale={{ emptyText: '暂无预测' }}
          columns={[
            { title: '区县', dataIndex: 'regionName' },
            { title: '事项分类', dataIndex: 'categoryName' },
            { title: '上月实际（件）', dataIndex: 'lastMonth', align: 'right' },
            { title: '下月预测（件）', dataIndex: 'expected', align: 'right' },
            { title: '预测区间', render: (_, r) => `${r.lower}–${r.upper}`, align: 'right' },
            {
              title: '较上月',
              dataIndex: 'change',
              align: 'right',
              render: (v: number) => <Typography.Text type={v > 0 ? 'danger' : undefined}>{signed(v)}</Typography.Text>,
            },
            { title: '模型', dataIndex: 'modelLabel' },
            {
              title: '回测误差（件）',
              dataIndex: 'backtestError',
              align: 'right',
              render: (v: number | null) => v ?? '—',
            },
          ]}
        />
      </Card>
    </>
  );
}
