import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import {
  Button,
  Card,
  Col,
  DatePicker,
  Flex,
  Row,
  Segmented,
  Select,
  Statistic,
  Table,
  Tag,
  Tooltip,
  TreeSelect,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { LineChart } from 'echarts/charts';
import { serverNow } from '../../api/client';
import { analyticsApi, drillHref, type AnalyticsFilterValues, type Volume } from '../../api/analytics';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ExportMenu } from '../../components/ExportMenu';
import { PageHeader } from '../../components/PageHeader';
import { downloadTable } from '../../lib/csv';
import { CHANNEL_LABELS, REQUEST_TYPE_LABELS } from '../../lib/labels';
import { useAsync } from '../../lib/useAsync';
import { echarts } from '../overview/charts';
import { AnalyticsChart } from './AnalyticsChart';
import { HezeMap } from './HezeMap';
import { treeNodes } from '../../lib/tree-nodes';

echarts.use([LineChart]);

// 第二十七条 热点分析: where and what citizens call about, and how it moves — by county (map), town × matter (heat
// table), over time against the previous period and last year, and the matters rising fastest. Every number links
// to the tickets behind it (工单查询). Figures come from the server's daily rollups; nothing personal is shown.

// 'grid': 主动发现 (第二十九条), a grid worker's own report, so a figure of citizens' requests can leave it out
const CHANNELS = ['phone', 'sms', 'wechat', 'weibo', 'web', 'api', 'open311', 'grid'];
const channelLabel = (c: string) => CHANNEL_LABELS[c] ?? (c === 'open311' ? '开放接口' : c);
const HEAT_COLUMNS = 8;

const pct = (v: number | null) => (v === null ? '—' : `${v > 0 ? '+' : ''}${v.toFixed(1)}%`);
function Change({ v }: { v: number | null }) {
  if (v === null)
    return (
      <Tooltip title="基数小于 5，不计算增幅">
        <Typography.Text type="secondary">—</Typography.Text>
      </Tooltip>
    );
  return <Typography.Text type={v > 0 ? 'danger' : v < 0 ? 'success' : undefined}>{pct(v)}</Typography.Text>;
}

export default function AnalyticsPage() {
  const today = dayjs(serverNow());
  const [range, setRange] = useState<[Dayjs, Dayjs]>([today.subtract(29, 'day'), today]);
  const [channel, setChannel] = useState<string>();
  const [requestType, setRequestType] = useState<string>();
  const [categoryId, setCategoryId] = useState<number>();
  const [region, setRegion] = useState<string>();
  const [granularity, setGranularity] = useState<'day' | 'week' | 'month'>('day');
  const f: AnalyticsFilterValues = {
    from: range[0].format('YYYY-MM-DD'),
    to: range[1].format('YYYY-MM-DD'),
    channel,
    requestType,
    categoryId,
    region,
  };
  const key = JSON.stringify(f);
  const filters = useAsync(() => analyticsApi.filters(), []);
  const regions = useMemo(() => filters.data?.regions ?? [], [filters.data]);
  const regionName = (code: string) => regions.find((r) => r.code === code)?.name ?? code;
  const selectedLevel = regions.find((r) => r.code === region)?.level ?? 1;
  // the map always shows the counties (the selected one highlighted); the heat table goes one level below the filter
  const mapRes = useAsync(
    () => analyticsApi.volume({ ...f, region: undefined, regionLevel: 'county' }),
    [key.replace(/"region":"\d+"/, '')],
  );
  const heatLevel = selectedLevel >= 3 ? 'grid' : 'town';
  const heatRes = useAsync(() => analyticsApi.volume({ ...f, regionLevel: heatLevel, categoryLevel: 1 }), [key]);
  const days = range[1].diff(range[0], 'day') + 1;
  const g = granularity === 'day' && days > 366 ? 'week' : granularity;
  const trendRes = useAsync(() => analyticsApi.trend({ ...f, granularity: g }), [key, g]);
  const risingRes = useAsync(() => analyticsApi.rising({ ...f, minCount: 3, limit: 10 }), [key]);

  const regionTree = useMemo(
    () =>
      treeNodes(
        regions,
        (r) => r.code,
        (r) => r.parentCode,
        (r) => r.name,
      ),
    [regions],
  );
  const categoryTree = useMemo(
    () =>
      treeNodes(
        filters.data?.categories ?? [],
        (c) => String(c.id),
        (c) => (c.parentId === null ? null : String(c.parentId)),
        (c) => c.name,
      ),
    [filters.data],
  );

  const heat = heatRes.data;
  const columns = useMemo(() => (heat?.categories ?? []).slice(0, HEAT_COLUMNS), [heat]);
  const cell = (regionCode: string, catId: number) =>
    heat?.cells.find((c) => c.regionCode === regionCode && c.categoryId === catId)?.tickets ?? 0;
  const maxCell = Math.max(1, ...(heat?.cells.map((c) => c.tickets) ?? [1]));
  const shade = (n: number) => {
    if (!n) return undefined;
    const a = 0.08 + 0.6 * (n / maxCell);
    // the text stays dark: white never reaches 4.5:1 on this red at any shade used (3.5:1 at most), dark is ≥ 5.4:1
    return { background: `rgba(207, 19, 34, ${a.toFixed(2)})` };
  };
  const drill = (over: Partial<AnalyticsFilterValues>) => drillHref({ ...f, ...over });

  const exportHeat = (format: 'csv' | 'xlsx') =>
    heat &&
    downloadTable(
      format,
      `热点分析_区域分类_${f.from}_${f.to}`,
      ['区域', ...columns.map((c) => c.name), '合计', '上期', '较上期', '去年同期', '较去年同期'],
      heat.regions.map((r) => [
        r.path || r.name,
        ...columns.map((c) => cell(r.code, c.id)),
        r.tickets,
        r.previous,
        pct(r.changePrevious),
        r.lastYear,
        pct(r.changeLastYear),
      ]),
      {
        from: f.from,
        to: f.to,
        channel: f.channel ?? null,
        requestType: f.requestType ?? null,
        categoryId: f.categoryId ?? null,
        region: f.region ?? null,
      },
    );
  const rising = risingRes.data;
  const exportRising = (format: 'csv' | 'xlsx') =>
    rising &&
    downloadTable(
      format,
      `热点分析_上升事项_${f.from}_${f.to}`,
      ['区域', '事项分类', '本期', '上期', '增加', '较上期'],
      rising.items.map((r) => [r.regionName, r.categoryName, r.current, r.previous, r.increase, pct(r.changePrevious)]),
      { from: f.from, to: f.to },
    );

  const trend = trendRes.data;
  const trendOption = useMemo(
    () =>
      trend && {
        animation: false,
        tooltip: { trigger: 'axis' },
        legend: { data: ['本期', '上期', '去年同期'] },
        grid: { left: 44, right: 16, top: 32, bottom: 28 },
        xAxis: {
          type: 'category',
          data: trend.points.map((p) => (g === 'month' ? p.bucket.slice(0, 7) : p.bucket.slice(5))),
        },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          { name: '本期', type: 'line', data: trend.points.map((p) => p.tickets), smooth: true },
          { name: '上期', type: 'line', data: trend.points.map((p) => p.previous), lineStyle: { type: 'dashed' } },
          { name: '去年同期', type: 'line', data: trend.points.map((p) => p.lastYear), lineStyle: { type: 'dotted' } },
        ],
      },
    [trend, g],
  );
  const total = heat?.total;
  const error = filters.errorText ?? mapRes.errorText ?? heatRes.errorText ?? trendRes.errorText ?? risingRes.errorText;

  return (
    <>
      <PageHeader
        title="热点分析"
        sub="按区域、事项分类和时间汇总诉求量，与上期、去年同期对比，发现上升最快的事项（第二十七条）"
      />
      <Flex gap={8} wrap style={{ marginBottom: 12 }} data-testid="analytics-filters">
        <DatePicker.RangePicker
          value={range}
          allowClear={false}
          disabledDate={(d) => d.isAfter(today, 'day')}
          onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
          presets={[
            { label: '近30天', value: [today.subtract(29, 'day'), today] },
            { label: '近90天', value: [today.subtract(89, 'day'), today] },
            { label: '本年', value: [today.startOf('year'), today] },
            { label: '近一年', value: [today.subtract(364, 'day'), today] },
          ]}
        />
        <Select
          allowClear
          placeholder="全部渠道"
          aria-label="渠道"
          style={{ width: 120 }}
          value={channel}
          onChange={setChannel}
          options={CHANNELS.map((c) => ({ value: c, label: channelLabel(c) }))}
        />
        <Select
          allowClear
          placeholder="全部类型"
          aria-label="诉求类型"
          style={{ width: 120 }}
          value={requestType}
          onChange={setRequestType}
          options={Object.entries(REQUEST_TYPE_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <TreeSelect
          allowClear
          showSearch
          treeNodeFilterProp="title"
          placeholder="全部事项分类"
          aria-label="事项分类"
          style={{ width: 200 }}
          value={categoryId === undefined ? undefined : String(categoryId)}
          onChange={(v: string | undefined) => setCategoryId(v ? Number(v) : undefined)}
          treeData={categoryTree}
        />
        <TreeSelect
          allowClear
          showSearch
          treeNodeFilterProp="title"
          placeholder="全部区域"
          aria-label="区域"
          style={{ width: 200 }}
          value={region}
          onChange={(v: string | undefined) => setRegion(v || undefined)}
          treeData={regionTree}
          treeDefaultExpandedKeys={regions.filter((r) => r.level === 1).map((r) => r.code)}
          data-testid="analytics-region"
        />
        {region && (
          <Button onClick={() => setRegion(undefined)} data-testid="analytics-region-reset">
            返回全部区域
          </Button>
        )}
      </Flex>
      <ErrorAlert
        message={error}
        onRetry={() => {
          void filters.reload();
          void mapRes.reload();
          void heatRes.reload();
          void trendRes.reload();
          void risingRes.reload();
        }}
      />
      {total && (
        <Row gutter={12} style={{ marginBottom: 12 }}>
          <Col span={6}>
            <Card size="small">
              <Statistic title={region ? `${regionName(region)}诉求量` : '诉求量'} value={total.tickets} suffix="件" />
              <Link to={drill({})} data-testid="analytics-total-drill">
                查看工单
              </Link>
            </Card>
          </Col>
          <Col span={6}>
            <Card size="small">
              <Statistic
                title={`上期（${heat.previousPeriod.from} 至 ${heat.previousPeriod.to}）`}
                value={total.previous}
                suffix="件"
              />
              较上期 <Change v={total.changePrevious} />
            </Card>
          </Col>
          <Col span={6}>
            <Card size="small">
              <Statistic
                title={`去年同期（${heat.lastYearPeriod.from} 至 ${heat.lastYearPeriod.to}）`}
                value={total.lastYear}
                suffix="件"
              />
              较去年同期 <Change v={total.changeLastYear} />
            </Card>
          </Col>
          <Col span={6}>
            <Card size="small">
              <Statistic title="已办结／曾超期" value={`${total.closed}／${total.overdue}`} />
              <Typography.Text type="secondary">其中紧急 {total.urgent} 件</Typography.Text>
            </Card>
          </Col>
        </Row>
      )}
      <Row gutter={12} style={{ marginBottom: 12 }}>
        <Col span={10}>
          <Card
            size="small"
            title="各区县诉求量"
            extra={<Typography.Text type="secondary">点击区县查看其乡镇（街道）</Typography.Text>}
          >
            <HezeMap
              counts={mapRes.data?.regions ?? []}
              selected={region?.slice(0, 6)}
              onSelect={(code) => setRegion(code === region ? undefined : code)}
            />
          </Card>
        </Col>
        <Col span={14}>
          <Card
            size="small"
            title="趋势"
            extra={
              <Segmented
                size="small"
                value={g}
                onChange={(v) => setGranularity(v as 'day' | 'week' | 'month')}
                options={[
                  { value: 'day', label: '按日', disabled: days > 366 },
                  { value: 'week', label: '按周' },
                  { value: 'month', label: '按月' },
                ]}
              />
            }
          >
            {trendOption && <AnalyticsChart option={trendOption} height={360} testId="analytics-trend" />}
          </Card>
        </Col>
      </Row>
      <Card
        size="small"
        title={`区域 × 事项分类（${heatLevel === 'town' ? '乡镇（街道）' : '社区（网格）'}）`}
        style={{ marginBottom: 12 }}
        extra={
          <ExportMenu
            onExport={(fmt) => void exportHeat(fmt)}
            disabled={!heat || heat.regions.length === 0}
            testId="analytics-heat-export"
          />
        }
      >
        <Table<Volume['regions'][number]>
          size="small"
          rowKey="code"
          data-testid="analytics-heat"
          dataSource={heat?.regions ?? []}
          loading={heatRes.loading}
          pagination={{ pageSize: 15, hideOnSinglePage: true }}
          scroll={{ x: 'max-content' }}
          columns={[
            {
              title: '区域',
              dataIndex: 'path',
              fixed: 'left',
              render: (p: string, r) => (
                <Link to={drill({ region: r.code })} title="查看工单">
                  {p || r.name}
                </Link>
              ),
            },
            ...columns.map((c) => ({
              title: c.name,
              key: `c${c.id}`,
              align: 'right' as const,
              onCell: (r: Volume['regions'][number]) => ({ style: shade(cell(r.code, c.id)) }),
              render: (_: unknown, r: Volume['regions'][number]) => {
                const n = cell(r.code, c.id);
                return n ? (
                  <Link to={drill({ region: r.code, categoryId: c.id })} style={{ color: 'inherit' }}>
                    {n}
                  </Link>
                ) : (
                  <Typography.Text type="secondary">0</Typography.Text>
                );
              },
            })),
            { title: '合计', dataIndex: 'tickets', align: 'right' as const },
            {
              title: '较上期',
              dataIndex: 'changePrevious',
              align: 'right' as const,
              render: (v: number | null) => <Change v={v} />,
            },
            {
              title: '较去年同期',
              dataIndex: 'changeLastYear',
              align: 'right' as const,
              render: (v: number | null) => <Change v={v} />,
            },
          ]}
        />
      </Card>
      <Card
        size="small"
        title={
          rising
            ? `上升最快的事项（较上期 ${rising.previousPeriod.from} 至 ${rising.previousPeriod.to}，本期不少于 3 件）`
            : '上升最快的事项'
        }
        extra={
          <ExportMenu onExport={(fmt) => void exportRising(fmt)} disabled={!rising || rising.items.length === 0} />
        }
      >
        <Table
          size="small"
          rowKey={(r) => `${r.regionCode}-${r.categoryId}`}
          dataSource={rising?.items ?? []}
          loading={risingRes.loading}
          pagination={false}
          data-testid="analytics-rising"
          columns={[
            { title: '区域', dataIndex: 'regionName' },
            { title: '事项分类', dataIndex: 'categoryName' },
            {
              title: '本期',
              dataIndex: 'current',
              align: 'right',
              render: (n: number, r) => <Link to={drill({ region: r.regionCode, categoryId: r.categoryId })}>{n}</Link>,
            },
            { title: '上期', dataIndex: 'previous', align: 'right' },
            {
              title: '增加',
              dataIndex: 'increase',
              align: 'right',
              render: (n: number) => <Tag color="red">+{n}</Tag>,
            },
            {
              title: '较上期',
              dataIndex: 'changePrevious',
              align: 'right',
              render: (v: number | null) => <Change v={v} />,
            },
          ]}
        />
      </Card>
    </>
  );
}
