import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Radio, Typography } from 'antd';
import { api } from '../../api/endpoints';
import { errorMessage } from '../../api/client';
import type { Satisfaction, TicketView } from '../../api/types';
import { EVALUATION_VIA_LABELS, SATISFACTION_LABELS } from '../../lib/labels';
import { fmtDateTime } from '../../lib/format';
import { RADIO_GROUP } from '../../lib/a11y-props';

interface Values {
  satisfaction?: Satisfaction;
  resolved?: boolean;
  reasonable?: boolean;
  outcome?: 'close' | 'rework';
  note?: string;
}

/**
 * 第十七条 回访: satisfaction and whether it was solved; an unsatisfied requester with a reasonable request
 * may be sent back for rework, anything else is closed.
 */
export function CallbackForm({ ticket, onDone }: { ticket: TicketView; onDone: () => void }) {
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const satisfaction = Form.useWatch('satisfaction', form);
  const resolved = Form.useWatch('resolved', form);
  const reasonable = Form.useWatch('reasonable', form);
  const unhappy = satisfaction === 'unsatisfied' || resolved === false;
  const reworkAllowed = unhappy && reasonable === true;
  // The requester's own evaluation speaks for the reply it followed; after a rework's new reply it is history.
  const current = !!ticket.evaluation && !!ticket.repliedAt && ticket.evaluation.at >= ticket.repliedAt;

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    // issue 14: sending a ticket back is consequential (a new deadline for the unit, a 重办 counted against it): ask
    if (
      v.outcome === 'rework' &&
      !(await modal.confirm({
        title: '退回承办单位重办？',
        content: '工单将退回承办单位重新办理并重新计算办理时限，计入该单位的重办率（第十七条）。',
        okText: '退回重办',
        okButtonProps: { danger: true },
        cancelText: '取消',
      }))
    )
      return;
    setBusy(true);
    setError(null);
    try {
      const t = await api.tickets.callback(ticket.id, {
        satisfaction: v.satisfaction!,
        resolved: v.resolved!,
        reasonable: unhappy ? v.reasonable : undefined,
        outcome: v.outcome!,
        note: v.note?.trim() || undefined,
        expectedVersion: ticket.version,
      });
      message.success(t.status === 'closed' ? `工单 ${t.number} 已办结` : `工单 ${t.number} 已退回承办单位重办`);
      form.resetFields();
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title="回访" data-testid="callback-form">
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} role="alert" />}
      {ticket.reply?.unreachable && (
        // 第十五条: the unit replied without reaching the requester; the callback is often the first real contact
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="callback-unreachable"
          message={ticket.reply.unreachable.summary}
          description={`承办单位说明：${ticket.reply.unreachable.note}`}
        />
      )}
      {ticket.evaluation && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="requester-evaluation"
          message={`诉求人已评价：${SATISFACTION_LABELS[ticket.evaluation.satisfaction]}（${EVALUATION_VIA_LABELS[ticket.evaluation.via]}，${fmtDateTime(ticket.evaluation.at)}）`}
          description={[
            ticket.evaluation.comment,
            current
              ? '回访时可向诉求人核实；满意度已按其评价预先选好。'
              : '该评价针对重办前的答复，请按本次回访情况选择满意度。',
          ]
            .filter(Boolean)
            .join(' ')}
        />
      )}
      <Form
        form={form}
        initialValues={current ? { satisfaction: ticket.evaluation!.satisfaction } : undefined}
        layout="vertical"
        onValuesChange={(changed: Values, all: Values) => {
          const unhappyNow = all.satisfaction === 'unsatisfied' || all.resolved === false;
          if (
            ('satisfaction' in changed || 'resolved' in changed || 'reasonable' in changed) &&
            !(unhappyNow && all.reasonable === true) &&
            all.outcome === 'rework'
          ) {
            form.setFieldValue('outcome', 'close');
          }
        }}
      >
        <Form.Item name="satisfaction" label="满意度" rules={[{ required: true, message: '请选择满意度' }]}>
          <Radio.Group
            {...RADIO_GROUP}
            optionType="button"
            buttonStyle="solid"
            options={Object.entries(SATISFACTION_LABELS).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item name="resolved" label="诉求是否解决" rules={[{ required: true, message: '请选择诉求是否解决' }]}>
          <Radio.Group
            {...RADIO_GROUP}
            optionType="button"
            buttonStyle="solid"
            options={[
              { value: true, label: '已解决' },
              { value: false, label: '未解决' },
            ]}
          />
        </Form.Item>
        {unhappy && (
          <Form.Item
            name="reasonable"
            label="诉求是否合理"
            rules={[{ required: true, message: '诉求人不满意时须判断诉求是否合理' }]}
          >
            <Radio.Group
              {...RADIO_GROUP}
              optionType="button"
              buttonStyle="solid"
              options={[
                { value: true, label: '合理' },
                { value: false, label: '不合理' },
              ]}
            />
          </Form.Item>
        )}
        <Form.Item
          name="outcome"
          label="处理"
          rules={[{ required: true, message: '请选择办结或退回重办' }]}
          extra={unhappy && !reworkAllowed ? '仅在诉求人不满意且诉求合理时可退回重办（第十七条）' : undefined}
        >
          <Radio.Group
            {...RADIO_GROUP}
            optionType="button"
            buttonStyle="solid"
            options={[
              { value: 'close', label: '办结' },
              { value: 'rework', label: '退回重办', disabled: !reworkAllowed },
            ]}
          />
        </Form.Item>
        <Form.Item name="note" label="回访记录" rules={[{ max: 2000, message: '回访记录不能超过 2000 字' }]}>
          <Input.TextArea rows={3} placeholder="诉求人的意见" />
        </Form.Item>
        <Button type="primary" onClick={() => void submit()} loading={busy} block>
          提交回访结果
        </Button>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8, marginBottom: 0 }}>
          已重办 {ticket.reworkCount} 次
        </Typography.Paragraph>
      </Form>
    </Card>
  );
}
