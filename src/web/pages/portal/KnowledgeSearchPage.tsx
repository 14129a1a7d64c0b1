import { Link, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Empty, Flex, Input, List, Spin, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { knowledgeApi } from '../../api/knowledge-answering';
import { useAsync } from '../../lib/useAsync';

/** 常见问题 search results (第十八条 公众自助): published, public answers in force; nothing internal. */
export default function KnowledgeSearchPage() {
  const [params, setParams] = useSearchParams();
  const q = (params.get('q') ?? '').trim().slice(0, 100);
  const res = useAsync(() => (q ? knowledgeApi.public.search(q) : Promise.resolve({ items: [] })), [q]);
  const items = res.data?.items ?? [];
  return (
    <>
      <h1 className="portal-title">查一查</h1>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Input.Search
          key={q}
          size="large"
          enterButton="搜索"
          maxLength={100}
          defaultValue={q}
          placeholder="输入您的问题，如：公积金怎么提取"
          onSearch={(v) => v.trim() && setParams({ q: v.trim() })}
          aria-label="搜索常见问题"
        />
      </Card>
      {res.errorText && <Alert type="error" showIcon message={res.errorText} style={{ marginBottom: 12 }} />}
      {res.loading && !res.data ? (
        <Flex justify="center" style={{ padding: 24 }}>
          <Spin />
        </Flex>
      ) : !q ? null : items.length === 0 ? (
        <Card>
          <Empty description={`没有找到与“${q}”相关的答复`}>
            <Link to="/portal/submit">
              <Button type="primary" icon={<EditOutlined />}>
                我要留言
              </Button>
            </Link>
          </Empty>
        </Card>
      ) : (
        <Card size="small" data-testid="portal-knowledge-results">
          <List
            dataSource={items}
            renderItem={(k) => (
              <List.Item key={k.id} style={{ display: 'block' }}>
                <Link to={`/portal/knowledge/${k.id}`} data-article-id={k.id}>
                  <Typography.Text strong style={{ fontSize: '1em', color: '#1456c8' }}>
                    {k.title}
                  </Typography.Text>
                </Link>
                <Typography.Paragraph style={{ margin: '4px 0', fontSize: '1em' }} ellipsis={{ rows: 2 }}>
                  {k.excerpt}
                </Typography.Paragraph>
                <Typography.Text type="secondary" style={{ fontSize: '1em' }}>
                  {k.ownerUnit} · 更新于 {k.updatedOn}
                </Typography.Text>
              </List.Item>
            )}
          />
          <Typography.Paragraph type="secondary" style={{ fontSize: '1em', margin: '8px 0 0' }}>
            没有解决您的问题？<Link to="/portal/submit">我要留言</Link> 或拨打 <a href="tel:12345">12345</a>。
          </Typography.Paragraph>
        </Card>
      )}
    </>
  );
}
