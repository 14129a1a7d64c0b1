import { useMemo, useState } from 'react';
import { Card, Col, DatePicker, Row, Statistic, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { LineChart } from 'echarts/charts';
import { MarkLineComponent } from 'echarts/components';
import { serverNow } from '../../api/client';
import { assessmentApi, type ServiceFigures } from '../../api/assessment';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ExportMenu } from '../../components/ExportMenu';
import { PageHeader } from '../../components/PageHeader';
import { downloadTable } from '../../lib/csv';
import { useAsync } from '../../lib/useAsync';
import { EChart } from '../overview/EChart';
import { echarts } from '../overview/charts';

echarts.use([LineChart, MarkLineComponent]);

const pct = (v: number | null) => (v === null ? '—' : `${v.toFixed(2)}%`);
const sec = (v: number | null) => (v === null ? '—' : `${v} 秒`);

/** 服务指标 (GB/T 33358-2016): 15 秒接听率, 24 小时接通率, average wait and talk time, 文字渠道 3 分钟响应率. */
export default function ServiceFiguresPage() {
  const today = dayjs(serverNow());
  const [range, setRange] = useState<[Dayjs, Dayjs]>([today.subtract(29, 'day'), today]);
  const from = range[0].format('YYYY-MM-DD');
  const to = range[1].format('YYYY-MM-DD');
  const res = useAsync(() => assessmentApi.serviceFigures(from, to), [from, to]);
  const f = res.data;
  const option = useMemo(
    () =>
      f && {
        animation: false,
        tooltip: {
          trigger: 'axis',
          valueFormatter: (v: number | null) => (v === null || v === undefined ? '—' : `${v}%`),
        },
        legend: { data: ['24小时接通率', '15秒接听率', '文字渠道3分钟响应率'] },
        grid: { left: 48, right: 24, top: 36, bottom: 32 },
        xAxis: { type: 'category', data: f.days.map((d) => d.day.slice(5)) },
        yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
        series: [
          {
            name: '24小时接通率',
            type: 'line',
            data: f.days.map((d) => d.connectionRate),
            markLine: { silent: true, symbol: 'none', data: [{ yAxis: f.targets.connectionRate, name: '目标' }] },
          },
          { name: '15秒接听率', type: 'line', data: f.days.map((d) => d.answered15sRate) },
          { name: '文字渠道3分钟响应率', type: 'line', data: f.days.map((d) => d.textAnswered3minRate) },
        ],
      },
    [f],
  );
  const exportRows = (format: 'csv' | 'xlsx') =>
    f &&
    downloadTable(
      format,
      `服务指标_${from}_${to}`,
      [
        '日期',
        '呼入',
        '接通',
        '放弃',
        '15秒内接听',
        '接通率',
        '15秒接听率',
        '平均等待(秒)',
        '平均通话(秒)',
        '文字来信',
        '3分钟内响应',
        '3分钟响应率',
      ],
      f.days.map((d) => [
        d.day,
        d.offered,
        d.answered,
        d.abandoned,
        d.answered15s,
        pct(d.connectionRate),
        pct(d.answered15sRate),
        d.averageWaitSeconds,
        d.averageTalkSeconds,
        d.textReceived,
        d.textAnswered3min,
        pct(d.textAnswered3minRate),
      ]),
      { from, to },
    );
  const stat = (title: string, value: string | number, target?: string, good?: boolean) => (
    <Col span={4}>
      <Card size="small">
        <Statistic title={title} value={value} valueStyle={good === false ? { color: '#cf1322' } : undefined} />
        {target && <Typography.Text type="secondary">{target}</Typography.Text>}
      </Card>
    </Col>
  );
  const t = f?.total;
  return (
    <>
      <PageHeader
        title="服务指标"
        sub="按 GB/T 33358-2016：来电 15 秒内接听、24 小时接通率（目标 ≥ 95%）、平均等待与通话时长、文字渠道 3 分钟内响应"
        extra={
          <>
            <DatePicker.RangePicker
              value={range}
              allowClear={false}
              disabledDate={(d) => d.isAfter(today, 'day')}
              onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
            />
            <ExportMenu onExport={(fmt) => void exportRows(fmt)} disabled={!f || f.days.length === 0} />
          </>
        }
      />
      <ErrorAlert message={res.errorText} onRetry={() => void res.reload()} />
      {f && t && (
        <>
          <Row gutter={12} style={{ marginBottom: 12 }}>
            {stat(
              '24小时接通率',
              pct(t.connectionRate),
              `目标 ≥ ${f.targets.connectionRate}%`,
              t.connectionRate === null || t.connectionRate >= f.targets.connectionRate,
            )}
            {stat('15秒接听率', pct(t.answered15sRate), `${t.answered15s}/${t.offered} 通`)}
            {stat('平均等待', sec(t.averageWaitSeconds))}
            {stat('平均通话', sec(t.averageTalkSeconds))}
            {stat('呼入／接通／放弃', `${t.offered}／${t.answered}／${t.abandoned}`)}
            {stat('文字渠道3分钟响应率', pct(t.textAnswered3minRate), `${t.textAnswered3min}/${t.textReceived} 条`)}
          </Row>
          {option && f.days.length > 0 && (
            <Card size="small" style={{ marginBottom: 12 }}>
              <EChart option={option} height={260} />
            </Card>
          )}
          <Table<ServiceFigures & { day: string }>
            size="small"
            rowKey="day"
            dataSource={f.days}
            pagination={{ pageSize: 31 }}
            columns={[
              { title: '日期', dataIndex: 'day' },
              { title: '呼入', dataIndex: 'offered' },
              { title: '接通', dataIndex: 'answered' },
              { title: '放弃', dataIndex: 'abandoned' },
              { title: '接通率', dataIndex: 'connectionRate', render: pct },
              { title: '15秒接听率', dataIndex: 'answered15sRate', render: pct },
              { title: '平均等待', dataIndex: 'averageWaitSeconds', render: sec },
              { title: '平均通话', dataIndex: 'averageTalkSeconds', render: sec },
              { title: '文字来信', dataIndex: 'textReceived' },
              { title: '3分钟响应率', dataIndex: 'textAnswered3minRate', render: pct },
            ]}
          />
        </>
      )}
    </>
  );
}
