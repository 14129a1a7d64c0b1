import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, Popconfirm, Space, Tag, Typography } from 'antd';
import { SendOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { api } from '../../api/endpoints';
import { errorMessage } from '../../api/client';
import type { TicketView } from '../../api/types';
import { BASIS_LABELS } from '../../lib/labels';
import { useReference } from '../../lib/reference';
import { UnitSelect } from '../Pickers';

/**
 * 第十二条 派单: the catalogue's suggestion with the rule and its explanation, dispatched as suggested in one
 * key press, or the dispatcher names the lead and assisting units.
 */
export function DispatchPanel({ ticket, onDone }: { ticket: TicketView; onDone: () => void }) {
  const ref = useReference();
  const { message } = App.useApp();
  const s = ticket.dispatchSuggestion;
  const [busy, setBusy] = useState<'suggested' | 'manual' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ leadUnitId?: number; assistUnitIds?: number[]; note?: string }>();

  const run = async (kind: 'suggested' | 'manual') => {
    let body: Parameters<typeof api.tickets.dispatch>[1] = { expectedVersion: ticket.version };
    if (kind === 'manual') {
      const v = await form.validateFields().catch(() => null);
      if (!v) return;
      body = {
        ...body,
        leadUnitId: v.leadUnitId,
        assistUnitIds: v.assistUnitIds ?? [],
        note: v.note?.trim() || undefined,
      };
    }
    setBusy(kind);
    setError(null);
    try {
      const t = await api.tickets.dispatch(ticket.id, body);
      message.success(`工单 ${t.number} 已派至 ${ref.unitName(t.leadUnitId)}`);
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card size="small" title="派单" data-testid="dispatch-panel">
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} role="alert" />}
      {s ? (
        <div data-testid="dispatch-suggestion" style={{ marginBottom: 12 }}>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label="建议主办单位">
              <Typography.Text strong>{s.leadUnitName}</Typography.Text>
            </Descriptions.Item>
            {s.assistUnitIds.length > 0 && (
              <Descriptions.Item label="建议协办单位">
                {s.assistUnitIds.map((id) => ref.unitName(id)).join('、')}
              </Descriptions.Item>
            )}
            <Descriptions.Item label="派单依据">
              <Tag color="blue">{BASIS_LABELS[s.basis]}</Tag>派单目录规则 #{s.ruleId}
            </Descriptions.Item>
            <Descriptions.Item label="规则说明">
              <span className="pre-wrap">{s.explanation}</span>
            </Descriptions.Item>
          </Descriptions>
          {/* 第十二条: one click dispatches; the confirmation names the unit it goes to */}
          <Popconfirm
            title="确认派单"
            description={`派至 ${s.leadUnitName}${s.assistUnitIds.length ? `，协办：${s.assistUnitIds.map((id) => ref.unitName(id)).join('、')}` : ''}？`}
            okText="确认派单"
            cancelText="取消"
            onConfirm={() => void run('suggested')}
          >
            <Button
              type="primary"
              icon={<ThunderboltOutlined />}
              style={{ marginTop: 12 }}
              loading={busy === 'suggested'}
              disabled={busy !== null}
              block
            >
              按派单目录派单
            </Button>
          </Popconfirm>
        </div>
      ) : (
        <Alert
          type="warning"
          showIcon
          message="派单目录中没有匹配的承办单位，请人工指定主办单位"
          style={{ marginBottom: 12 }}
        />
      )}
      <Typography.Text type="secondary">人工指定</Typography.Text>
      <Form
        form={form}
        layout="vertical"
        style={{ marginTop: 8 }}
        initialValues={s ? { leadUnitId: s.leadUnitId, assistUnitIds: s.assistUnitIds } : undefined}
      >
        <Form.Item name="leadUnitId" label="主办单位" rules={[{ required: true, message: '请选择主办单位' }]}>
          <UnitSelect placeholder="选择主办单位" />
        </Form.Item>
        <Form.Item
          name="assistUnitIds"
          label="协办单位"
          dependencies={['leadUnitId']}
          rules={[
            ({ getFieldValue }) => ({
              validator: async (_, v: number[] | undefined) => {
                if (v?.includes(getFieldValue('leadUnitId') as number)) throw new Error('协办单位不能与主办单位相同');
                if ((v?.length ?? 0) > 20) throw new Error('协办单位最多 20 个');
              },
            }),
          ]}
        >
          <UnitSelect multiple placeholder="可选，多个" />
        </Form.Item>
        <Form.Item name="note" label="派单说明" rules={[{ max: 2000, message: '派单说明不能超过 2000 字' }]}>
          <Input.TextArea rows={2} placeholder="可选：人工派单的理由" />
        </Form.Item>
        <Space>
          <Button
            icon={<SendOutlined />}
            loading={busy === 'manual'}
            disabled={busy !== null}
            onClick={() => void run('manual')}
          >
            按所选单位派单
          </Button>
        </Space>
      </Form>
    </Card>
  );
}
