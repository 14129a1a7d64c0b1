import { Link, useNavigate } from 'react-router-dom';
import { Button, Descriptions, Table } from 'antd';
import { analyticsApi, type DrillPage } from '../../api/analytics';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ExportMenu } from '../../components/ExportMenu';
import { PageHeader } from '../../components/PageHeader';
import { downloadTable } from '../../lib/csv';
import { CHANNEL_LABELS, REQUEST_TYPE_LABELS, STATUS_LABELS } from '../../lib/labels';
import { useAsync } from '../../lib/useAsync';
import { useKeysetList } from '../../lib/useKeysetList';
import { LoadMore } from '../../components/LoadMore';

// 第二十七条 热点分析 下钻: 工单查询 opened from a figure of the 热点分析 screen (/tickets?drill=analytics&from=…) lists
// the tickets that figure counts — the same filter, read from the rollup's per-ticket rows, newest first.

type Item = DrillPage['items'][number];
const label = (m: Record<string, string>, k: string) => m[k] ?? k;

export function AnalyticsDrillList({ params }: { params: URLSearchParams }) {
  const nav = useNavigate();
  const q = {
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    channel: params.get('channel') ?? undefined,
    requestType: params.get('requestType') ?? undefined,
    categoryId: params.get('categoryId') ? Number(params.get('categoryId')) : undefined,
    region: params.get('region') ?? undefined,
  };
  const filters = useAsync(() => analyticsApi.filters(), []);
  const list = useKeysetList<Item, string>(params.toString(), async (after) =>
    analyticsApi.tickets({ ...q, after: after ?? undefined, limit: 50 }),
  );
  const regionName = q.region ? (filters.data?.regions.find((r) => r.code === q.region)?.name ?? q.region) : '全部区域';
  const categoryName =
    q.categoryId !== undefined
      ? (filters.data?.categories.find((c) => c.id === q.categoryId)?.name ?? String(q.categoryId))
      : '全部分类';
  const exportRows = (format: 'csv' | 'xlsx') =>
    downloadTable(
      format,
      `热点分析下钻_${q.from}_${q.to}`,
      ['工单号', '受理日期', '区域', '事项分类', '渠道', '类型', '状态'],
      list.items.map((t) => [
        t.number,
        t.day,
        t.regionName,
        t.categoryName,
        label(CHANNEL_LABELS, t.channel),
        label(REQUEST_TYPE_LABELS, t.requestType),
        t.status ? label(STATUS_LABELS, t.status) : '',
      ]),
      { from: q.from, to: q.to, region: q.region ?? null, categoryId: q.categoryId ?? null },
    );
  return (
    <>
      <PageHeader
        title="工单查询"
        sub="热点分析下钻：该数字计入的工单，最新的在前"
        extra={
          <>
            <ExportMenu onExport={(f) => exportRows(f)} disabled={list.items.length === 0} />
            <Button onClick={() => nav('/analytics')}>返回热点分析</Button>
            <Button onClick={() => nav('/tickets')}>全部工单</Button>
          </>
        }
      />
      <Descriptions size="small" column={4} style={{ marginBottom: 12 }} data-testid="drill-filter">
        <Descriptions.Item label="受理日期">
          {q.from} 至 {q.to}
        </Descriptions.Item>
        <Descriptions.Item label="区域">{regionName}</Descriptions.Item>
        <Descriptions.Item label="事项分类">{categoryName}</Descriptions.Item>
        <Descriptions.Item label="渠道／类型">
          {q.channel ? label(CHANNEL_LABELS, q.channel) : '全部渠道'}／
          {q.requestType ? label(REQUEST_TYPE_LABELS, q.requestType) : '全部类型'}
        </Descriptions.Item>
      </Descriptions>
      <ErrorAlert message={list.error} onRetry={list.reload} />
      <Table<Item>
        size="small"
        rowKey="ticketId"
        data-testid="drill-tickets"
        dataSource={list.items}
        loading={list.loading}
        pagination={false}
        columns={[
          {
            title: '工单号',
            dataIndex: 'number',
            render: (n: string, t) => <Link to={`/tickets/${t.ticketId}`}>{n}</Link>,
          },
          { title: '受理日期', dataIndex: 'day' },
          { title: '区域', dataIndex: 'regionName' },
          { title: '事项分类', dataIndex: 'categoryName' },
          { title: '渠道', dataIndex: 'channel', render: (c: string) => label(CHANNEL_LABELS, c) },
          { title: '类型', dataIndex: 'requestType', render: (c: string) => label(REQUEST_TYPE_LABELS, c) },
          { title: '状态', dataIndex: 'status', render: (s: string | null) => (s ? label(STATUS_LABELS, s) : '') },
        ]}
      />
      <LoadMore list={list} />
    </>
  );
}
