import { Card, Col, Row, Statistic, Typography } from 'antd';
import { presenceApi } from '../../../api/presence';
import { useAsync } from '../../../lib/useAsync';

const fmtSeconds = (s: number | null) =>
  s === null ? '—' : `${Math.floor(s / 60)}分${String(s % 60).padStart(2, '0')}秒`;

/** 本班次 (issue 14): the agent's own figures for the last 12 hours, refreshed after each disposal or change of state. */
export function ShiftFigures({ version }: { version: number }) {
  const f = useAsync(() => presenceApi.shift(12), [version]);
  const d = f.data;
  return (
    <Card size="small" title="本班次（近 12 小时）" style={{ marginTop: 12 }} data-testid="shift-figures">
      {d ? (
        <>
          <Row gutter={[8, 8]}>
            <Col span={12}>
              <Statistic title="已处置" value={d.disposed} suffix="件" />
            </Col>
            <Col span={12}>
              <Statistic title="形成工单" value={d.ticketsOpened} suffix="件" />
            </Col>
            <Col span={12}>
              <Statistic title="接听来电" value={d.calls} suffix="个" />
            </Col>
            <Col span={12}>
              <Statistic title="平均通话处理" value={fmtSeconds(d.avgCallSeconds)} />
            </Col>
          </Row>
          <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 13 }}>
            示闲 {d.minutes.available} 分钟 · 示忙 {d.minutes.busy} 分钟 · 小休 {d.minutes.break} 分钟
          </Typography.Paragraph>
        </>
      ) : (
        <Typography.Text type="secondary">{f.errorText ?? '正在统计…'}</Typography.Text>
      )}
    </Card>
  );
}
