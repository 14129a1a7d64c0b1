import { App, Form, Input, Radio, Select } from 'antd';
import { referralCreateBody } from '../../../shared/contracts/referrals';
import { ARTICLE_23_CONDUCTS, ARTICLE_32_CASES, CONDUCT_LABELS } from '../../../shared/domain/referrals';
import { referralsApi, type ReferralCreate } from '../../api/referrals';
import { FormModal } from '../../components/FormModal';
import { UnitSelect } from '../../components/Pickers';

/** Values of the form; tickets are typed by number (HZ20250303-000001), separated by spaces or commas. */
interface Values extends Omit<ReferralCreate, 'ticketIds' | 'ticketNumbers'> {
  ticketNumbers?: string;
}

/** Filled in from a complaint when it is escalated (第九条 → 第二十三条). */
export interface ReferralPrefill {
  complaintId?: number;
  unitId?: number;
  staff?: string;
  facts?: string;
  ticketNumbers?: string[];
}

const CONDUCT_OPTIONS = [
  {
    label: '第二十三条',
    title: '第二十三条',
    options: ARTICLE_23_CONDUCTS.map((c) => ({ value: c, label: CONDUCT_LABELS[c] })),
  },
  {
    label: '第三十二条',
    title: '第三十二条',
    options: ARTICLE_32_CASES.map((c, i) => ({ value: c, label: `（${'一二三四五'[i]}）${CONDUCT_LABELS[c]}` })),
  },
];

/** 第二十三条: hand a unit's or a staff member's problem to the discipline inspection body of the same level. */
export function ReferralCreateModal({
  open,
  onClose,
  onCreated,
  prefill,
  defaultBody,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (id: number) => void;
  prefill?: ReferralPrefill;
  /** the discipline body of the centre's level, e.g. 菏泽市纪委监委 */
  defaultBody: string;
}) {
  const { message } = App.useApp();
  return (
    <FormModal<Values>
      title={
        prefill?.complaintId ? `投诉升级：移送纪检监察机关（投诉 #${prefill.complaintId}）` : '问题线索移送纪检监察机关'
      }
      open={open}
      onClose={onClose}
      width={680}
      okText="移交"
      danger
      initialValues={{
        subjectKind: prefill?.staff ? 'staff' : 'unit',
        unitId: prefill?.unitId,
        staff: prefill?.staff,
        facts: prefill?.facts,
        ticketNumbers: prefill?.ticketNumbers?.join(' '),
        bodyName: defaultBody,
        conducts: [],
      }}
      onSubmit={async (v) => {
        const parsed = referralCreateBody.safeParse({
          ...v,
          staff: v.staff || undefined,
          ticketNumbers: (v.ticketNumbers ?? '')
            .toUpperCase()
            .split(/[\s,，、]+/)
            .filter(Boolean),
          complaintId: prefill?.complaintId,
        });
        if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? '填写内容不正确');
        const r = await referralsApi.create(parsed.data);
        message.success(`已移交纪检监察机关（移送编号 ${r.id}）`);
        onCreated(r.id);
      }}
    >
      {(form) => (
        <>
          <Form.Item name="subjectKind" label="移送对象" rules={[{ required: true }]}>
            <Radio.Group
              options={[
                { value: 'unit', label: '承办单位' },
                { value: 'staff', label: '工作人员' },
              ]}
            />
          </Form.Item>
          <Form.Item name="unitId" label="单位" rules={[{ required: true, message: '请选择单位' }]}>
            <UnitSelect />
          </Form.Item>
          <Form.Item noStyle shouldUpdate={(a: Values, b: Values) => a.subjectKind !== b.subjectKind}>
            {() =>
              form.getFieldValue('subjectKind') === 'staff' ? (
                <Form.Item
                  name="staff"
                  label="工作人员（姓名或岗位）"
                  rules={[{ required: true, message: '请填写工作人员' }]}
                >
                  <Input maxLength={100} />
                </Form.Item>
              ) : null
            }
          </Form.Item>
          <Form.Item
            name="conducts"
            label="问题情形（第二十三条、第三十二条）"
            rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一种情形' }]}
          >
            <Select mode="multiple" options={CONDUCT_OPTIONS} placeholder="选择一种或多种情形" aria-label="问题情形" />
          </Form.Item>
          <Form.Item name="ticketNumbers" label="涉及工单（工单号，可多个，用空格分隔）">
            <Input placeholder="如 HZ20250303-000001 HZ20250304-000012" />
          </Form.Item>
          <Form.Item name="facts" label="问题事实" rules={[{ required: true, message: '请填写问题事实' }]}>
            <Input.TextArea rows={5} maxLength={5000} showCount />
          </Form.Item>
          <Form.Item name="bodyName" label="接收机关" rules={[{ required: true, message: '请填写纪检监察机关' }]}>
            <Input maxLength={100} />
          </Form.Item>
        </>
      )}
    </FormModal>
  );
}
