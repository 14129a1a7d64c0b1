import { Alert, Button, Flex, Space, Tag, Typography } from 'antd';
import { PhoneFilled } from '@ant-design/icons';
import type { CallOffered } from '../../../api/contact-types';
import { fmtDateTime } from '../../../lib/format';

/** Incoming calls pushed by the telephone system while they ring (第十条): who, and what they asked before. */
export function CallBanner({
  calls,
  onOpen,
  onDismiss,
}: {
  calls: CallOffered[];
  onOpen: (contactId: number) => void;
  onDismiss: (contactId: number) => void;
}) {
  if (!calls.length) return null;
  return (
    <Flex vertical gap={8} style={{ marginBottom: 12 }} data-testid="call-banner">
      {calls.map((c) => {
        const h = c.history;
        return (
          <Alert
            key={c.contactId}
            type="info"
            icon={<PhoneFilled />}
            showIcon
            data-contact-id={c.contactId}
            message={
              <Space wrap size={12}>
                <Typography.Text strong style={{ fontSize: 16 }}>
                  来电 {c.caller ?? '（号码未显示）'}
                </Typography.Text>
                <span>呼入 {c.callee}</span>
                <Typography.Text type="secondary">{fmtDateTime(c.at)}</Typography.Text>
                {h ? (
                  <>
                    <Tag>历史来电 {h.earlierContacts} 次</Tag>
                    <Tag color={h.openTickets ? 'gold' : undefined}>在办工单 {h.openTickets} 件</Tag>
                    {h.openFlags > 0 && <Tag color="orange">待审核标记 {h.openFlags} 个（仅供参考）</Tag>}
                  </>
                ) : (
                  <Tag>首次来电或匿名</Tag>
                )}
              </Space>
            }
            description={
              h &&
              h.tickets.length > 0 && (
                <Typography.Text type="secondary">
                  近期工单：{h.tickets.map((t) => `${t.number} ${t.title}（${t.statusLabel}）`).join('；')}
                </Typography.Text>
              )
            }
            action={
              <Space direction="vertical" size={4}>
                <Button type="primary" size="small" onClick={() => onOpen(c.contactId)}>
                  接听并打开
                </Button>
                <Button size="small" type="text" onClick={() => onDismiss(c.contactId)}>
                  忽略
                </Button>
              </Space>
            }
          />
        );
      })}
    </Flex>
  );
}
