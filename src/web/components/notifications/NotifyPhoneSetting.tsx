import { useState } from 'react';
import { App, Button, Form, Input, Modal, Typography } from 'antd';
import { errorMessage } from '../../api/client';
import { notifyPhoneApi } from '../../api/notifications';
import type { Unit } from '../../api/types';
import { useAsync } from '../../lib/useAsync';

// 第十五条 临期提醒, the admin's per-unit setting in 单位与区划: the phone told by SMS when one of the unit's deadlines is
// about to breach. Shown masked; the number in clear is only ever typed, never read back.

export function useNotifyPhones() {
  const s = useAsync(() => notifyPhoneApi.list(), []);
  return {
    phones: new Map((s.data?.items ?? []).map((p) => [p.unitId, p.phone])),
    loaded: !!s.data,
    reload: () => void s.reload(),
  };
}

export function NotifyPhoneCell({ unit, settings }: { unit: Unit; settings: ReturnType<typeof useNotifyPhones> }) {
  const [editing, setEditing] = useState(false);
  if (unit.kind === 'centre') return <>—</>;
  const phone = settings.phones.get(unit.id);
  return (
    <>
      <Button
        type="link"
        size="small"
        style={{ paddingInline: 0 }}
        data-testid={`notify-phone-${unit.code}`}
        // 无障碍 (WCAG 2.1 2.5.3): the name holds the words on the button
        aria-label={`${unit.name}临期提醒短信号码：${phone ?? (settings.loaded ? '未设置' : '…')}`}
        onClick={() => setEditing(true)}
      >
        {phone ?? (settings.loaded ? '未设置' : '…')}
      </Button>
      {editing && (
        <NotifyPhoneModal unit={unit} current={phone} onClose={() => setEditing(false)} onSaved={settings.reload} />
      )}
    </>
  );
}

function NotifyPhoneModal({
  unit,
  current,
  onClose,
  onSaved,
}: {
  unit: Unit;
  current: string | undefined;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ phone: string }>();
  const [busy, setBusy] = useState(false);
  const save = async (phone: string | null) => {
    setBusy(true);
    try {
      await notifyPhoneApi.set(unit.id, phone);
      message.success(phone ? `已设置${unit.name}的临期提醒号码` : `已取消${unit.name}的临期提醒短信`);
      onSaved();
      onClose();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={`临期提醒短信号码：${unit.name}`}
      onCancel={onClose}
      footer={[
        current ? (
          <Button key="clear" danger disabled={busy} onClick={() => void save(null)}>
            不再发送
          </Button>
        ) : null,
        <Button key="cancel" onClick={onClose}>
          取消
        </Button>,
        <Button key="ok" type="primary" loading={busy} onClick={() => form.submit()}>
          保存
        </Button>,
      ]}
    >
      <Typography.Paragraph type="secondary">
        本单位主办工单的签收、办结答复时限到期前一个工作日，向此号码发送一条提醒短信（每个时限一条，不含诉求人信息）。
        {current ? `当前号码：${current}。` : '当前未设置，不发送。'}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => void save(v.phone.trim())}>
        <Form.Item
          name="phone"
          label="手机号码"
          rules={[
            { required: true, whitespace: true, message: '请填写手机号码' },
            { pattern: /^\s*1[3-9]\d{9}\s*$/, message: '请填写 11 位手机号码' },
          ]}
        >
          <Input autoComplete="off" inputMode="numeric" maxLength={11} placeholder="11 位手机号码" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
