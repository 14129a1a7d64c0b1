import { useState } from 'react';
import { Card, Col, DatePicker, Descriptions, Flex, Row, Select, Space, Statistic, Table, Typography } from 'antd';
import { FileExcelOutlined, FilePdfOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { serverNow } from '../../api/client';
import { forecastApi, type UnitMonth } from '../../api/forecast';
import { useMe } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { DownloadButton } from '../../components/DownloadButton';
import { ExportMenu } from '../../components/ExportMenu';
import { ForecastReminderAlert } from '../../components/ForecastReminderAlert';
import { PageHeader } from '../../components/PageHeader';
import { downloadTable } from '../../lib/csv';
import { isUnitStaff } from '../../lib/permissions';
import { useReference } from '../../lib/reference';
import { useAsync } from '../../lib/useAsync';

// 第二十八条(一) 定期分析诉求事项办理情况: a unit's month — received, finished, on time, the matters most raised,
// repeat requesters (counts only), rework and satisfaction — beside the previous month and last year's same month;
// as PDF and Excel. A unit's people see their own unit; the centre's analysts choose a unit.

const pct = (v: number | null) => (v === null ? '—' : `${v}%`);
const monthLabel = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月`;

type Row = { key: string; label: string; f: (m: UnitMonth) => string };
const ROWS: Row[] = [
  { key: 'received', label: '受理量（件）', f: (m) => String(m.received) },
  { key: 'finished', label: '办结量（件）', f: (m) => String(m.finished) },
  { key: 'onTime', label: '按期办结（件）', f: (m) => `${m.onTime} / ${m.onTimeDue}` },
  { key: 'onTimeRate', label: '按期办结率', f: (m) => pct(m.onTimeRate) },
  { key: 'rework', label: '重办（件）', f: (m) => `${m.rework} / ${m.reworkBase}` },
  { key: 'reworkRate', label: '重办率', f: (m) => pct(m.reworkRate) },
  { key: 'satisfied', label: '满意（件）', f: (m) => `${m.satisfied} / ${m.surveyed}` },
  { key: 'satisfactionRate', label: '满意率', f: (m) => pct(m.satisfactionRate) },
  { key: 'resolutionRate', label: '解决率', f: (m) => pct(m.resolutionRate) },
];

export default function UnitMonthlyAnalysisPage() {
  const me = useMe();
  const ref = useReference();
  const ownUnit = isUnitStaff(me) && me.scope === 'unit';
  const today = dayjs(serverNow());
  const [month, setMonth] = useState<Dayjs>(today.subtract(1, 'month'));
  const [unitId, setUnitId] = useState<number>();
  const q = { month: month.format('YYYY-MM'), unitId: ownUnit ? undefined : unitId };
  const res = useAsync(
    () => (ownUnit || unitId !== undefined ? forecastApi.unitAnalysis(q) : Promise.resolve(undefined)),
    [q.month, q.unitId],
  );
  const a = res.data;
  const units = ref.units.filter((u) => u.kind !== 'centre' && u.active);

  const exportTable = (format: 'csv' | 'xlsx') =>
    a &&
    downloadTable(
      format,
      `月度分析_${a.unit.name}_${a.month}`,
      ['指标', a.month, `上月（${a.previousMonth}）`, `去年同月（${a.lastYearMonth}）`],
      ROWS.map((r) => [r.label, r.f(a.current), r.f(a.previous), a.lastYear ? r.f(a.lastYear) : '—']),
      { unitId: a.unit.id, month: a.month },
    );

  return (
    <>
      <PageHeader
        title="月度分析"
        sub="本单位诉求事项办理情况月度分析：受理、办结、按期、主要事项、重复诉求、重办与满意率（第二十八条）"
        extra={
          a && (
            <Space>
              <DownloadButton
                icon={<FilePdfOutlined />}
                url={forecastApi.unitAnalysisFile(q, 'pdf')}
                fallbackName="月度分析.pdf"
                testId="unit-analysis-pdf"
              >
                下载 PDF
              </DownloadButton>
              <DownloadButton
                icon={<FileExcelOutlined />}
                url={forecastApi.unitAnalysisFile(q, 'xlsx')}
                fallbackName="月度分析.xlsx"
                testId="unit-analysis-xlsx"
              >
                下载 Excel
              </DownloadButton>
            </Space>
          )
        }
      />
      {ownUnit && <ForecastReminderAlert />}
      <Flex gap={8} wrap style={{ marginBottom: 12 }} data-testid="unit-analysis-filters">
        <DatePicker
          picker="month"
          allowClear={false}
          value={month}
          aria-label="月份"
          disabledDate={(d) => d.isAfter(today, 'month')}
          onChange={(v) => v && setMonth(v)}
        />
        {!ownUnit && (
          <Select
            showSearch
            placeholder="请选择单位"
            aria-label="单位"
            style={{ width: 280 }}
            value={unitId}
            onChange={setUnitId}
            optionFilterProp="label"
            options={units.map((u) => ({ value: u.id, label: u.name }))}
            data-testid="unit-analysis-unit"
          />
        )}
      </Flex>
      <ErrorAlert message={res.errorText} onRetry={() => void res.reload()} />
      {!a && !ownUnit && unitId === undefined && (
        <Typography.Text type="secondary">请选择要分析的单位。</Typography.Text>
      )}
      {a && (
        <div data-testid="unit-analysis">
          <Row gutter={12} style={{ marginBottom: 12 }}>
            <Col span={6}>
              <Card size="small">
                <Statistic title={`${monthLabel(a.month)}受理`} value={a.current.received} suffix="件" />
                <Typography.Text type="secondary">
                  上月 {a.previous.received} 件{a.lastYear ? `，去年同月 ${a.lastYear.received} 件` : ''}
                </Typography.Text>
              </Card>
            </Col>
            <Col span={6}>
              <Card size="small">
                <Statistic title="按期办结率" value={pct(a.current.onTimeRate)} />
                <Typography.Text type="secondary">上月 {pct(a.previous.onTimeRate)}</Typography.Text>
              </Card>
            </Col>
            <Col span={6}>
              <Card size="small">
                <Statistic title="满意率" value={pct(a.current.satisfactionRate)} />
                <Typography.Text type="secondary">上月 {pct(a.previous.satisfactionRate)}</Typography.Text>
              </Card>
            </Col>
            <Col span={6}>
              <Card size="small">
                <Statistic title="重办率" value={pct(a.current.reworkRate)} />
                <Typography.Text type="secondary">上月 {pct(a.previous.reworkRate)}</Typography.Text>
              </Card>
            </Col>
          </Row>
          <Row gutter={12}>
            <Col span={12}>
              <Card
                size="small"
                title={`${a.unit.name}：办理情况对比${a.partial ? '（本月尚未结束）' : ''}`}
                extra={<ExportMenu onExport={exportTable} size="small" testId="unit-analysis-export" />}
                style={{ marginBottom: 12 }}
              >
                <Table
                  size="small"
                  pagination={false}
                  rowKey="key"
                  dataSource={ROWS}
                  data-testid="unit-analysis-figures"
                  columns={[
                    { title: '指标', dataIndex: 'label' },
                    { title: a.month, render: (_, r) => r.f(a.current), align: 'right' },
                    { title: `上月（${a.previousMonth}）`, render: (_, r) => r.f(a.previous), align: 'right' },
                    {
                      title: `去年同月（${a.lastYearMonth}）`,
                      render: (_, r) => (a.lastYear ? r.f(a.lastYear) : '—'),
                      align: 'right',
                    },
                  ]}
                />
              </Card>
            </Col>
            <Col span={12}>
              <Card size="small" title="主要诉求事项" style={{ marginBottom: 12 }}>
                <Table
                  size="small"
                  pagination={false}
                  rowKey="categoryId"
                  dataSource={a.topCategories}
                  locale={{ emptyText: '本月无受理的诉求' }}
                  columns={[
                    { title: '事项分类', dataIndex: 'name' },
                    { title: '本月（件）', dataIndex: 'tickets', align: 'right' },
                    { title: '占比', dataIndex: 'share', align: 'right', render: (v: number | null) => pct(v) },
                    { title: '上月（件）', dataIndex: 'previous', align: 'right' },
                  ]}
                />
              </Card>
              <Card size="small" title="重复诉求（仅计数，不含个人信息）">
                <Descriptions size="small" column={1}>
                  <Descriptions.Item label="本月反映 2 件及以上的诉求人">
                    {a.repeatRequesters.requesters} 位，合计 {a.repeatRequesters.tickets} 件
                  </Descriptions.Item>
                  <Descriptions.Item label="上月">{a.repeatRequesters.previous} 位</Descriptions.Item>
                </Descriptions>
              </Card>
            </Col>
          </Row>
        </div>
      )}
    </>
  );
}
