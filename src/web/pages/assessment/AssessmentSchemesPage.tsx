import { useState } from 'react';
import { App, Button, Card, DatePicker, Form, Input, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { assessmentApi, type Scheme, type SchemeLine } from '../../api/assessment';
import { useMe } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ExportMenu } from '../../components/ExportMenu';
import { FormModal } from '../../components/FormModal';
import { PageHeader } from '../../components/PageHeader';
import { downloadTable } from '../../lib/csv';
import { hasRole } from '../../lib/permissions';
import { useAsync } from '../../lib/useAsync';
import { ASSESSMENT_INDICATORS, INDICATOR_LABELS, UNIT_GROUP_LABELS } from '../../../shared/contracts/assessment';
import { LOWER_IS_BETTER } from './period';

const label = (i: string) => INDICATOR_LABELS[i as keyof typeof INDICATOR_LABELS] ?? i;
const groupLabel = (g: string) => UNIT_GROUP_LABELS[g as keyof typeof UNIT_GROUP_LABELS] ?? g;

interface Draft {
  unitGroup: string;
  name: string;
  from: Dayjs;
  to?: Dayjs | null;
  note?: string;
  indicators: SchemeLine[];
}

/** 考核方案 (第二十四条 考核办法): indicators, weights and score curves per unit kind, versioned by effective dates. */
export default function AssessmentSchemesPage() {
  const me = useMe();
  const { message } = App.useApp();
  const res = useAsync(() => assessmentApi.schemes(), []);
  const [creating, setCreating] = useState<Scheme | null>(null);
  const [retiring, setRetiring] = useState<Scheme | null>(null);
  const admin = hasRole(me, 'admin');
  const items = res.data?.items ?? [];
  const exportRows = (format: 'csv' | 'xlsx') =>
    downloadTable(
      format,
      '考核方案',
      ['类别', '版本', '名称', '生效', '失效', '指标', '权重', '目标值', '零分线'],
      items.flatMap((s) =>
        s.indicators.map((l) => [
          groupLabel(s.unitGroup),
          s.version,
          s.name,
          s.effectiveFrom,
          s.effectiveTo ?? '长期',
          label(l.indicator),
          l.weight,
          l.target,
          l.cutoff,
        ]),
      ),
    );
  return (
    <>
      <PageHeader
        title="考核方案"
        sub="每类考核对象一套方案：指标、权重（合计 100）与计分曲线（达到目标值得满分，低于零分线不得分，之间按线性）；修改即新增版本"
        extra={<ExportMenu onExport={exportRows} disabled={items.length === 0} />}
      />
      <ErrorAlert message={res.errorText} onRetry={() => void res.reload()} />
      <AppealWindowCard admin={admin} />
      {Object.keys(UNIT_GROUP_LABELS).map((g) => {
        const versions = items.filter((s) => s.unitGroup === g).sort((a, b) => b.version - a.version);
        return (
          <Card
            key={g}
            size="small"
            title={groupLabel(g)}
            style={{ marginBottom: 12 }}
            extra={
              admin && (
                <Button
                  size="small"
                  icon={<PlusOutlined />}
                  onClick={() => setCreating(versions[0] ?? null)}
                  data-testid={`scheme-new-${g}`}
                >
                  新增版本
                </Button>
              )
            }
          >
            {versions.map((s) => (
              <div key={s.id} style={{ marginBottom: 12 }}>
                <Space wrap>
                  <Tag
                    color={s.effectiveTo === null || s.effectiveTo >= dayjs().format('YYYY-MM-DD') ? 'blue' : 'default'}
                  >
                    第 {s.version} 版
                  </Tag>
                  <Typography.Text strong>{s.name}</Typography.Text>
                  <Typography.Text type="secondary">
                    {s.effectiveFrom} 至 {s.effectiveTo ?? '长期'}
                  </Typography.Text>
                  {admin && (
                    <Button size="small" type="link" onClick={() => setRetiring(s)}>
                      设置失效日期
                    </Button>
                  )}
                </Space>
                <Table<SchemeLine>
                  size="small"
                  rowKey="indicator"
                  pagination={false}
                  dataSource={s.indicators}
                  columns={[
                    { title: '指标', dataIndex: 'indicator', render: label },
                    { title: '权重', dataIndex: 'weight', width: 80 },
                    {
                      title: '计分曲线',
                      render: (_: unknown, l) =>
                        LOWER_IS_BETTER.has(l.indicator)
                          ? `≤ ${l.target}${l.indicator === 'supervision' ? ' 次' : '%'} 满分，≥ ${l.cutoff}${l.indicator === 'supervision' ? ' 次' : '%'} 不得分`
                          : `≥ ${l.target}% 满分，≤ ${l.cutoff}% 不得分`,
                    },
                  ]}
                />
              </div>
            ))}
          </Card>
        );
      })}
      <FormModal<Draft>
        title="新增考核方案版本"
        width={760}
        open={creating !== null}
        onClose={() => setCreating(null)}
        initialValues={
          creating
            ? {
                unitGroup: creating.unitGroup,
                name: creating.name,
                from: dayjs().add(1, 'month').startOf('month'),
                indicators: creating.indicators,
              }
            : undefined
        }
        onSubmit={async (v) => {
          await assessmentApi.createScheme({
            unitGroup: v.unitGroup as 'department',
            name: v.name,
            effectiveFrom: v.from.format('YYYY-MM-DD'),
            effectiveTo: v.to ? v.to.format('YYYY-MM-DD') : null,
            note: v.note,
            indicators: v.indicators as never,
          });
          message.success('已新增方案版本');
          setCreating(null);
          await res.reload();
        }}
      >
        {(form) => (
          <>
            <Space wrap>
              <Form.Item name="unitGroup" label="考核对象" rules={[{ required: true }]}>
                <Select
                  style={{ width: 160 }}
                  options={Object.entries(UNIT_GROUP_LABELS).map(([value, l]) => ({ value, label: l }))}
                />
              </Form.Item>
              <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写方案名称' }]}>
                <Input style={{ width: 220 }} maxLength={100} />
              </Form.Item>
              <Form.Item name="from" label="生效日期" rules={[{ required: true }]}>
                <DatePicker />
              </Form.Item>
              <Form.Item name="to" label="失效日期">
                <DatePicker />
              </Form.Item>
            </Space>
            <Form.List name="indicators">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f) => (
                    <Space key={f.key} align="baseline">
                      <Form.Item name={[f.name, 'indicator']} rules={[{ required: true }]}>
                        <Select
                          style={{ width: 160 }}
                          options={ASSESSMENT_INDICATORS.map((i) => ({ value: i, label: label(i) }))}
                        />
                      </Form.Item>
                      <Form.Item name={[f.name, 'weight']} label="权重" rules={[{ required: true }]}>
                        <InputNumber min={0} max={100} style={{ width: 80 }} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'target']} label="目标值" rules={[{ required: true }]}>
                        <InputNumber min={0} style={{ width: 80 }} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'cutoff']} label="零分线" rules={[{ required: true }]}>
                        <InputNumber min={0} style={{ width: 80 }} />
                      </Form.Item>
                      <Button
                        type="text"
                        icon={<DeleteOutlined />}
                        onClick={() => remove(f.name)}
                        aria-label="删除指标"
                      />
                    </Space>
                  ))}
                  <Button
                    type="dashed"
                    onClick={() => add({ weight: 0, target: 95, cutoff: 80 })}
                    icon={<PlusOutlined />}
                  >
                    添加指标
                  </Button>
                  <Form.Item shouldUpdate noStyle>
                    {() => {
                      const sum = ((form.getFieldValue('indicators') ?? []) as SchemeLine[]).reduce(
                        (a, l) => a + (Number(l?.weight) || 0),
                        0,
                      );
                      return (
                        <Typography.Paragraph type={sum === 100 ? 'success' : 'danger'} style={{ marginTop: 8 }}>
                          权重合计 {sum}（须为 100）
                        </Typography.Paragraph>
                      );
                    }}
                  </Form.Item>
                </>
              )}
            </Form.List>
            <Form.Item name="note" label="说明">
              <Input.TextArea rows={2} maxLength={2000} />
            </Form.Item>
          </>
        )}
      </FormModal>
      <FormModal<{ to: Dayjs }>
        title={retiring ? `设置失效日期：${groupLabel(retiring.unitGroup)} 第 ${retiring.version} 版` : ''}
        open={retiring !== null}
        onClose={() => setRetiring(null)}
        onSubmit={async (v) => {
          await assessmentApi.retireScheme(retiring!.id, v.to.format('YYYY-MM-DD'));
          message.success('已设置失效日期');
          setRetiring(null);
          await res.reload();
        }}
      >
        <Form.Item name="to" label="失效日期（含当日）" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker />
        </Form.Item>
      </FormModal>
    </>
  );
}

/** 申诉期限: how many working days after a month closes a unit may still appeal (admin edits). */
function AppealWindowCard({ admin }: { admin: boolean }) {
  const { message } = App.useApp();
  const res = useAsync(() => assessmentApi.settings(), []);
  const [editing, setEditing] = useState(false);
  const days = res.data?.appealWindowWorkingDays;
  return (
    <Card size="small" style={{ marginBottom: 12 }} data-testid="appeal-window">
      <Space>
        <Typography.Text>
          申诉期限：考核期结束后 <b>{days ?? '—'}</b> 个工作日内（按工作日历，节假日与调休照计）
        </Typography.Text>
        {admin && (
          <Button size="small" type="link" onClick={() => setEditing(true)}>
            修改
          </Button>
        )}
      </Space>
      <FormModal<{ days: number }>
        title="修改申诉期限"
        open={editing}
        onClose={() => setEditing(false)}
        initialValues={{ days }}
        onSubmit={async (v) => {
          await assessmentApi.updateSettings(v.days);
          message.success(`申诉期限已改为 ${v.days} 个工作日`);
          setEditing(false);
          await res.reload();
        }}
      >
        <Form.Item name="days" label="工作日数" rules={[{ required: true, message: '请填写工作日数' }]}>
          <InputNumber min={0} max={30} precision={0} />
        </Form.Item>
      </FormModal>
    </Card>
  );
}
