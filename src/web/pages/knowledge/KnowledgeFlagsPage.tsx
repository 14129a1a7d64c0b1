import { useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Segmented, Space, Table, Tag } from 'antd';
import { errorMessage } from '../../api/client';
import { knowledgeApi, type KnowledgeFlag } from '../../api/knowledge-answering';
import { useMe } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { ExportMenu } from '../../components/ExportMenu';
import { LoadMore } from '../../components/LoadMore';
import { useKeysetList } from '../../lib/useKeysetList';
import { downloadTable } from '../../lib/csv';
import { fmtDateTime } from '../../lib/format';
import { hasRole } from '../../lib/permissions';

type Status = 'open' | 'resolved';

/**
 * 知识纠错 (第十八条 真实、有效、准确): what agents flagged as wrong or outdated. A unit sees the flags on its own
 * articles and closes them with what it did; the centre's knowledge reviewer sees all.
 */
export default function KnowledgeFlagsPage() {
  const me = useMe();
  const { message } = App.useApp();
  const [status, setStatus] = useState<Status>('open');
  const [resolving, setResolving] = useState<KnowledgeFlag | null>(null);
  const canResolve = hasRole(me, 'knowledge_reviewer', 'handler', 'unit_manager');

  const list = useKeysetList(status, (before: number | null) => knowledgeApi.flags({ status, before }));
  const items = list.items;

  return (
    <>
      <PageHeader
        title="知识纠错"
        sub="话务员反映知识内容有误或已过时的，主管单位核实后更新知识并填写处理结果"
        extra={
          <Space>
            <Segmented<Status>
              value={status}
              onChange={setStatus}
              options={[
                { value: 'open', label: '待处理' },
                { value: 'resolved', label: '已处理' },
              ]}
            />
            <ExportMenu
              disabled={!items.length}
              onExport={(format) =>
                downloadTable(
                  format,
                  `知识纠错_${status === 'open' ? '待处理' : '已处理'}.csv`,
                  ['知识', '主管单位', '原因', '说明', '提出人', '提出时间', '处理结果', '处理人', '处理时间'],
                  items.map((f) => [
                    f.articleTitle,
                    f.ownerUnit.name,
                    f.reasonLabel,
                    f.note,
                    f.raisedBy,
                    fmtDateTime(f.raisedAt),
                    f.resolution,
                    f.resolvedBy,
                    fmtDateTime(f.resolvedAt),
                  ]),
                )
              }
            />
          </Space>
        }
      />
      <ErrorAlert message={list.error} onRetry={list.reload} />
      <Card size="small">
        <Table<KnowledgeFlag>
          rowKey="id"
          size="small"
          loading={list.loadingFirst}
          dataSource={items}
          pagination={false}
          columns={[
            { title: '知识', dataIndex: 'articleTitle' },
            { title: '主管单位', width: 200, render: (_, f) => f.ownerUnit.name },
            { title: '原因', dataIndex: 'reasonLabel', width: 110, render: (v: string) => <Tag color="red">{v}</Tag> },
            { title: '说明', dataIndex: 'note', render: (v: string | null) => v ?? '—' },
            { title: '提出人', dataIndex: 'raisedBy', width: 100 },
            { title: '提出时间', dataIndex: 'raisedAt', width: 160, render: (v: string) => fmtDateTime(v) },
            ...(status === 'resolved'
              ? [
                  { title: '处理结果', dataIndex: 'resolution' },
                  { title: '处理人', dataIndex: 'resolvedBy', width: 100 },
                ]
              : canResolve
                ? [
                    {
                      title: '操作',
                      width: 90,
                      render: (_: unknown, f: KnowledgeFlag) => (
                        <Button size="small" type="link" onClick={() => setResolving(f)}>
                          处理
                        </Button>
                      ),
                    },
                  ]
                : []),
          ]}
        />
        <LoadMore list={list} />
      </Card>
      <ResolveDialog
        flag={resolving}
        onClose={() => setResolving(null)}
        onDone={() => {
          setResolving(null);
          message.success('已处理');
          list.reload();
        }}
      />
    </>
  );
}

function ResolveDialog({
  flag,
  onClose,
  onDone,
}: {
  flag: KnowledgeFlag | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const [form] = Form.useForm<{ resolution: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v || !flag) return;
    setBusy(true);
    try {
      await knowledgeApi.resolveFlag(flag.id, v.resolution.trim());
      form.resetFields();
      setError(null);
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={!!flag}
      title={`处理纠错：${flag?.articleTitle ?? ''}`}
      okText="确认处理"
      cancelText="取消"
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnClose
    >
      <ErrorAlert message={error} />
      <p>
        {flag?.reasonLabel}
        {flag?.note ? `：${flag.note}` : ''}
      </p>
      <Form form={form} layout="vertical">
        <Form.Item
          name="resolution"
          label="处理结果"
          rules={[
            { required: true, whitespace: true, message: '请填写处理结果' },
            { max: 1000, message: '处理结果不能超过 1000 字' },
          ]}
        >
          <Input.TextArea rows={3} placeholder="如：已按新政策修改答复并提交审核" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
