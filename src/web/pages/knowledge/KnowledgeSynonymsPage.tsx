import { useState } from 'react';
import { App, Button, Card, Form, Modal, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api/client';
import { knowledgeApi, type SynonymGroup } from '../../api/knowledge-answering';
import { useMe } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { ExportMenu } from '../../components/ExportMenu';
import { downloadTable } from '../../lib/csv';
import { fmtDateTime } from '../../lib/format';
import { hasRole } from '../../lib/permissions';
import { useAsync } from '../../lib/useAsync';

const TERM_RE = /^[^\s|&!:()'\\]{1,20}$/;

/** 同义词 (第十八条): a search for any term of a group also finds articles with the others. */
export default function KnowledgeSynonymsPage() {
  const me = useMe();
  const canEdit = hasRole(me, 'knowledge_reviewer', 'admin');
  const { message } = App.useApp();
  const list = useAsync(() => knowledgeApi.synonyms(), []);
  const [editing, setEditing] = useState<SynonymGroup | 'new' | null>(null);
  const [busyId, setBusyId] = useState<number | null>(null);
  const items = list.data?.items ?? [];

  const toggle = async (g: SynonymGroup, active: boolean) => {
    setBusyId(g.id);
    try {
      await knowledgeApi.updateSynonyms(g.id, { active });
      message.success(active ? '已启用' : '已停用');
      await list.reload();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusyId(null);
    }
  };

  return (
    <>
      <PageHeader
        title="同义词"
        sub="群众说法不一（社保／社会保险、公积金／住房公积金）：查询任一词时同时查找同组其他词"
        extra={
          <Space>
            <ExportMenu
              onExport={(format) =>
                downloadTable(
                  format,
                  '知识库同义词.csv',
                  ['同义词', '状态', '修改人', '修改时间'],
                  items.map((g) => [
                    g.terms.join(' / '),
                    g.active ? '启用' : '停用',
                    g.updatedBy,
                    fmtDateTime(g.updatedAt),
                  ]),
                )
              }
              disabled={!items.length}
            />
            {canEdit && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
                新增同义词组
              </Button>
            )}
          </Space>
        }
      />
      <ErrorAlert message={list.errorText} onRetry={() => void list.reload()} />
      <Card size="small">
        <Table<SynonymGroup>
          rowKey="id"
          size="small"
          loading={list.loading}
          dataSource={items}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          columns={[
            {
              title: '同义词',
              render: (_, g) => (
                <Space size={4} wrap>
                  {g.terms.map((t) => (
                    <Tag key={t} color={g.active ? 'blue' : undefined}>
                      {t}
                    </Tag>
                  ))}
                </Space>
              ),
            },
            {
              title: '启用',
              width: 90,
              render: (_, g) => (
                <Switch
                  checked={g.active}
                  disabled={!canEdit}
                  loading={busyId === g.id}
                  onChange={(v) => void toggle(g, v)}
                  aria-label={`启用 ${g.terms.join('/')}`}
                />
              ),
            },
            { title: '修改人', dataIndex: 'updatedBy', width: 120, render: (v: string | null) => v ?? '系统' },
            { title: '修改时间', dataIndex: 'updatedAt', width: 170, render: (v: string) => fmtDateTime(v) },
            ...(canEdit
              ? [
                  {
                    title: '操作',
                    width: 80,
                    render: (_: unknown, g: SynonymGroup) => (
                      <Button size="small" type="link" onClick={() => setEditing(g)}>
                        编辑
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
          同一个词只能属于一组；停用的组不参与查询。修改后各服务器在 30 秒内生效。
        </Typography.Paragraph>
      </Card>
      <SynonymDialog
        group={editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          void list.reload();
        }}
      />
    </>
  );
}

function SynonymDialog({
  group,
  onClose,
  onSaved,
}: {
  group: SynonymGroup | 'new' | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ terms: string[] }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v || !group) return;
    setBusy(true);
    setError(null);
    try {
      const terms = v.terms.map((t) => t.trim()).filter(Boolean);
      if (group === 'new') await knowledgeApi.createSynonyms(terms);
      else await knowledgeApi.updateSynonyms(group.id, { terms });
      message.success('已保存');
      onSaved();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={!!group}
      title={group === 'new' ? '新增同义词组' : '编辑同义词组'}
      okText="保存"
      cancelText="取消"
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnClose
      afterOpenChange={(open) => {
        if (open) {
          form.setFieldsValue({ terms: group && group !== 'new' ? group.terms : [] });
          setError(null);
        }
      }}
    >
      <ErrorAlert message={error} />
      <Form form={form} layout="vertical">
        <Form.Item
          name="terms"
          label="同义词（输入后按回车）"
          rules={[
            {
              validator: (_, v: string[] | undefined) => {
                const t = (v ?? []).map((x) => x.trim()).filter(Boolean);
                if (t.length < 2) return Promise.reject(new Error('一组同义词至少 2 个'));
                if (t.length > 20) return Promise.reject(new Error('一组同义词最多 20 个'));
                if (t.some((x) => !TERM_RE.test(x)))
                  return Promise.reject(new Error('每个词不超过 20 字，不能包含空格或 | & ! : ( ) 等符号'));
                if (new Set(t).size !== t.length) return Promise.reject(new Error('同一组内的词不能重复'));
                return Promise.resolve();
              },
            },
          ]}
        >
          <Select mode="tags" open={false} tokenSeparators={[',', '，', '/', '、']} placeholder="如：社保 社会保险" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
