import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Card, Col, Empty, Flex, Row, Segmented, Space, Spin, Table, Tag, Typography } from 'antd';
import { authoringApi, type ReviewQueueItem } from '../../api/knowledge-authoring';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { ExportMenu } from '../../components/ExportMenu';
import { downloadTable } from '../../lib/csv';
import { fmtDateTime } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';
import { ArticleActions } from './components/ArticleActions';
import { DiffView } from './components/DiffView';
import { SOURCE_LABELS } from './components/labels';
import { VersionContent } from './components/VersionContent';

// 第十八条: the centre's knowledge reviewer publishes what units (or their systems) submitted, or sends it back with
// a reason; each pending version is shown against the published one, changes highlighted.

export default function KnowledgeReviewPage() {
  const queue = useAsync(() => authoringApi.reviewQueue(), []);
  const items = useMemo(() => queue.data?.items ?? [], [queue.data]);
  const [picked, setPicked] = useState<number | null>(null);
  useEffect(() => {
    if (picked === null || !items.some((i) => i.articleId === picked)) setPicked(items[0]?.articleId ?? null);
  }, [items, picked]);

  return (
    <>
      <PageHeader
        title="知识审核"
        sub="承办单位提交的新增、修改和下架申请，审核后发布或退回（第十八条）"
        extra={
          <ExportMenu
            disabled={!items.length}
            onExport={(format) =>
              downloadTable(
                format,
                '知识审核队列.csv',
                ['知识', '所属单位', '类型', '版本', '修改原因', '来源', '提交时间'],
                items.map((i) => [
                  i.title,
                  i.ownerUnitName,
                  i.kind === 'withdraw' ? '申请下架' : i.publishedVersionId ? '修改' : '新增',
                  i.versionNo ? `v${i.versionNo}` : '',
                  i.kind === 'withdraw' ? i.withdrawReason : i.changeReason,
                  i.source ? (SOURCE_LABELS[i.source] ?? i.source) : '',
                  fmtDateTime(i.submittedAt),
                ]),
              )
            }
          />
        }
      />
      <ErrorAlert message={queue.errorText} onRetry={() => void queue.reload()} />
      <Row gutter={12}>
        <Col span={9}>
          <Card size="small" title={`待审核（${items.length}）`}>
            <Table<ReviewQueueItem>
              rowKey="articleId"
              size="small"
              loading={queue.loading}
              dataSource={items}
              pagination={false}
              data-testid="knowledge-review-queue"
              locale={{ emptyText: '没有待审核的知识' }}
              onRow={(r) => ({ onClick: () => setPicked(r.articleId), style: { cursor: 'pointer' } })}
              rowClassName={(r) => (r.articleId === picked ? 'ant-table-row-selected' : '')}
              columns={[
                {
                  title: '知识',
                  render: (_, r) => (
                    <div>
                      <div>{r.title}</div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {r.ownerUnitName} · {fmtDateTime(r.submittedAt)}
                      </Typography.Text>
                    </div>
                  ),
                },
                {
                  title: '类型',
                  width: 84,
                  render: (_, r) =>
                    r.kind === 'withdraw' ? (
                      <Tag color="magenta">申请下架</Tag>
                    ) : r.publishedVersionId ? (
                      <Tag color="blue">修改</Tag>
                    ) : (
                      <Tag color="green">新增</Tag>
                    ),
                },
              ]}
            />
          </Card>
        </Col>
        <Col span={15}>
          {picked ? (
            <ReviewPanel
              key={picked}
              articleId={picked}
              item={items.find((i) => i.articleId === picked)}
              onDone={() => void queue.reload()}
            />
          ) : (
            <Card size="small">
              <Empty description={queue.loading ? '加载中' : '没有待审核的知识'} />
            </Card>
          )}
        </Col>
      </Row>
    </>
  );
}

function ReviewPanel({ articleId, item, onDone }: { articleId: number; item?: ReviewQueueItem; onDone: () => void }) {
  const detail = useAsync(() => authoringApi.detail(articleId), [articleId]);
  const a = detail.data;
  const compare = useAsync(
    async () =>
      a?.published && a.pending && a.published.id !== a.pending.id
        ? authoringApi.compare(a.id, a.published.id, a.pending.id)
        : null,
    [a?.published?.id, a?.pending?.id],
  );
  const [view, setView] = useState<'diff' | 'full'>('diff');
  if (detail.errorText) return <ErrorAlert message={detail.errorText} onRetry={() => void detail.reload()} />;
  if (!a) return <Spin />;
  const pending = a.pending;
  return (
    <Card
      size="small"
      title={
        <Space>
          <Link to={`/knowledge/articles/${a.id}`}>{a.workingTitle}</Link>
          <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
            {a.ownerUnitName}
          </Typography.Text>
        </Space>
      }
      data-testid="knowledge-review-panel"
    >
      {item?.withdrawRequested && a.withdrawRequest && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={`${a.withdrawRequest.by ?? '所属单位'}于 ${fmtDateTime(a.withdrawRequest.at)} 申请下架`}
          description={`理由：${a.withdrawRequest.reason ?? '—'}`}
        />
      )}
      {pending && (
        <Flex justify="space-between" align="center" style={{ marginBottom: 12 }} gap={8} wrap>
          <Typography.Text>
            第 {pending.versionNo} 版 · {pending.authorName ?? '—'} · 修改原因：
            <Typography.Text strong>{pending.changeReason}</Typography.Text>
            {pending.unitApprovedBy ? ` · 单位审核：${pending.unitApprovedBy}` : ''}
          </Typography.Text>
          {a.published && (
            <Segmented
              size="small"
              value={view}
              onChange={(v) => setView(v as 'diff' | 'full')}
              options={[
                { value: 'diff', label: '与已发布版本对比' },
                { value: 'full', label: '完整内容' },
              ]}
            />
          )}
        </Flex>
      )}
      <div style={{ marginBottom: 12 }}>
        <ArticleActions
          article={a}
          only={['publish', 'return', 'withdraw']}
          onDone={() => {
            onDone();
            void detail.reload();
          }}
        />
      </div>
      {pending && a.published && view === 'diff' ? (
        compare.data ? (
          <DiffView
            diff={compare.data}
            attachmentName={(id) => a.attachments.find((x) => x.id === id)?.name ?? `附件 ${id}`}
          />
        ) : (
          <Spin />
        )
      ) : pending ? (
        <VersionContent v={pending} attachments={a.attachments} testId="knowledge-pending" />
      ) : a.published ? (
        <VersionContent v={a.published} attachments={a.attachments} />
      ) : null}
    </Card>
  );
}
