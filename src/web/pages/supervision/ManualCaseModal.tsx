import { Form, Input, InputNumber, Select } from 'antd';
import { METHOD_LABELS, SUPERVISION_METHODS, TRIGGER_LABELS } from '../../../shared/domain/supervision';
import { supervisionApi, type SupervisionCaseRow } from '../../api/supervision';
import { FormModal } from '../../components/FormModal';
import { UnitSelect } from '../../components/Pickers';

interface Values {
  trigger: 'negative' | 'other';
  unitId?: number;
  reason: string;
  source?: string;
  method: (typeof SUPERVISION_METHODS)[number];
  answerDays: number;
}

/**
 * 第二十二条(五)(六): a supervisor opens a case by hand — about a ticket (from the ticket page: its lead unit is
 * supervised) or about a unit.
 */
export function ManualCaseModal({
  open,
  onClose,
  ticketIds = [],
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  ticketIds?: number[];
  onCreated: (c: SupervisionCaseRow) => void;
}) {
  return (
    <FormModal<Values>
      title={ticketIds.length ? '督办此工单' : '手动督办'}
      open={open}
      onClose={onClose}
      okText="立案督办"
      initialValues={{ trigger: 'other', method: 'written', answerDays: 3 }}
      onSubmit={async (v) =>
        onCreated(
          await supervisionApi.open({
            ...v,
            ticketIds,
            reason: v.reason.trim(),
            source: v.source?.trim() || undefined,
          }),
        )
      }
    >
      <Form.Item name="trigger" label="督办情形" rules={[{ required: true }]}>
        <Select options={(['negative', 'other'] as const).map((t) => ({ value: t, label: TRIGGER_LABELS[t] }))} />
      </Form.Item>
      {ticketIds.length === 0 && (
        <Form.Item name="unitId" label="被督办单位" rules={[{ required: true, message: '请选择被督办单位' }]}>
          <UnitSelect placeholder="选择承办单位" />
        </Form.Item>
      )}
      <Form.Item
        name="reason"
        label="督办事由"
        rules={[{ required: true, whitespace: true, min: 2, message: '请填写督办事由' }]}
      >
        <Input.TextArea rows={3} maxLength={2000} showCount placeholder="例如：该诉求经媒体报道，群众反响强烈" />
      </Form.Item>
      <Form.Item noStyle shouldUpdate={(a: Values, b: Values) => a.trigger !== b.trigger}>
        {({ getFieldValue }) =>
          getFieldValue('trigger') === 'negative' && (
            <Form.Item name="source" label="负面影响来源">
              <Input maxLength={500} placeholder="例如：菏泽电视台《问政》栏目" />
            </Form.Item>
          )
        }
      </Form.Item>
      <Form.Item name="method" label="督办方式" rules={[{ required: true }]}>
        <Select options={SUPERVISION_METHODS.map((m) => ({ value: m, label: METHOD_LABELS[m] }))} />
      </Form.Item>
      <Form.Item name="answerDays" label="反馈时限（工作日）" rules={[{ required: true }]}>
        <InputNumber min={1} max={30} precision={0} />
      </Form.Item>
    </FormModal>
  );
}
