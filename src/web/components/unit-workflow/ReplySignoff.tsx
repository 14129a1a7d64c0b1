import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Space, Tag, Typography } from 'antd';
import { errorMessage } from '../../api/client';
import type { Me, TicketView } from '../../api/types';
import { signoffApi, type TicketSignoffs } from '../../api/unit-workflow';
import { fmtDateTime } from '../../lib/format';
import { hasRole, isUnitStaff } from '../../lib/permissions';
import { useAsync } from '../../lib/useAsync';

/** What the ticket page needs to know about 第十五条 审核 for this user. */
export interface SignoffState {
  /** the lead unit requires sign-off and this user is a handler: the reply is submitted, not sent */
  mustSubmit: boolean;
  /** a submission waits for the unit manager */
  pending: boolean;
  data: TicketSignoffs | undefined;
  reload: () => void;
}

/** 第十五条 审核: the ticket's submissions, loaded for the lead unit's staff while the ticket is 办理中. */
export function useReplySignoffs(ticket: TicketView | undefined, me: Me | null | undefined): SignoffState {
  const enabled = !!ticket && isUnitStaff(me) && ticket.status === 'in_progress' && ticket.leadUnitId === me?.unitId;
  const s = useAsync(
    () => (enabled ? signoffApi.forTicket(ticket.id) : Promise.resolve(undefined)),
    [enabled, ticket?.id, ticket?.version],
  );
  const data = enabled ? s.data : undefined;
  return {
    mustSubmit: !!data?.required && !hasRole(me, 'unit_manager'),
    pending: !!data?.items.some((i) => i.status === 'pending'),
    data,
    reload: () => void s.reload(),
  };
}

/**
 * 第十五条 审核 on the ticket page: the handler sees where the submitted reply stands (or why it came back); the unit
 * manager reads it and approves (the reply then leaves the unit) or returns it with a reason.
 */
export function SignoffPanel({
  ticket,
  state,
  me,
  onDone,
}: {
  ticket: TicketView;
  state: SignoffState;
  me: Me | null | undefined;
  onDone: () => void;
}) {
  const { message } = App.useApp();
  const [returning, setReturning] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const latest = state.data?.items[0];
  if (!state.data?.required && !latest) return null;
  if (!latest)
    return (
      <Alert
        type="info"
        showIcon
        data-testid="signoff-required"
        message="本单位答复须经单位负责人审核"
        description={
          hasRole(me, 'unit_manager')
            ? '承办人提交的答复将在此审核。'
            : '填写办结答复后提交审核，审核通过后答复送出本单位。'
        }
      />
    );
  const manager = hasRole(me, 'unit_manager');
  const decide = async (approve: boolean) => {
    let reason = '';
    if (!approve) {
      const v = await form.validateFields().catch(() => null);
      if (!v) return;
      reason = v.reason.trim();
    }
    setBusy(true);
    setError(null);
    try {
      if (approve) {
        const t = await signoffApi.approve(latest.id);
        message.success(`工单 ${t.number} 已审核通过，答复已送出`);
      } else {
        await signoffApi.returnToHandler(latest.id, reason);
        message.success('已退回承办人修改');
        setReturning(false);
      }
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title="答复审核" data-testid="signoff-panel" data-signoff-status={latest.status}>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} role="alert" />}
      {latest.status === 'returned' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={`单位负责人已退回（${latest.reviewerName ?? ''}，${fmtDateTime(latest.reviewedAt)}）`}
          description={`退回理由：${latest.reviewNote ?? ''}`}
        />
      )}
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label="状态">
          {latest.status === 'pending' ? (
            <Tag color="gold">待审核</Tag>
          ) : latest.status === 'returned' ? (
            <Tag color="red">已退回</Tag>
          ) : (
            <Tag color="green">已通过</Tag>
          )}
        </Descriptions.Item>
        <Descriptions.Item label="提交">
          {latest.submittedByName}，{fmtDateTime(latest.submittedAt)}
        </Descriptions.Item>
        <Descriptions.Item label="办理结果">
          <span className="pre-wrap">{latest.result}</span>
        </Descriptions.Item>
        <Descriptions.Item label="是否解决">{latest.solved ? '已解决' : '未能解决'}</Descriptions.Item>
        {latest.explanation && (
          <Descriptions.Item label="解释说明">
            <span className="pre-wrap">{latest.explanation}</span>
          </Descriptions.Item>
        )}
        {latest.unreachableNote && <Descriptions.Item label="联系情况">{latest.unreachableNote}</Descriptions.Item>}
      </Descriptions>
      {latest.status === 'pending' &&
        (manager ? (
          <Space style={{ marginTop: 12 }}>
            <Button type="primary" loading={busy} onClick={() => void decide(true)} data-testid="signoff-approve">
              审核通过并答复
            </Button>
            <Button danger disabled={busy} onClick={() => setReturning(true)}>
              退回修改
            </Button>
          </Space>
        ) : (
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
            已提交单位负责人审核；审核期间办理时限照常计算。
          </Typography.Paragraph>
        ))}
      <Modal
        open={returning}
        title={`退回答复 · ${ticket.number}`}
        okText="确认退回"
        okButtonProps={{ danger: true }}
        cancelText="取消"
        confirmLoading={busy}
        onOk={() => void decide(false)}
        onCancel={() => setReturning(false)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item
            name="reason"
            label="退回理由"
            rules={[
              { required: true, whitespace: true, message: '请填写退回理由' },
              { max: 2000, message: '退回理由不能超过 2000 字' },
            ]}
          >
            <Input.TextArea rows={3} placeholder="如：答复过于简单，请写明维修时间和结果" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
