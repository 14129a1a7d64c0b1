import { useState } from 'react';
import { App, Button, Form, Input, Space, Table, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api/endpoints';
import type { RequesterFlag } from '../../api/contact-types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FormModal } from '../../components/FormModal';
import { PageHeader } from '../../components/PageHeader';
import { FLAG_KIND_LABELS } from '../../lib/dispositions';
import { fmtDateTime } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';

type Decision = { flag: RequesterFlag; decision: 'warn' | 'dismiss' };

/**
 * 第十一、三十四条 滥用标记审核: flags raised automatically (repeated contacts, long calls) or by agents
 * (harassment). Confirming records a warning and sends it by SMS; dismissing closes the flag. Flags never
 * block a contact or an emergency transfer.
 */
export default function AbuseFlagsPage() {
  const { message } = App.useApp();
  const flags = useAsync(() => api.requesters.openFlags({ limit: 200 }), []);
  const [open, setOpen] = useState<Decision | null>(null);
  return (
    <>
      <PageHeader title="滥用标记审核" sub="恶意反复来电、长时间占线、骚扰工作人员的标记：确认后向诉求人发出警告，或撤销" extra={<Button icon={<ReloadOutlined />} onClick={() => void flags.reload()}>刷新</Button>} />
      <ErrorAlert message={flags.errorText} onRetry={() => void flags.reload()} />
      <Table<RequesterFlag>
        rowKey="id" size="middle" loading={flags.loading} dataSource={flags.data ?? []} pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: '没有待审核的标记' }}
        onRow={(f) => ({ 'data-flag-id': f.id } as React.HTMLAttributes<HTMLElement>)}
        columns={[
          { title: '标记时间', dataIndex: 'created_at', width: 140, render: fmtDateTime },
          { title: '类型', dataIndex: 'kind', width: 190, render: (k: RequesterFlag['kind']) => <Tag color={k === 'harassment' ? 'red' : 'orange'}>{FLAG_KIND_LABELS[k]}</Tag> },
          { title: '情况', dataIndex: 'detail', render: (d: string) => <span className="pre-wrap">{d}</span> },
          { title: '来源', dataIndex: 'source', width: 110, render: (s: RequesterFlag['source']) => (s === 'automatic' ? '系统自动' : '话务员记录') },
          { title: '诉求人', dataIndex: 'requester_id', width: 90, render: (id: number) => `#${id}` },
          { title: '来电来信', dataIndex: 'contact_id', width: 90, render: (id: number | null) => (id ? `#${id}` : '—') },
          {
            title: '审核', key: 'actions', width: 150,
            render: (_: unknown, f) => (
              <Space>
                <Button size="small" danger onClick={() => setOpen({ flag: f, decision: 'warn' })}>警告</Button>
                <Button size="small" onClick={() => setOpen({ flag: f, decision: 'dismiss' })}>撤销</Button>
              </Space>
            ),
          },
        ]}
      />
      <FormModal<{ note?: string }>
        title={open?.decision === 'warn' ? '确认并警告' : '撤销标记'}
        open={!!open}
        onClose={() => setOpen(null)}
        okText={open?.decision === 'warn' ? '确认警告' : '撤销标记'}
        danger={open?.decision === 'warn'}
        onSubmit={async (v) => {
          await api.requesters.reviewFlag(open!.flag.id, open!.decision, v.note?.trim() || undefined);
          message.success(open!.decision === 'warn' ? '已记录警告，并向诉求人发送警告短信' : '标记已撤销');
          void flags.reload();
        }}
      >
        {open && (
          <Typography.Paragraph>
            <Tag>{FLAG_KIND_LABELS[open.flag.kind]}</Tag>{open.flag.detail}
          </Typography.Paragraph>
        )}
        {open?.decision === 'warn' && (
          <Typography.Paragraph type="secondary">
            将依据第十一条、第三十四条记录警告，并以短信告知诉求人合理使用热线及违法后果。警告不影响其今后来电的受理和紧急转接。
          </Typography.Paragraph>
        )}
        <Form.Item name="note" label="审核意见" rules={[{ max: 2000, message: '审核意见不能超过 2000 字' }]}>
          <Input.TextArea rows={3} autoFocus placeholder="可选" />
        </Form.Item>
      </FormModal>
    </>
  );
}
