import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Badge, Button, Space, Tabs } from 'antd';
import { authoringApi } from '../../api/knowledge-authoring';
import { PlusOutlined } from '@ant-design/icons';
import { useMe } from '../../auth/session';
import { PageHeader } from '../../components/PageHeader';
import { hasRole } from '../../lib/permissions';
import { useReference } from '../../lib/reference';
import { useAsync } from '../../lib/useAsync';
import { ArticleFormDrawer } from './components/ArticleFormDrawer';
import { ArticleList, type ListPreset } from './components/ArticleList';
import { NoticeList } from './components/NoticeList';

// 第十八条: a unit keeps its own knowledge current — its articles, drafts and returned versions, what waits for the
// manager's approval, what expired, expires soon or was not reviewed in time, and what it was told.

const MINE: ListPreset[] = [{ key: 'all', label: '全部', query: {} }];
const DRAFTS: ListPreset[] = [
  { key: 'draft', label: '草稿', query: { workingState: 'draft' } },
  { key: 'returned', label: '已退回', query: { workingState: 'returned' } },
];
const UNIT_REVIEW: ListPreset[] = [
  { key: 'unit_review', label: '待本单位审核', query: { workingState: 'unit_review' } },
];
const TO_UPDATE: ListPreset[] = [
  { key: 'expired', label: '已过期', query: { expired: 'true' } },
  { key: 'expiring', label: '30天内过期', query: { expiringWithinDays: 30 } },
  { key: 'stale', label: '超期未复核', query: { stale: 'true' } },
];

export default function KnowledgeUnitPage() {
  const me = useMe();
  const ref = useReference();
  const nav = useNavigate();
  const [creating, setCreating] = useState(false);
  const manager = hasRole(me, 'unit_manager');
  const [tab, setTab] = useState('mine');
  // a bounded look (one page of unread notices), never a count over the whole table
  const unread = useAsync(() => authoringApi.notices({ unread: 'true', limit: 50 }), []);
  const unreadCount = unread.data?.items.length ?? 0;

  return (
    <>
      <PageHeader
        title="单位知识管理"
        sub={`${ref.unitName(me.unitId)}：本单位负责的知识须及时更新，保证真实、有效、准确（第十八条）`}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            新建知识
          </Button>
        }
      />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          { key: 'mine', label: '我的知识', children: <ArticleList presets={MINE} csvName="本单位知识" /> },
          {
            key: 'drafts',
            label: '草稿与退回',
            children: <ArticleList presets={DRAFTS} csvName="本单位知识_草稿与退回" />,
          },
          ...(manager
            ? [
                {
                  key: 'review',
                  label: '待本单位审核',
                  children: <ArticleList presets={UNIT_REVIEW} csvName="本单位知识_待本单位审核" />,
                },
              ]
            : []),
          {
            key: 'update',
            label: '待更新',
            children: <ArticleList presets={TO_UPDATE} csvName="本单位知识_待更新" />,
          },
          {
            key: 'notices',
            label: (
              <Space size={4}>
                通知
                <Badge count={unread.data?.nextBefore ? `${unreadCount}+` : unreadCount} size="small" />
              </Space>
            ),
            children: <NoticeList onRead={() => void unread.reload()} />,
          },
        ]}
      />
      <ArticleFormDrawer
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(s) => {
          setCreating(false);
          nav(`/knowledge/articles/${s.id}`);
        }}
      />
    </>
  );
}
