import { useState } from 'react';
import { App, Button, Form, Input, Modal, Space, Typography } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import { api } from '../../api/endpoints';
import { errorMessage } from '../../api/client';
import { revealBody } from '../../../contracts/tickets';
import type { RevealedPersonalData, TicketView } from '../../api/types';
import { useMe } from '../../auth/session';
import { hasRole, PII_REVEAL_ROLES } from '../../lib/permissions';
import { zodRule } from '../../lib/zodRule';

/** Masked requester details; "显示" asks for the purpose and reveals them through the audited endpoint. */
export function RequesterInfo({ ticket }: { ticket: TicketView }) {
  const me = useMe();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [clear, setClear] = useState<RevealedPersonalData | null>(null);
  const [form] = Form.useForm<{ purpose: string }>();
  const r = ticket.requester;
  const canReveal = hasRole(me, ...PII_REVEAL_ROLES);

  const reveal = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const { purpose } = values;
    setBusy(true);
    try {
      setClear(await api.tickets.reveal(ticket.id, purpose.trim()));
      setOpen(false);
      message.success('已显示诉求人信息，本次查看已记入访问审计');
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Space size={4} wrap data-testid="requester">
        <span>{clear ? clear.name ?? '（未留姓名）' : r?.name ?? '（未留姓名）'}</span>
        <span>{clear ? clear.phone ?? '（未留电话）' : r?.phone ?? '（未留电话）'}</span>
        {clear ? (
          <Typography.Text type="warning" style={{ fontSize: 12 }}>（明文，已审计）</Typography.Text>
        ) : (
          canReveal && (r || ticket.address || ticket.textMasked) && (
            <Button size="small" type="link" icon={<EyeOutlined />} onClick={() => setOpen(true)}>显示</Button>
          )
        )}
      </Space>
      {clear?.address && <div><Typography.Text type="secondary">完整地址：</Typography.Text>{clear.address}</div>}
      {clear?.originalText && clear.originalText.content !== ticket.content && (
        <div data-testid="original-text"><Typography.Text type="secondary">诉求内容原文：</Typography.Text><span className="pre-wrap">{clear.originalText.content}</span></div>
      )}
      {clear?.originalMessage && (
        <div data-testid="original-message"><Typography.Text type="secondary">来电来信原文：</Typography.Text><span className="pre-wrap">{clear.originalMessage}</span></div>
      )}
      <Modal title="查看诉求人个人信息" open={open} onOk={reveal} onCancel={() => setOpen(false)} okText="显示" confirmLoading={busy} destroyOnHidden>
        <Typography.Paragraph type="secondary">
          诉求人个人信息受保护（第六条）。查看将记录查看人、时间和事由，供审计员核查。{ticket.textMasked && '诉求内容中已隐藏的电话、证件号、银行卡号将一并显示。'}
        </Typography.Paragraph>
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="purpose" label="查看事由" rules={[{ required: true, whitespace: true, message: '请填写查看事由' }, zodRule(revealBody.shape.purpose)]}>
            <Input placeholder="如：需电话联系诉求人核实情况" maxLength={200} autoFocus onPressEnter={() => void reveal()} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
