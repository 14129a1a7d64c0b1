import { useState } from 'react';
import {
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { ApartmentOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import type { Me, TicketView } from '../../api/types';
import { subDispatchApi, type SubDispatchItem } from '../../api/sub-dispatch';
import { fmtDate, fmtDateTime } from '../../lib/format';
import { isUnitStaff } from '../../lib/permissions';
import { useAsync } from '../../lib/useAsync';
import { FormModal } from '../FormModal';

const STATUS_COLORS: Record<string, string> = {
  pending: 'gold',
  accepted: 'blue',
  submitted: 'purple',
  approved: 'green',
  returned: 'default',
  recalled: 'default',
  ended: 'default',
};
const LIVE = ['pending', 'accepted', 'submitted'];
/** China Standard Time, whatever the workstation's zone: the end of a chosen day, as the server counts days. */
const endOfDay = (d: Dayjs) => `${d.format('YYYY-MM-DD')}T23:59:59.999+08:00`;
const cstDay = (iso: string) => fmtDate(iso);

type Dialog =
  | { kind: 'dispatch' }
  | { kind: 'recall' | 'return' | 'reply' | 'review' | 'extension'; item: SubDispatchItem }
  | { kind: 'extension-review'; item: SubDispatchItem; extensionId: number };

/** A sub-dispatch's status and sub-deadline, marked when it is overdue. */
export function SubStatusTags({ item }: { item: SubDispatchItem }) {
  return (
    <Space size={4} wrap>
      <Tag color={STATUS_COLORS[item.status]}>{item.statusLabel}</Tag>
      {item.overdue && <Tag color="red">{item.lateReply ? '逾期答复' : '已超期'}</Tag>}
      {item.lateAccept && <Tag color="orange">逾期签收</Tag>}
    </Space>
  );
}

/**
 * 二级派单 (第十四至十六条) on the ticket page: the chain of sub-dispatches for the centre, the lead unit and the
 * sub-unit; the lead unit passes the ticket down, recalls, reviews the reply and the extensions; the sub-unit signs,
 * returns within the window, replies up and asks for time.
 */
export function SubDispatchPanel({ ticket, me, onDone }: { ticket: TicketView; me: Me; onDone: () => void }) {
  const { message } = App.useApp();
  const chain = useAsync(() => subDispatchApi.forTicket(ticket.id), [ticket.id, ticket.version]);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const items = chain.data?.items ?? [];
  const lead = isUnitStaff(me) && ticket.leadUnitId === me.unitId;
  const live = items.find((i) => LIVE.includes(i.status));
  const canPass = lead && ticket.status === 'in_progress' && !live;
  if (!items.length && !canPass) return null;
  const done = (msg: string) => {
    message.success(msg);
    setDialog(null);
    void chain.reload();
    onDone();
  };
  const close = () => setDialog(null);
  const item = dialog && 'item' in dialog ? dialog.item : null;

  return (
    <Card
      size="small"
      title="二级派单"
      data-testid="sub-dispatch-panel"
      extra={
        canPass && (
          <Button
            size="small"
            type="primary"
            icon={<ApartmentOutlined />}
            onClick={() => setDialog({ kind: 'dispatch' })}
          >
            转派下级单位
          </Button>
        )
      }
    >
      {!items.length && (
        <Typography.Text type="secondary">
          可将工单转派本单位的下级单位（街道、乡镇或所属部门）办理；本单位仍为主办单位，对热线工作机构负责。
        </Typography.Text>
      )}
      <Flex vertical gap={12}>
        {items.map((i) => {
          const mine = isUnitStaff(me) && me.unitId === i.unitId;
          const pendingExt = i.extensions?.find((x) => x.status === 'pending');
          return (
            <div key={i.id} data-testid={`sub-dispatch-${i.id}`} data-status={i.status}>
              <Flex justify="space-between" align="center" wrap gap={4}>
                <Typography.Text strong>{i.unitName}</Typography.Text>
                <SubStatusTags item={i} />
              </Flex>
              <Descriptions size="small" column={1} style={{ marginTop: 4 }}>
                <Descriptions.Item label="转派要求">{i.instructions}</Descriptions.Item>
                <Descriptions.Item label="下级办理时限">
                  {fmtDateTime(i.dueAt)}
                  {i.dueAt !== i.originalDueAt && (
                    <Typography.Text type="secondary">（原 {fmtDateTime(i.originalDueAt)}）</Typography.Text>
                  )}
                </Descriptions.Item>
                {i.status === 'pending' && (
                  <Descriptions.Item label="签收时限">{fmtDateTime(i.acceptDueAt)}</Descriptions.Item>
                )}
                {i.result && <Descriptions.Item label="下级答复">{i.result}</Descriptions.Item>}
                {i.explanation && <Descriptions.Item label="解释说明">{i.explanation}</Descriptions.Item>}
                {i.reviewNote && <Descriptions.Item label="审核意见">{i.reviewNote}</Descriptions.Item>}
                {i.endReason && <Descriptions.Item label="原因">{i.endReason}</Descriptions.Item>}
                {pendingExt && (
                  <Descriptions.Item label="延期申请">
                    {pendingExt.days} 个工作日：{pendingExt.reason}（进展：{pendingExt.progress}）
                  </Descriptions.Item>
                )}
              </Descriptions>
              <Space wrap size={6}>
                {lead && i.status === 'pending' && (
                  <Button size="small" onClick={() => setDialog({ kind: 'recall', item: i })}>
                    撤回转派
                  </Button>
                )}
                {lead && i.status === 'submitted' && (
                  <Button size="small" type="primary" onClick={() => setDialog({ kind: 'review', item: i })}>
                    审核下级答复
                  </Button>
                )}
                {lead && pendingExt && (
                  <Button
                    size="small"
                    onClick={() => setDialog({ kind: 'extension-review', item: i, extensionId: pendingExt.id })}
                  >
                    审核延期申请
                  </Button>
                )}
                {mine && i.status === 'pending' && (
                  <Button
                    size="small"
                    type="primary"
                    onClick={() =>
                      void subDispatchApi
                        .accept(i.id)
                        .then(() => done('已签收'))
                        .catch((e: unknown) => void message.error(String((e as Error).message)))
                    }
                  >
                    签收
                  </Button>
                )}
                {mine && i.status === 'accepted' && (
                  <Button size="small" type="primary" onClick={() => setDialog({ kind: 'reply', item: i })}>
                    答复上级单位
                  </Button>
                )}
                {mine && i.status === 'accepted' && !pendingExt && (
                  <Button size="small" onClick={() => setDialog({ kind: 'extension', item: i })}>
                    申请延期
                  </Button>
                )}
                {mine && i.canReturn && (
                  <Button size="small" danger onClick={() => setDialog({ kind: 'return', item: i })}>
                    退回上级单位
                  </Button>
                )}
              </Space>
            </div>
          );
        })}
      </Flex>

      {dialog?.kind === 'dispatch' && <DispatchDialog ticket={ticket} onClose={close} onDone={done} />}
      <FormModal<{ reason: string }>
        open={dialog?.kind === 'recall' || dialog?.kind === 'return'}
        title={dialog?.kind === 'recall' ? '撤回转派' : '退回上级单位'}
        okText={dialog?.kind === 'recall' ? '确认撤回' : '确认退回'}
        danger
        onClose={close}
        onSubmit={async (v) => {
          if (dialog?.kind === 'recall') {
            await subDispatchApi.recall(item!.id, v.reason.trim());
            done('已撤回转派');
          } else {
            await subDispatchApi.returnToParent(item!.id, v.reason.trim());
            done('已退回上级单位');
          }
        }}
      >
        {dialog?.kind === 'return' && (
          <Typography.Paragraph type="secondary">
            退回期限至 {fmtDateTime(item?.returnUntil)}（第十四条）；退回后由上级单位另行处理。
          </Typography.Paragraph>
        )}
        <Form.Item name="reason" label="理由" rules={[{ required: true, whitespace: true, message: '请填写理由' }]}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </FormModal>
      <FormModal<{ result: string; solved: boolean; explanation?: string }>
        open={dialog?.kind === 'reply'}
        title="答复上级单位"
        okText="提交答复"
        initialValues={{ solved: true }}
        onClose={close}
        onSubmit={async (v) => {
          await subDispatchApi.reply(item!.id, {
            result: v.result.trim(),
            solved: v.solved,
            explanation: v.explanation?.trim() || null,
          });
          done('答复已提交上级单位审核');
        }}
      >
        <Typography.Paragraph type="secondary">答复提交上级单位审核，由上级单位答复热线工作机构。</Typography.Paragraph>
        <Form.Item
          name="result"
          label="办理结果"
          rules={[{ required: true, whitespace: true, message: '请填写办理结果' }]}
        >
          <Input.TextArea rows={4} maxLength={10000} />
        </Form.Item>
        <Form.Item name="solved" label="是否解决">
          <Radio.Group
            options={[
              { value: true, label: '已解决' },
              { value: false, label: '未能解决' },
            ]}
          />
        </Form.Item>
        <Form.Item name="explanation" label="解释说明（未能解决时必填）">
          <Input.TextArea rows={2} maxLength={5000} />
        </Form.Item>
      </FormModal>
      <FormModal<{ decision: 'approve' | 'return'; note?: string }>
        open={dialog?.kind === 'review'}
        title="审核下级答复"
        okText="确定"
        initialValues={{ decision: 'approve' }}
        onClose={close}
        onSubmit={async (v) => {
          await subDispatchApi.review(item!.id, v.decision, v.note?.trim() || undefined);
          done(v.decision === 'approve' ? '已采纳下级答复，请答复热线工作机构' : '已退回下级单位重新办理');
        }}
      >
        <Typography.Paragraph>{item?.result}</Typography.Paragraph>
        <Form.Item name="decision" label="审核结果">
          <Radio.Group
            options={[
              { value: 'approve', label: '采纳' },
              { value: 'return', label: '退回重新办理' },
            ]}
          />
        </Form.Item>
        <Form.Item name="note" label="审核意见（退回时必填）">
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </FormModal>
      <FormModal<{ days: number; reason: string; progress: string }>
        open={dialog?.kind === 'extension'}
        title="向上级单位申请延期"
        okText="提交申请"
        initialValues={{ days: 1 }}
        onClose={close}
        onSubmit={async (v) => {
          await subDispatchApi.applyExtension(item!.id, {
            days: v.days,
            reason: v.reason.trim(),
            progress: v.progress.trim(),
          });
          done('延期申请已提交上级单位');
        }}
      >
        <Typography.Paragraph type="secondary">
          延期后的时限不得晚于上级单位的办理时限（{fmtDateTime(item?.ticketDueAt)}
          ）；如需更多时间，由上级单位向热线工作机构申请（第十六条）。
        </Typography.Paragraph>
        <Form.Item name="days" label="延期工作日" rules={[{ required: true, message: '请填写延期天数' }]}>
          <InputNumber min={1} max={30} />
        </Form.Item>
        <Form.Item
          name="reason"
          label="延期理由"
          rules={[{ required: true, whitespace: true, message: '请填写延期理由' }]}
        >
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item
          name="progress"
          label="阶段性办理情况"
          rules={[{ required: true, whitespace: true, message: '请填写阶段性办理情况' }]}
        >
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </FormModal>
      <FormModal<{ decision: 'approve' | 'reject'; note?: string }>
        open={dialog?.kind === 'extension-review'}
        title="审核下级延期申请"
        okText="确定"
        initialValues={{ decision: 'approve' }}
        onClose={close}
        onSubmit={async (v) => {
          if (dialog?.kind !== 'extension-review') return;
          await subDispatchApi.reviewExtension(dialog.extensionId, v.decision, v.note?.trim() || undefined);
          done(v.decision === 'approve' ? '已同意延期' : '已驳回延期申请');
        }}
      >
        <Form.Item name="decision" label="审核结果">
          <Radio.Group
            options={[
              { value: 'approve', label: '同意' },
              { value: 'reject', label: '驳回' },
            ]}
          />
        </Form.Item>
        <Form.Item name="note" label="审核意见">
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </FormModal>
    </Card>
  );
}

/** 转派: the sub-unit, the instructions, and the sub-deadline (by default a working day before the unit's own). */
function DispatchDialog({
  ticket,
  onClose,
  onDone,
}: {
  ticket: TicketView;
  onClose: () => void;
  onDone: (msg: string) => void;
}) {
  const opts = useAsync(() => subDispatchApi.options(ticket.id), [ticket.id]);
  const o = opts.data;
  const parentDay = o?.parentDueAt ? cstDay(o.parentDueAt) : null;
  const defaultDay = o?.defaultDueAt ? cstDay(o.defaultDueAt) : null;
  return (
    <FormModal<{ unitId: number; instructions: string; dueDay?: Dayjs }>
      open
      title={`二级派单 · ${ticket.number}`}
      okText="确认转派"
      onClose={onClose}
      initialValues={{ dueDay: defaultDay ? dayjs(defaultDay) : undefined }}
      key={defaultDay ?? 'loading'}
      onSubmit={async (v) => {
        const day = v.dueDay?.format('YYYY-MM-DD');
        // unchanged: the server's default; the unit's own deadline day: exactly its deadline; else that day's end
        const dueAt =
          !day || day === defaultDay ? undefined : day === parentDay ? o!.parentDueAt! : endOfDay(v.dueDay!);
        const s = await subDispatchApi.dispatch(ticket.id, {
          unitId: v.unitId,
          instructions: v.instructions.trim(),
          dueAt,
          expectedVersion: ticket.version,
        });
        onDone(`已转派${s.unitName}，下级办理时限 ${fmtDateTime(s.dueAt)}`);
      }}
    >
      <Typography.Paragraph type="secondary">
        本单位仍为主办单位，对热线工作机构负责（第十四条）。本单位办理时限：{fmtDateTime(o?.parentDueAt)}
        ；下级办理时限不得晚于该时限，默认提前 1 个工作日，留作审核下级答复。
      </Typography.Paragraph>
      <Form.Item name="unitId" label="下级单位" rules={[{ required: true, message: '请选择下级单位' }]}>
        <Select
          placeholder={o && !o.subUnits.length ? '本单位没有下级单位' : '请选择'}
          loading={opts.loading}
          showSearch
          optionFilterProp="label"
          options={(o?.subUnits ?? []).map((u) => ({ value: u.id, label: u.name }))}
          data-testid="sub-unit-select"
        />
      </Form.Item>
      <Form.Item
        name="instructions"
        label="转派要求"
        rules={[{ required: true, whitespace: true, message: '请填写转派要求' }]}
      >
        <Input.TextArea rows={3} maxLength={2000} placeholder="办理要求、注意事项" />
      </Form.Item>
      <Form.Item name="dueDay" label="下级办理时限（当日 24 时止）">
        <DatePicker
          allowClear={false}
          disabledDate={(d) =>
            d.isBefore(dayjs().startOf('day')) || (parentDay !== null && d.format('YYYY-MM-DD') > parentDay)
          }
        />
      </Form.Item>
    </FormModal>
  );
}
