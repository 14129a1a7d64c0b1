import { useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App, Button, Card, Col, Form, Input, Radio, Row, Space, Typography, type InputRef } from 'antd';
import { CheckCircleOutlined } from '@ant-design/icons';
import { api, type CreateTicketInput } from '../../api/endpoints';
import { errorMessage } from '../../api/client';
import { createTicketBody } from '../../../contracts/tickets';
import type { RequestType, TicketSummary, Urgency } from '../../api/types';
import { CategoryCascader, RegionCascader } from '../../components/Pickers';
import { PageHeader } from '../../components/PageHeader';
import { REQUEST_TYPE_LABELS, URGENCY_LABELS } from '../../lib/labels';
import { zodRule } from '../../lib/zodRule';

interface Values {
  requestType: RequestType;
  categoryId?: number;
  regionCode?: string;
  urgency: Urgency;
  address?: string;
  title?: string;
  content?: string;
  requesterName?: string;
  requesterPhone?: string;
}

const shape = createTicketBody.shape;
const requesterShape = createTicketBody.shape.requester.unwrap().unwrap().shape;

/**
 * 话务员新建工单: arranged in the order of a call, every field reachable with Tab, Ctrl+Enter submits from any
 * field; after creating, the number is shown and the form is ready for the next call.
 */
export default function NewTicketPage() {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<TicketSummary | null>(null);
  const first = useRef<InputRef>(null);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const body: CreateTicketInput = {
      requestType: v.requestType,
      categoryId: v.categoryId!,
      regionCode: v.regionCode!,
      urgency: v.urgency,
      address: v.address?.trim() || null,
      title: v.title!.trim(),
      content: v.content!.trim(),
      channel: 'phone',
      requester: v.requesterName?.trim() || v.requesterPhone?.trim() ? { name: v.requesterName?.trim() || null, phone: v.requesterPhone?.trim() || null } : null,
    };
    setBusy(true);
    setError(null);
    try {
      const t = await api.tickets.create(body);
      setCreated(t);
      message.success(`工单已创建：${t.number}`);
      form.resetFields();
      first.current?.focus();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title="新建工单" sub="电话受理：不能当场答复的诉求形成工单，提交后进入待派单队列（第十二条）" />
      {created && (
        <Alert
          type="success"
          showIcon
          icon={<CheckCircleOutlined />}
          data-testid="created-ticket"
          style={{ marginBottom: 12 }}
          message={<span>工单已创建，编号 <Typography.Text strong copyable data-testid="created-number">{created.number}</Typography.Text>，请告知诉求人。</span>}
          action={<Link to={`/tickets/${created.id}`}>查看工单</Link>}
          closable
          onClose={() => setCreated(null)}
        />
      )}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} role="alert" />}
      <Card size="small">
        <Form<Values>
          form={form}
          layout="vertical"
          initialValues={{ requestType: 'complaint', urgency: 'normal' }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void submit();
            }
          }}
          requiredMark
        >
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item name="requesterName" label="诉求人姓名" rules={[zodRule(requesterShape.name)]}>
                <Input ref={first} autoFocus placeholder="可不填（匿名）" maxLength={100} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="requesterPhone" label="联系电话" rules={[zodRule(requesterShape.phone)]}>
                <Input placeholder="来电号码或诉求人留的电话" maxLength={20} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="requestType" label="诉求类型" rules={[{ required: true, message: '请选择诉求类型' }]}>
                <Radio.Group optionType="button" options={Object.entries(REQUEST_TYPE_LABELS).map(([value, label]) => ({ value, label }))} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="urgency" label="紧急程度">
                <Radio.Group optionType="button" options={Object.entries(URGENCY_LABELS).map(([value, label]) => ({ value, label }))} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="categoryId" label="事项分类" rules={[{ required: true, message: '请选择事项分类' }]}>
                <CategoryCascader />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="regionCode" label="行政区划" rules={[{ required: true, message: '请选择行政区划' }, zodRule(shape.regionCode)]}>
                <RegionCascader />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="address" label="详细地址" rules={[{ max: 500, message: '地址不能超过 500 字' }]}>
                <Input placeholder="街道、小区、门牌号或参照物" />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="title" label="标题" rules={[{ required: true, whitespace: true, message: '请填写标题' }, zodRule(shape.title)]}>
                <Input placeholder="一句话概括诉求，如：和平路路灯连续一周不亮" showCount maxLength={200} />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="content" label="诉求内容" rules={[{ required: true, whitespace: true, message: '请填写诉求内容' }, zodRule(shape.content)]}>
                <Input.TextArea rows={5} placeholder="时间、地点、事情经过和诉求人的要求" />
              </Form.Item>
            </Col>
          </Row>
          <Space>
            <Button type="primary" onClick={() => void submit()} loading={busy}>提交工单</Button>
            <Button onClick={() => { form.resetFields(); setError(null); first.current?.focus(); }}>清空</Button>
            <Typography.Text type="secondary">快捷键：Ctrl+Enter 提交，Tab 切换字段</Typography.Text>
          </Space>
        </Form>
      </Card>
    </>
  );
}
