import { useEffect } from 'react';
import { Badge, Button, Card, Empty, List, Tag, Tooltip, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { api } from '../../../api/endpoints';
import type { Contact } from '../../../api/contact-types';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { fmtDateTime } from '../../../lib/format';
import { CHANNEL_LABELS } from '../../../lib/labels';
import { openable } from '../../../lib/row-keyboard';
import { useAsync } from '../../../lib/useAsync';

const summary = (c: Contact) =>
  c.content.trim() || (c.channel === 'phone' ? '电话来电（通话中，内容待记录）' : '（无文字内容）');

/** Contacts waiting for a disposition (oldest first): calls from the telephone system and messages from every channel. */
export function InboxList({
  selectedId,
  onOpen,
  version,
  connected,
}: {
  selectedId: number | null;
  onOpen: (c: Contact) => void;
  version: number;
  connected: boolean;
}) {
  const inbox = useAsync(() => api.contacts.inbox({ limit: 100 }), []);
  useEffect(() => {
    if (version > 0) void inbox.reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version]);
  const items = inbox.data?.items ?? [];
  return (
    <Card
      size="small"
      title={
        <span>
          待处理 <Badge count={items.length} showZero color={items.length ? '#0958d9' : '#595959'} />
        </span>
      }
      extra={
        <>
          <Tooltip title={connected ? '来电弹屏已连接' : '来电弹屏未连接，正在重连'}>
            <Badge status={connected ? 'success' : 'default'} text={connected ? '弹屏' : '离线'} />
          </Tooltip>
          <Button
            size="small"
            type="text"
            icon={<ReloadOutlined />}
            onClick={() => void inbox.reload()}
            loading={inbox.loading}
            aria-label="刷新待处理"
          />
        </>
      }
      styles={{ body: { padding: 0, maxHeight: 'calc(100vh - 190px)', overflow: 'auto' } }}
      data-testid="inbox"
    >
      <ErrorAlert message={inbox.errorText} onRetry={() => void inbox.reload()} />
      <List
        size="small"
        dataSource={items}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有待处理的来电来信" /> }}
        renderItem={(c) => (
          <List.Item
            // 无障碍: each waiting contact is a Tab stop that opens on Enter or Space as on a click
            {...openable(() => onOpen(c))}
            aria-current={c.id === selectedId ? 'true' : undefined}
            data-contact-id={c.id}
            style={{
              cursor: 'pointer',
              padding: '8px 12px',
              background: c.id === selectedId ? '#e6f4ff' : undefined,
              display: 'block',
            }}
          >
            <div>
              <Tag color={c.channel === 'phone' ? 'blue' : 'cyan'}>{CHANNEL_LABELS[c.channel] ?? c.channel}</Tag>
              {c.emergencySuggestion && <Tag color="red">疑似 {c.emergencySuggestion}</Tag>}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {fmtDateTime(c.receivedAt).slice(5)}
              </Typography.Text>
            </div>
            <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: '4px 0 0', fontSize: 13 }}>
              {summary(c)}
            </Typography.Paragraph>
          </List.Item>
        )}
      />
    </Card>
  );
}
