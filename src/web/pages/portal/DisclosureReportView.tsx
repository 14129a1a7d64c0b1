import { useMemo } from 'react';
import { Alert, Card, Col, Empty, List, Row, Statistic, Table, Tag, Typography } from 'antd';
import type {
  CountTable,
  DisclosureReport,
  PublicCount,
  PublicRate,
  UnitRateRow,
} from '../../../shared/contracts/disclosure';
import type { EChartsCoreOption } from 'echarts/core';
import { EChart } from '../overview/EChart';

// 第二十一条: one month's report as the public reads it — the portal's month page and the centre's preview draw
// this same component from the same JSON, so what the reviewer approves is what the portal shows.

export const countText = (c: PublicCount) => (c.suppressed ? '<5' : (c.value ?? 0).toLocaleString('zh-CN'));
export const rateText = (r: PublicRate) =>
  r.suppressed ? '不足5件' : r.value === null ? '—' : `${r.value.toFixed(2)}%`;

const shownRows = (t: CountTable) => t.rows.filter((r) => !r.count.suppressed && (r.count.value ?? 0) > 0);
const hiddenNote = (t: CountTable) =>
  t.rows.some((r) => r.count.suppressed) ? '部分小于 5 件的分类未在图中显示' : undefined;

function pie(t: CountTable) {
  return {
    animation: false,
    tooltip: { trigger: 'item', formatter: '{b}：{c} 件（{d}%）' },
    legend: { bottom: 0, type: 'scroll' },
    series: [
      {
        type: 'pie',
        radius: ['35%', '65%'],
        center: ['50%', '45%'],
        label: { formatter: '{b}\n{d}%' },
        data: shownRows(t).map((r) => ({ name: r.label, value: r.count.value })),
      },
    ],
  };
}

function bar(labels: string[], values: Array<number | null>, horizontal = false) {
  const cat = { type: 'category', data: labels, axisLabel: { interval: 0, width: 96, overflow: 'truncate' } };
  const val = { type: 'value', minInterval: 1 };
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    grid: { left: horizontal ? 104 : 40, right: 24, top: 16, bottom: 28 },
    xAxis: horizontal ? val : cat,
    yAxis: horizontal ? { ...cat, inverse: true } : val,
    series: [{ type: 'bar', name: '件数', data: values, barMaxWidth: 28, itemStyle: { color: '#1456c8' } }],
  };
}

function ChartCard(props: { title: string; note?: string; option: EChartsCoreOption; empty: boolean }) {
  const { title, note, option, empty } = props;
  return (
    <Card size="small" title={title} style={{ height: '100%' }}>
      {empty ? <Empty description="本月没有可公开的数据" /> : <EChart option={option} height={260} />}
      {note && <Typography.Text type="secondary">{note}</Typography.Text>}
    </Card>
  );
}

export function DisclosureReportView({ report }: { report: DisclosureReport }) {
  const r = report;
  const options = useMemo(() => {
    const matters = r.topMatters.rows.filter((m) => !m.count.suppressed);
    const shownBar = (t: CountTable) => {
      const rows = shownRows(t);
      return bar(
        rows.map((x) => x.label),
        rows.map((x) => x.count.value),
      );
    };
    return {
      contactChannels: pie(r.contacts.byChannel),
      contactTypes: shownBar(r.contacts.byType),
      ticketChannels: pie(r.tickets.byChannel),
      ticketTypes: shownBar(r.tickets.byType),
      matters: bar(
        matters.map((m) => m.label),
        matters.map((m) => m.count.value),
        true,
      ),
    };
  }, [r]);
  const charts: Array<[string, CountTable, EChartsCoreOption]> = [
    ...(r.contacts.byChannel.total.value === 0
      ? []
      : ([
          ['来电来信渠道', r.contacts.byChannel, options.contactChannels],
          ['来电来信处置方式', r.contacts.byType, options.contactTypes],
        ] as Array<[string, CountTable, EChartsCoreOption]>)),
    ['工单来源渠道', r.tickets.byChannel, options.ticketChannels],
    ['诉求类型', r.tickets.byType, options.ticketTypes],
  ];
  return (
    <div className="disclosure-report" data-testid="disclosure-report">
      {r.correction && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={`本报告已更正（第 ${r.version} 版）`}
          description={`更正说明：${r.correction.note}`}
        />
      )}
      {r.foreword && (
        <Card size="small" style={{ marginBottom: 12 }}>
          <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>{r.foreword}</Typography.Paragraph>
        </Card>
      )}
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title="来电来信" value={countText(r.contacts.byChannel.total)} suffix="件" />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title="形成工单" value={countText(r.tickets.byType.total)} suffix="件" />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title="参与排名的承办单位" value={r.units.rows.length} suffix="个" />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title="典型案例" value={r.cases.length} suffix="个" />
          </Card>
        </Col>
      </Row>
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        {charts.map(([title, table, option]) => (
          <Col xs={24} md={12} key={title}>
            <ChartCard title={title} option={option} note={hiddenNote(table)} empty={shownRows(table).length === 0} />
          </Col>
        ))}
      </Row>
      <Card size="small" title="热点事项（与上月比较）" style={{ marginBottom: 12 }}>
        {r.topMatters.rows.some((m) => !m.count.suppressed) && <EChart option={options.matters} height={280} />}
        <Table
          size="small"
          rowKey="key"
          pagination={false}
          dataSource={r.topMatters.rows}
          columns={[
            { title: '事项', dataIndex: 'label' },
            { title: '本月', render: (_, m) => countText(m.count), align: 'right' },
            { title: '上月', render: (_, m) => countText(m.previous), align: 'right' },
            {
              title: '增减',
              align: 'right',
              render: (_, m) =>
                m.change.suppressed ? '—' : `${(m.change.value ?? 0) > 0 ? '+' : ''}${m.change.value ?? 0}`,
            },
          ]}
        />
      </Card>
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        {(
          [
            ['红榜', r.redList, 'green'],
            ['黑榜', r.blackList, 'red'],
          ] as const
        ).map(([title, rows, color]) => (
          <Col xs={24} md={12} key={title}>
            <Card size="small" title={<Tag color={color}>{title}</Tag>} style={{ height: '100%' }}>
              <List
                size="small"
                locale={{ emptyText: '本月无' }}
                dataSource={rows}
                renderItem={(h) => (
                  <List.Item>
                    <List.Item.Meta title={`${h.position}. ${h.label}`} description={`${h.group} · ${h.reason}`} />
                  </List.Item>
                )}
              />
            </Card>
          </Col>
        ))}
      </Row>
      <Card size="small" title="承办单位办理情况排名" style={{ marginBottom: 12 }}>
        <Table<UnitRateRow>
          size="small"
          rowKey="key"
          pagination={r.units.rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
          scroll={{ x: 640 }}
          dataSource={r.units.rows}
          columns={[
            { title: '排名', width: 56, render: (_, _u, i) => i + 1 },
            { title: '单位', dataIndex: 'label' },
            { title: '类别', dataIndex: 'group', responsive: ['md'] },
            { title: '工单', render: (_, u) => countText(u.handled), align: 'right' },
            { title: '签收及时率', render: (_, u) => rateText(u.acceptTimely), align: 'right' },
            { title: '按期办结率', render: (_, u) => rateText(u.ontimeCompletion), align: 'right' },
            { title: '解决率', render: (_, u) => rateText(u.resolution), align: 'right' },
            { title: '满意率', render: (_, u) => rateText(u.satisfaction), align: 'right' },
            { title: '考核得分', render: (_, u) => (u.score === null ? '—' : u.score.toFixed(2)), align: 'right' },
          ]}
        />
        <Typography.Text type="secondary">
          {r.units.source === 'assessment_result' ? '得分取自本月考核结果。' : '得分按本月考核方案实时计算。'}
        </Typography.Text>
      </Card>
      <Card size="small" title="典型案例" style={{ marginBottom: 12 }}>
        <List
          locale={{ emptyText: '本月未选登典型案例' }}
          dataSource={r.cases}
          renderItem={(k) => (
            <List.Item>
              <List.Item.Meta
                title={k.title}
                description={
                  <>
                    <div>{`${k.category} · ${k.unit}`}</div>
                    <Typography.Paragraph style={{ marginBottom: 0, color: 'rgba(0,0,0,0.85)' }}>
                      {k.summary}
                    </Typography.Paragraph>
                  </>
                }
              />
            </List.Item>
          )}
        />
      </Card>
      <Typography.Text type="secondary">{r.suppression.note}</Typography.Text>
    </div>
  );
}
