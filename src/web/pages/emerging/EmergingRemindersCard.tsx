import { useState } from 'react';
import { Button, Card, Space, Table, Tag, Typography } from 'antd';
import type { EmergingReminder } from '../../../shared/contracts/emerging';
import { emergingApi } from '../../api/emerging';
import { useMe } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ExportMenu } from '../../components/ExportMenu';
import { LoadMore } from '../../components/LoadMore';
import { UnitSelect } from '../../components/Pickers';
import { reminderText } from '../../components/EmergingReminderAlert';
import { downloadTable } from '../../lib/csv';
import type { ExportFormat } from '../../lib/export-file';
import { fmtDateTime } from '../../lib/format';
import { hasRole, isUnitStaff } from '../../lib/permissions';
import { useAcknowledge } from '../../lib/useAcknowledge';
import { useKeysetList } from '../../lib/useKeysetList';

// 第二十八条(三)(四) 新兴诉求提醒 on the screen 新兴诉求: a unit's people see what their unit was told and acknowledge
// it; the centre's supervisors, analysts and admins see which units were told of which matter, and whether they read it.

/** Who reads the reminders (the server's rule, forecast.policy.ts): a unit's people, the centre's three roles. */
export const readsReminders = (me: ReturnType<typeof useMe>) =>
  isUnitStaff(me) || (!!me && me.scope === 'region' && hasRole(me, 'supervisor', 'analyst', 'admin'));

export function EmergingRemindersCard({ onShow }: { onShow: (r: EmergingReminder) => void }) {
  const me = useMe();
  const unit = isUnitStaff(me);
  const [unitId, setUnitId] = useState<number>();
  const list = useKeysetList<EmergingReminder>(unitId ?? 'all', async (before) => {
    const page = await emergingApi.reminders({ unitId, before: before ?? undefined });
    return { items: page.reminders, next: page.next };
  });
  const { busy, ack } = useAcknowledge(emergingApi.acknowledge, list.reload, '新兴诉求提醒');
  // what is on screen (the pages loaded), for the centre's follow-up of who has read what
  const exportRows = (format: ExportFormat) =>
    downloadTable(
      format,
      '新兴诉求提醒',
      [
        '统计周',
        '区域',
        '承办单位',
        '词语',
        '同现词语',
        '近4周工单（件）',
        '此前26周（件）',
        '新出现',
        '该单位承办（件）',
        '状态',
        '阅读人',
        '阅读时间',
      ],
      list.items.map((r) => [
        r.week,
        r.regionName,
        r.unitName,
        r.term,
        r.words.slice(1).join('、'),
        r.recent,
        r.baseline,
        r.isNew ? '是' : '否',
        r.unitTickets,
        r.acknowledgedAt ? '已阅' : '未阅',
        r.acknowledgedByName ?? '',
        r.acknowledgedAt ? fmtDateTime(r.acknowledgedAt) : '',
      ]),
      { unitId: unitId ?? null },
    );
  return (
    <Card
      size="small"
      style={{ marginTop: 12 }}
      title={unit ? '本单位收到的新兴诉求提醒' : '新兴诉求提醒（已告知的承办单位）'}
      extra={
        <Space size={8}>
          {!unit && (
            <div style={{ width: 220 }}>
              <UnitSelect
                value={unitId}
                onChange={(v: number | undefined) => setUnitId(v)}
                placeholder="全部承办单位"
                aria-label="承办单位"
              />
            </div>
          )}
          <ExportMenu
            onExport={exportRows}
            disabled={!list.items.length}
            testId="emerging-reminder-export"
            size="small"
          />
        </Space>
      }
      data-testid="emerging-reminder-list"
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        每周统计后，明显增多的诉求（季节性的除外）中，承办其近4周工单 3 件以上且占 5% 以上的单位收到提醒；同一诉求 26
        周内不重复提醒。
      </Typography.Paragraph>
      <ErrorAlert message={list.error} onRetry={list.reload} />
      <Table<EmergingReminder>
        size="small"
        rowKey="id"
        loading={list.loadingFirst}
        dataSource={list.items}
        pagination={false}
        locale={{
          emptyText: unit ? '本单位暂无新兴诉求提醒' : unitId ? '该单位暂无新兴诉求提醒' : '暂无已发出的新兴诉求提醒',
        }}
        columns={[
          { title: '统计周', dataIndex: 'week', width: 110 },
          ...(unit ? [] : [{ title: '承办单位', dataIndex: 'unitName', width: 160 }]),
          {
            title: '诉求',
            render: (_, r) => (
              <>
                <Space size={4}>
                  <Typography.Text strong>{r.term}</Typography.Text>
                  {r.isNew && <Tag color="red">新出现</Tag>}
                </Space>
                <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                  {reminderText(r, unit ? '本单位' : '该单位')}
                </Typography.Text>
              </>
            ),
          },
          {
            title: '状态',
            width: 190,
            render: (_, r) =>
              r.acknowledgedAt ? (
                <Typography.Text type="secondary">
                  {r.acknowledgedByName} 已阅于 {fmtDateTime(r.acknowledgedAt)}
                </Typography.Text>
              ) : (
                <Tag color="orange">未阅</Tag>
              ),
          },
          {
            title: '操作',
            width: 130,
            render: (_, r) => (
              <Space size={4}>
                <Button type="link" size="small" style={{ padding: 0 }} onClick={() => onShow(r)}>
                  查看
                </Button>
                {unit && !r.acknowledgedAt && (
                  <Button size="small" type="primary" loading={busy === r.id} onClick={() => ack(r.id)}>
                    已阅
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <LoadMore list={list} />
    </Card>
  );
}
