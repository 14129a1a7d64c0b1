import { useState } from 'react';
import { App, Button, Checkbox, DatePicker, Form, Input, InputNumber, Radio, Select, Switch, Table, Tag } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import {
  METHOD_LABELS,
  OVERDUE_DEADLINE_KINDS,
  SUPERVISION_METHODS,
  THRESHOLD_BOUNDS,
  THRESHOLD_KEYS,
  THRESHOLD_LABELS,
  TRIGGER_LABELS,
  SUPERVISION_TRIGGERS,
  validateThresholds,
  type SupervisionTrigger,
} from '../../../shared/domain/supervision';
import { DEADLINE_KIND_LABELS } from '../../../shared/domain/deadline-state';
import { supervisionApi, type SupervisionRule } from '../../api/supervision';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FormModal } from '../../components/FormModal';
import { fmtDateTime } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';

/** How a rule's thresholds read in a table cell. */
function describe(t: Record<string, unknown>): string {
  return Object.entries(t)
    .map(([k, v]) => {
      const value =
        k === 'method'
          ? METHOD_LABELS[v as keyof typeof METHOD_LABELS]
          : Array.isArray(v)
            ? (v as unknown[]).map((x) => DEADLINE_KIND_LABELS[String(x)] ?? String(x)).join('、')
            : String(v);
      return `${THRESHOLD_LABELS[k] ?? k}：${value}`;
    })
    .join('；');
}

/**
 * 第二十二条 rules as data: each trigger's switch, thresholds and what it does (open a case, or propose one), in
 * versions with effective times. Saving makes a new version; the audit records who changed what.
 */
export function SupervisionRulesPanel() {
  const rules = useAsync(() => supervisionApi.rules(), []);
  const [editing, setEditing] = useState<SupervisionRule | null>(null);
  const [history, setHistory] = useState(false);
  // in the order of 第二十二条's items, newest version first
  const rows = (rules.data ?? [])
    .filter((r) => history || r.inForce)
    .sort(
      (a, b) => SUPERVISION_TRIGGERS.indexOf(a.code) - SUPERVISION_TRIGGERS.indexOf(b.code) || b.version - a.version,
    );
  return (
    <>
      <Checkbox checked={history} onChange={(e) => setHistory(e.target.checked)} style={{ marginBottom: 12 }}>
        显示历史版本
      </Checkbox>
      <ErrorAlert message={rules.errorText} onRetry={() => void rules.reload()} />
      <Table<SupervisionRule>
        rowKey="id"
        size="middle"
        loading={rules.loading}
        dataSource={rows}
        pagination={false}
        columns={[
          { title: '督办情形', dataIndex: 'code', width: 260, render: (c: SupervisionTrigger) => TRIGGER_LABELS[c] },
          { title: '版本', dataIndex: 'version', width: 70, render: (v: number) => `v${v}` },
          {
            title: '启用',
            dataIndex: 'enabled',
            width: 80,
            render: (e: boolean) => (e ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>),
          },
          {
            title: '触发后',
            dataIndex: 'mode',
            width: 110,
            render: (m: string) => (m === 'case' ? '直接立案' : '生成督办建议'),
          },
          { title: '参数', dataIndex: 'thresholds', render: describe },
          {
            title: '生效期间',
            key: 'period',
            width: 200,
            render: (_: unknown, r) =>
              `${fmtDateTime(r.effective_from)} 起${r.effective_to ? `至 ${fmtDateTime(r.effective_to)}` : ''}`,
          },
          { title: '修改人', dataIndex: 'created_by_name', width: 100, render: (n: string | null) => n ?? '系统默认' },
          {
            title: '',
            key: 'edit',
            width: 80,
            render: (_: unknown, r) =>
              r.inForce && (
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(r)}>
                  修改
                </Button>
              ),
          },
        ]}
      />
      {editing && (
        <RuleModal
          rule={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void rules.reload();
          }}
        />
      )}
    </>
  );
}

interface RuleValues {
  enabled: boolean;
  mode: 'case' | 'proposal';
  effectiveFrom?: Dayjs | null;
  note?: string;
  t: Record<string, unknown>;
}

function RuleModal({ rule, onClose, onSaved }: { rule: SupervisionRule; onClose: () => void; onSaved: () => void }) {
  const { message } = App.useApp();
  const keys = THRESHOLD_KEYS[rule.code];
  const manual = rule.code === 'negative' || rule.code === 'other';
  return (
    <FormModal<RuleValues>
      title={`修改规则：${TRIGGER_LABELS[rule.code]}`}
      open
      onClose={onClose}
      okText="保存为新版本"
      width={620}
      initialValues={{ enabled: rule.enabled, mode: rule.mode, t: rule.thresholds }}
      onSubmit={async (v) => {
        const problems = validateThresholds(rule.code, v.t);
        if (Object.keys(problems).length) throw new Error(Object.values(problems).join('；'));
        await supervisionApi.saveRule(rule.code, {
          enabled: v.enabled,
          mode: v.mode,
          thresholds: v.t,
          effectiveFrom: v.effectiveFrom ? v.effectiveFrom.toISOString() : undefined,
          note: v.note?.trim() || undefined,
        });
        message.success('已保存为新版本');
        onSaved();
      }}
    >
      <Form.Item name="enabled" label="启用" valuePropName="checked">
        <Switch />
      </Form.Item>
      {!manual && (
        <Form.Item name="mode" label="触发后">
          <Radio.Group
            options={[
              { value: 'case', label: '直接立案督办' },
              { value: 'proposal', label: '生成督办建议，由督办员确认' },
            ]}
          />
        </Form.Item>
      )}
      {keys.map((k) =>
        k === 'deadlineKinds' ? (
          <Form.Item key={k} name={['t', k]} label={THRESHOLD_LABELS[k]} rules={[{ required: true }]}>
            <Select
              mode="multiple"
              options={OVERDUE_DEADLINE_KINDS.map((d) => ({ value: d, label: DEADLINE_KIND_LABELS[d] ?? d }))}
            />
          </Form.Item>
        ) : (
          <Form.Item key={k} name={['t', k]} label={THRESHOLD_LABELS[k]} rules={[{ required: true }]}>
            <InputNumber min={THRESHOLD_BOUNDS[k]![0]} max={THRESHOLD_BOUNDS[k]![1]} precision={0} />
          </Form.Item>
        ),
      )}
      <Form.Item name={['t', 'answerDays']} label={THRESHOLD_LABELS.answerDays} rules={[{ required: true }]}>
        <InputNumber min={1} max={30} precision={0} />
      </Form.Item>
      <Form.Item name={['t', 'method']} label={THRESHOLD_LABELS.method} rules={[{ required: true }]}>
        <Select options={SUPERVISION_METHODS.map((m) => ({ value: m, label: METHOD_LABELS[m] }))} />
      </Form.Item>
      <Form.Item name="effectiveFrom" label="生效时间" extra="不填即刻生效；须晚于现行版本的生效时间">
        <DatePicker showTime minDate={dayjs(rule.effective_from)} />
      </Form.Item>
      <Form.Item name="note" label="修改说明">
        <Input maxLength={500} />
      </Form.Item>
    </FormModal>
  );
}
