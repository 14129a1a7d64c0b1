import { useState, type ReactNode } from 'react';
import { Alert, Form, Modal, type FormInstance } from 'antd';
import { errorMessage } from '../api/client';

/**
 * A modal form for one action: validates, submits, shows the server's Chinese error inside the dialog and
 * closes on success. Ctrl+Enter submits from anywhere in the form.
 */
export function FormModal<V extends object>({
  title,
  open,
  onClose,
  onSubmit,
  children,
  okText = '提交',
  width = 560,
  initialValues,
  form: external,
  danger,
}: {
  title: ReactNode;
  open: boolean;
  onClose: () => void;
  onSubmit: (values: V) => Promise<unknown>;
  children: ReactNode | ((form: FormInstance<V>) => ReactNode);
  okText?: string;
  width?: number;
  initialValues?: Partial<V>;
  form?: FormInstance<V>;
  danger?: boolean;
}) {
  const [own] = Form.useForm<V>();
  const form = external ?? own;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setBusy(true);
    setError(null);
    try {
      await onSubmit(values);
      onClose();
    } catch (e) {
      setError(errorMessage(e));
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
      okText={okText}
      okButtonProps={{ danger }}
      confirmLoading={busy}
      width={width}
      destroyOnHidden
      afterOpenChange={(o) => !o && setError(null)}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} role="alert" />}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={initialValues}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
        }}
      >
        {typeof children === 'function' ? children(form) : children}
      </Form>
    </Modal>
  );
}
