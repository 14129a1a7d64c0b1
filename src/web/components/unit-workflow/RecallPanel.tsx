import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Modal, Space, Typography } from 'antd';
import { RollbackOutlined, SwapOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api/client';
import type { TicketView } from '../../api/types';
import { unitWorkflowApi } from '../../api/unit-workflow';
import { fmtDateTime } from '../../lib/format';
import { useReference } from '../../lib/reference';
import { UnitSelect } from '../Pickers';
import { api } from '../../api/endpoints';
import { useUndoToast } from '../UndoToast';

type Mode = 'recall' | 'reassign';
interface Values {
  leadUnitId?: number;
  assistUnitIds?: number[];
  reason: string;
}

/**
 * 第十四条 撤回、改派: while the lead unit has not signed for the ticket (待签收), the dispatcher takes it back to
 * 待派单 or hands it straight to another unit. Once the unit has accepted, only its return application moves it.
 */
export function RecallPanel({ ticket, onDone }: { ticket: TicketView; onDone: () => void }) {
  const ref = useReference();
  const undoToast = useUndoToast();
  const [mode, setMode] = useState<Mode | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<Values>();
  const lead = ticket.leadUnitId ? ref.unitName(ticket.leadUnitId) : '—';

  const close = () => {
    setMode(null);
    setError(null);
    form.resetFields();
  };
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v || !mode) return;
    setBusy(true);
    setError(null);
    try {
      // issue 14: the inverse exists — the same units again by a new dispatch or a reassignment back. It is a new
      // dispatch in law (第十四条): the unit's time limits start again from it, which the message says.
      const prev = {
        leadUnitId: ticket.leadUnitId!,
        assistUnitIds: ticket.assignments
          .filter((a) => a.role === 'assist' && a.status !== 'ended')
          .map((a) => a.unitId),
      };
      if (mode === 'recall') {
        const t = await unitWorkflowApi.recall(ticket.id, { reason: v.reason.trim(), expectedVersion: ticket.version });
        undoToast(`工单 ${t.number} 已撤回至待派单`, async () => {
          await api.tickets.dispatch(ticket.id, { ...prev, note: '撤销撤回派单', expectedVersion: t.version });
          onDone();
          return `已撤销：工单重新派至 ${lead}，时限重新起算`;
        });
      } else {
        const t = await unitWorkflowApi.reassign(ticket.id, {
          leadUnitId: v.leadUnitId!,
          assistUnitIds: v.assistUnitIds ?? [],
          reason: v.reason.trim(),
          expectedVersion: ticket.version,
        });
        undoToast(`工单 ${t.number} 已改派至 ${ref.unitName(t.leadUnitId)}`, async () => {
          await unitWorkflowApi.reassign(ticket.id, { ...prev, reason: '撤销改派', expectedVersion: t.version });
          onDone();
          return `已撤销：工单改回 ${lead}，时限重新起算`;
        });
      }
      close();
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title="撤回或改派" data-testid="recall-panel">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
        {lead}尚未签收（签收时限 {fmtDateTime(ticket.dueAt)}
        ）。签收前可撤回至待派单，或直接改派其他单位；签收后只能由承办单位申请退单。
      </Typography.Paragraph>
      <Space>
        <Button icon={<RollbackOutlined />} onClick={() => setMode('recall')}>
          撤回至待派单
        </Button>
        <Button icon={<SwapOutlined />} onClick={() => setMode('reassign')}>
          改派
        </Button>
      </Space>
      <Modal
        open={mode !== null}
        title={mode === 'recall' ? `撤回派单 · ${ticket.number}` : `改派 · ${ticket.number}`}
        okText={mode === 'recall' ? '确认撤回' : '确认改派'}
        cancelText="取消"
        confirmLoading={busy}
        onOk={() => void submit()}
        onCancel={close}
        destroyOnHidden
      >
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} role="alert" />}
        <Form form={form} layout="vertical" preserve={false}>
          <Typography.Paragraph>
            当前主办单位：<Typography.Text strong>{lead}</Typography.Text>
            {mode === 'recall'
              ? '。撤回后该单位不再看到此工单，其时限作废，工单回到待派单。'
              : '。改派后重新起算签收、办理时限。'}
          </Typography.Paragraph>
          {mode === 'reassign' && (
            <>
              <Form.Item
                name="leadUnitId"
                label="改派至主办单位"
                rules={[{ required: true, message: '请选择主办单位' }]}
              >
                <UnitSelect placeholder="选择主办单位" exclude={ticket.leadUnitId ? [ticket.leadUnitId] : undefined} />
              </Form.Item>
              <Form.Item name="assistUnitIds" label="协办单位">
                <UnitSelect multiple placeholder="可选，多个" />
              </Form.Item>
            </>
          )}
          <Form.Item
            name="reason"
            label={mode === 'recall' ? '撤回理由' : '改派理由'}
            rules={[
              { required: true, whitespace: true, message: '请填写理由' },
              { max: 2000, message: '理由不能超过 2000 字' },
            ]}
          >
            <Input.TextArea rows={3} placeholder="如：派单目录选择有误，应由…办理" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
