import { Link } from 'react-router-dom';
import { Alert, Button, Flex, Space, Typography } from 'antd';
import { RiseOutlined } from '@ant-design/icons';
import type { EmergingReminder } from '../../shared/contracts/emerging';
import { emergingApi } from '../api/emerging';
import { useAcknowledge } from '../lib/useAcknowledge';
import { useAsync } from '../lib/useAsync';

// 第二十八条(三)(四) 新兴诉求提醒: a matter rising in the city or a county, of which the unit already leads tickets, on
// its workbench until someone of the unit has acknowledged it (已阅) — beside 预案提醒 (ForecastReminderAlert).

/** Where the reminder's word is on the screen 新兴诉求: its list and week, the drawer of the word open. */
export const emergingLink = (r: Pick<EmergingReminder, 'region' | 'week' | 'term'>) =>
  `/emerging?${new URLSearchParams({ region: r.region, week: r.week, term: r.term }).toString()}`;

/** What the reminder says, in one sentence (the alert, and the list on 新兴诉求: to the unit, or about it). */
export function reminderText(r: EmergingReminder, unit: '本单位' | '该单位' = '本单位') {
  const related = r.words.slice(1, 4);
  const before =
    r.baseline === 0
      ? '此前26周没有，为新出现的诉求'
      : r.isNew
        ? `此前26周仅 ${r.baseline} 件，为新出现的诉求`
        : `占比为此前26周的 ${r.ratio} 倍`;
  const where = r.categories.length ? `，多归入「${r.categories[0]!.path}」` : '';
  const of = r.sampled < r.recent ? `（最新 ${r.sampled} 件中）` : '';
  return (
    `${r.regionName}近4周含「${r.term}」${related.length ? `（同现：${related.join('、')}）` : ''}的工单 ${r.recent} 件，` +
    `${before}；其中${unit}承办 ${r.unitTickets} 件${of}${where}。`
  );
}

/** The unit's reminders not yet acknowledged; nothing when there are none. */
export function EmergingReminderAlert() {
  const res = useAsync(() => emergingApi.reminders(), []);
  const { busy, ack } = useAcknowledge(emergingApi.acknowledge, res.reload, '新兴诉求提醒');
  const open = (res.data?.reminders ?? []).filter((r) => !r.acknowledgedAt);
  if (!open.length) return null;
  return (
    <Flex vertical gap={8} style={{ marginBottom: 12 }} data-testid="emerging-reminders">
      {open.map((r) => (
        <Alert
          key={r.id}
          type="info"
          showIcon
          icon={<RiseOutlined />}
          message={`新兴诉求提醒：「${r.term}」明显增多`}
          description={
            <Typography.Paragraph style={{ marginBottom: 0 }}>
              {reminderText(r)}请研究新业态、新领域问题，开展源头治理（第二十八条）。
            </Typography.Paragraph>
          }
          action={
            <Space direction="vertical" size={4}>
              <Link to={emergingLink(r)}>
                <Button size="small">查看</Button>
              </Link>
              <Button size="small" type="primary" loading={busy === r.id} onClick={() => ack(r.id)}>
                已阅
              </Button>
            </Space>
          }
        />
      ))}
    </Flex>
  );
}
