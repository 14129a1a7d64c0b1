import { useMemo, useState } from 'react';
import dayjs, { type Dayjs } from 'dayjs';
import { Link } from 'react-router-dom';
import {
  Button,
  Card,
  Col,
  DatePicker,
  Drawer,
  Flex,
  List,
  Row,
  Segmented,
  Select,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { gridsApi, type Source, type TownDrillPage, type TownFigures } from '../../api/grids';
import { serverNow } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ExportMenu } from '../../components/ExportMenu';
import { PageHeader } from '../../components/PageHeader';
import { downloadTable } from '../../lib/csv';
import { CHANNEL_LABELS, STATUS_LABELS } from '../../lib/labels';
import { useAsync } from '../../lib/useAsync';
import { useKeysetList } from '../../lib/useKeysetList';
import { useMe } from '../../auth/session';
import { isCentre } from '../../lib/permissions';
import { GridMap } from './GridMap';
import { LoadMore } from '../../components/LoadMore';

// 第二十九条第一款 网格视图: the matters concentrated in a town/street's area — grid × matter group counts from the rollup,
// the most frequent matters, the hottest grid cells, each figure drilling down to its tickets. 群众诉求 and 主动发现 are
// told apart (the source switch). The grid map (issue 12) shows the same figures on the district's map.

const SOURCES: { value: Source; label: string }[] = [
  { value: 'all', label: '全部' },
  { value: 'citizen', label: '群众诉求' },
  { value: 'grid', label: '主动发现' },
];
type GridRow = TownFigures['grids'][number];
type DrillItem = TownDrillPage['items'][number];
interface Drill {
  region?: string;
  regionName: string;
  categoryId?: number;
  categoryName: string;
}

function DrillDrawer({
  town,
  from,
  to,
  source,
  drill,
  onClose,
}: {
  town: string;
  from: string;
  to: string;
  source: Source;
  drill: Drill | null;
  onClose: () => void;
}) {
  const me = useMe();
  const key = JSON.stringify({ town, from, to, source, drill });
  const list = useKeysetList<DrillItem, string>(key, (after) =>
    drill
      ? gridsApi.townTickets(town, {
          from,
          to,
          source,
          region: drill.region,
          categoryId: drill.categoryId,
          after: after ?? undefined,
          limit: 50,
        })
      : Promise.resolve({ items: [], next: null }),
  );
  const title = drill ? `${drill.regionName} · ${drill.categoryName}` : '';
  const exportRows = (format: 'csv' | 'xlsx') =>
    downloadTable(
      format,
      `网格视图下钻_${title}_${from}_${to}`,
      ['工单号', '标题', '受理日期', '网格', '事项分类', '来源', '状态'],
      list.items.map((t) => [
        t.number,
        t.title,
        t.day,
        t.regionName,
        t.categoryName,
        CHANNEL_LABELS[t.channel] ?? t.channel,
        t.status ? (STATUS_LABELS[t.status as keyof typeof STATUS_LABELS] ?? t.status) : '',
      ]),
      { town, from, to, source, region: drill?.region ?? null, categoryId: drill?.categoryId ?? null },
    );
  // the centre's readers open the ticket itself; a town's staff see the list (their own queue has the tickets they lead)
  const canOpenTicket = isCentre(me);
  return (
    <Drawer
      open={drill !== null}
      onClose={onClose}
      width={860}
      title={`工单明细：${title}`}
      extra={<ExportMenu onExport={exportRows} disabled={list.items.length === 0} testId="town-drill-export" />}
    >
      <ErrorAlert message={list.error} onRetry={list.reload} />
      <Table<DrillItem>
        size="small"
        rowKey="ticketId"
        data-testid="town-drill-tickets"
        dataSource={list.items}
        loading={list.loading}
        pagination={false}
        columns={[
          {
            title: '工单号',
            dataIndex: 'number',
            render: (n: string, t) => (canOpenTicket ? <Link to={`/tickets/${t.ticketId}`}>{n}</Link> : n),
          },
          { title: '标题', dataIndex: 'title', ellipsis: true },
          { title: '受理日期', dataIndex: 'day' },
          { title: '网格', dataIndex: 'regionName' },
          { title: '事项分类', dataIndex: 'categoryName' },
          {
            title: '来源',
            dataIndex: 'channel',
            render: (c: string) => (c === 'grid' ? <Tag color="green">主动发现</Tag> : '群众诉求'),
          },
          {
            title: '状态',
            dataIndex: 'status',
            render: (s: string | null) => (s ? (STATUS_LABELS[s as keyof typeof STATUS_LABELS] ?? s) : ''),
          },
        ]}
      />
      <LoadMore list={list} />
    </Drawer>
  );
}

export default function TownViewPage() {
  const today = dayjs(serverNow());
  const [range, setRange] = useState<[Dayjs, Dayjs]>([today.subtract(29, 'day'), today]);
  const [source, setSource] = useState<Source>('all');
  const [picked, setPicked] = useState<string>();
  const [drill, setDrill] = useState<Drill | null>(null);
  const towns = useAsync(() => gridsApi.towns(), []);
  const town = picked ?? towns.data?.towns[0]?.code;
  const from = range[0].format('YYYY-MM-DD');
  const to = range[1].format('YYYY-MM-DD');
  const fig = useAsync(
    () => (town ? gridsApi.figures(town, { from, to, source }) : Promise.resolve(undefined)),
    [town, from, to, source],
  );
  const f = fig.data;
  const groups = useMemo(() => f?.groups ?? [], [f]);
  const sourceLabel = SOURCES.find((s) => s.value === source)!.label;

  const exportMatrix = (format: 'csv' | 'xlsx') =>
    f &&
    downloadTable(
      format,
      `网格视图_${f.town.name}_${from}_${to}_${sourceLabel}`,
      ['网格', '合计', ...groups.map((g) => g.name)],
      f.grids.map((r) => [r.name, r.count, ...groups.map((g) => r.byGroup[g.id] ?? 0)]),
      { town: f.town.code, from, to, source },
    );

  const open = (region: GridRow | null, group: { id: number; name: string } | null) =>
    setDrill({
      region: region?.code,
      regionName: region?.name ?? '全辖区',
      categoryId: group?.id,
      categoryName: group?.name ?? '全部事项',
    });
  const cell = (n: number, onClick: () => void) =>
    n > 0 ? (
      <Button type="link" size="small" style={{ padding: 0 }} onClick={onClick}>
        {n}
      </Button>
    ) : (
      <Typography.Text type="secondary">0</Typography.Text>
    );

  return (
    <>
      <PageHeader
        title="网格视图"
        sub="本辖区诉求反映集中的问题：按网格 × 事项汇总，找出高频事项和热点网格（第二十九条）"
        extra={<ExportMenu onExport={(fmt) => exportMatrix(fmt)} disabled={!f} testId="town-export" />}
      />
      <Flex gap={8} wrap style={{ marginBottom: 12 }} data-testid="town-filters">
        {(towns.data?.towns.length ?? 0) > 1 && (
          <Select
            showSearch
            aria-label="乡镇（街道）"
            style={{ width: 220 }}
            value={town}
            onChange={setPicked}
            optionFilterProp="label"
            options={towns.data!.towns.map((t) => ({ value: t.code, label: t.path }))}
          />
        )}
        <DatePicker.RangePicker
          value={range}
          allowClear={false}
          disabledDate={(d) => d.isAfter(today, 'day')}
          onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
          presets={[
            { label: '近30天', value: [today.subtract(29, 'day'), today] },
            { label: '近90天', value: [today.subtract(89, 'day'), today] },
            { label: '本年', value: [today.startOf('year'), today] },
          ]}
        />
        <Segmented<Source> aria-label="来源" options={SOURCES} value={source} onChange={setSource} />
      </Flex>
      <ErrorAlert message={towns.errorText ?? fig.errorText} onRetry={fig.reload} />
      {f && (
        <>
          <Row gutter={12} style={{ marginBottom: 12 }}>
            <Col span={6}>
              <Card size="small">
                <Statistic title={`${f.town.name} 工单总数`} value={f.totals.tickets} />
              </Card>
            </Col>
            <Col span={6}>
              <Card size="small">
                <Statistic title="群众诉求" value={f.totals.citizen} />
              </Card>
            </Col>
            <Col span={6}>
              <Card size="small">
                <Statistic title="主动发现（网格员上报）" value={f.totals.proactive} />
              </Card>
            </Col>
            <Col span={6}>
              <Card size="small">
                <Statistic title="网格数" value={f.grids.filter((g) => g.inGrid).length} />
              </Card>
            </Col>
          </Row>
          <Card size="small" title={`网格分布图（${sourceLabel}）`} style={{ marginBottom: 12 }}>
            <GridMap townCode={f.town.code} townName={f.town.name} grids={f.grids} onSelect={(g) => open(g, null)} />
          </Card>
          <Row gutter={12}>
            <Col span={16}>
              <Card size="small" title={`网格 × 事项大类（${sourceLabel}）`}>
                <Table<GridRow>
                  size="small"
                  rowKey="code"
                  data-testid="town-grid-table"
                  dataSource={f.grids}
                  pagination={false}
                  scroll={{ x: true }}
                  columns={[
                    {
                      title: '网格',
                      dataIndex: 'name',
                      fixed: 'left',
                      render: (n: string, r: GridRow) => (r.retired ? `${n}（已停用）` : n),
                    },
                    {
                      title: '合计',
                      dataIndex: 'count',
                      render: (n: number, r) => cell(n, () => open(r, null)),
                    },
                    ...groups.map((g) => ({
                      title: g.name,
                      key: String(g.id),
                      render: (_: unknown, r: GridRow) => cell(r.byGroup[g.id] ?? 0, () => open(r, g)),
                    })),
                  ]}
                />
              </Card>
            </Col>
            <Col span={8}>
              <Card size="small" title="热点网格" style={{ marginBottom: 12 }}>
                <List
                  size="small"
                  data-testid="town-hot-grids"
                  dataSource={f.hotGrids}
                  locale={{ emptyText: '本期暂无工单' }}
                  renderItem={(h, i) => (
                    <List.Item
                      actions={[
                        <Button
                          key="d"
                          type="link"
                          size="small"
                          onClick={() => open(f.grids.find((g) => g.code === h.code) ?? null, null)}
                        >
                          {h.count} 件
                        </Button>,
                      ]}
                    >
                      <List.Item.Meta
                        title={`${i + 1}. ${h.name}`}
                        description={h.topMatter ? `最多：${h.topMatter}（${h.topMatterCount} 件）` : undefined}
                      />
                    </List.Item>
                  )}
                />
              </Card>
              <Card size="small" title="高频事项">
                <List
                  size="small"
                  data-testid="town-top-matters"
                  dataSource={f.topMatters}
                  locale={{ emptyText: '本期暂无工单' }}
                  renderItem={(m) => (
                    <List.Item
                      actions={[
                        <Button key="d" type="link" size="small" onClick={() => open(null, m)}>
                          {m.count} 件
                        </Button>,
                      ]}
                    >
                      {m.name}
                    </List.Item>
                  )}
                />
              </Card>
            </Col>
          </Row>
        </>
      )}
      {town && (
        <DrillDrawer town={town} from={from} to={to} source={source} drill={drill} onClose={() => setDrill(null)} />
      )}
    </>
  );
}
