import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Space,
  Steps,
  Table,
  Tabs,
  Tag,
  Timeline,
} from 'antd';
import { ArrowLeftOutlined, CheckOutlined, FilePdfOutlined, FlagOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { serverNow } from '../../api/client';
import { referralsApi, type ReferralView } from '../../api/referrals';
import { useMe } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { DownloadButton } from '../../components/DownloadButton';
import { FormModal } from '../../components/FormModal';
import { PageHeader } from '../../components/PageHeader';
import { fmtDateTime } from '../../lib/format';
import { STATUS_LABELS } from '../../lib/labels';
import { hasRole } from '../../lib/permissions';
import { useAsync } from '../../lib/useAsync';
import { EvidencePackView } from './EvidencePackView';
import { conductShort, REFERRAL_STATUS_COLORS, REFERRAL_STATUS_LABELS, SUBJECT_KIND_LABELS } from './referral-labels';
import { CONDUCT_LABELS, type ReferralConduct } from '../../../shared/domain/referrals';

const STEP_OF = { transferred: 0, accepted: 1, concluded: 2 } as const;
const ACTION_LABELS: Record<string, string> = { transferred: '移交', accept: '受理', conclude: '处理结果' };

/** 第二十三条: one referral — what was handed over, its status steps, the evidence pack and its PDF. */
export default function ReferralDetailPage() {
  const id = Number(useParams().id);
  const me = useMe();
  const view = useAsync(() => referralsApi.get(id), [id]);
  const pack = useAsync(() => referralsApi.evidence(id), [id]);
  const [step, setStep] = useState<'accept' | 'conclude' | null>(null);
  const { message } = App.useApp();
  const r = view.data;
  const writer = hasRole(me, 'supervisor');

  return (
    <>
      <PageHeader
        title={
          <Space>
            <Link to="/supervision/referrals" aria-label="返回问责移送">
              <ArrowLeftOutlined />
            </Link>
            <span>{`问责移送 #${id}`}</span>
            {r && <Tag color={REFERRAL_STATUS_COLORS[r.status]}>{REFERRAL_STATUS_LABELS[r.status]}</Tag>}
          </Space>
        }
        extra={
          <>
            {writer && r?.allowedActions.includes('accept') && (
              <Button type="primary" icon={<CheckOutlined />} onClick={() => setStep('accept')}>
                记录受理
              </Button>
            )}
            {writer && r?.allowedActions.includes('conclude') && (
              <Button type="primary" icon={<FlagOutlined />} onClick={() => setStep('conclude')}>
                记录处理结果
              </Button>
            )}
            <DownloadButton
              icon={<FilePdfOutlined />}
              url={referralsApi.evidencePdfUrl(id)}
              fallbackName={`问责移送证据材料-${id}.pdf`}
              testId="referral-pdf"
            >
              下载证据材料 PDF
            </DownloadButton>
          </>
        }
      />
      <ErrorAlert message={view.errorText} onRetry={() => void view.reload()} />
      {r && (
        <>
          <Card size="small" style={{ marginBottom: 12 }}>
            <Steps
              size="small"
              current={STEP_OF[r.status]}
              status={r.status === 'concluded' ? 'finish' : 'process'}
              items={[
                { title: '移交', description: fmtDateTime(r.transferredAt) },
                { title: '受理', description: r.acceptedOn ?? '待纪检监察机关受理' },
                { title: '处理结果', description: r.resultOn ?? '—' },
              ]}
            />
          </Card>
          <Tabs
            items={[
              { key: 'facts', label: '移送内容', children: <Facts r={r} /> },
              {
                key: 'evidence',
                label: '证据材料',
                children: (
                  <>
                    <ErrorAlert message={pack.errorText} onRetry={() => void pack.reload()} />
                    {pack.data && <EvidencePackView pack={pack.data} />}
                  </>
                ),
              },
            ]}
          />
        </>
      )}
      <FormModal<{ acceptedOn: Dayjs; note?: string }>
        title="记录纪检监察机关受理"
        open={step === 'accept'}
        onClose={() => setStep(null)}
        initialValues={{ acceptedOn: dayjs(serverNow()) }}
        onSubmit={async (v) => {
          await referralsApi.accept(id, {
            acceptedOn: v.acceptedOn.format('YYYY-MM-DD'),
            note: v.note || undefined,
            version: r!.version,
          });
          message.success('已记录受理');
          await Promise.all([view.reload(), pack.reload()]);
        }}
      >
        <Form.Item name="acceptedOn" label="受理日期" rules={[{ required: true, message: '请选择受理日期' }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="note" label="说明（如受理文号）">
          <Input maxLength={1000} />
        </Form.Item>
      </FormModal>
      <FormModal<{ resultOn: Dayjs; result: string }>
        title="记录纪检监察机关处理结果"
        open={step === 'conclude'}
        onClose={() => setStep(null)}
        initialValues={{ resultOn: dayjs(serverNow()) }}
        onSubmit={async (v) => {
          await referralsApi.conclude(id, {
            resultOn: v.resultOn.format('YYYY-MM-DD'),
            result: v.result,
            version: r!.version,
          });
          message.success('已记录处理结果');
          await Promise.all([view.reload(), pack.reload()]);
        }}
      >
        <Form.Item name="resultOn" label="处理结果日期" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="result" label="处理结果" rules={[{ required: true, message: '请填写处理结果' }]}>
          <Input.TextArea rows={4} maxLength={5000} showCount />
        </Form.Item>
      </FormModal>
    </>
  );
}

function Facts({ r }: { r: ReferralView }) {
  return (
    <>
      <Descriptions bordered size="small" column={2} style={{ marginBottom: 16 }}>
        <Descriptions.Item label="移送对象">
          {SUBJECT_KIND_LABELS[r.subjectKind]}：{r.unitName}
          {r.staff ? ` · ${r.staff}` : ''}
        </Descriptions.Item>
        <Descriptions.Item label="接收机关">{r.bodyName}</Descriptions.Item>
        <Descriptions.Item label="问题情形" span={2}>
          {r.conducts.map((c) => (
            <Tag key={c} title={CONDUCT_LABELS[c as ReferralConduct]}>
              {conductShort(c)}
            </Tag>
          ))}
        </Descriptions.Item>
        <Descriptions.Item label="问题事实" span={2}>
          <span className="pre-wrap">{r.facts}</span>
        </Descriptions.Item>
        <Descriptions.Item label="移送机构">{r.centreName}</Descriptions.Item>
        <Descriptions.Item label="移送人">{r.createdByName}</Descriptions.Item>
        {r.acceptedNote && (
          <Descriptions.Item label="受理说明" span={2}>
            {r.acceptedNote}
          </Descriptions.Item>
        )}
        {r.result && (
          <Descriptions.Item label="处理结果" span={2}>
            <span className="pre-wrap">{r.result}</span>
          </Descriptions.Item>
        )}
        {r.complaint && (
          <Descriptions.Item label="来源投诉" span={2}>
            #{r.complaint.id}：{r.complaint.content}
          </Descriptions.Item>
        )}
      </Descriptions>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        title={() => '涉及工单'}
        dataSource={r.tickets}
        locale={{ emptyText: '未关联工单' }}
        columns={[
          {
            title: '工单号',
            dataIndex: 'number',
            width: 170,
            render: (n: string, t) => <Link to={`/tickets/${t.id}`}>{n}</Link>,
          },
          { title: '标题', dataIndex: 'title' },
          { title: '主办单位', dataIndex: 'lead_unit_name', width: 200 },
          {
            title: '状态',
            dataIndex: 'status',
            width: 90,
            render: (s: keyof typeof STATUS_LABELS) => STATUS_LABELS[s],
          },
        ]}
      />
      <Card size="small" title="办理记录" style={{ marginTop: 16 }}>
        <Timeline
          items={r.events.map((e) => ({
            children: (
              <>
                <strong>{ACTION_LABELS[e.action] ?? e.action}</strong> · {fmtDateTime(e.at)} · {e.actor_name ?? '系统'}
                {e.note && <div className="pre-wrap">{e.note}</div>}
              </>
            ),
          }))}
        />
      </Card>
    </>
  );
}
