import { useState } from 'react';
import { Alert, App, Button, Card, Empty, Flex, Form, Input, Modal, Radio, Space, Spin, Tag, Typography } from 'antd';
import { MergeCellsOutlined, SearchOutlined } from '@ant-design/icons';
import { api } from '../../api/endpoints';
import { errorMessage } from '../../api/client';
import type { DuplicateCandidate } from '../../api/contact-types';
import type { TicketListItem, TicketView } from '../../api/types';
import { useAsync } from '../../lib/useAsync';
import { STATUS_LABELS } from '../../lib/labels';
import { UNMERGE_WINDOW_HOURS } from '../../../shared/domain/unmerge';
import { useUndoToast } from '../UndoToast';

const NUMBER_RE = /^HZ\d{8}-\d{6}$/;
const OPEN = ['pending_dispatch', 'dispatched', 'in_progress', 'replied'] as const;

/** An open ticket of the centre's regions with this number, through the ticket search (one index look-up). */
async function findOpenByNumber(number: string): Promise<TicketListItem | null> {
  const r = await api.tickets.search(number, 1);
  const hit = r.kind === 'number' ? r.items.find((t) => t.number === number) : undefined;
  return hit && (OPEN as readonly string[]).includes(hit.status) && !hit.mergedIntoId ? hit : null;
}

/**
 * 并单 (第十三条第三项, dispatcher): this ticket is closed into another open ticket of the same matter; its
 * requesters join that ticket and are told its result. The target is chosen from the duplicate search or by number.
 */
export function MergePanel({ ticket, onDone }: { ticket: TicketView; onDone: () => void }) {
  const { modal } = App.useApp();
  const undoToast = useUndoToast();
  const [open, setOpen] = useState(false);
  const [target, setTarget] = useState<{ id: number; number: string; title: string } | null>(null);
  const [number, setNumber] = useState('');
  const [finding, setFinding] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const candidates = useAsync<DuplicateCandidate[]>(
    () =>
      open
        ? api.duplicates.search({
            text: `${ticket.title} ${ticket.content}`.slice(0, 10000),
            categoryId: ticket.categoryId,
            regionCode: ticket.regionCode,
          })
        : Promise.resolve([]),
    [open, ticket.id],
  );
  const list = (candidates.data ?? []).filter((d) => d.id !== ticket.id);

  const find = async () => {
    const n = number.trim().toUpperCase();
    if (!NUMBER_RE.test(n)) return setError('工单号格式不正确，如 HZ20250312-000123');
    if (n === ticket.number) return setError('不能与自身并单');
    setFinding(true);
    setError(null);
    try {
      const t = await findOpenByNumber(n);
      if (t) setTarget({ id: t.id, number: t.number, title: t.title });
      else setError(`未找到在办工单 ${n}（已办结或不在本中心负责区域内的工单不能并入）`);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setFinding(false);
    }
  };
  const merge = async (into: { id: number; number: string }) => {
    setBusy(true);
    setError(null);
    try {
      const merged = await api.duplicates.merge(ticket.id, into.id, note.trim() || undefined);
      setOpen(false);
      onDone();
      // issue 14: the inverse exists (撤销并单), offered right away
      undoToast(`工单 ${ticket.number} 已并入 ${into.number}`, async () => {
        const back = await api.duplicates.unmerge(ticket.id, { expectedVersion: merged.version });
        onDone();
        return `已撤销并单，工单 ${ticket.number} 恢复为「${STATUS_LABELS[back.status]}」`;
      });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  // issue 14: a consequential action says what will happen before it happens
  const confirm = () => {
    if (!target) return setError('请选择要并入的工单');
    const into = target;
    modal.confirm({
      title: `确认将 ${ticket.number} 并入 ${into.number}？`,
      content: `${ticket.number} 将办结并在 ${into.number} 中合并办理：其诉求人加入 ${into.number}，一并获知办理结果；${ticket.number} 尚未到期的办理时限终止，承办单位不再办理。并单后 ${UNMERGE_WINDOW_HOURS} 小时内、${into.number} 答复前可撤销并单。`,
      okText: '并单',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: () => merge(into),
    });
  };

  return (
    <Card size="small" title="并单" data-testid="merge-panel">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        与在办工单属同一诉求的，可并入该工单，诉求人一并获知办理结果。
      </Typography.Paragraph>
      <Button
        icon={<MergeCellsOutlined />}
        onClick={() => {
          setOpen(true);
          setTarget(null);
          setError(null);
        }}
      >
        并单…
      </Button>
      <Modal
        title={`并单：将 ${ticket.number} 并入…`}
        open={open}
        onCancel={() => setOpen(false)}
        onOk={confirm}
        okText="确认并单"
        confirmLoading={busy}
        okButtonProps={{ danger: true, disabled: !target }}
        width={680}
        destroyOnHidden
      >
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} role="alert" />}
        <Typography.Text strong>可能重复的在办工单</Typography.Text>
        <Spin spinning={candidates.loading}>
          {list.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="未找到内容相近的在办工单，可按工单号指定" />
          ) : (
            <Radio.Group
              value={target?.id}
              onChange={(e) => {
                const d = list.find((x) => x.id === e.target.value)!;
                setTarget(d);
              }}
              style={{ width: '100%', margin: '8px 0' }}
            >
              <Flex vertical gap={8}>
                {list.map((d) => (
                  <Radio key={d.id} value={d.id} data-ticket-number={d.number}>
                    <Space size={4} wrap>
                      <b>{d.number}</b>
                      {d.title}
                      <Tag>{d.statusLabel}</Tag>
                      {d.reasons.map((r) => (
                        <Tag key={r} color="blue">
                          {r}
                        </Tag>
                      ))}
                    </Space>
                  </Radio>
                ))}
              </Flex>
            </Radio.Group>
          )}
        </Spin>
        <Form layout="vertical" style={{ marginTop: 12 }}>
          <Form.Item label="或按工单号指定" htmlFor="merge-number">
            <Space.Compact style={{ width: '100%' }}>
              <Input
                id="merge-number"
                value={number}
                onChange={(e) => setNumber(e.target.value)}
                onPressEnter={() => void find()}
                placeholder="HZ20250312-000123"
              />
              <Button icon={<SearchOutlined />} loading={finding} onClick={() => void find()}>
                查找
              </Button>
            </Space.Compact>
          </Form.Item>
          {target && (
            <Alert
              type="info"
              showIcon
              message={`将并入：${target.number} ${target.title}`}
              style={{ marginBottom: 12 }}
              data-testid="merge-target"
            />
          )}
          <Form.Item label="并单说明" htmlFor="merge-note">
            <Input.TextArea
              id="merge-note"
              rows={2}
              maxLength={2000}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              placeholder="可选：如 同一路段路灯故障，多人反映"
            />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
