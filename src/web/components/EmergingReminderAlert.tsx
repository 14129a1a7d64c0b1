import { Link, useNavigate } from 'react-router-dom';
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

/** The workbench shows this many at most; the rest wait on 新兴诉求 (the queue stays in sight). */
const SHOWN = 3;

/** The unit's reminders not yet acknowledged, in one alert (a line each); nothing when there are none. */
export function EmergingReminderAlert() {
  const res = useAsync(() => emergingApi.reminders({ unread: true }), []);
  const { busy, ack } = useAcknowledge(emergingApi.acknowledge, res.reload, '新兴诉求提醒');
  const navigate = useNavigate();
  const open = res.data?.reminders ?? [];
  if (!open.length) return null;
  // a full page says "at least": more may wait behind it
  const more = `${open.length - SHOWN}${res.data?.next ? ' 条以上' : ' 条'}`;
  return (
    <Alert
      type="info"
      showIcon
      icon={<RiseOutlined />}
      style={{ marginBottom: 12 }}
      data-testid="emerging-reminders"
      message={`新兴诉求提醒：${open.length}${res.data?.next ? ' 条以上' : ' 条'}未阅 — 请研究新业态、新领域问题，开展源头治理（第二十八条）`}
      description={
        <Flex vertical gap={8} style={{ marginTop: 4 }}>
          {open.slice(0, SHOWN).map((r) => (
            <Flex key={r.id} gap={12} align="flex-start" data-testid="emerging-reminder">
              <Typography.Paragraph style={{ marginBottom: 0, flex: 1 }}>
                <Typography.Text strong>「{r.term}」明显增多</Typography.Text>：{reminderText(r)}
              </Typography.Paragraph>
              <Space size={4}>
                <Button size="small" aria-label={`查看「${r.term}」`} onClick={() => navigate(emergingLink(r))}>
                  查看
                </Button>
                <Button
                  size="small"
                  type="primary"
                  aria-label={`已阅「${r.term}」`}
                  loading={busy === r.id}
                  onClick={() => ack(r.id)}
                >
                  已阅
                </Button>
              </Space>
            </Flex>
          ))}
          {open.length > SHOWN && (
            <Typography.Text type="secondary" data-testid="emerging-reminders-more">
              另有 {more}未阅的新兴诉求提醒，<Link to="/emerging">在“新兴诉求”中查看</Link>
            </Typography.Text>
          )}
        </Flex>
      }
    />
  );
}
