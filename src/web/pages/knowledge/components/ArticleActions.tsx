import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Space } from 'antd';
import { ApiError, errorMessage } from '../../../api/client';
import { authoringApi, type ArticleDetail, type KnowledgeAction } from '../../../api/knowledge-authoring';
import { KNOWLEDGE_LIMITS } from '../../../../shared/contracts/knowledge';
import { ACTION_LABELS } from './labels';
import { CONFLICT_TEXT } from './ArticleFormDrawer';

// 第十八条: the steps of an article's workflow the server says this person may take now (allowedActions), each
// sent with the lockVersion the screen read. Returning and withdrawing need a reason.

type ReasonAction = 'return' | 'withdraw' | 'request_withdraw';
const REASON_TITLES: Record<ReasonAction, string> = {
  return: '退回（请说明理由，承办单位将收到通知）',
  withdraw: '下架（知识永久保留，停止向话务员和公众提供）',
  request_withdraw: '申请下架（由中心知识库审核员审核）',
};
const DONE: Partial<Record<KnowledgeAction, string>> = {
  submit: '已提交审核',
  approve: '已审核通过，提交中心审核',
  publish: '已发布',
  discard: '已放弃草稿',
  confirm_valid: '已复核确认',
  return: '已退回',
  withdraw: '已下架',
  request_withdraw: '已申请下架',
};

export function ArticleActions({
  article,
  onEdit,
  onDone,
  size = 'middle',
  only,
}: {
  article: ArticleDetail;
  /** the actions this place offers (all the allowed ones when absent) */
  only?: KnowledgeAction[];
  onEdit?: () => void;
  onDone: () => void;
  size?: 'small' | 'middle';
}) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState<KnowledgeAction | null>(null);
  const [asking, setAsking] = useState<ReasonAction | null>(null);
  const [conflict, setConflict] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const can = (a: KnowledgeAction) => article.allowedActions.includes(a) && (!only || only.includes(a));

  const run = async (a: KnowledgeAction, call: () => Promise<unknown>) => {
    setBusy(a);
    try {
      const out = (await call()) as { withdrawRequested?: boolean } | undefined;
      message.success(a === 'withdraw' && out?.withdrawRequested ? '已申请下架' : (DONE[a] ?? '已完成'));
      setAsking(null);
      onDone();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'conflict') {
        setAsking(null);
        setConflict(true);
      } else message.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };
  const step = (a: 'submit' | 'approve' | 'publish' | 'discard' | 'confirm_valid') =>
    void run(a, () => authoringApi.step(article.id, a === 'confirm_valid' ? 'confirm-valid' : a, article.lockVersion));

  const button = (a: KnowledgeAction, primary = false, danger = false) =>
    can(a) ? (
      <Button
        key={a}
        size={size}
        type={primary ? 'primary' : 'default'}
        danger={danger}
        loading={busy === a}
        onClick={() => {
          if (a === 'edit') onEdit?.();
          else if (a === 'return' || a === 'withdraw' || a === 'request_withdraw') {
            form.resetFields();
            setAsking(a);
          } else step(a);
        }}
      >
        {ACTION_LABELS[a]}
      </Button>
    ) : null;

  return (
    <>
      {conflict && (
        <Alert
          type="warning"
          showIcon
          role="alert"
          data-testid="knowledge-conflict"
          message={CONFLICT_TEXT}
          style={{ marginBottom: 12 }}
          action={
            <Button
              size="small"
              onClick={() => {
                setConflict(false);
                onDone();
              }}
            >
              刷新
            </Button>
          }
        />
      )}
      <Space wrap>
        {button('publish', true)}
        {button('approve', true)}
        {button('submit', true)}
        {button('return', false, true)}
        {onEdit && button('edit')}
        {button('confirm_valid')}
        {can('discard') && (
          <Popconfirm
            title="放弃该草稿？"
            description="已放弃的版本仍保留在版本列表中。"
            okText="放弃"
            cancelText="取消"
            onConfirm={() => step('discard')}
          >
            <Button size={size} loading={busy === 'discard'}>
              {ACTION_LABELS.discard}
            </Button>
          </Popconfirm>
        )}
        {button('request_withdraw', false, true)}
        {button('withdraw', false, true)}
      </Space>
      <Modal
        open={asking !== null}
        title={asking ? REASON_TITLES[asking] : ''}
        okText="确定"
        cancelText="取消"
        confirmLoading={busy !== null}
        onCancel={() => setAsking(null)}
        onOk={async () => {
          const { reason } = await form.validateFields();
          const a = asking!;
          await run(a, () =>
            authoringApi.withReason(
              article.id,
              a === 'return' ? 'return' : 'withdraw',
              article.lockVersion,
              reason.trim(),
            ),
          );
        }}
        forceRender
      >
        <Form form={form} layout="vertical">
          <Form.Item name="reason" label="理由" rules={[{ required: true, whitespace: true, message: '请填写理由' }]}>
            <Input.TextArea rows={3} maxLength={KNOWLEDGE_LIMITS.reason} showCount autoFocus />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
