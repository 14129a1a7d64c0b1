import { useState, type ReactNode } from 'react';
import { App, Form, Input, Modal, Typography } from 'antd';
import { errorMessage } from '../api/client';
import { revealBody } from '../../shared/contracts/tickets';
import { zodRule } from '../lib/zodRule';

/**
 * 第六、三十条: asks why personal data is needed, then reveals it through an audited endpoint. The purpose is
 * required and goes into the access log with who and when.
 */
export function RevealDialog({
  title,
  open,
  onClose,
  reveal,
  note,
}: {
  title: string;
  open: boolean;
  onClose: () => void;
  reveal: (purpose: string) => Promise<void>;
  note?: ReactNode;
}) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ purpose: string }>();
  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setBusy(true);
    try {
      await reveal(values.purpose.trim());
      onClose();
      message.success('已显示个人信息，本次查看已记入访问审计');
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      title={title}
      open={open}
      onOk={() => void submit()}
      onCancel={onClose}
      okText="显示"
      confirmLoading={busy}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        个人信息受保护（第六条）。查看将记录查看人、时间和事由，供审计员核查。{note}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="purpose"
          label="查看事由"
          rules={[{ required: true, whitespace: true, message: '请填写查看事由' }, zodRule(revealBody.shape.purpose)]}
        >
          <Input
            placeholder="如：需电话联系诉求人核实情况"
            maxLength={200}
            autoFocus
            onPressEnter={() => void submit()}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
