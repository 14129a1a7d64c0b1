import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import {
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  Timeline,
  Typography,
} from 'antd';
import { ArrowLeftOutlined, FilePdfOutlined, PrinterOutlined } from '@ant-design/icons';
import {
  DECISION_LABELS,
  METHOD_LABELS,
  STATUS_LABELS,
  SUPERVISION_METHODS,
  TRIGGER_LABELS,
  type CaseAction,
  type SupervisionStatus,
} from '../../../shared/domain/supervision';
import { serverNow } from '../../api/client';
import { supervisionApi, type SupervisionCaseView } from '../../api/supervision';
import { ErrorAlert } from '../../components/ErrorAlert';
import { DownloadButton } from '../../components/DownloadButton';
import { FormModal } from '../../components/FormModal';
import { PageHeader } from '../../components/PageHeader';
import { StatusTag } from '../../components/Tags';
import { fmtDateTime } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';
import { CaseStatusTag, isCaseOverdue } from './supervision-labels';

const STEP_LABELS: Record<string, string> = {
  proposed: '生成督办建议',
  opened: '立案督办',
  confirmed: '确认督办',
  dismissed: '不予督办',
  answered: '单位反馈',
  closed: '办结',
  supervised_again: '再次督办',
  escalated: '提级督办',
};

const ACTION_LABELS: Partial<Record<CaseAction, string>> = {
  confirm: '确认督办',
  dismiss: '不予督办',
  answer: '反馈办理情况',
  close: '办结',
  supervise_again: '再次督办',
  escalate: '提级督办',
};

/** One supervision case: the reason and evidence, the tickets, the history, and the next steps this user may take. */
export default function SupervisionCasePage() {
  const id = Number(useParams().id);
  const nav = useNavigate();
  const v = useAsync(() => supervisionApi.view(id), [id]);
  const [acting, setActing] = useState<CaseAction | null>(null);
  const c = v.data?.case;
  return (
    <>
      <PageHeader
        title={c ? `督办件 ${c.number}` : '督办件'}
        extra={
          <Space>
            {c && (
              <>
                <Button icon={<PrinterOutlined />} onClick={() => nav(`/supervision/cases/${id}/notice`)}>
                  督办通知单
                </Button>
                <DownloadButton
                  icon={<FilePdfOutlined />}
                  url={supervisionApi.noticePdfUrl(id)}
                  fallbackName="督办通知单.pdf"
                >
                  下载 PDF
                </DownloadButton>
              </>
            )}
            <Button icon={<ArrowLeftOutlined />} onClick={() => nav(-1)}>
              返回
            </Button>
          </Space>
        }
      />
      <ErrorAlert message={v.errorText} onRetry={() => void v.reload()} />
      {c && v.data && (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Card
            size="small"
            title={
              <Space>
                <CaseStatusTag status={c.status} />
                {TRIGGER_LABELS[c.trigger]}
              </Space>
            }
            extra={
              <Space>
                {v.data.actions.map((a) => (
                  <Button
                    key={a}
                    type={a === 'answer' || a === 'confirm' || a === 'close' ? 'primary' : 'default'}
                    danger={a === 'dismiss'}
                    onClick={() => setActing(a)}
                  >
                    {ACTION_LABELS[a]}
                  </Button>
                ))}
              </Space>
            }
          >
            <Descriptions size="small" column={{ xs: 1, md: 3 }} bordered>
              <Descriptions.Item label="被督办单位">{c.unit_name}</Descriptions.Item>
              <Descriptions.Item label="督办方式">{c.method ? METHOD_LABELS[c.method] : '待确认'}</Descriptions.Item>
              <Descriptions.Item label="层级与轮次">
                {c.level === 'city' ? '市级' : '县（区）级'} · 第 {c.round} 轮
              </Descriptions.Item>
              <Descriptions.Item label="反馈期限">
                {isCaseOverdue(c, serverNow()) ? (
                  <Typography.Text type="danger">{fmtDateTime(c.due_at)}（已逾期）</Typography.Text>
                ) : (
                  fmtDateTime(c.due_at)
                )}
              </Descriptions.Item>
              <Descriptions.Item label="立案时间">{fmtDateTime(c.created_at)}</Descriptions.Item>
              <Descriptions.Item label="当前状态">{STATUS_LABELS[c.status]}</Descriptions.Item>
              <Descriptions.Item label="督办事由" span={3}>
                {c.reason}
              </Descriptions.Item>
              {c.answer && (
                <Descriptions.Item label={`单位反馈（${fmtDateTime(c.answered_at)}）`} span={3}>
                  {c.answer}
                </Descriptions.Item>
              )}
              {c.decision_note && (
                <Descriptions.Item
                  label={`督办意见（${c.decision ? DECISION_LABELS[c.decision as 'close'] : ''}）`}
                  span={3}
                >
                  {c.decision_note}
                </Descriptions.Item>
              )}
            </Descriptions>
          </Card>
          {v.data.tickets.length > 0 && (
            <Card size="small" title="涉及工单">
              <Table
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={v.data.tickets}
                columns={[
                  {
                    title: '工单编号',
                    dataIndex: 'number',
                    width: 180,
                    render: (n: string, t) => <Link to={`/tickets/${t.id}`}>{n}</Link>,
                  },
                  { title: '诉求标题', dataIndex: 'title' },
                  {
                    title: '工单状态',
                    dataIndex: 'status',
                    width: 110,
                    render: (s: SupervisionCaseView['tickets'][number]['status']) => <StatusTag status={s} />,
                  },
                ]}
              />
            </Card>
          )}
          <Card size="small" title="督办记录">
            <Timeline
              items={v.data.events.map((e) => ({
                key: e.id,
                children: (
                  <>
                    <Typography.Text strong>{STEP_LABELS[e.kind] ?? e.kind}</Typography.Text>
                    <Typography.Text type="secondary">
                      {'　'}
                      {fmtDateTime(e.at)}
                      {'\u3000'}
                      {e.actor_name ?? '系统（督办规则）'}
                      {e.actor_unit_name ? ` · ${e.actor_unit_name}` : ''}
                    </Typography.Text>
                    {e.note && <div>{e.note}</div>}
                  </>
                ),
              }))}
            />
          </Card>
        </Space>
      )}
      {acting && c && (
        <ActionModal
          action={acting}
          caseId={id}
          version={c.version}
          status={c.status}
          onClose={() => setActing(null)}
          onDone={() => {
            setActing(null);
            void v.reload();
          }}
        />
      )}
    </>
  );
}

interface ActionValues {
  note?: string;
  answer?: string;
  method?: (typeof SUPERVISION_METHODS)[number];
  answerDays?: number;
}

function ActionModal(props: {
  action: CaseAction;
  caseId: number;
  version: number;
  status: SupervisionStatus;
  onClose: () => void;
  onDone: () => void;
}) {
  const { message } = App.useApp();
  const { action, caseId, version } = props;
  const newRound = action === 'confirm' || action === 'supervise_again' || action === 'escalate';
  return (
    <FormModal<ActionValues>
      title={ACTION_LABELS[action]}
      open
      onClose={props.onClose}
      danger={action === 'dismiss'}
      initialValues={{ method: 'written', answerDays: 3 }}
      onSubmit={async (v) => {
        if (action === 'answer') await supervisionApi.answer(caseId, v.answer!.trim(), version);
        else if (action === 'confirm')
          await supervisionApi.confirm(caseId, {
            method: v.method,
            answerDays: v.answerDays,
            note: v.note?.trim() || undefined,
          });
        else if (action === 'dismiss') await supervisionApi.dismiss(caseId, v.note!.trim());
        else
          await supervisionApi.decide(caseId, {
            decision: action,
            note: v.note!.trim(),
            method: newRound ? v.method : undefined,
            answerDays: newRound ? v.answerDays : undefined,
            version,
          });
        message.success(`${ACTION_LABELS[action]}已提交`);
        props.onDone();
      }}
    >
      {action === 'answer' ? (
        <Form.Item
          name="answer"
          label="办理情况"
          rules={[{ required: true, whitespace: true, min: 5, message: '请填写办理情况（至少 5 个字）' }]}
        >
          <Input.TextArea rows={5} maxLength={4000} showCount placeholder="说明已采取的措施、办理结果和诉求人意见" />
        </Form.Item>
      ) : (
        <Form.Item
          name="note"
          label={action === 'dismiss' ? '不予督办的理由' : '督办意见'}
          rules={action === 'confirm' ? [] : [{ required: true, whitespace: true, min: 2, message: '请填写意见' }]}
        >
          <Input.TextArea rows={3} maxLength={2000} showCount />
        </Form.Item>
      )}
      {newRound && (
        <>
          <Form.Item name="method" label="督办方式">
            <Select options={SUPERVISION_METHODS.map((m) => ({ value: m, label: METHOD_LABELS[m] }))} />
          </Form.Item>
          <Form.Item name="answerDays" label="反馈时限（工作日）">
            <InputNumber min={1} max={30} precision={0} />
          </Form.Item>
        </>
      )}
    </FormModal>
  );
}
