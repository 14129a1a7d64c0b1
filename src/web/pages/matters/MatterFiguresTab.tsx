import { useMemo } from 'react';
import { Alert, Col, Row, Statistic } from 'antd';
import { LineChart } from 'echarts/charts';
import { MarkLineComponent } from 'echarts/components';
import type { EChartsCoreOption } from 'echarts/core';
import { mattersApi } from '../../api/matters';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useAsync } from '../../lib/useAsync';
import { echarts } from '../overview/charts';
import { EChart } from '../overview/EChart';

echarts.use([LineChart, MarkLineComponent]);

/** 数据对比 (第二十五条 完善政策措施): the matter's tickets per month, the months the measures took effect marked. */
export function MatterFiguresTab({ matterId, version }: { matterId: number; version: number }) {
  const fig = useAsync(() => mattersApi.figures(matterId), [matterId, version]);
  const option = useMemo<EChartsCoreOption | null>(() => {
    const f = fig.data;
    if (!f || f.months.length === 0) return null;
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 40, right: 24, top: 48, bottom: 30 },
      xAxis: { type: 'category', data: f.months.map((m) => m.month) },
      yAxis: { type: 'value', minInterval: 1, name: '件' },
      series: [
        {
          name: '关联工单',
          type: 'bar',
          data: f.months.map((m) => m.tickets),
          itemStyle: { color: '#5b8ff9' },
          markLine: {
            symbol: 'none',
            label: { formatter: '{b}', position: 'end' },
            lineStyle: { color: '#f5222d', type: 'dashed' },
            data: f.measures.map((m) => ({ name: m.title, xAxis: m.month })),
          },
        },
        {
          name: '趋势',
          type: 'line',
          smooth: false,
          data: f.months.map((m) => m.tickets),
          itemStyle: { color: '#fa8c16' },
        },
      ],
    };
  }, [fig.data]);
  return (
    <>
      <ErrorAlert message={fig.errorText} onRetry={() => void fig.reload()} />
      {fig.data && (
        <Row gutter={16} style={{ marginBottom: 12 }}>
          <Col span={8}>
            <Statistic title="措施前月均（件）" value={fig.data.before ?? '—'} />
          </Col>
          <Col span={8}>
            <Statistic title="措施后月均（件）" value={fig.data.after ?? '—'} />
          </Col>
          <Col span={8}>
            <Statistic title="首项措施施行月份" value={fig.data.firstMeasureMonth ?? '尚无政策措施'} />
          </Col>
        </Row>
      )}
      {option ? (
        <div data-testid="matter-figures-chart">
          <EChart option={option} height={320} />
        </div>
      ) : (
        !fig.loading && <Alert type="info" showIcon message="尚无关联工单，暂无数据" />
      )}
    </>
  );
}
