import { useEffect, useMemo, useRef, useState } from 'react';
import dayjs from 'dayjs';
import { Link, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Drawer, Empty, Flex, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { MarkAreaComponent } from 'echarts/components';
import type { EChartsCoreOption } from 'echarts/core';
import type { EmergingTermRow, EmergingTermsView, EmergingTicketsView } from '../../../shared/contracts/emerging';
import { ProjectOutlined } from '@ant-design/icons';
import { emergingApi } from '../../api/emerging';
import { useMe } from '../../auth/session';
import type { TicketStatus } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ExportMenu } from '../../components/ExportMenu';
import { PageHeader } from '../../components/PageHeader';
import { StatusTag } from '../../components/Tags';
import { downloadTable } from '../../lib/csv';
import type { ExportFormat } from '../../lib/export-file';
import { fmtDateTime } from '../../lib/format';
import { STATUS_LABELS } from '../../lib/labels';
import { canOpen } from '../../lib/permissions';
import { openableRow } from '../../lib/row-keyboard';
import { useAsync } from '../../lib/useAsync';
import { AnalyticsChart } from '../analytics/AnalyticsChart';
import { echarts } from '../overview/charts';
import { EmergingRemindersCard, readsReminders } from './EmergingRemindersCard';

echarts.use([MarkAreaComponent]);

// 第二十八条(三)(四) 新兴诉求词: the words whose share of tickets in the last 4 weeks rose markedly against the 26 weeks
// before (or that are new), as the weekly job ranked them for the city and each county. A new business form reaches
// the hotline filed under old categories; its words show it, and the drawer shows which categories it hides under.

/** `YYYY-MM-DD` plus `n` days (calendar dates: dayjs reads and writes them in local time, no shift). */
const addDays = (day: string, n: number) => dayjs(day).add(n, 'day').format('YYYY-MM-DD');
const weekLabel = (w: string) => `${w} 当周`;
const ratioText = (t: EmergingTermRow) => (t.ratio === null ? '新出现' : `${t.ratio.toFixed(1)}倍`);
const weekly = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2).replace(/0$/, ''));
const isStatus = (s: string): s is TicketStatus => s in STATUS_LABELS;
/** The listed row of a word: as its leading word or one beside it. */
const rowOf = (view: EmergingTermsView, term: string) =>
  view.terms.find((t) => t.term === term || t.related.includes(term)) ?? null;

/** The 30 weekly counts as a tiny line, the recent window shaded (the whole series in the image's name). */
function Sparkline({ series, recentWeeks, term }: { series: number[]; recentWeeks: number; term: string }) {
  const w = 120;
  const h = 26;
  const max = Math.max(1, ...series);
  const step = series.length > 1 ? w / (series.length - 1) : w;
  const y = (v: number) => h - 2 - (v / max) * (h - 4);
  const points = series.map((v, i) => `${(i * step).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const recentX = Math.max(0, (series.length - recentWeeks) * step - step / 2);
  const last = series[series.length - 1] ?? 0;
  return (
    <svg
      width={w}
      height={h}
      viewBox={`0 0 ${w} ${h}`}
      role="img"
      aria-label={`「${term}」近${series.length}周每周工单：${series.join('、')}`}
      style={{ display: 'block', overflow: 'visible' }}
    >
      <rect x={recentX} y={0} width={w - recentX} height={h} fill="rgba(250, 140, 22, 0.12)" />
      <polyline points={points} fill="none" stroke="#1677ff" strokeWidth={1.5} strokeLinejoin="round" />
      <circle cx={(series.length - 1) * step} cy={y(last)} r={2} fill="#cf1322" />
    </svg>
  );
}

/** Tickets a week with the word, the recent window shaded and its bars in orange. */
function weeklyOption(view: EmergingTermsView, t: EmergingTermRow): EChartsCoreOption {
  const recentFrom = view.recentFrom ?? '';
  return {
    animation: false,
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => `${String(v)} 件` },
    grid: { left: 40, right: 16, top: 28, bottom: 48 },
    xAxis: {
      type: 'category',
      data: view.seriesWeeks,
      axisLabel: { formatter: (v: string) => v.slice(5), rotate: 45, fontSize: 11 },
      name: '周（周一）',
      nameLocation: 'middle',
      nameGap: 36,
    },
    yAxis: { type: 'value', minInterval: 1, name: '工单（件）', nameTextStyle: { align: 'left' } },
    series: [
      {
        name: `含「${t.term}」的工单`,
        type: 'bar',
        barMaxWidth: 18,
        data: t.series.map((v, i) => ({
          value: v,
          itemStyle: { color: (view.seriesWeeks[i] ?? '') >= recentFrom ? '#fa8c16' : '#1677ff' },
        })),
        markArea: {
          silent: true,
          itemStyle: { color: 'rgba(250, 140, 22, 0.1)' },
          label: { position: 'top', color: '#ad4e00' },
          data: [[{ name: `近${view.rules.recentWeeks}周`, xAxis: recentFrom }, { xAxis: view.week ?? '' }]],
        },
      },
    ],
  };
}

function TermDrawer({
  view,
  term,
  onClose,
}: {
  view: EmergingTermsView;
  term: EmergingTermRow | null;
  onClose: () => void;
}) {
  const region = view.region;
  const week = view.week ?? undefined;
  const tickets = useAsync(
    async () => (term ? emergingApi.tickets({ term: term.term, region, week }) : null),
    [term?.term, region, week],
  );
  const option = useMemo(() => (term ? weeklyOption(view, term) : null), [view, term]);
  const d = tickets.data;
  const regionName = view.regions.find((r) => r.code === region)?.name ?? '';
  const me = useMe();
  // 第二十五条: a word worth studying becomes a 专题 — the proposal starts from its newest ticket and finds the like
  const newest = d?.tickets[0];
  const study = newest && me && canOpen(me, '/matters/new') && (
    <Link to={`/matters/new?seedTicketId=${newest.id}`} data-testid="emerging-matter">
      <Button size="small" icon={<ProjectOutlined />}>
        立为专题治理
      </Button>
    </Link>
  );
  return (
    <Drawer
      open={!!term}
      onClose={onClose}
      width={960}
      title={
        term && (
          <Space>
            <span>「{term.term}」的工单</span>
            {term.isNew && <Tag color="red">新出现</Tag>}
            {term.seasonal && <Tag color="blue">季节性</Tag>}
          </Space>
        )
      }
      data-testid="emerging-drawer"
      extra={study}
      destroyOnHidden
    >
      {term && (
        <div data-testid="emerging-drawer-body">
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            {regionName}，近{view.rules.recentWeeks}周（{view.recentFrom} 至 {week ? addDays(week, 6) : '—'}
            ）含此词的工单 {term.recent} 件、周均 {weekly(term.recentWeekly)} 件；此前{view.rules.baselineWeeks}周{' '}
            {term.baseline} 件、周均 {weekly(term.baselineWeekly)} 件
            {term.ratio === null ? '，为新出现的词语' : `，占比为此前的 ${term.ratio.toFixed(1)} 倍`}
            {term.lastYear > 0 ? `；去年同期 ${term.lastYear} 件` : ''}。
            {term.related.length > 0 && `多与「${term.related.join('」「')}」出现在同一批工单中。`}
          </Typography.Paragraph>
          {d?.ownUnitOnly && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 8 }}
              message="以下分类与工单仅含本单位承办的工单；词语的统计为全部工单"
              data-testid="emerging-own-unit"
            />
          )}
          <Typography.Title level={2} style={{ fontSize: 15, margin: '4px 0' }}>
            每周工单（近{view.seriesWeeks.length}周）
          </Typography.Title>
          {option && <AnalyticsChart option={option} height={220} testId="emerging-weekly-chart" />}
          <ErrorAlert message={tickets.errorText} onRetry={() => void tickets.reload()} />
          <Typography.Title level={2} style={{ fontSize: 15, margin: '12px 0 4px' }}>
            所属事项分类
          </Typography.Title>
          <Typography.Text type="secondary">
            新业态、新领域的诉求往往分散在原有分类下：按近{view.rules.recentWeeks}周含此词的
            {d?.capped ? `最新 ${d.sampled} 件` : ` ${d?.sampled ?? '—'} 件`}工单统计
          </Typography.Text>
          <Table<EmergingTicketsView['categories'][number]>
            size="small"
            rowKey="categoryId"
            loading={tickets.loading}
            dataSource={d?.categories ?? []}
            pagination={false}
            data-testid="emerging-categories"
            locale={{ emptyText: '暂无工单' }}
            style={{ marginTop: 4 }}
            columns={[
              { title: '事项分类', dataIndex: 'path' },
              { title: '工单（件）', dataIndex: 'tickets', align: 'right', width: 110 },
              {
                title: '占比',
                align: 'right',
                width: 90,
                render: (_, c) => (d?.sampled ? `${Math.round((c.tickets / d.sampled) * 100)}%` : '—'),
              },
            ]}
          />
          <Typography.Title level={2} style={{ fontSize: 15, margin: '16px 0 4px' }}>
            最新工单
            {d && d.sampled > d.tickets.length
              ? `（共 ${d.sampled}${d.capped ? '+' : ''} 件，显示最新 ${d.tickets.length} 件）`
              : ''}
          </Typography.Title>
          <Table<EmergingTicketsView['tickets'][number]>
            size="small"
            rowKey="id"
            loading={tickets.loading}
            dataSource={d?.tickets ?? []}
            pagination={false}
            data-testid="emerging-tickets"
            locale={{ emptyText: '暂无工单' }}
            columns={[
              {
                title: '编号',
                dataIndex: 'number',
                width: 165,
                render: (n: string, t) => <Link to={`/tickets/${t.id}`}>{n}</Link>,
              },
              { title: '标题', dataIndex: 'title', ellipsis: true },
              { title: '分类', dataIndex: 'categoryPath', ellipsis: true, width: 140 },
              { title: '区域', dataIndex: 'regionName', ellipsis: true, width: 150 },
              { title: '时间', dataIndex: 'createdAt', width: 130, render: (v: string) => fmtDateTime(v) },
              {
                title: '状态',
                dataIndex: 'status',
                width: 80,
                render: (s: string) => (isStatus(s) ? <StatusTag status={s} /> : s),
              },
            ]}
          />
        </div>
      )}
    </Drawer>
  );
}

export default function EmergingTermsPage() {
  // a link from a 新兴诉求提醒 names the list, the week and the word whose drawer opens
  const [params] = useSearchParams();
  const [region, setRegion] = useState<string | undefined>(params.get('region') ?? undefined);
  const [week, setWeek] = useState<string | undefined>(params.get('week') ?? undefined);
  const [withSeasonal, setWithSeasonal] = useState(false);
  const [open, setOpen] = useState<EmergingTermRow | null>(null);
  const wanted = useRef<string | null>(params.get('term'));
  const list = useAsync(() => emergingApi.terms({ region, week }), [region, week]);
  const v = list.data;
  const me = useMe();

  useEffect(() => {
    const term = wanted.current;
    if (!v || !term || (week && v.week !== week)) return;
    wanted.current = null;
    const row = rowOf(v, term);
    if (row?.seasonal) setWithSeasonal(true);
    setOpen(row);
  }, [v, week]);

  const seasonalCount = v?.terms.filter((t) => t.seasonal).length ?? 0;
  const rows = useMemo(
    () => (v ? (withSeasonal ? v.terms : v.terms.filter((t) => !t.seasonal)) : []),
    [v, withSeasonal],
  );
  const regionName = v?.regions.find((r) => r.code === v.region)?.name ?? '';
  const recentWeeks = v?.rules.recentWeeks ?? 4;
  const baselineWeeks = v?.rules.baselineWeeks ?? 26;

  const exportRows = (format: ExportFormat) =>
    v?.week &&
    downloadTable(
      format,
      `新兴诉求词_${regionName}_${v.week}`,
      [
        '排名',
        '词语',
        '同现词语',
        '新出现',
        '季节性',
        `近${recentWeeks}周工单（件）`,
        `此前${baselineWeeks}周工单（件）`,
        `近${recentWeeks}周周均（件）`,
        `此前${baselineWeeks}周周均（件）`,
        '倍数',
        '去年同期（件）',
        '显著性',
      ],
      rows.map((t) => [
        t.rank,
        t.term,
        t.related.join('、'),
        t.isNew ? '是' : '否',
        t.seasonal ? '是' : '否',
        t.recent,
        t.baseline,
        t.recentWeekly,
        t.baselineWeekly,
        ratioText(t),
        t.lastYear,
        t.score,
      ]),
      { region: v.region, week: v.week, seasonal: withSeasonal },
    );

  const ranked = !!v?.week;
  const short = v?.status === 'short_history';
  return (
    <>
      <PageHeader
        title="新兴诉求"
        sub={`第二十八条(三)(四)：近${recentWeeks}周工单中较此前${baselineWeeks}周明显增多或新出现的词语，每周一统计上一周；用于研究新业态、新领域问题，开展源头治理`}
      />
      <Flex gap={12} wrap align="center" style={{ marginBottom: 12 }} data-testid="emerging-filters">
        <Select
          aria-label="区域"
          style={{ width: 160 }}
          value={v?.region ?? region}
          placeholder="区域"
          loading={!v && list.loading}
          options={(v?.regions ?? []).map((r) => ({ value: r.code, label: r.name }))}
          onChange={(code: string) => {
            setRegion(code);
            setWeek(undefined);
            setOpen(null);
          }}
          data-testid="emerging-region"
        />
        <Select
          aria-label="统计周"
          style={{ width: 170 }}
          value={v?.week ?? week}
          placeholder="统计周"
          disabled={!v?.weeks.length}
          options={(v?.weeks ?? []).map((w) => ({ value: w, label: weekLabel(w) }))}
          onChange={(w: string) => {
            setWeek(w);
            setOpen(null);
          }}
          data-testid="emerging-week"
        />
        <Flex gap={6} align="center">
          <Switch
            id="emerging-seasonal"
            size="small"
            checked={withSeasonal}
            onChange={setWithSeasonal}
            data-testid="emerging-seasonal"
          />
          <label htmlFor="emerging-seasonal" style={{ cursor: 'pointer' }}>
            含季节性词语
          </label>
          {!withSeasonal && seasonalCount > 0 && (
            <Typography.Text type="secondary">（已隐藏 {seasonalCount} 个季节性词语）</Typography.Text>
          )}
        </Flex>
      </Flex>
      <ErrorAlert message={list.errorText} onRetry={() => void list.reload()} />
      {v && ranked && (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }} data-testid="emerging-figures">
          {regionName}：近{recentWeeks}周（{v.recentFrom} 至 {addDays(v.week!, 6)}）工单 {v.recentTickets} 件，此前
          {baselineWeeks}周（{v.baselineFrom} 至 {v.recentFrom ? addDays(v.recentFrom, -1) : '—'}）{v.baselineTickets}{' '}
          件；统计于 {fmtDateTime(v.computedAt)}。入选条件：近{recentWeeks}周至少 {v.rules.minRecent}{' '}
          件工单含此词，占比达此前的 {v.rules.minRatio} 倍以上且增幅显著。
        </Typography.Paragraph>
      )}
      {v && !ranked && (
        <Card size="small">
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description="尚未统计：每周一统计上一周的诉求词语"
            data-testid="emerging-none"
          />
        </Card>
      )}
      {v && short && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message="此前的工单不足，暂无法比较"
          description={`${regionName}此前${baselineWeeks}周只有 ${v.baselineTickets} 件工单，词语的增减不足以判断；可查看全市或其他区县。`}
          data-testid="emerging-short"
        />
      )}
      {(!v || (ranked && !short)) && (
        <Card
          size="small"
          title={v?.week ? `${weekLabel(v.week)}新兴诉求词（${rows.length} 个）` : '新兴诉求词'}
          extra={<ExportMenu onExport={exportRows} disabled={!rows.length} testId="emerging-export" size="small" />}
        >
          <Table<EmergingTermRow>
            size="small"
            rowKey="term"
            loading={list.loading}
            dataSource={rows}
            pagination={false}
            data-testid="emerging-terms"
            onRow={openableRow(
              (t) => setOpen(t),
              (t) => `「${t.term}」的工单`,
            )}
            locale={{
              emptyText:
                seasonalCount > 0 && !withSeasonal
                  ? `本周没有明显增多的词语（另有 ${seasonalCount} 个季节性词语已隐藏）`
                  : '本周没有明显增多的词语',
            }}
            columns={[
              { title: '排名', dataIndex: 'rank', width: 64, align: 'right' },
              {
                title: '词语',
                dataIndex: 'term',
                render: (term: string, t) => (
                  <>
                    <Space size={4} wrap>
                      <Typography.Text strong>{term}</Typography.Text>
                      {t.isNew && <Tag color="red">新出现</Tag>}
                      {t.seasonal && <Tag color="blue">季节性</Tag>}
                    </Space>
                    {t.related.length > 0 && (
                      <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                        同现：{t.related.join('、')}
                      </Typography.Text>
                    )}
                  </>
                ),
              },
              { title: `近${recentWeeks}周工单`, dataIndex: 'recent', align: 'right', width: 100 },
              {
                title: `周均（近${recentWeeks}周 / 此前）`,
                align: 'right',
                width: 150,
                render: (_, t) => `${weekly(t.recentWeekly)} / ${weekly(t.baselineWeekly)}`,
              },
              {
                title: '倍数',
                dataIndex: 'ratio',
                align: 'right',
                width: 90,
                render: (_, t) =>
                  t.ratio === null ? <Typography.Text type="danger">新出现</Typography.Text> : ratioText(t),
              },
              {
                title: `近${v?.seriesWeeks.length ?? 30}周走势`,
                width: 150,
                render: (_, t) => <Sparkline series={t.series} recentWeeks={recentWeeks} term={t.term} />,
              },
              { title: '显著性', dataIndex: 'score', align: 'right', width: 80 },
              {
                title: '工单',
                width: 90,
                render: (_, t) => (
                  <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setOpen(t)}>
                    查看工单
                  </Button>
                ),
              },
            ]}
          />
        </Card>
      )}
      {readsReminders(me) && (
        <EmergingRemindersCard
          onShow={(r) => {
            wanted.current = r.term;
            setOpen(null);
            setRegion(r.region);
            setWeek(r.week);
            // the list is already the reminder's: the effect above reads it again
            if (v?.region === r.region && v.week === r.week) {
              wanted.current = null;
              setOpen(rowOf(v, r.term));
            }
          }}
        />
      )}
      {v && <TermDrawer view={v} term={open} onClose={() => setOpen(null)} />}
    </>
  );
}
