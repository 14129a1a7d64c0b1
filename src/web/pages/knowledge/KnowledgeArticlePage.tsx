import { useEffect, useState, type ReactNode } from 'react';
import { useParams } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Flex,
  Input,
  Modal,
  Result,
  Select,
  Space,
  Spin,
  Table,
  Tabs,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { errorMessage } from '../../api/client';
import {
  authoringApi,
  type ArticleDetail,
  type VersionCompare,
  type VersionSummary,
} from '../../api/knowledge-authoring';
import { knowledgeApi } from '../../api/knowledge-answering';
import { FLAG_REASON_LABELS } from '../../../shared/contracts/knowledge-answering';
import { useMe } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { fmtDate, fmtDateTime } from '../../lib/format';
import { hasRole } from '../../lib/permissions';
import { useAsync } from '../../lib/useAsync';
import { ArticleActions } from './components/ArticleActions';
import { ArticleFormDrawer } from './components/ArticleFormDrawer';
import { DiffView } from './components/DiffView';
import { EVENT_LABELS, FreshnessTag, SOURCE_LABELS, VERSION_STATE_LABELS, WorkingStateTag } from './components/labels';
import { VersionContent } from './components/VersionContent';

// 第十八条: one article — what is published, what waits for review, every version with its author and reason, any two
// versions compared, its history with people's names, its policy documents, and the flags agents raised on it.

export default function KnowledgeArticlePage() {
  const id = Number(useParams().id);
  const valid = Number.isInteger(id) && id > 0 && id <= 2_147_483_647;
  const d = useAsync(() => (valid ? authoringApi.detail(id) : Promise.resolve(undefined)), [id]);
  const [editing, setEditing] = useState(false);
  const a = d.data;
  if (!valid) return <Result status="404" title="知识条目不存在" />;
  if (d.errorText && !a) return <Result status="404" title="知识条目不存在或无权查看" subTitle={d.errorText} />;
  if (!a)
    return (
      <Flex justify="center" style={{ padding: 48 }}>
        <Spin />
      </Flex>
    );
  const full = a.events.length > 0 || a.allowedActions.length > 0;
  return (
    <>
      <PageHeader
        title={<span data-testid="knowledge-title">{a.workingTitle}</span>}
        sub={
          <Space size={4} wrap>
            <span>{a.ownerUnitName}</span>
            <WorkingStateTag state={a.workingState} />
            {a.status === 'published' && <FreshnessTag value={a.freshness} />}
            {a.openFlagCount > 0 && <Tag color="red">待处理纠错 {a.openFlagCount}</Tag>}
          </Space>
        }
        extra={<ArticleActions article={a} onEdit={() => setEditing(true)} onDone={() => void d.reload()} />}
      />
      <ErrorAlert message={d.errorText} onRetry={() => void d.reload()} />
      {a.withdrawRequest && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={`${a.withdrawRequest.by ?? '所属单位'}于 ${fmtDateTime(a.withdrawRequest.at)} 申请下架，等待中心审核`}
          description={`理由：${a.withdrawRequest.reason ?? '—'}`}
        />
      )}
      <Flex gap={32} wrap style={{ marginBottom: 12 }} data-testid="knowledge-facts">
        <Fact label="当前版本">
          <span data-testid="knowledge-published-version">
            {a.published ? `第 ${a.published.versionNo} 版` : '未发布'}
          </span>
        </Fact>
        <Fact label="发布时间">{fmtDateTime(a.publishedAt)}</Fact>
        <Fact label="最近复核">{fmtDate(a.reviewedAt)}</Fact>
        <Fact label="复核到期">{a.staleFrom ?? '—'}</Fact>
        <Fact label="复核周期">{a.reviewCycleDays} 天</Fact>
        <Fact label="话务员引用">{a.useCount} 次</Fact>
      </Flex>
      <Tabs
        items={[
          { key: 'content', label: '内容', children: <ContentTab a={a} /> },
          ...(a.versions.length > 1 || full
            ? [
                {
                  key: 'versions',
                  label: `版本（${a.versions.length}）`,
                  children: <VersionsTab a={a} />,
                },
              ]
            : []),
          ...(full
            ? [
                { key: 'history', label: '历史', children: <HistoryTab a={a} /> },
                {
                  key: 'flags',
                  label: `纠错（${a.openFlags.length}）`,
                  children: <FlagsTab a={a} onDone={() => void d.reload()} />,
                },
              ]
            : []),
        ]}
      />
      <ArticleFormDrawer
        open={editing}
        article={a}
        onClose={() => setEditing(false)}
        onSaved={() => {
          setEditing(false);
          void d.reload();
        }}
        onReload={() => void d.reload()}
      />
    </>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <span>
      <Typography.Text type="secondary">{label}：</Typography.Text>
      {children}
    </span>
  );
}

function ContentTab({ a }: { a: ArticleDetail }) {
  const pending = a.pending && a.pending.id !== a.published?.id ? a.pending : null;
  const [show, setShow] = useState<'published' | 'pending'>(pending && !a.published ? 'pending' : 'published');
  useEffect(() => {
    if (!a.published && pending) setShow('pending');
  }, [a.published, pending]);
  return (
    <Card size="small">
      {pending && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message={`第 ${pending.versionNo} 版${VERSION_STATE_LABELS[pending.state]}：${pending.changeReason}`}
          description={
            pending.state === 'returned' && pending.reviewNote ? `退回理由：${pending.reviewNote}` : undefined
          }
          action={
            a.published ? (
              <Button size="small" onClick={() => setShow(show === 'pending' ? 'published' : 'pending')}>
                {show === 'pending' ? '查看已发布版本' : '查看该版本'}
              </Button>
            ) : undefined
          }
        />
      )}
      {show === 'pending' && pending ? (
        <VersionContent v={pending} attachments={a.attachments} testId="knowledge-pending" />
      ) : a.published ? (
        <VersionContent v={a.published} attachments={a.attachments} testId="knowledge-published" />
      ) : (
        <Empty description="尚未发布" />
      )}
    </Card>
  );
}

function VersionsTab({ a }: { a: ArticleDetail }) {
  const versions = a.versions;
  const [from, setFrom] = useState<number | undefined>(versions[1]?.id);
  const [to, setTo] = useState<number | undefined>(versions[0]?.id);
  const [diff, setDiff] = useState<VersionCompare | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const compare = async (f = from, t = to) => {
    if (!f || !t) return;
    setLoading(true);
    setError(null);
    try {
      setDiff(await authoringApi.compare(a.id, f, t));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  };
  const options = versions.map((v) => ({
    value: v.id,
    label: `第 ${v.versionNo} 版（${VERSION_STATE_LABELS[v.state]}）`,
  }));
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small">
        <Table<VersionSummary>
          rowKey="id"
          size="small"
          dataSource={versions}
          pagination={false}
          data-testid="knowledge-versions"
          columns={[
            { title: '版本', width: 70, render: (_, v) => `第 ${v.versionNo} 版` },
            { title: '状态', width: 120, render: (_, v) => VERSION_STATE_LABELS[v.state] },
            { title: '标题', dataIndex: 'title' },
            { title: '修改原因', dataIndex: 'changeReason' },
            { title: '来源', width: 110, render: (_, v) => SOURCE_LABELS[v.source] ?? v.source },
            { title: '修改人', width: 90, render: (_, v) => v.authorName ?? '—' },
            { title: '时间', width: 140, render: (_, v) => fmtDateTime(v.createdAt) },
            { title: '审核意见', render: (_, v) => v.reviewNote ?? '—' },
          ]}
        />
      </Card>
      <Card size="small" title="版本对比">
        {versions.length < 2 ? (
          <Typography.Text type="secondary">只有一个版本，暂无可对比的版本。</Typography.Text>
        ) : (
          <>
            <Flex gap={8} align="center" wrap style={{ marginBottom: 12 }}>
              <Select
                style={{ width: 240 }}
                value={from}
                onChange={setFrom}
                options={options}
                aria-label="对比起始版本"
              />
              <span>→</span>
              <Select style={{ width: 240 }} value={to} onChange={setTo} options={options} aria-label="对比版本" />
              <Button type="primary" loading={loading} onClick={() => void compare()} disabled={!from || !to}>
                对比
              </Button>
            </Flex>
            <ErrorAlert message={error} />
            {diff && (
              <>
                <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
                  第 {diff.from.versionNo} 版 → 第 {diff.to.versionNo}{' '}
                  版：删除的内容标红划线，新增的内容标绿下划线；仅显示有变化的项目。
                </Typography.Paragraph>
                <DiffView
                  diff={diff}
                  attachmentName={(x) => a.attachments.find((f) => f.id === x)?.name ?? `附件 ${x}`}
                />
              </>
            )}
          </>
        )}
      </Card>
    </Space>
  );
}

function HistoryTab({ a }: { a: ArticleDetail }) {
  const versionNo = new Map(a.versions.map((v) => [v.id, v.versionNo]));
  return (
    <Card size="small">
      <Timeline
        data-testid="knowledge-history"
        items={a.events.map((e) => ({
          key: e.id,
          children: (
            <div>
              <Space size={6} wrap>
                <Typography.Text strong>{EVENT_LABELS[e.action] ?? e.action}</Typography.Text>
                {e.versionId && versionNo.has(e.versionId) && <Tag>第 {versionNo.get(e.versionId)} 版</Tag>}
                <Typography.Text>{e.actorName ?? '系统'}</Typography.Text>
                <Typography.Text type="secondary">{fmtDateTime(e.at)}</Typography.Text>
              </Space>
              {e.note && <div className="pre-wrap">{e.note}</div>}
            </div>
          ),
        }))}
      />
    </Card>
  );
}

function FlagsTab({ a, onDone }: { a: ArticleDetail; onDone: () => void }) {
  const me = useMe();
  const { message } = App.useApp();
  const [resolving, setResolving] = useState<number | null>(null);
  const [resolution, setResolution] = useState('');
  const [saving, setSaving] = useState(false);
  const canResolve = hasRole(me, 'knowledge_reviewer', 'handler', 'unit_manager');
  return (
    <Card size="small">
      <Table
        rowKey="id"
        size="small"
        dataSource={a.openFlags}
        pagination={false}
        locale={{ emptyText: '没有待处理的纠错' }}
        columns={[
          {
            title: '原因',
            width: 140,
            render: (_, f) => FLAG_REASON_LABELS[f.reason as keyof typeof FLAG_REASON_LABELS] ?? f.reason,
          },
          { title: '说明', render: (_, f) => f.note ?? '—' },
          { title: '提出人', dataIndex: 'raisedBy', width: 100 },
          { title: '时间', width: 140, render: (_, f) => fmtDateTime(f.raisedAt) },
          ...(canResolve
            ? [
                {
                  title: '',
                  width: 80,
                  render: (_: unknown, f: { id: number }) => (
                    <Button
                      size="small"
                      type="link"
                      onClick={() => {
                        setResolution('');
                        setResolving(f.id);
                      }}
                    >
                      处理
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={resolving !== null}
        title="处理纠错"
        okText="确定"
        cancelText="取消"
        confirmLoading={saving}
        okButtonProps={{ disabled: !resolution.trim() }}
        onCancel={() => setResolving(null)}
        onOk={async () => {
          setSaving(true);
          try {
            await knowledgeApi.resolveFlag(resolving!, resolution.trim());
            message.success('已处理');
            setResolving(null);
            onDone();
          } catch (e) {
            message.error(errorMessage(e));
          } finally {
            setSaving(false);
          }
        }}
      >
        <Input.TextArea
          rows={3}
          value={resolution}
          onChange={(e) => setResolution(e.target.value)}
          placeholder="处理结果，如：已更新知识内容并提交审核"
          maxLength={500}
          showCount
        />
      </Modal>
    </Card>
  );
}
