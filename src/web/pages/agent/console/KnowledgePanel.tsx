import { useEffect, useState } from 'react';
import { App, Button, Card, Empty, Form, Input, List, Modal, Radio, Space, Tag, Tooltip, Typography } from 'antd';
import { CheckOutlined, FlagOutlined } from '@ant-design/icons';
import { errorMessage } from '../../../api/client';
import { knowledgeApi, type FlagReason, type KnowledgeHit } from '../../../api/knowledge-answering';
import { FLAG_REASON_LABELS } from '../../../../shared/contracts/knowledge-answering';
import { ErrorAlert } from '../../../components/ErrorAlert';

/** The article the agent chose to answer with: its short answer goes into 在线答复 (editable). */
export interface ChosenArticle {
  id: number;
  title: string;
  shortAnswer: string;
}

/**
 * The best matches for what the requester said, refreshed as the words change (debounced), or for the agent's own
 * search when the box is filled. 第十二条: what can be answered online is answered online.
 */
function useKnowledge(text: string, query: string) {
  const [items, setItems] = useState<KnowledgeHit[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const q = query.trim();
    const words = text.trim();
    if (!q && words.length < 2) return setItems([]);
    let live = true;
    const timer = setTimeout(() => {
      setLoading(true);
      const p = q
        ? knowledgeApi.search({ q: q.slice(0, 100), limit: 8 })
        : knowledgeApi.suggest({ text: words.slice(0, 2000), limit: 5 });
      p.then(
        (r) => live && (setItems(r.items), setError(null)),
        (e) => live && setError(errorMessage(e)),
      ).finally(() => live && setLoading(false));
    }, 400);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [text, query]);
  return { items, loading, error };
}

export function KnowledgePanel({
  text,
  contactId,
  chosenId,
  onUse,
  readOnly = false,
}: {
  /** the contact's own words (the message, or the agent's record of the call) */
  text: string;
  contactId: number | null;
  chosenId: number | null;
  onUse: (a: ChosenArticle) => void;
  /** before the contact is recorded there is nothing to answer yet: no 使用此答复 */
  readOnly?: boolean;
}) {
  const [query, setQuery] = useState('');
  const [typed, setTyped] = useState('');
  const { items, loading, error } = useKnowledge(text, query);
  const [flagging, setFlagging] = useState<KnowledgeHit | null>(null);
  return (
    <Card
      size="small"
      title={`知识库${items.length ? `（${items.length}）` : ''}`}
      data-testid="knowledge-panel"
      style={{ marginBottom: 12 }}
      extra={
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {query.trim() ? '按关键词' : '按来电内容推荐'}
        </Typography.Text>
      }
    >
      <Input.Search
        allowClear
        placeholder="查知识：如 公积金提取、医保报销"
        value={typed}
        maxLength={100}
        onChange={(e) => {
          setTyped(e.target.value);
          if (!e.target.value) setQuery('');
        }}
        onSearch={(v) => setQuery(v)}
        style={{ marginBottom: 8 }}
        aria-label="查知识"
        data-testid="knowledge-search"
      />
      <ErrorAlert message={error} />
      {!items.length ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={loading ? '正在查找…' : text.trim() || query ? '未找到相关知识' : '记录来电内容后自动推荐'}
        />
      ) : (
        <List
          size="small"
          loading={loading}
          dataSource={items}
          renderItem={(k) => (
            <List.Item data-article-id={k.id} style={{ display: 'block', padding: '8px 0' }}>
              <Space size={4} wrap>
                <Typography.Text strong>{k.title}</Typography.Text>
                {k.stale && (
                  <Tooltip title="超过复核周期未复核，答复前请核实">
                    <Tag color="orange">待复核</Tag>
                  </Tooltip>
                )}
                {k.openFlagCount > 0 && <Tag color="red">有纠错 {k.openFlagCount}</Tag>}
                {k.visibility === 'public' && <Tag>公开</Tag>}
              </Space>
              <Typography.Paragraph style={{ margin: '4px 0', fontSize: 13 }} data-testid="knowledge-short-answer">
                {k.shortAnswer}
              </Typography.Paragraph>
              {k.answer && k.answer !== k.shortAnswer && (
                <Typography.Paragraph
                  type="secondary"
                  ellipsis={{ rows: 2, expandable: true, symbol: '展开' }}
                  style={{ margin: 0, fontSize: 12 }}
                >
                  {k.answer}
                </Typography.Paragraph>
              )}
              <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                {k.ownerUnit.name}
                {k.policyBasis.length > 0 &&
                  ` · 依据：${k.policyBasis.map((p) => `《${p.document}》${p.number ? `（${p.number}）` : ''}${p.clause ?? ''}`).join('；')}`}
              </Typography.Text>
              <Space size={6} style={{ marginTop: 6 }}>
                <Button
                  size="small"
                  hidden={readOnly}
                  type={chosenId === k.id ? 'primary' : 'default'}
                  icon={<CheckOutlined />}
                  onClick={() => onUse({ id: k.id, title: k.title, shortAnswer: k.shortAnswer })}
                  data-testid="knowledge-use"
                >
                  使用此答复
                </Button>
                <Button size="small" type="text" icon={<FlagOutlined />} onClick={() => setFlagging(k)}>
                  纠错
                </Button>
              </Space>
            </List.Item>
          )}
        />
      )}
      <FlagDialog article={flagging} contactId={contactId} onClose={() => setFlagging(null)} />
    </Card>
  );
}

/** 纠错: wrong, outdated, unclear or other, with a note; it goes to the article's owner unit. */
function FlagDialog({
  article,
  contactId,
  onClose,
}: {
  article: KnowledgeHit | null;
  contactId: number | null;
  onClose: () => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: FlagReason; note?: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (article) {
      form.resetFields();
      setError(null);
    }
  }, [article, form]);
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v || !article) return;
    setBusy(true);
    try {
      await knowledgeApi.flag(article.id, {
        reason: v.reason,
        note: v.note?.trim() || undefined,
        contactId: contactId ?? undefined,
      });
      message.success('已提交纠错，已通知主管单位');
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={!!article}
      title={`纠错：${article?.title ?? ''}`}
      okText="提交纠错"
      cancelText="取消"
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnClose
    >
      <ErrorAlert message={error} />
      <Form form={form} layout="vertical" initialValues={{ reason: 'outdated' }}>
        <Form.Item name="reason" label="原因" rules={[{ required: true, message: '请选择纠错原因' }]}>
          <Radio.Group
            optionType="button"
            options={Object.entries(FLAG_REASON_LABELS).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item
          name="note"
          label="说明"
          dependencies={['reason']}
          rules={[
            ({ getFieldValue }) => ({
              validator: (_, v: string | undefined) =>
                getFieldValue('reason') === 'other' && !v?.trim()
                  ? Promise.reject(new Error('选择“其他”时请填写说明'))
                  : Promise.resolve(),
            }),
            { max: 1000, message: '说明不能超过 1000 字' },
          ]}
        >
          <Input.TextArea rows={3} placeholder="哪里不对、现在的正确做法是什么" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
