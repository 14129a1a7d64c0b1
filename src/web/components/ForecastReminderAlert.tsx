import { Alert, Button, Flex, Table, Typography } from 'antd';
import { BulbOutlined } from '@ant-design/icons';
import { forecastApi, type ForecastReminder } from '../api/forecast';
import { useAcknowledge } from '../lib/useAcknowledge';
import { useAsync } from '../lib/useAsync';

// 第二十八条(二) 预案提醒: before a seasonal peak the unit sees last year's figures for that month and the forecast, on
// its workbench, until someone of the unit has acknowledged it (已阅).

const monthLabel = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月`;

function ReminderBody({ r }: { r: ForecastReminder }) {
  return (
    <>
      <Typography.Paragraph style={{ marginBottom: 8 }}>
        {r.reasonLabel}：预计 {monthLabel(r.month)}本单位相关诉求约 <b>{Math.round(r.expected)}</b> 件，近一年月均{' '}
        {r.average} 件；去年同月 <b>{r.lastYear ?? '—'}</b> 件。请提前制定工作预案。
      </Typography.Paragraph>
      <Table
        size="small"
        pagination={false}
        rowKey={(d) => `${d.regionName}-${d.categoryName}`}
        dataSource={r.details}
        columns={[
          { title: '区县', dataIndex: 'regionName' },
          { title: '事项', dataIndex: 'categoryName' },
          { title: '去年同月（件）', dataIndex: 'lastYear', align: 'right' },
          { title: '近一年月均（件）', dataIndex: 'average', align: 'right' },
          { title: '预测（件）', dataIndex: 'expected', align: 'right' },
        ]}
      />
    </>
  );
}

/** The unit's open reminders (acknowledged ones disappear); nothing when there are none. */
export function ForecastReminderAlert() {
  const res = useAsync(() => forecastApi.reminders(), []);
  const { busy, ack } = useAcknowledge(forecastApi.acknowledge, res.reload, '预案提醒');
  const open = (res.data?.reminders ?? []).filter((r) => !r.acknowledgedAt);
  if (!open.length) return null;
  return (
    <Flex vertical gap={8} style={{ marginBottom: 12 }} data-testid="forecast-reminders">
      {open.map((r) => (
        <Alert
          key={r.id}
          type="warning"
          showIcon
          icon={<BulbOutlined />}
          message={`预案提醒：${monthLabel(r.month)}可能迎来诉求高峰`}
          description={<ReminderBody r={r} />}
          action={
            <Button size="small" type="primary" loading={busy === r.id} onClick={() => ack(r.id)}>
              已阅
            </Button>
          }
        />
      ))}
    </Flex>
  );
}
