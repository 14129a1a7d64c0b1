import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Badge, Button, Empty, Flex, List, Popover, Spin, Tag, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api/client';
import { notificationsApi, type NotificationItem, type UnreadCount } from '../../api/notifications';
import type { Me } from '../../api/types';
import { fmtDateTime } from '../../lib/format';

// Issue 14 (第十四、十五条): the bell of a unit's handlers and managers — new dispatches, rework, deadlines about to
// breach or breached, the centre's decisions on the unit's applications, 督办. The unread count is polled lightly
// (every 30 s while the tab is visible, and when the window regains focus); the list loads only when opened.

const POLL_MS = 30_000;
const LEVEL_COLOR = { info: 'blue', warning: 'orange', urgent: 'red' } as const;

/** Whether the user gets the bell: a handler or manager of a unit (the centre has its queues). */
export function hasNotifications(me: Me): boolean {
  return me.scope === 'unit' && me.roles.some((r) => r === 'handler' || r === 'unit_manager');
}

export function NotificationBell() {
  const nav = useNavigate();
  const [unread, setUnread] = useState<UnreadCount>({ count: 0, display: '0' });
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<NotificationItem[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const busy = useRef(false);

  const refreshCount = useCallback(async () => {
    if (busy.current) return;
    busy.current = true;
    try {
      setUnread(await notificationsApi.unread());
    } catch {
      // the badge keeps its last value; the next poll tries again
    } finally {
      busy.current = false;
    }
  }, []);

  useEffect(() => {
    void refreshCount();
    const timer = setInterval(() => {
      if (!document.hidden) void refreshCount();
    }, POLL_MS);
    const onFocus = () => void refreshCount();
    const onVisible = () => {
      if (!document.hidden) void refreshCount();
    };
    window.addEventListener('focus', onFocus);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', onFocus);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [refreshCount]);

  const load = useCallback(async (before?: number) => {
    setLoading(true);
    setError(null);
    try {
      const page = await notificationsApi.list(before);
      setItems((old) => (before ? [...old, ...page.items] : page.items));
      setNext(page.next);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  }, []);

  const markRead = async (upTo?: number) => {
    try {
      const { readUpTo } = upTo ? await notificationsApi.readUpTo(upTo) : await notificationsApi.readAll();
      setItems((old) => old.map((i) => (i.id <= readUpTo ? { ...i, read: true } : i)));
      await refreshCount();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const content = (
    <div style={{ width: 400 }} data-testid="notification-panel">
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Typography.Text strong>通知</Typography.Text>
        <Button size="small" type="link" disabled={unread.count === 0} onClick={() => void markRead()}>
          全部已读
        </Button>
      </Flex>
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      <Spin spinning={loading}>
        <List<NotificationItem>
          size="small"
          dataSource={items}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无通知" /> }}
          style={{ maxHeight: 420, overflowY: 'auto' }}
          renderItem={(n) => (
            <List.Item
              key={n.id}
              data-testid="notification-item"
              style={{ cursor: 'pointer', paddingInline: 4, background: n.read ? undefined : '#f0f7ff' }}
              onClick={() => {
                setOpen(false);
                if (!n.read) void markRead(n.id);
                nav(`/tickets/${n.ticketId}`);
              }}
            >
              <Flex vertical gap={2} style={{ width: '100%' }}>
                <Flex justify="space-between" align="center">
                  <Tag color={LEVEL_COLOR[n.level]} style={{ marginInlineEnd: 0 }}>
                    {n.text}
                  </Tag>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {fmtDateTime(n.at)}
                  </Typography.Text>
                </Flex>
                <Typography.Text ellipsis style={{ maxWidth: 380 }}>
                  <Typography.Text code>{n.ticketNumber}</Typography.Text> {n.title}
                </Typography.Text>
              </Flex>
            </List.Item>
          )}
        />
      </Spin>
      {next !== null && (
        <Button block size="small" type="text" onClick={() => void load(next)} style={{ marginTop: 4 }}>
          加载更早的通知
        </Button>
      )}
    </div>
  );

  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (o) void Promise.all([load(), refreshCount()]);
      }}
      content={content}
    >
      <Button
        type="text"
        size="small"
        aria-label={unread.count > 0 ? `通知，${unread.display} 条未读` : '通知'}
        data-testid="notification-bell"
        style={{ paddingInline: 6 }}
      >
        <Badge count={unread.count > 0 ? unread.display : 0} size="small" data-testid="notification-badge">
          <BellOutlined style={{ fontSize: 18 }} />
        </Badge>
      </Button>
    </Popover>
  );
}
