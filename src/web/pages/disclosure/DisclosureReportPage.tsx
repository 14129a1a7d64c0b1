import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  List,
  Modal,
  Popconfirm,
  Space,
  Tag,
  Typography,
} from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api/client';
import { disclosureApi, type DisclosureDetail } from '../../api/disclosure';
import { useMe } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { fmtDateTime } from '../../lib/format';
import { hasRole } from '../../lib/permissions';
import { useAsync } from '../../lib/useAsync';
import { DisclosureReportView } from '../portal/DisclosureReportView';
import { STATUS_COLORS } from './DisclosurePage';

type CaseDraft = { ticketNumber: string; title: string; summary: string };
const monthLabel = (m: string) => `${m.slice(0, 4)} 年 ${Number(m.slice(5))} 月`;

/** One version of a month's report (第二十一条): edit the draft, submit, review and publish, or correct. */
export default function DisclosureReportPage() {
  const id = Number(useParams().id);
  const me = useMe();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const res = useAsync(() => disclosureApi.get(id), [id]);
  const d = res.data;
  const [foreword, setForeword] = useState('');
  const [correctionNote, setCorrectionNote] = useState('');
  const [cases, setCases] = useState<CaseDraft[]>([]);
  const [caseForm] = Form.useForm<CaseDraft>();
  const [busy, setBusy] = useState(false);
  const [returning, setReturning] = useState(false);
  const [returnNote, setReturnNote] = useState('');
  const [correcting, setCorrecting] = useState(false);
  const [correctionText, setCorrectionText] = useState('');
  useEffect(() => {
    if (!d) return;
    setForeword(d.foreword);
    setCorrectionNote(d.correctionNote ?? '');
    setCases(d.cases.map((c) => ({ ticketNumber: c.ticketNumber, title: c.title, summary: c.summary })));
  }, [d]);

  const act = async (fn: () => Promise<DisclosureDetail>, done: string) => {
    setBusy(true);
    try {
      res.setData(await fn());
      message.success(done);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  if (!d) return <ErrorAlert message={res.errorText} onRetry={() => void res.reload()} />;

  const draft = d.status === 'draft';
  const canPublish = hasRole(me, 'supervisor', 'admin') && me.userId !== d.createdById;
  const save = (nextCases = cases) =>
    act(
      () =>
        disclosureApi.update(id, {
          foreword,
          ...(d.version > 1 ? { correctionNote } : {}),
          cases: nextCases,
        }),
      '已保存',
    );
  const addCase = async () => {
    const v = await caseForm.validateFields();
    const next = [...cases, { ...v, ticketNumber: v.ticketNumber.trim().toUpperCase() }];
    setCases(next);
    caseForm.resetFields();
    await save(next);
  };
  const publish = () =>
    modal.confirm({
      title: `发布 ${d.report.region.name} ${monthLabel(d.month)}报告（第 ${d.version} 版）？`,
      content: '发布后报告在门户公开并不可修改；如需更正只能另发新版本并注明更正说明。',
      okText: '确认发布',
      cancelText: '取消',
      onOk: () => act(() => disclosureApi.publish(id), '已发布，门户已可查阅'),
    });

  return (
    <>
      <PageHeader
        title={
          <Space>
            {`${d.report.region.name} ${monthLabel(d.month)}报告`}
            <Tag>第 {d.version} 版</Tag>
            <Tag color={STATUS_COLORS[d.status]}>{d.statusLabel}</Tag>
          </Space>
        }
        sub={<Link to="/disclosure">返回信息公开</Link>}
        extra={
          <>
            {draft && (
              <>
                <Button
                  loading={busy}
                  onClick={() => void act(() => disclosureApi.regenerate(id), '已按最新汇总数据重新生成')}
                >
                  重新生成数据
                </Button>
                <Popconfirm
                  title="删除这份草稿？"
                  okText="删除"
                  cancelText="取消"
                  onConfirm={async () => {
                    try {
                      await disclosureApi.discard(id);
                      message.success('草稿已删除');
                      navigate('/disclosure');
                    } catch (e) {
                      message.error(errorMessage(e));
                    }
                  }}
                >
                  <Button danger>删除草稿</Button>
                </Popconfirm>
                <Button
                  type="primary"
                  loading={busy}
                  disabled={d.problems.length > 0}
                  onClick={() => void act(() => disclosureApi.submit(id), '已提交审核')}
                >
                  提交审核
                </Button>
              </>
            )}
            {d.status === 'in_review' && canPublish && (
              <>
                <Button onClick={() => setReturning(true)}>退回修改</Button>
                <Button type="primary" loading={busy} onClick={publish}>
                  审核发布
                </Button>
              </>
            )}
            {d.status === 'published' && (
              <>
                <Link to={`/portal/disclosure/${d.month}?region=${d.regionCode}&version=${d.version}`} target="_blank">
                  <Button>在门户查看</Button>
                </Link>
                <Button onClick={() => setCorrecting(true)}>发布更正</Button>
              </>
            )}
          </>
        }
      />
      {d.status === 'in_review' && !canPublish && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message="待审核：须由起草人以外的督办员或系统管理员审核发布。"
        />
      )}
      {d.reviewNote && draft && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={`退回意见：${d.reviewNote}`} />
      )}
      {d.problems.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message="报告含有不可公开的内容"
          description={d.problems.map((p) => `${p.path}：${p.problem}`).join('；')}
        />
      )}
      <Descriptions size="small" column={4} style={{ marginBottom: 12 }}>
        <Descriptions.Item label="起草">{`${d.createdBy ?? ''} ${fmtDateTime(d.createdAt)}`}</Descriptions.Item>
        <Descriptions.Item label="提交">
          {d.submittedAt ? `${d.submittedBy ?? ''} ${fmtDateTime(d.submittedAt)}` : '—'}
        </Descriptions.Item>
        <Descriptions.Item label="发布">
          {d.publishedAt ? `${d.publishedBy ?? ''} ${fmtDateTime(d.publishedAt)}` : '—'}
        </Descriptions.Item>
        <Descriptions.Item label="单位数据来源">
          {d.report.units.source === 'assessment_result' ? '考核结果（已冻结）' : '考核汇总（实时）'}
        </Descriptions.Item>
      </Descriptions>
      {draft && (
        <Card size="small" title="编辑" style={{ marginBottom: 12 }}>
          <Form layout="vertical">
            <Form.Item label="报告说明（公开）">
              <Input.TextArea
                rows={3}
                maxLength={2000}
                showCount
                value={foreword}
                onChange={(e) => setForeword(e.target.value)}
                aria-label="报告说明"
                placeholder="本月热线运行概况，由工作人员撰写"
              />
            </Form.Item>
            {d.version > 1 && (
              <Form.Item label="更正说明（公开）" required>
                <Input.TextArea
                  rows={2}
                  maxLength={500}
                  value={correctionNote}
                  onChange={(e) => setCorrectionNote(e.target.value)}
                  aria-label="更正说明"
                />
              </Form.Item>
            )}
            <Button loading={busy} onClick={() => void save()}>
              保存说明
            </Button>
          </Form>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            典型案例
          </Typography.Title>
          <Typography.Paragraph type="secondary">
            摘要由工作人员撰写：不得照录群众原话，不得出现姓名、电话、证件号码、详细地址或工单号。
          </Typography.Paragraph>
          <List
            size="small"
            locale={{ emptyText: '尚未选登案例' }}
            dataSource={cases}
            renderItem={(k, i) => (
              <List.Item
                actions={[
                  <Button
                    key="del"
                    size="small"
                    icon={<DeleteOutlined />}
                    aria-label="移除案例"
                    onClick={() => {
                      const next = cases.filter((_, j) => j !== i);
                      setCases(next);
                      void save(next);
                    }}
                  />,
                ]}
              >
                <List.Item.Meta title={`${k.title}（${k.ticketNumber}）`} description={k.summary} />
              </List.Item>
            )}
          />
          <Form form={caseForm} layout="inline" style={{ marginTop: 8, rowGap: 8 }}>
            <Form.Item name="ticketNumber" rules={[{ required: true, message: '请输入工单号' }]}>
              <Input placeholder="工单号" style={{ width: 170 }} aria-label="案例工单号" />
            </Form.Item>
            <Form.Item name="title" rules={[{ required: true, min: 2, message: '请输入标题' }]}>
              <Input placeholder="案例标题" style={{ width: 180 }} maxLength={60} aria-label="案例标题" />
            </Form.Item>
            <Form.Item name="summary" rules={[{ required: true, min: 10, message: '摘要至少 10 个字' }]}>
              <Input.TextArea
                placeholder="公开摘要（工作人员撰写）"
                rows={2}
                style={{ width: 360 }}
                maxLength={600}
                aria-label="案例摘要"
              />
            </Form.Item>
            <Button icon={<PlusOutlined />} loading={busy} onClick={() => void addCase()} disabled={cases.length >= 10}>
              添加案例
            </Button>
          </Form>
        </Card>
      )}
      <Card size="small" title="公开预览（门户将显示的内容）">
        <DisclosureReportView report={d.report} />
      </Card>
      <Modal
        open={correcting}
        title="发布更正"
        okText="生成更正草稿"
        cancelText="取消"
        okButtonProps={{ disabled: !correctionText.trim(), loading: busy }}
        onCancel={() => setCorrecting(false)}
        onOk={async () => {
          setBusy(true);
          try {
            const next = await disclosureApi.create({
              month: d.month,
              regionCode: d.regionCode,
              correctionNote: correctionText.trim(),
            });
            message.success(`已生成第 ${next.version} 版更正草稿`);
            setCorrecting(false);
            navigate(`/disclosure/${next.id}`);
          } catch (e) {
            message.error(errorMessage(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Typography.Paragraph type="secondary">
          已发布的报告不能修改。更正将生成新版本，门户显示最新版本并注明更正说明，原版本仍可查阅下载。
        </Typography.Paragraph>
        <Input.TextArea
          rows={3}
          maxLength={500}
          value={correctionText}
          onChange={(e) => setCorrectionText(e.target.value)}
          placeholder="说明更正了什么、为什么更正"
          aria-label="更正说明"
        />
      </Modal>
      <Modal
        open={returning}
        title="退回修改"
        okText="退回"
        cancelText="取消"
        okButtonProps={{ disabled: !returnNote.trim() }}
        onCancel={() => setReturning(false)}
        onOk={async () => {
          await act(() => disclosureApi.returnToDraft(id, returnNote.trim()), '已退回起草人修改');
          setReturning(false);
          setReturnNote('');
        }}
      >
        <Input.TextArea
          rows={3}
          maxLength={500}
          value={returnNote}
          onChange={(e) => setReturnNote(e.target.value)}
          placeholder="退回意见"
          aria-label="退回意见"
        />
      </Modal>
    </>
  );
}
