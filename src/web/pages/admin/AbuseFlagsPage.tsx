import { useState } from 'react';
import { App, Button, Empty, Form, Input, List, Space, Spin, Table, Tabs, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api/endpoints';
import type { FlagDetail, FlagForReview, FlagStatus } from '../../api/contact-types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ExportMenu } from '../../components/ExportMenu';
import { FormModal } from '../../components/FormModal';
import { PageHeader } from '../../components/PageHeader';
import { DISPOSITION_LABELS, FLAG_KIND_LABELS, FLAG_STATUS_LABELS } from '../../lib/dispositions';
import { downloadTable } from '../../lib/csv';
import { fmtDateTime } from '../../lib/format';
import { CHANNEL_LABELS } from '../../lib/labels';
import { useAsync } from '../../lib/useAsync';
import { useKeysetList } from '../../lib/useKeysetList';
import { LoadMore } from '../../components/LoadMore';

type Decision = { flag: FlagForReview; decision: 'warn' | 'dismiss' };

const minutes = (s: number) => `通话 ${Math.max(1, Math.round(s / 60))} 分钟`;

function KindTag({ kind }: { kind: FlagForReview['kind'] }) {
  return <Tag color={kind === 'harassment' ? 'red' : 'orange'}>{FLAG_KIND_LABELS[kind]}</Tag>;
}

function RequesterCell({ r }: { r: FlagForReview['requester'] }) {
  return (
    <Space direction="vertical" size={2}>
      <span>{r.label}</span>
      <Space size={4} wrap>
        {r.warnedBefore > 0 && <Tag color="red">曾被警告 {r.warnedBefore} 次</Tag>}
        {r.flagsTotal > 1 && <Tag>共 {r.flagsTotal} 条标记</Tag>}
      </Space>
    </Space>
  );
}

function ContactCell({ c }: { c: FlagForReview['contact'] }) {
  if (!c) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {CHANNEL_LABELS[c.channel] ?? c.channel} · {fmtDateTime(c.receivedAt)}
        {c.callSeconds !== null && ` · ${minutes(c.callSeconds)}`}
      </Typography.Text>
      <Typography.Paragraph ellipsis={{ rows: 2, tooltip: c.excerpt }} style={{ margin: 0 }}>
        {c.excerpt || '（无文字内容）'}
      </Typography.Paragraph>
    </div>
  );
}

/** The requester's contacts in the days around the flag: what the admin weighs before warning anyone. */
function Evidence({ id }: { id: number }) {
  const detail = useAsync<FlagDetail>(() => api.requesters.flagDetail(id), [id]);
  if (detail.errorText) return <ErrorAlert message={detail.errorText} onRetry={() => void detail.reload()} />;
  if (!detail.data) return <Spin />;
  const d = detail.data;
  return (
    <>
      <Typography.Paragraph>
        <KindTag kind={d.kind} />
        {d.detail}
        <br />
        <Typography.Text type="secondary">
          诉求人：{d.requester.label}
          {d.requester.warnedBefore > 0 && `（此前已被警告 ${d.requester.warnedBefore} 次）`}
        </Typography.Text>
      </Typography.Paragraph>
      <Typography.Text strong>前后 7 天的来电来信（{d.evidence.length}）</Typography.Text>
      <List
        size="small"
        bordered
        style={{ margin: '8px 0 16px', maxHeight: 260, overflow: 'auto' }}
        data-testid="flag-evidence"
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有其他来电来信" /> }}
        dataSource={d.evidence}
        renderItem={(c) => (
          <List.Item style={c.isFlagged ? { background: '#fff7e6' } : undefined}>
            <div style={{ width: '100%' }}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {fmtDateTime(c.receivedAt)} · {CHANNEL_LABELS[c.channel] ?? c.channel}
                {c.callSeconds !== null && ` · ${minutes(c.callSeconds)}`} ·{' '}
                {c.disposition ? DISPOSITION_LABELS[c.disposition] : '待处理'}
              </Typography.Text>
              {c.isFlagged && (
                <Tag color="orange" style={{ marginLeft: 8 }}>
                  触发本标记
                </Tag>
              )}
              <div>{c.excerpt || '（无文字内容）'}</div>
            </div>
          </List.Item>
        )}
      />
    </>
  );
}

/**
 * 第十一、三十四条 滥用标记审核: flags raised automatically (repeated contacts, long calls) or by agents
 * (harassment), with the contact that set each off and the requester's contacts around it. Confirming records a
 * warning and sends it by SMS; dismissing closes the flag. Reviewed flags stay readable under their own tabs.
 * Flags never block a contact or an emergency transfer.
 */
export default function AbuseFlagsPage() {
  const { message } = App.useApp();
  const [status, setStatus] = useState<FlagStatus>('open');
  const flags = useKeysetList(status, (cursor: number | null) => api.requesters.flags({ status, cursor }));
  const [open, setOpen] = useState<Decision | null>(null);
  const reviewed = status !== 'open';
  return (
    <>
      <PageHeader
        title="滥用标记审核"
        sub="恶意反复来电、长时间占线、骚扰工作人员的标记：核实来电来信后，确认并向诉求人发出警告，或撤销"
        extra={
          <>
            <ExportMenu
              testId="flags-export"
              disabled={!flags.items.length}
              onExport={(format) =>
                downloadTable(
                  format,
                  '滥用标记审核',
                  [
                    '标记时间',
                    '类型',
                    '情况',
                    '来源',
                    '诉求人',
                    '此前警告次数',
                    '标记总数',
                    '渠道',
                    '来电来信时间',
                    '通话分钟',
                    '内容摘要',
                    '状态',
                    '审核人',
                    '审核时间',
                    '审核意见',
                  ],
                  flags.items.map((f) => [
                    fmtDateTime(f.createdAt),
                    FLAG_KIND_LABELS[f.kind],
                    f.detail,
                    f.source === 'automatic' ? '系统自动标记' : `话务员${f.raisedBy ? ` ${f.raisedBy}` : ''}记录`,
                    f.requester.label,
                    f.requester.warnedBefore,
                    f.requester.flagsTotal,
                    f.contact ? (CHANNEL_LABELS[f.contact.channel] ?? f.contact.channel) : '',
                    f.contact ? fmtDateTime(f.contact.receivedAt) : '',
                    f.contact?.callSeconds != null ? Math.max(1, Math.round(f.contact.callSeconds / 60)) : '',
                    f.contact?.excerpt ?? '',
                    FLAG_STATUS_LABELS[f.status],
                    f.review?.by ?? '',
                    f.review ? fmtDateTime(f.review.at) : '',
                    f.review?.note ?? '',
                  ]),
                  { status: FLAG_STATUS_LABELS[status], loaded: flags.items.length },
                )
              }
            />
            <Button icon={<ReloadOutlined />} onClick={flags.reload}>
              刷新
            </Button>
          </>
        }
      />
      <Tabs
        activeKey={status}
        onChange={(k) => setStatus(k as FlagStatus)}
        items={(['open', 'warned', 'dismissed'] as const).map((k) => ({ key: k, label: FLAG_STATUS_LABELS[k] }))}
      />
      <ErrorAlert message={flags.error} onRetry={flags.reload} />
      <Table<FlagForReview>
        rowKey="id"
        size="middle"
        loading={flags.loading}
        dataSource={flags.items}
        pagination={false}
        locale={{ emptyText: status === 'open' ? '没有待审核的标记' : `没有${FLAG_STATUS_LABELS[status]}的标记` }}
        onRow={(f) => ({ 'data-flag-id': f.id }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: '标记时间', dataIndex: 'createdAt', width: 140, render: fmtDateTime },
          { title: '类型', dataIndex: 'kind', width: 180, render: (k: FlagForReview['kind']) => <KindTag kind={k} /> },
          {
            title: '情况',
            key: 'detail',
            render: (_: unknown, f) => (
              <div>
                <span className="pre-wrap">{f.detail}</span>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {f.source === 'automatic' ? '系统自动标记' : `话务员${f.raisedBy ? ` ${f.raisedBy} ` : ''}记录`}
                  </Typography.Text>
                </div>
              </div>
            ),
          },
          {
            title: '诉求人',
            key: 'requester',
            width: 190,
            render: (_: unknown, f) => <RequesterCell r={f.requester} />,
          },
          {
            title: '引发标记的来电来信',
            key: 'contact',
            width: 280,
            render: (_: unknown, f) => <ContactCell c={f.contact} />,
          },
          reviewed
            ? {
                title: '审核',
                key: 'review',
                width: 200,
                render: (_: unknown, f) =>
                  f.review && (
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {f.review.by ?? '—'} · {fmtDateTime(f.review.at)}
                      </Typography.Text>
                      {f.review.note && <div className="pre-wrap">{f.review.note}</div>}
                    </div>
                  ),
              }
            : {
                title: '审核',
                key: 'actions',
                width: 150,
                render: (_: unknown, f) => (
                  <Space>
                    <Button size="small" danger onClick={() => setOpen({ flag: f, decision: 'warn' })}>
                      警告
                    </Button>
                    <Button size="small" onClick={() => setOpen({ flag: f, decision: 'dismiss' })}>
                      撤销
                    </Button>
                  </Space>
                ),
              },
        ]}
      />
      <LoadMore list={flags} />
      <FormModal<{ note?: string }>
        title={open?.decision === 'warn' ? '确认并警告' : '撤销标记'}
        open={!!open}
        onClose={() => setOpen(null)}
        okText={open?.decision === 'warn' ? '确认警告' : '撤销标记'}
        danger={open?.decision === 'warn'}
        width={640}
        onSubmit={async (v) => {
          await api.requesters.reviewFlag(open!.flag.id, open!.decision, v.note?.trim() || undefined);
          message.success(open!.decision === 'warn' ? '已记录警告，并向诉求人发送警告短信' : '标记已撤销');
          flags.reload();
        }}
      >
        {open && <Evidence id={open.flag.id} />}
        {open?.decision === 'warn' && (
          <Typography.Paragraph type="secondary">
            将依据第十一条、第三十四条记录警告，并以短信告知诉求人合理使用热线及违法后果。警告不影响其今后来电的受理和紧急转接。
          </Typography.Paragraph>
        )}
        <Form.Item name="note" label="审核意见" rules={[{ max: 2000, message: '审核意见不能超过 2000 字' }]}>
          <Input.TextArea rows={3} autoFocus placeholder="可选" />
        </Form.Item>
      </FormModal>
    </>
  );
}
