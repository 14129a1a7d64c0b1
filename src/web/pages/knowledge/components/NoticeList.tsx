import { useState } from 'react';
import { Link } from 'react-router-dom';
import { App, Badge, Button, Card, Flex, Segmented, Table, Tag } from 'antd';
import { errorMessage } from '../../../api/client';
import { authoringApi, type KnowledgeNotice } from '../../../api/knowledge-authoring';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { ExportMenu } from '../../../components/ExportMenu';
import { downloadTable } from '../../../lib/csv';
import { fmtDateTime } from '../../../lib/format';
import { useKeysetList } from '../../../lib/useKeysetList';
import { NOTICE_LABELS } from './labels';
import { LoadMore } from '../../../components/LoadMore';

const KIND_COLORS: Record<string, string> = {
  expiring: 'orange',
  expired: 'red',
  stale: 'volcano',
  flagged: 'magenta',
  returned: 'red',
  published: 'green',
};

/** 第十八条: what the unit is told about its articles — expiring, expired, not reviewed, flagged, returned, published. */
export function NoticeList({ onRead }: { onRead?: () => void }) {
  const { message } = App.useApp();
  const [unread, setUnread] = useState<'true' | 'false'>('true');
  const list = useKeysetList<KnowledgeNotice, number>(unread, async (before) => {
    const page = await authoringApi.notices({ unread: unread === 'true' ? 'true' : undefined, before, limit: 50 });
    return { items: page.items, next: page.nextBefore };
  });
  const [read, setRead] = useState<Set<number>>(new Set());
  const markRead = async (n: KnowledgeNotice) => {
    try {
      await authoringApi.markNoticeRead(n.id);
      setRead((s) => new Set(s).add(n.id));
      onRead?.();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <Card size="small">
      <Flex gap={8} align="center" style={{ marginBottom: 12 }}>
        <Segmented
          value={unread}
          onChange={(v) => setUnread(v as 'true' | 'false')}
          options={[
            { value: 'true', label: '未读' },
            { value: 'false', label: '全部' },
          ]}
        />
        <ExportMenu
          style={{ marginLeft: 'auto' }}
          disabled={!list.items.length}
          onExport={(format) =>
            downloadTable(
              format,
              '知识库通知.csv',
              ['类型', '知识', '内容', '时间', '已读'],
              list.items.map((n) => [
                NOTICE_LABELS[n.kind] ?? n.kind,
                n.articleTitle,
                n.message,
                fmtDateTime(n.createdAt),
                n.readAt || read.has(n.id) ? '是' : '否',
              ]),
            )
          }
        />
      </Flex>
      <ErrorAlert message={list.error} onRetry={list.reload} />
      <Table<KnowledgeNotice>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        data-testid="knowledge-notices"
        locale={{ emptyText: '没有通知' }}
        columns={[
          {
            title: '类型',
            width: 110,
            render: (_, n) => <Tag color={KIND_COLORS[n.kind]}>{NOTICE_LABELS[n.kind] ?? n.kind}</Tag>,
          },
          {
            title: '知识',
            width: 240,
            render: (_, n) => <Link to={`/knowledge/articles/${n.articleId}`}>{n.articleTitle}</Link>,
          },
          { title: '内容', dataIndex: 'message' },
          { title: '时间', width: 140, render: (_, n) => fmtDateTime(n.createdAt) },
          {
            title: '',
            width: 100,
            render: (_, n) =>
              n.readAt || read.has(n.id) ? (
                <Badge status="default" text="已读" />
              ) : (
                <Button size="small" type="link" onClick={() => void markRead(n)}>
                  标为已读
                </Button>
              ),
          },
        ]}
      />
      <LoadMore list={list} />
    </Card>
  );
}
