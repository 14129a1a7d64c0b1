import { useMemo, useState } from 'react';
import { Card, Col, DatePicker, Empty, Row, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { LineChart } from 'echarts/charts';
import { serverNow } from '../../api/client';
import { knowledgeApi, type ArticleFigure, type KnowledgeFigures } from '../../api/knowledge-answering';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { ExportMenu } from '../../components/ExportMenu';
import { downloadTable } from '../../lib/csv';
import type { ExportFormat } from '../../lib/export-file';
import { fmtDateTime } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';
import { EChart } from '../overview/EChart';
import { echarts } from '../overview/charts';

echarts.use([LineChart]);

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const SOURCE_LABELS: Record<string, string> = { agent: '话务员查询', portal: '网站查一查' };

/** 知识库统计 (第十二条 直接答复率, 第十八条): from the day, agent and article rollups. */
export default function KnowledgeFiguresPage() {
  const today = dayjs(serverNow());
  const [range, setRange] = useState<[Dayjs, Dayjs]>([today.subtract(29, 'day'), today]);
  const from = range[0].format('YYYY-MM-DD');
  const to = range[1].format('YYYY-MM-DD');
  const res = useAsync(() => knowledgeApi.figures(from, to), [from, to]);
  const f = res.data;
  return (
    <>
      <PageHeader
        title="知识库统计"
        sub="直接答复率＝在线答复的来电来信 ÷ 话务员处置的来电来信（第十二条）；未解答的搜索供编写缺失的知识"
        extra={
          <DatePicker.RangePicker
            value={range}
            allowClear={false}
            disabledDate={(d) => d.isAfter(today, 'day')}
            onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
            presets={[
              { label: '近7天', value: [today.subtract(6, 'day'), today] },
              { label: '近30天', value: [today.subtract(29, 'day'), today] },
              { label: '本月', value: [today.startOf('month'), today] },
            ]}
          />
        }
      />
      <ErrorAlert message={res.errorText} onRetry={() => void res.reload()} />
      {f && <Figures f={f} />}
    </>
  );
}

/** Every day of the period, with its figures or none (a day without dispositions has no rate: a gap, not 0 %). */
function everyDay(f: KnowledgeFigures) {
  const byDay = new Map(f.daily.map((d) => [d.day, d]));
  const days: Array<
    KnowledgeFigures['daily'][number] | { day: string; answered: 0; withArticle: 0; directAnswerRate: null }
  > = [];
  for (let d = dayjs(f.from); !d.isAfter(dayjs(f.to), 'day') && days.length < 400; d = d.add(1, 'day')) {
    const key = d.format('YYYY-MM-DD');
    days.push(byDay.get(key) ?? { day: key, answered: 0, withArticle: 0, directAnswerRate: null });
  }
  return days;
}

function Figures({ f }: { f: KnowledgeFigures }) {
  const option = useMemo(() => {
    const days = everyDay(f);
    return {
      animation: false,
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: number | null) => (v === null || v === undefined ? '—' : `${v}%`),
      },
      legend: { data: ['直接答复率', '使用知识答复占比'] },
      grid: { left: 48, right: 24, top: 36, bottom: 32 },
      xAxis: { type: 'category', data: days.map((d) => d.day.slice(5)) },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        {
          name: '直接答复率',
          type: 'line',
          showSymbol: true,
          data: days.map((d) => (d.directAnswerRate === null ? null : +(d.directAnswerRate * 100).toFixed(1))),
        },
        {
          name: '使用知识答复占比',
          type: 'line',
          showSymbol: true,
          data: days.map((d) => (d.answered ? +((d.withArticle / d.answered) * 100).toFixed(1) : null)),
        },
      ],
    };
  }, [f]);
  const articleColumns = [
    {
      title: '知识',
      dataIndex: 'title',
      render: (v: string, a: ArticleFigure) => (
        <>
          {v} {a.status !== 'published' && <Tag>已下架</Tag>}
        </>
      ),
    },
    { title: '主管单位', dataIndex: 'ownerUnit', width: 200 },
    { title: '答复次数', dataIndex: 'uses', width: 90, align: 'right' as const },
    { title: '占在线答复', dataIndex: 'shareOfAnswered', width: 100, align: 'right' as const, render: pct },
    { title: '纠错', dataIndex: 'flags', width: 70, align: 'right' as const },
    { title: '网站浏览', dataIndex: 'portalViews', width: 90, align: 'right' as const },
    {
      title: '有用／没用',
      width: 100,
      align: 'right' as const,
      render: (_: unknown, a: ArticleFigure) => `${a.helpfulYes}／${a.helpfulNo}`,
    },
  ];
  const exportArticles = (format: ExportFormat, name: string, rows: ArticleFigure[]) =>
    downloadTable(
      format,
      `${name}_${f.from}_${f.to}.csv`,
      ['知识', '主管单位', '答复次数', '占在线答复', '纠错', '网站浏览', '有用', '没用'],
      rows.map((a) => [
        a.title,
        a.ownerUnit,
        a.uses,
        pct(a.shareOfAnswered),
        a.flags,
        a.portalViews,
        a.helpfulYes,
        a.helpfulNo,
      ]),
    );
  const csv = (label: string, onExport: (format: ExportFormat) => void, disabled: boolean) => (
    <ExportMenu size="small" label={label} onExport={onExport} disabled={disabled} />
  );
  return (
    <>
      <Row gutter={12} style={{ marginBottom: 12 }}>
        {[
          { title: '直接答复率', value: pct(f.total.directAnswerRate) },
          { title: '处置来电来信', value: f.total.disposed },
          { title: '在线答复', value: f.total.answered },
          { title: '其中使用知识', value: `${f.total.withArticle}（${pct(f.total.articleRate)}）` },
          { title: '网站浏览／有用／没用', value: `${f.portal.views}／${f.portal.helpfulYes}／${f.portal.helpfulNo}` },
          {
            title: '查询无结果（话务员／网站）',
            value: `${f.searches.agent.zeroResults}／${f.searches.portal.zeroResults}`,
          },
        ].map((s) => (
          <Col span={4} key={s.title}>
            <Card size="small">
              <Statistic title={s.title} value={s.value} />
            </Card>
          </Col>
        ))}
      </Row>
      <Card
        size="small"
        title="每日直接答复率"
        style={{ marginBottom: 12 }}
        extra={csv(
          '导出',
          (format) =>
            downloadTable(
              format,
              `直接答复率_${f.from}_${f.to}.csv`,
              ['日期', '处置', '在线答复', '使用知识', '直接答复率'],
              f.daily.map((d) => [d.day, d.disposed, d.answered, d.withArticle, pct(d.directAnswerRate)]),
            ),
          !f.daily.length,
        )}
      >
        {f.daily.length ? (
          <EChart option={option} height={260} />
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="所选期间没有处置记录" />
        )}
      </Card>
      <Card size="small">
        <Tabs
          items={[
            {
              key: 'agents',
              label: `按话务员（${f.agents.length}）`,
              children: (
                <>
                  <Space style={{ marginBottom: 8 }}>
                    {csv(
                      '导出',
                      (format) =>
                        downloadTable(
                          format,
                          `话务员直接答复率_${f.from}_${f.to}.csv`,
                          ['话务员', '处置', '在线答复', '使用知识', '直接答复率'],
                          f.agents.map((a) => [a.name, a.disposed, a.answered, a.withArticle, pct(a.directAnswerRate)]),
                        ),
                      !f.agents.length,
                    )}
                  </Space>
                  <Table
                    size="small"
                    rowKey="agentId"
                    dataSource={f.agents}
                    pagination={{ pageSize: 20, hideOnSinglePage: true }}
                    columns={[
                      { title: '话务员', dataIndex: 'name' },
                      { title: '处置', dataIndex: 'disposed', align: 'right' },
                      { title: '在线答复', dataIndex: 'answered', align: 'right' },
                      { title: '使用知识', dataIndex: 'withArticle', align: 'right' },
                      { title: '直接答复率', dataIndex: 'directAnswerRate', align: 'right', render: pct },
                    ]}
                  />
                </>
              ),
            },
            {
              key: 'used',
              label: '使用最多的知识',
              children: (
                <>
                  <Space style={{ marginBottom: 8 }}>
                    {csv('导出', (format) => exportArticles(format, '使用最多的知识', f.mostUsed), !f.mostUsed.length)}
                  </Space>
                  <Table
                    size="small"
                    rowKey="articleId"
                    dataSource={f.mostUsed}
                    pagination={false}
                    columns={articleColumns}
                  />
                </>
              ),
            },
            {
              key: 'flagged',
              label: '纠错最多的知识',
              children: (
                <>
                  <Space style={{ marginBottom: 8 }}>
                    {csv(
                      '导出',
                      (format) => exportArticles(format, '纠错最多的知识', f.mostFlagged),
                      !f.mostFlagged.length,
                    )}
                  </Space>
                  <Table
                    size="small"
                    rowKey="articleId"
                    dataSource={f.mostFlagged}
                    pagination={false}
                    columns={articleColumns}
                  />
                </>
              ),
            },
            {
              key: 'unanswered',
              label: `未解答的搜索（${f.unanswered.length}）`,
              children: (
                <>
                  <Space style={{ marginBottom: 8 }}>
                    {csv(
                      '导出',
                      (format) =>
                        downloadTable(
                          format,
                          `未解答的搜索_${f.from}_${f.to}.csv`,
                          ['搜索内容', '次数', '来源', '最近一次'],
                          f.unanswered.map((u) => [
                            u.query,
                            u.count,
                            u.sources.map((s) => SOURCE_LABELS[s] ?? s).join('、'),
                            fmtDateTime(u.lastAt),
                          ]),
                        ),
                      !f.unanswered.length,
                    )}
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      群众和话务员查过但没有找到答复的问题（号码已隐藏），可据此补充知识
                    </Typography.Text>
                  </Space>
                  <Table
                    size="small"
                    rowKey="query"
                    dataSource={f.unanswered}
                    pagination={false}
                    columns={[
                      { title: '搜索内容', dataIndex: 'query' },
                      { title: '次数', dataIndex: 'count', width: 80, align: 'right' },
                      {
                        title: '来源',
                        dataIndex: 'sources',
                        width: 200,
                        render: (s: string[]) => s.map((x) => <Tag key={x}>{SOURCE_LABELS[x] ?? x}</Tag>),
                      },
                      { title: '最近一次', dataIndex: 'lastAt', width: 170, render: (v: string) => fmtDateTime(v) },
                    ]}
                  />
                </>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
