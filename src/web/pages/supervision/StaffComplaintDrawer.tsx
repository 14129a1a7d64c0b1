import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Alert, App, Button, Descriptions, Drawer, Form, Input, Radio, Space, Tag, Timeline, Typography } from 'antd';
import {
  COMPLAINT_FINDING_LABELS,
  COMPLAINT_FINDINGS,
  COMPLAINT_STATUS_LABELS,
  type ComplaintAction,
} from '../../../shared/domain/referrals';
import { referralsApi } from '../../api/referrals';
import { useMe } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FormModal } from '../../components/FormModal';
import { fmtDateTime } from '../../lib/format';
import { useReference } from '../../lib/reference';
import { useAsync } from '../../lib/useAsync';
import { ReferralCreateModal } from './ReferralCreateModal';
import { disciplineBodyOf } from './referral-labels';

const STEP_LABELS: Record<string, string> = {
  investigate: '转入调查',
  note: '调查记录',
  conclude: '调查结论',
  reply: '答复投诉人',
  close: '办结',
  escalate: '移送纪检监察机关',
};
export const COMPLAINT_STATUS_COLORS: Record<string, string> = {
  open: 'red',
  investigating: 'orange',
  concluded: 'blue',
  replied: 'cyan',
  closed: 'default',
  escalated: 'purple',
};

type Modal = Exclude<ComplaintAction, 'escalate'> | null;

/** 第九条: one complaint about staff and the steps of its handling: investigate, find, answer, close or escalate. */
export function StaffComplaintDrawer({
  id,
  onClose,
  onChanged,
}: {
  id: number | null;
  onClose: () => void;
  onChanged: () => void;
}) {
  const me = useMe();
  const ref = useReference();
  const nav = useNavigate();
  const detail = useAsync(async () => (id ? referralsApi.complaint(id) : null), [id]);
  const [modal, setModal] = useState<Modal>(null);
  const [escalating, setEscalating] = useState(false);
  const c = detail.data;
  const can = (a: ComplaintAction) => !!c?.allowedActions.includes(a);
  const done = async () => {
    await detail.reload();
    onChanged();
  };
  const { message } = App.useApp();
  const step = (path: Parameters<typeof referralsApi.complaintStep>[1], ok: string) => async (v: object) => {
    await referralsApi.complaintStep(id!, path, v);
    message.success(ok);
    await done();
  };

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      width={640}
      title={c ? `投诉 #${c.id}` : '投诉'}
      extra={c && <Tag color={COMPLAINT_STATUS_COLORS[c.status]}>{COMPLAINT_STATUS_LABELS[c.status]}</Tag>}
    >
      <ErrorAlert message={detail.errorText} onRetry={() => void detail.reload()} />
      {c && (
        <>
          <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
            <Descriptions.Item label="收到时间">{fmtDateTime(c.created_at)}</Descriptions.Item>
            <Descriptions.Item label="工单">
              <Link to={`/tickets/${c.ticket_id}`}>{c.ticket_number}</Link> {c.ticket_title}
            </Descriptions.Item>
            <Descriptions.Item label="被投诉单位">{c.against_unit_name ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="被投诉人员">{c.against_staff || '—'}</Descriptions.Item>
            <Descriptions.Item label="投诉内容">
              <span className="pre-wrap">{c.content}</span>
            </Descriptions.Item>
            <Descriptions.Item label="投诉人电话">{c.complainantPhone ?? '未留电话（答复仅记录）'}</Descriptions.Item>
            <Descriptions.Item label="调查人">{c.assignee_name ?? '—'}</Descriptions.Item>
            {c.finding && (
              <Descriptions.Item label="调查结论">
                <Tag color={c.finding === 'unsubstantiated' ? 'default' : 'red'}>
                  {COMPLAINT_FINDING_LABELS[c.finding]}
                </Tag>
                <span className="pre-wrap">{c.finding_text}</span>
              </Descriptions.Item>
            )}
            {c.reply_text && (
              <Descriptions.Item label="答复">
                {c.reply_text}
                <div>
                  <Typography.Text type="secondary">
                    {fmtDateTime(c.replied_at)} {c.reply_sms ? '已发短信' : '投诉人未留电话，未发短信'}
                  </Typography.Text>
                </div>
              </Descriptions.Item>
            )}
            {c.referral_id && (
              <Descriptions.Item label="问责移送">
                <Link to={`/supervision/referrals/${c.referral_id}`}>#{c.referral_id}</Link>
              </Descriptions.Item>
            )}
          </Descriptions>
          <Space wrap style={{ marginBottom: 16 }}>
            {can('investigate') && c.status === 'open' && (
              <Button type="primary" onClick={() => setModal('investigate')}>
                转入调查
              </Button>
            )}
            {can('note') && <Button onClick={() => setModal('note')}>记录调查情况</Button>}
            {can('conclude') && (
              <Button type="primary" onClick={() => setModal('conclude')}>
                调查结论
              </Button>
            )}
            {can('reply') && (
              <Button type="primary" onClick={() => setModal('reply')}>
                答复投诉人
              </Button>
            )}
            {can('close') && <Button onClick={() => setModal('close')}>办结</Button>}
            {can('escalate') && (
              <Button danger onClick={() => setEscalating(true)}>
                移送纪检监察机关
              </Button>
            )}
          </Space>
          <Typography.Title level={5}>办理记录</Typography.Title>
          {c.steps.length === 0 ? (
            <Typography.Text type="secondary">尚未办理</Typography.Text>
          ) : (
            <Timeline
              items={c.steps.map((s) => ({
                children: (
                  <>
                    <strong>{STEP_LABELS[s.action] ?? s.action}</strong> · {fmtDateTime(s.at)} · {s.actor_name ?? '—'}
                    {s.note && <div className="pre-wrap">{s.note}</div>}
                  </>
                ),
              }))}
            />
          )}
          <FormModal<{ note: string }>
            title="转入调查"
            open={modal === 'investigate'}
            onClose={() => setModal(null)}
            onSubmit={step('investigate', '已转入调查')}
          >
            <Alert type="info" showIcon style={{ marginBottom: 12 }} message={`调查人：${me.displayName}（本人）`} />
            <Form.Item name="note" label="调查安排" rules={[{ required: true, message: '请填写调查安排' }]}>
              <Input.TextArea rows={3} maxLength={2000} placeholder="如：调取通话录音，约谈承办人" />
            </Form.Item>
          </FormModal>
          <FormModal<{ note: string }>
            title="记录调查情况"
            open={modal === 'note'}
            onClose={() => setModal(null)}
            onSubmit={step('notes', '调查情况已记录')}
          >
            <Form.Item name="note" label="调查情况" rules={[{ required: true, message: '请填写调查情况' }]}>
              <Input.TextArea rows={4} maxLength={2000} />
            </Form.Item>
          </FormModal>
          <FormModal<{ finding: string; findingText: string }>
            title="调查结论"
            open={modal === 'conclude'}
            onClose={() => setModal(null)}
            onSubmit={step('conclude', '调查结论已保存')}
          >
            <Form.Item name="finding" label="结论" rules={[{ required: true, message: '请选择调查结论' }]}>
              <Radio.Group
                options={COMPLAINT_FINDINGS.map((f) => ({ value: f, label: COMPLAINT_FINDING_LABELS[f] }))}
              />
            </Form.Item>
            <Form.Item name="findingText" label="查明情况" rules={[{ required: true, message: '请填写查明情况' }]}>
              <Input.TextArea rows={4} maxLength={5000} showCount />
            </Form.Item>
          </FormModal>
          <FormModal<{ text: string }>
            title="答复投诉人"
            open={modal === 'reply'}
            onClose={() => setModal(null)}
            onSubmit={step('reply', '答复已记录')}
            initialValues={{
              text: c.finding
                ? `经核实，您反映的问题${COMPLAINT_FINDING_LABELS[c.finding]}。${c.finding === 'unsubstantiated' ? '' : '我们已责成相关单位整改。'}`
                : '',
            }}
          >
            <Alert
              type={c.complainantPhone ? 'info' : 'warning'}
              showIcon
              style={{ marginBottom: 12 }}
              message={
                c.complainantPhone ? `将以短信发送至 ${c.complainantPhone}` : '投诉人未留电话：答复只记录，不发送短信'
              }
            />
            <Form.Item name="text" label="答复内容" rules={[{ required: true, message: '请填写答复内容' }]}>
              <Input.TextArea rows={4} maxLength={500} showCount />
            </Form.Item>
          </FormModal>
          <FormModal<{ note?: string }>
            title="办结投诉"
            open={modal === 'close'}
            onClose={() => setModal(null)}
            onSubmit={step('close', '投诉已办结')}
          >
            <Form.Item name="note" label="说明">
              <Input maxLength={1000} />
            </Form.Item>
          </FormModal>
          <ReferralCreateModal
            open={escalating}
            onClose={() => setEscalating(false)}
            defaultBody={disciplineBodyOf(ref.unitName(me.unitId))}
            prefill={{
              complaintId: c.id,
              unitId: c.against_unit_id ?? undefined,
              staff: c.against_staff ?? undefined,
              ticketNumbers: [c.ticket_number],
              facts: [`诉求人投诉：${c.content}`, c.finding_text ? `调查查明：${c.finding_text}` : '']
                .filter(Boolean)
                .join('\n'),
            }}
            onCreated={(rid) => {
              onChanged();
              nav(`/supervision/referrals/${rid}`);
            }}
          />
        </>
      )}
    </Drawer>
  );
}
