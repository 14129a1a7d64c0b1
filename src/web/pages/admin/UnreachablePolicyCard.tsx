import { useState } from 'react';
import { App, Button, Card, Form, InputNumber, Space, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { api } from '../../api/endpoints';
import type { UnreachablePolicy } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FormModal } from '../../components/FormModal';
import { useAsync } from '../../lib/useAsync';

/**
 * 第十五条: how much trying makes a requester "unreachable" — after that many failed attempts on that many different
 * days a unit may reply with an explanation instead of recording a contact that never happened.
 */
export function UnreachablePolicyCard() {
  const { message } = App.useApp();
  const policy = useAsync(() => api.admin.unreachablePolicy(), []);
  const [editing, setEditing] = useState(false);
  const p = policy.data;
  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      data-testid="unreachable-policy"
      title="无法联系诉求人时的答复条件（第十五条）"
      extra={
        <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(true)} disabled={!p}>
          修改
        </Button>
      }
    >
      <ErrorAlert message={policy.errorText} onRetry={() => void policy.reload()} />
      {p && (
        <Typography.Text>
          承办单位在 <Typography.Text strong>{p.minDistinctDays}</Typography.Text> 个不同日期共尝试联系
          <Typography.Text strong> {p.minAttempts} </Typography.Text>
          次仍未联系上的，可说明情况后答复；诉求人匿名或未留联系方式的，可直接说明情况后答复。
        </Typography.Text>
      )}
      <FormModal<UnreachablePolicy>
        title="无法联系诉求人时的答复条件"
        open={editing}
        onClose={() => setEditing(false)}
        okText="保存"
        initialValues={p ?? undefined}
        onSubmit={async (v) => {
          const saved = await api.admin.putUnreachablePolicy({
            minAttempts: v.minAttempts,
            minDistinctDays: v.minDistinctDays,
          });
          await policy.reload();
          message.success(`已保存：${saved.minDistinctDays} 个日期共 ${saved.minAttempts} 次`);
        }}
      >
        <Space size="large" align="start">
          <Form.Item
            name="minAttempts"
            label="至少尝试次数"
            rules={[
              { required: true, message: '请填写尝试次数' },
              { type: 'number', min: 1, max: 20, message: '须为 1 至 20' },
            ]}
          >
            <InputNumber min={1} max={20} precision={0} suffix="次" style={{ width: 140 }} />
          </Form.Item>
          <Form.Item
            name="minDistinctDays"
            label="分布在不同日期数"
            dependencies={['minAttempts']}
            rules={[
              { required: true, message: '请填写日期数' },
              { type: 'number', min: 1, max: 20, message: '须为 1 至 20' },
              ({ getFieldValue }) => ({
                validator: async (_, d?: number) => {
                  if (d !== undefined && d > Number(getFieldValue('minAttempts')))
                    throw new Error('不同日期数不能多于尝试次数');
                },
              }),
            ]}
          >
            <InputNumber min={1} max={20} precision={0} suffix="天" style={{ width: 140 }} />
          </Form.Item>
        </Space>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          日期按北京时间计算。已答复的工单不受修改影响。
        </Typography.Paragraph>
      </FormModal>
    </Card>
  );
}
