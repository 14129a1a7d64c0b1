import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Radio,
  Select,
  Space,
  Switch,
  Typography,
} from 'antd';
import { api } from '../../api/endpoints';
import { errorMessage } from '../../api/client';
import * as c from '../../../shared/contracts/tickets';
import type { UploadFile } from 'antd';
import type { TicketView } from '../../api/types';
import type { WorkFileInfo } from '../../../shared/contracts/work-files';
import type { UiAction } from '../../lib/permissions';
import { CONTACT_METHOD_LABELS, TERMINATION_CASE_LABELS } from '../../lib/labels';
import { fmtDateTime } from '../../lib/format';
import { zodRule } from '../../lib/zodRule';
import { FormModal } from '../FormModal';
import { UnitSelect } from '../Pickers';
import { stillUploading, uploadedIds, uploadedMaterials, WorkFileUpload } from '../WorkFileUpload';
import { signoffApi } from '../../api/unit-workflow';
import { ExtensionLimitNote } from '../unit-workflow/ExtensionLimitNote';

type Dialog = 'contact' | 'progress' | 'reply' | 'return' | 'extension' | 'termination' | 'dispute' | 'assist' | null;

const required = (msg: string) => ({ required: true, whitespace: true, message: msg });
type Files = UploadFile<WorkFileInfo>[];
/** 第十四、十五条: uploaded files; the required ones need at least one, and none may still be on its way */
const filesRule = (requiredMsg?: string) => ({
  validator: async (_: unknown, v: Files | undefined) => {
    if (stillUploading(v)) throw new Error('文件正在上传，请稍候');
    if (requiredMsg && !uploadedMaterials(v).length) throw new Error(requiredMsg);
  },
});

/** The lead (or assisting) unit's work on one ticket: only the actions its state, role and unit allow. */
export function UnitActions({
  ticket,
  actions,
  onDone,
  signoff,
}: {
  ticket: TicketView;
  actions: Set<UiAction>;
  onDone: () => void;
  /** 第十五条 审核: a handler of a unit that requires it submits the reply; a submission waiting blocks the reply */
  signoff?: { mustSubmit: boolean; pending: boolean };
}) {
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [accepting, setAccepting] = useState(false);
  const close = () => setDialog(null);
  const v = ticket.version;
  const done = (text: string) => {
    message.success(text);
    onDone();
  };
  const pendingKinds = ticket.applications.filter((a) => a.status === 'pending');
  const unitActions: UiAction[] = [
    'accept',
    'record_contact',
    'progress_report',
    'reply',
    'apply_extension',
    'apply_return',
    'apply_termination',
    'apply_dispute',
    'assist_result',
  ];
  if (!unitActions.some((a) => actions.has(a))) return null;

  const accept = async () => {
    setAccepting(true);
    try {
      await api.tickets.accept(ticket.id, v);
      done('已签收，请及时联系诉求人');
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setAccepting(false);
    }
  };

  // 第十五条: without a reached contact the reply waits — unless the requester is anonymous, or the failed attempts
  // meet the policy (e.g. 3 attempts on 2 different days); then it goes with an explanation (unreachableNote).
  const rc = ticket.replyContact ?? null;
  const unreachable = !ticket.firstContactAt && !!rc?.unreachableAllowed;
  const replyBlocked =
    !ticket.firstContactAt && !unreachable
      ? (rc?.blockedReason ?? '答复前须先联系诉求人（第十五条第一项）')
      : pendingKinds.length
        ? '该工单有待审核的申请，审核后方可答复'
        : signoff?.pending
          ? '答复已提交单位负责人审核，审核通过后送出'
          : null;

  return (
    <Card size="small" title="办理" data-testid="unit-actions">
      {ticket.status === 'dispatched' && ticket.returnUntil && actions.has('apply_return') && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          如非本单位职责，可在 {fmtDateTime(ticket.returnUntil)} 前申请退单。
        </Typography.Paragraph>
      )}
      {pendingKinds.length > 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 8 }}
          message={`有待中心审核的申请（${pendingKinds.length} 件），审核结果将记入处理记录`}
        />
      )}
      <Space wrap>
        {actions.has('accept') && (
          <Popconfirm
            title="确认签收该工单？"
            description="签收后开始计算联系诉求人时限。"
            okText="签收"
            onConfirm={() => void accept()}
          >
            <Button type="primary" loading={accepting}>
              签收
            </Button>
          </Popconfirm>
        )}
        {actions.has('record_contact') && (
          <Button
            type={ticket.firstContactAt || unreachable ? 'default' : 'primary'}
            onClick={() => setDialog('contact')}
          >
            联系诉求人
          </Button>
        )}
        {actions.has('progress_report') && <Button onClick={() => setDialog('progress')}>阶段性反馈</Button>}
        {actions.has('reply') && (
          <Button
            type={ticket.firstContactAt || unreachable ? 'primary' : 'default'}
            onClick={() => setDialog('reply')}
            disabled={!!replyBlocked}
            title={replyBlocked ?? undefined}
          >
            {signoff?.mustSubmit ? '办结答复（提交审核）' : '办结答复'}
          </Button>
        )}
        {actions.has('assist_result') && (
          <Button type="primary" onClick={() => setDialog('assist')}>
            提交协办结果
          </Button>
        )}
        {actions.has('apply_extension') && <Button onClick={() => setDialog('extension')}>申请延期</Button>}
        {actions.has('apply_return') && <Button onClick={() => setDialog('return')}>申请退单</Button>}
        {actions.has('apply_dispute') && <Button onClick={() => setDialog('dispute')}>职责争议</Button>}
        {actions.has('apply_termination') && (
          <Button danger onClick={() => setDialog('termination')}>
            申请终止办理
          </Button>
        )}
      </Space>
      {actions.has('reply') && replyBlocked && (
        <Typography.Paragraph
          type="secondary"
          style={{ fontSize: 12, marginTop: 8, marginBottom: 0 }}
          data-testid="reply-blocked"
        >
          {replyBlocked}
        </Typography.Paragraph>
      )}
      {rc && !ticket.firstContactAt && (
        <Typography.Paragraph
          type="secondary"
          style={{ fontSize: 12, marginTop: 8, marginBottom: 0 }}
          data-testid="contact-attempts"
        >
          {rc.anonymous
            ? `${rc.summary ?? '诉求人匿名或未留联系方式'}：可直接答复，须说明情况。`
            : rc.unreachableAllowed
              ? `已尝试联系 ${rc.failedAttempts} 次（${rc.distinctDays} 个日期），均未联系上：可说明情况后答复（第十五条）。`
              : `已尝试联系 ${rc.failedAttempts} 次（${rc.distinctDays} 个日期），均未联系上。确实无法联系的，${rc.policyText}后可答复并说明情况。`}
        </Typography.Paragraph>
      )}

      <FormModal<{ method: 'phone' | 'sms' | 'visit' | 'other'; reached: boolean; note: string }>
        title="记录联系诉求人"
        open={dialog === 'contact'}
        onClose={close}
        initialValues={{ method: 'phone', reached: true }}
        onSubmit={async (f) => {
          await api.tickets.contact(ticket.id, { ...f, note: f.note.trim(), expectedVersion: v });
          done('已记录联系情况');
        }}
      >
        <Form.Item name="method" label="联系方式">
          <Radio.Group options={Object.entries(CONTACT_METHOD_LABELS).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item
          name="reached"
          label="是否联系上"
          valuePropName="checked"
          extra={
            !ticket.firstContactAt && rc && !rc.anonymous
              ? `未联系上也请如实记录（如无人接听、已发短信）：已记录 ${rc.failedAttempts} 次未联系上；${rc.policyText}后可说明情况并答复`
              : undefined
          }
        >
          <Switch checkedChildren="已联系上" unCheckedChildren="未联系上" />
        </Form.Item>
        <Form.Item name="note" label="联系情况" rules={[required('请填写联系情况'), zodRule(c.contactBody.shape.note)]}>
          <Input.TextArea rows={4} autoFocus placeholder="如：已电话联系诉求人，约定明日现场查看" />
        </Form.Item>
      </FormModal>

      <FormModal<{ content: string }>
        title="阶段性反馈"
        open={dialog === 'progress'}
        onClose={close}
        onSubmit={async (f) => {
          await api.tickets.progress(ticket.id, { content: f.content.trim(), expectedVersion: v });
          done('已提交阶段性反馈');
        }}
      >
        <Form.Item
          name="content"
          label="阶段性工作情况"
          rules={[required('请填写阶段性工作情况'), zodRule(c.progressBody.shape.content)]}
        >
          <Input.TextArea rows={5} autoFocus />
        </Form.Item>
      </FormModal>

      <FormModal<{ result: string; solved: boolean; explanation?: string; unreachableNote?: string; files?: Files }>
        title={signoff?.mustSubmit ? '办结答复（提交单位负责人审核）' : '办结答复'}
        okText={signoff?.mustSubmit ? '提交审核' : undefined}
        open={dialog === 'reply'}
        onClose={close}
        initialValues={{ solved: true }}
        width={640}
        onSubmit={async (f) => {
          const body = {
            result: f.result.trim(),
            solved: f.solved,
            explanation: f.explanation?.trim() || null,
            unreachableNote: unreachable ? f.unreachableNote?.trim() || null : null,
            fileIds: uploadedIds(f.files),
            expectedVersion: v,
          };
          // 第十五条 审核: the reply leaves the unit only after the unit manager's sign-off
          if (signoff?.mustSubmit) {
            await signoffApi.submit(ticket.id, body);
            done('已提交单位负责人审核');
            return;
          }
          await api.tickets.reply(ticket.id, body);
          done('已答复，等待中心回访');
        }}
      >
        {unreachable && rc?.summary && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="reply-unreachable"
            message={rc.summary}
            description="未能联系上诉求人，答复须说明联系情况（第十五条），回访时将向回访员显示。"
          />
        )}
        <Form.Item
          name="result"
          label="办理结果"
          rules={[required('请填写办理结果'), zodRule(c.replyBody.shape.result)]}
        >
          <Input.TextArea rows={5} autoFocus placeholder="向诉求人和热线工作机构答复的办理结果" />
        </Form.Item>
        {/* 第十五条: photos of the result (before and after), uploaded now, sent with the reply */}
        <Form.Item name="files" label="现场照片" rules={[filesRule()]}>
          <WorkFileUpload pictures max={9} label="上传照片" />
        </Form.Item>
        <Form.Item name="solved" label="诉求是否解决">
          <Radio.Group
            options={[
              { value: true, label: '已解决' },
              { value: false, label: '未能解决' },
            ]}
          />
        </Form.Item>
        <Form.Item noStyle dependencies={['solved']}>
          {({ getFieldValue }) => (
            <Form.Item
              name="explanation"
              label="解释说明"
              extra={
                getFieldValue('solved') === false ? '未能解决的诉求须向诉求人作出解释（第十五条第三项）' : undefined
              }
              rules={[
                ...(getFieldValue('solved') === false ? [required('未能解决的诉求须填写解释说明')] : []),
                { max: 5000, message: '解释说明不能超过 5000 字' },
              ]}
            >
              <Input.TextArea rows={3} />
            </Form.Item>
          )}
        </Form.Item>
        {unreachable && (
          <Form.Item
            name="unreachableNote"
            label="无法联系情况说明"
            rules={[required('请说明未能联系上诉求人的情况'), { max: 2000, message: '不能超过 2000 字' }]}
          >
            <Input.TextArea rows={3} placeholder="如：3月3日、4日三次致电均无人接听，已发短信告知办理情况，未获回复" />
          </Form.Item>
        )}
      </FormModal>

      <FormModal<{ result: string }>
        title="提交协办结果"
        open={dialog === 'assist'}
        onClose={close}
        onSubmit={async (f) => {
          await api.tickets.assistResult(ticket.id, { result: f.result.trim() });
          done('已向主办单位提交协办结果');
        }}
      >
        <Form.Item
          name="result"
          label="协办结果"
          rules={[required('请填写协办结果'), zodRule(c.assistResultBody.shape.result)]}
        >
          <Input.TextArea rows={5} autoFocus />
        </Form.Item>
      </FormModal>

      <FormModal<{ days: number; progress: string; reason: string; materials?: Files }>
        title="申请延期"
        open={dialog === 'extension'}
        onClose={close}
        initialValues={{ days: 5, materials: [] }}
        onSubmit={async (f) => {
          await api.tickets.applyExtension(ticket.id, {
            days: f.days,
            progress: f.progress.trim(),
            reason: f.reason.trim(),
            materials: uploadedMaterials(f.materials),
            expectedVersion: v,
          });
          done('延期申请已提交，等待中心审核');
        }}
      >
        {/* 第十六条: the limit in total, shown before submitting */}
        {dialog === 'extension' && <ExtensionLimitNote ticketId={ticket.id} />}
        <Form.Item
          name="days"
          label="延期天数（工作日）"
          rules={[{ required: true, message: '请填写延期天数' }, zodRule(c.extensionBody.shape.days)]}
        >
          <InputNumber min={1} max={30} precision={0} style={{ width: 160 }} suffix="个工作日" />
        </Form.Item>
        <Form.Item
          name="reason"
          label="延期理由"
          rules={[required('请填写延期理由'), zodRule(c.extensionBody.shape.reason)]}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item
          name="progress"
          label="阶段性工作情况"
          rules={[required('请填写阶段性工作情况'), zodRule(c.extensionBody.shape.progress)]}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item name="materials" label="材料" rules={[filesRule()]}>
          <WorkFileUpload />
        </Form.Item>
      </FormModal>

      <FormModal<{ reason: string; materials: Files }>
        title="申请退单"
        open={dialog === 'return'}
        onClose={close}
        initialValues={{ materials: [] }}
        onSubmit={async (f) => {
          await api.tickets.applyReturn(ticket.id, {
            reason: f.reason.trim(),
            materials: uploadedMaterials(f.materials),
            expectedVersion: v,
          });
          done('退单申请已提交，等待中心审核');
        }}
      >
        <Typography.Paragraph type="secondary">
          非本单位职责的工单，应在退单期限内说明理由并按规定提供材料（第十四条）。
        </Typography.Paragraph>
        <Form.Item
          name="reason"
          label="退单理由"
          rules={[required('请填写退单理由'), zodRule(c.returnBody.shape.reason)]}
        >
          <Input.TextArea rows={3} autoFocus />
        </Form.Item>
        <Form.Item
          name="materials"
          label="证明材料"
          required
          extra="如职责清单、三定方案、相关文件（第十四条）"
          rules={[filesRule('申请退单须按规定提供材料')]}
        >
          <WorkFileUpload />
        </Form.Item>
      </FormModal>

      <FormModal<{ case: 'refused_information' | 'unreasonable_request'; reason: string; materials: Files }>
        title="申请终止办理"
        open={dialog === 'termination'}
        onClose={close}
        initialValues={{ materials: [] }}
        danger
        onSubmit={async (f) => {
          await api.tickets.applyTermination(ticket.id, {
            case: f.case,
            reason: f.reason.trim(),
            materials: uploadedMaterials(f.materials),
            expectedVersion: v,
          });
          done('终止办理申请已提交，等待中心审核');
        }}
      >
        <Form.Item name="case" label="终止情形" rules={[{ required: true, message: '请选择终止情形' }]}>
          <Select
            options={Object.entries(TERMINATION_CASE_LABELS).map(([value, label]) => ({ value, label }))}
            placeholder="请选择"
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label="申请理由"
          rules={[required('请填写申请理由'), zodRule(c.terminationBody.shape.reason)]}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item
          name="materials"
          label="相关材料"
          required
          extra="如联系记录、告知书等（第十五条）"
          rules={[filesRule('申请终止办理须提供相关材料')]}
        >
          <WorkFileUpload />
        </Form.Item>
      </FormModal>

      <FormModal<{ reason: string; proposedUnitIds?: number[]; materials?: Files }>
        title="提出职责争议"
        open={dialog === 'dispute'}
        onClose={close}
        initialValues={{ materials: [] }}
        onSubmit={async (f) => {
          await api.tickets.applyDispute(ticket.id, {
            reason: f.reason.trim(),
            proposedUnitIds: f.proposedUnitIds ?? [],
            materials: uploadedMaterials(f.materials),
            expectedVersion: v,
          });
          done('职责争议已提交，由中心组织会商');
        }}
      >
        <Form.Item
          name="reason"
          label="争议理由"
          rules={[required('请填写争议理由'), zodRule(c.disputeBody.shape.reason)]}
        >
          <Input.TextArea rows={3} autoFocus />
        </Form.Item>
        <Form.Item name="proposedUnitIds" label="建议承办单位">
          <UnitSelect multiple placeholder="可选" />
        </Form.Item>
        <Form.Item name="materials" label="材料" rules={[filesRule()]}>
          <WorkFileUpload />
        </Form.Item>
      </FormModal>
    </Card>
  );
}
