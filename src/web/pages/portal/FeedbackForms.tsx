import { useState } from 'react';
import { Alert, Button, Form, Input, Radio, Typography } from 'antd';
import { api } from '../../api/endpoints';
import { errorMessage } from '../../api/client';
import type { Satisfaction } from '../../api/types';
import { SATISFACTION_LABELS } from '../../lib/labels';
import { RADIO_GROUP } from '../../lib/a11y-props';

type Key = { number: string; code: string };

function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      return true;
    } catch (e) {
      setError(errorMessage(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

/** 第九条: the requester evaluates the result once. */
export function EvaluateForm({ trackingKey, onDone }: { trackingKey: Key; onDone: () => void }) {
  const [form] = Form.useForm<{ satisfaction: Satisfaction; comment?: string }>();
  const s = useSubmit();
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (
      v &&
      (await s.run(() =>
        api.public.evaluate({ ...trackingKey, satisfaction: v.satisfaction, comment: v.comment?.trim() || undefined }),
      ))
    )
      onDone();
  };
  return (
    <div data-testid="evaluate-form" style={{ marginBottom: 16 }}>
      <Typography.Title level={5}>评价办理结果</Typography.Title>
      {s.error && <Alert type="error" showIcon message={s.error} style={{ marginBottom: 12 }} role="alert" />}
      <Form form={form} layout="vertical" name="portal-evaluate">
        <Form.Item name="satisfaction" label="您对办理结果" rules={[{ required: true, message: '请选择满意程度' }]}>
          <Radio.Group
            {...RADIO_GROUP}
            optionType="button"
            buttonStyle="solid"
            options={Object.entries(SATISFACTION_LABELS).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item name="comment" label="意见（可选）" rules={[{ max: 1000, message: '意见不能超过 1000 字' }]}>
          <Input.TextArea rows={3} placeholder="您对办理情况的意见或建议" />
        </Form.Item>
        <Button type="primary" block onClick={() => void submit()} loading={s.busy}>
          提交评价
        </Button>
      </Form>
    </div>
  );
}

/** 第九条: a complaint about staff goes to supervision, not to the unit. */
export function ComplaintForm({ trackingKey }: { trackingKey: Key }) {
  const [form] = Form.useForm<{ content: string; againstStaff?: string }>();
  const [sent, setSent] = useState<string | null>(null);
  const s = useSubmit();
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    let msg = '';
    if (
      await s.run(async () => {
        msg = (
          await api.public.complain({
            ...trackingKey,
            content: v.content.trim(),
            againstStaff: v.againstStaff?.trim() || undefined,
          })
        ).message;
      })
    )
      setSent(msg);
  };
  if (sent) return <Alert type="success" showIcon message={sent} data-testid="complaint-sent" />;
  return (
    <>
      {s.error && <Alert type="error" showIcon message={s.error} style={{ marginBottom: 12 }} role="alert" />}
      <Form form={form} layout="vertical" name="portal-complaint">
        <Form.Item
          name="content"
          label="投诉内容"
          rules={[
            { required: true, whitespace: true, message: '请填写投诉内容' },
            { min: 5, message: '请具体说明投诉内容' },
            { max: 2000, message: '投诉内容不能超过 2000 字' },
          ]}
        >
          <Input.TextArea rows={3} placeholder="工作人员的哪些行为，发生的时间和经过" />
        </Form.Item>
        <Form.Item name="againstStaff" label="被投诉人员（可选）" rules={[{ max: 100, message: '过长' }]}>
          <Input placeholder="如知道姓名或工号可填写" />
        </Form.Item>
        <Typography.Paragraph type="secondary" style={{ fontSize: '1em' }}>
          投诉将转交督办部门处理，不会转给被投诉单位。
        </Typography.Paragraph>
        <Button block onClick={() => void submit()} loading={s.busy}>
          提交投诉
        </Button>
      </Form>
    </>
  );
}
