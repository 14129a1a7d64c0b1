import { useEffect } from 'react';
import { Button, Space, Table, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { presenceApi, type PresenceBoardRow } from '../../api/presence';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ExportMenu } from '../../components/ExportMenu';
import { PageHeader } from '../../components/PageHeader';
import { downloadTable } from '../../lib/csv';
import { fmtDateTime } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';
import { minutesSince } from '../agent/console/PresenceBar';

const COLORS: Record<string, string> = { available: 'green', busy: 'orange', break: 'blue', offline: 'default' };
const ORDER: Record<string, number> = { available: 0, busy: 1, break: 2, offline: 3 };

/** 坐席状态 (issue 14): the centre's agents — who can take a call now, who is busy or on a break and for how long. */
export default function PresenceBoardPage() {
  const board = useAsync(() => presenceApi.board(), []);
  const { reload } = board; // stable (useAsync): the interval is set once
  useEffect(() => {
    const t = setInterval(() => void reload(), 30_000);
    return () => clearInterval(t);
  }, [reload]);
  const rows = [...(board.data ?? [])].sort(
    (a, b) => ORDER[a.state]! - ORDER[b.state]! || a.name.localeCompare(b.name),
  );
  const count = (s: string) => rows.filter((r) => r.state === s).length;
  return (
    <>
      <PageHeader
        title="坐席状态"
        sub="本热线工作机构话务员的示闲、示忙、小休；只有示闲且控制台在线的话务员会被接入来电（每 30 秒刷新）"
        extra={
          <Space>
            <ExportMenu
              disabled={rows.length === 0}
              onExport={(format) =>
                downloadTable(
                  format,
                  '坐席状态',
                  ['话务员', '状态', '小休原因', '开始时间'],
                  rows.map((r) => [r.name, r.label, r.reason ?? '', fmtDateTime(r.since)]),
                )
              }
            />
            <Button icon={<ReloadOutlined />} onClick={() => void board.reload()}>
              刷新
            </Button>
          </Space>
        }
      />
      <ErrorAlert message={board.errorText} onRetry={() => void board.reload()} />
      <Typography.Paragraph data-testid="presence-summary">
        示闲 <Tag color="green">{count('available')}</Tag>示忙 <Tag color="orange">{count('busy')}</Tag>小休{' '}
        <Tag color="blue">{count('break')}</Tag>离线 <Tag>{count('offline')}</Tag>
      </Typography.Paragraph>
      <Table<PresenceBoardRow>
        rowKey="userId"
        size="middle"
        loading={board.loading && !board.data}
        dataSource={rows}
        pagination={false}
        data-testid="presence-board"
        columns={[
          { title: '话务员', dataIndex: 'name' },
          {
            title: '状态',
            dataIndex: 'state',
            render: (_: unknown, r) => (
              <Tag color={COLORS[r.state]}>
                {r.label}
                {r.reason ? `（${r.reason}）` : ''}
              </Tag>
            ),
          },
          {
            title: '持续时间',
            dataIndex: 'since',
            render: (_: unknown, r) => (r.state === 'offline' ? '—' : minutesSince(r.since)),
          },
          { title: '开始时间', dataIndex: 'since', render: (v: string | null) => fmtDateTime(v) },
        ]}
      />
    </>
  );
}
