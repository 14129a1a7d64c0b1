import { useState } from 'react';
import { App, Button, Col, Form, InputNumber, Row, Select, Table, Typography } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { api, type TimeLimitInput } from '../../api/endpoints';
import type { LimitClock, LimitStep, LimitUnit, TimeLimit, Urgency } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FormModal } from '../../components/FormModal';
import { PageHeader } from '../../components/PageHeader';
import { CategoryCascader } from '../../components/Pickers';
import { LIMIT_CLOCK_LABELS, LIMIT_STEP_LABELS, LIMIT_UNIT_LABELS, URGENCY_LABELS } from '../../lib/labels';
import { useReference } from '../../lib/reference';
import { useAsync } from '../../lib/useAsync';
import { UnreachablePolicyCard } from './UnreachablePolicyCard';

interface LimitForm {
  step: LimitStep;
  categoryId?: number | null;
  urgency?: Urgency | 'any';
  clock?: LimitClock | 'any';
  amount: number;
  unit: LimitUnit;
}
const ANY = 'any';

/** 办理时限: the limit of each step; the most specific row (category, urgency, clock) wins. */
export default function TimeLimitsPage() {
  const ref = useReference();
  const { message } = App.useApp();
  const limits = useAsync(() => api.admin.timeLimits(), []);
  const [editing, setEditing] = useState<TimeLimit | 'new' | null>(null);
  const any = <Typography.Text type="secondary">任意</Typography.Text>;
  // In the order the steps happen, the general row before its special cases.
  const order = Object.keys(LIMIT_STEP_LABELS);
  const sorted = [...(limits.data ?? [])].sort(
    (a, b) =>
      order.indexOf(a.step) - order.indexOf(b.step) ||
      Number(a.category_id ?? 0) - Number(b.category_id ?? 0) ||
      a.id - b.id,
  );
  const initial: Partial<LimitForm> | undefined =
    editing && editing !== 'new'
      ? {
          step: editing.step,
          categoryId: editing.category_id,
          urgency: editing.urgency ?? ANY,
          clock: editing.clock ?? ANY,
          amount: editing.amount,
          unit: editing.unit,
        }
      : { step: 'reply', urgency: ANY, clock: ANY, unit: 'working_days', amount: 5 };
  return (
    <>
      <PageHeader
        title="办理时限"
        sub="签收、联系、答复、回访等环节的时限；特定分类、紧急程度或全天候单位可单独设置"
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            新增时限
          </Button>
        }
      />
      <ErrorAlert message={limits.errorText} onRetry={() => void limits.reload()} />
      <UnreachablePolicyCard />
      <Table<TimeLimit>
        rowKey="id"
        size="small"
        loading={limits.loading}
        dataSource={sorted}
        pagination={false}
        scroll={{ y: 'calc(100vh - 240px)' }}
        columns={[
          {
            title: '环节',
            dataIndex: 'step',
            width: 130,
            render: (s: LimitStep) => LIMIT_STEP_LABELS[s],
            filters: Object.entries(LIMIT_STEP_LABELS).map(([value, text]) => ({ value, text })),
            onFilter: (v, r) => r.step === v,
          },
          {
            title: '事项分类',
            dataIndex: 'category_id',
            render: (v: number | null) => (v ? ref.categoryPath(v) : any),
          },
          {
            title: '紧急程度',
            dataIndex: 'urgency',
            width: 100,
            render: (v: Urgency | null) => (v ? URGENCY_LABELS[v] : any),
          },
          {
            title: '计时方式',
            dataIndex: 'clock',
            width: 220,
            render: (v: LimitClock | null) => (v ? LIMIT_CLOCK_LABELS[v] : any),
          },
          {
            title: '时限',
            key: 'amount',
            width: 200,
            render: (_, r) => (
              <Typography.Text strong>
                {r.amount} {LIMIT_UNIT_LABELS[r.unit]}
              </Typography.Text>
            ),
          },
          {
            title: '操作',
            key: 'op',
            width: 80,
            render: (_, r) => (
              <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(r)} aria-label={`修改时限${r.id}`}>
                修改
              </Button>
            ),
          },
        ]}
      />
      <FormModal<LimitForm>
        title={editing === 'new' ? '新增办理时限' : '修改办理时限'}
        open={editing !== null}
        onClose={() => setEditing(null)}
        okText="保存"
        width={620}
        initialValues={initial}
        onSubmit={async (v) => {
          const body: TimeLimitInput = {
            step: v.step,
            categoryId: v.categoryId ?? null,
            urgency: v.urgency === ANY ? null : (v.urgency ?? null),
            clock: v.clock === ANY ? null : (v.clock ?? null),
            amount: v.amount,
            unit: v.unit,
          };
          await api.admin.putTimeLimit(body);
          await limits.reload();
          message.success(`已保存：${LIMIT_STEP_LABELS[v.step]} ${v.amount} ${LIMIT_UNIT_LABELS[v.unit]}`);
        }}
      >
        {(form) => {
          const fixed = editing !== 'new';
          return (
            <Row gutter={12}>
              <Col span={12}>
                <Form.Item name="step" label="环节" rules={[{ required: true, message: '请选择环节' }]}>
                  <Select
                    disabled={fixed}
                    options={Object.entries(LIMIT_STEP_LABELS).map(([value, label]) => ({ value, label }))}
                  />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="categoryId" label="事项分类">
                  <CategoryCascader leafOnly={false} disabled={fixed} />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="urgency" label="紧急程度">
                  <Select
                    disabled={fixed}
                    options={[
                      { value: ANY, label: '任意' },
                      ...Object.entries(URGENCY_LABELS).map(([value, label]) => ({ value, label })),
                    ]}
                  />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="clock" label="计时方式">
                  <Select
                    disabled={fixed}
                    options={[
                      { value: ANY, label: '任意' },
                      ...Object.entries(LIMIT_CLOCK_LABELS).map(([value, label]) => ({ value, label })),
                    ]}
                  />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item
                  name="amount"
                  label="时限数值"
                  dependencies={['unit']}
                  rules={[
                    { required: true, message: '请填写时限' },
                    { type: 'number', min: 0.01, max: 1000, message: '时限须大于 0 且不超过 1000' },
                    {
                      validator: async (_, val) => {
                        if (
                          form.getFieldValue('unit') === 'working_days' &&
                          val !== undefined &&
                          !Number.isInteger(val)
                        )
                          throw new Error('工作日时限须为整数');
                      },
                    },
                  ]}
                >
                  <InputNumber style={{ width: '100%' }} min={0} step={1} />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="unit" label="单位" rules={[{ required: true, message: '请选择单位' }]}>
                  <Select options={Object.entries(LIMIT_UNIT_LABELS).map(([value, label]) => ({ value, label }))} />
                </Form.Item>
              </Col>
              {fixed && (
                <Col span={24}>
                  <Typography.Text type="secondary">
                    修改时只能改时限数值和单位；其他条件不同的时限请用“新增时限”。
                  </Typography.Text>
                </Col>
              )}
            </Row>
          );
        }}
      </FormModal>
    </>
  );
}
