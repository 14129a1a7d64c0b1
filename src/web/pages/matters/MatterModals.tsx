import { useState } from 'react';
import { Alert, DatePicker, Form, Input, Modal, Table } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { errorMessage, serverNow } from '../../api/client';
import type { MinuteKind } from '../../../shared/domain/matters';
import { mattersApi, type MatterCandidate, type MatterMinute, type MatterView } from '../../api/matters';
import { FormModal } from '../../components/FormModal';
import { UnitSelect } from '../../components/Pickers';
import { fmtDate } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';
import { namedRowCheckbox } from '../../lib/a11y-props';

// The dialogs of a matter's page (第二十五、二十六、二十九条).

/** 第二十六条: a coordinating unit (its tier is the unit's own) and what it answers for. */
export function MatterUnitModal(props: {
  open: boolean;
  exclude: number[];
  onClose: () => void;
  onSubmit: (b: { unitId: number; role: string }) => Promise<void>;
}) {
  return (
    <FormModal<{ unitId: number; role: string }>
      title="增加协同单位"
      open={props.open}
      onClose={props.onClose}
      onSubmit={props.onSubmit}
    >
      <Form.Item name="unitId" label="单位" rules={[{ required: true, message: '请选择单位' }]}>
        <UnitSelect exclude={props.exclude} />
      </Form.Item>
      <Form.Item name="role" label="职责分工" rules={[{ required: true, message: '请填写职责分工' }]}>
        <Input maxLength={200} placeholder="如：入户摸排、资金保障、技术指导" />
      </Form.Item>
    </FormModal>
  );
}

/** 第二十五条 会商交流: the date, the units that took part, what was found and decided. */
export function MatterMinuteModal(props: {
  open: boolean;
  /** 会商 of the units (第二十五条), or a 民主协商 a town holds with its committees and organisations (第二十九条) */
  kind: MinuteKind;
  defaultUnits: number[];
  onClose: () => void;
  onSubmit: (b: MatterMinute) => Promise<void>;
}) {
  const democratic = props.kind === 'democratic';
  return (
    <FormModal<{ heldOn: Dayjs; unitIds: number[]; participants?: string; summary: string; decisions: string }>
      title={democratic ? '记录民主协商（第二十九条）' : '记录会商'}
      open={props.open}
      width={640}
      onClose={props.onClose}
      initialValues={{ heldOn: dayjs(serverNow()), unitIds: props.defaultUnits }}
      onSubmit={(v) => props.onSubmit({ ...v, kind: props.kind, heldOn: v.heldOn.format('YYYY-MM-DD') })}
    >
      <Form.Item
        name="heldOn"
        label={democratic ? '协商日期' : '会商日期'}
        rules={[{ required: true, message: '请选择日期' }]}
      >
        <DatePicker disabledDate={(d) => d.isAfter(dayjs(serverNow()), 'day')} />
      </Form.Item>
      {democratic && (
        <Form.Item
          name="participants"
          label="参与组织"
          extra="村（居）民委员会、企业事业单位、社会团体、居民代表等"
          rules={[{ required: true, message: '请填写参与的村（居）委会、企业或社会组织' }]}
        >
          <Input.TextArea
            rows={2}
            maxLength={1000}
            placeholder="如：丹阳社区居民委员会、小区业主代表 12 人、物业服务企业"
          />
        </Form.Item>
      )}
      <Form.Item
        name="unitIds"
        label={democratic ? '组织单位' : '参会单位'}
        rules={[{ required: true, message: democratic ? '请选择组织单位' : '请选择参会单位' }]}
      >
        <UnitSelect multiple />
      </Form.Item>
      <Form.Item
        name="summary"
        label={democratic ? '协商情况' : '会商情况'}
        rules={[{ required: true, message: democratic ? '请填写协商情况' : '请填写会商情况' }]}
      >
        <Input.TextArea rows={3} maxLength={5000} />
      </Form.Item>
      <Form.Item
        name="decisions"
        label={democratic ? '协商结果' : '议定事项'}
        rules={[{ required: true, message: democratic ? '请填写协商结果' : '请填写议定事项' }]}
      >
        <Input.TextArea rows={3} maxLength={5000} />
      </Form.Item>
    </FormModal>
  );
}

/** 第二十五条 完善政策措施: a measure and the day it took effect. */
export function MatterMeasureModal(props: {
  open: boolean;
  onClose: () => void;
  onSubmit: (b: { title: string; content: string; issuedBy?: string; effectiveOn: string }) => Promise<void>;
}) {
  return (
    <FormModal<{ title: string; content: string; issuedBy?: string; effectiveOn: Dayjs }>
      title="登记政策措施"
      open={props.open}
      width={640}
      onClose={props.onClose}
      onSubmit={(v) => props.onSubmit({ ...v, effectiveOn: v.effectiveOn.format('YYYY-MM-DD') })}
    >
      <Form.Item name="title" label="措施名称" rules={[{ required: true, message: '请填写措施名称' }]}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="content" label="措施内容" rules={[{ required: true, message: '请填写措施内容' }]}>
        <Input.TextArea rows={3} maxLength={5000} />
      </Form.Item>
      <Form.Item name="issuedBy" label="发文单位">
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="effectiveOn" label="施行日期" rules={[{ required: true, message: '请选择施行日期' }]}>
        <DatePicker />
      </Form.Item>
    </FormModal>
  );
}

/** The proposal for an existing matter: its category, region and keywords; the supervisor picks and links. */
export function MatterCandidatesModal(props: {
  matter: MatterView;
  onClose: () => void;
  onLink: (ids: number[]) => Promise<void>;
}) {
  const { matter } = props;
  const [selected, setSelected] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const p = useAsync(
    () =>
      mattersApi.candidates({
        categoryId: matter.categoryId ?? undefined,
        regionCode: matter.regionCode,
        keywords: matter.keywords || matter.title,
        months: 12,
        limit: 100,
      }),
    [matter.id],
  );
  const link = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.onLink(selected);
      props.onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title="推荐相似工单"
      width={1000}
      onCancel={props.onClose}
      onOk={() => void link()}
      okText={`关联所选（${selected.length}）`}
      okButtonProps={{ disabled: selected.length === 0 }}
      confirmLoading={busy}
    >
      {(error ?? p.errorText) && <Alert type="error" showIcon message={error ?? p.errorText} />}
      <Table<MatterCandidate>
        rowKey="id"
        size="small"
        loading={p.loading}
        dataSource={p.data?.items ?? []}
        pagination={{ pageSize: 8, showSizeChanger: false }}
        rowSelection={{
          selectedRowKeys: selected,
          onChange: (k) => setSelected(k as number[]),
          getCheckboxProps: namedRowCheckbox((r) => r.number),
        }}
        locale={{ emptyText: '没有可关联的相似工单' }}
        columns={[
          { title: '工单号', dataIndex: 'number', width: 170 },
          { title: '标题', dataIndex: 'title' },
          { title: '区域', dataIndex: 'regionName', width: 150 },
          { title: '受理日期', dataIndex: 'createdAt', width: 100, render: fmtDate },
          {
            title: '相似度',
            dataIndex: 'similarity',
            width: 80,
            align: 'right',
            render: (s: number) => `${Math.round(s * 100)}%`,
          },
        ]}
      />
    </Modal>
  );
}
