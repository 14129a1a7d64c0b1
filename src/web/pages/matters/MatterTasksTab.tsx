import { useState } from 'react';
import { Button, DatePicker, Form, Input, Select, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { serverNow } from '../../api/client';
import { mattersApi, type MatterTask, type MatterView } from '../../api/matters';
import { FormModal } from '../../components/FormModal';
import { UnitSelect } from '../../components/Pickers';
import { TASK_STATUS_LABELS, taskMoves, type TaskStatus } from '../../../shared/domain/matters';
import { TaskStatusTag } from './matter-labels';

/** Reporting on one task: the owner unit (or the supervisor) moves it on and says what was done. */
export function TaskReportModal(props: {
  task: { id: number; title: string; status: TaskStatus; result: string | null; version: number } | null;
  onClose: () => void;
  onSubmit: (b: { status: TaskStatus; result?: string; version: number }) => Promise<void>;
}) {
  const t = props.task;
  return (
    <FormModal<{ status: TaskStatus; result?: string }>
      title={t ? `任务进展：${t.title}` : ''}
      open={!!t}
      onClose={props.onClose}
      initialValues={t ? { status: taskMoves(t.status)[taskMoves(t.status).length - 1], result: t.result ?? '' } : {}}
      onSubmit={(v) => props.onSubmit({ ...v, result: v.result || undefined, version: t!.version })}
    >
      <Form.Item name="status" label="状态" rules={[{ required: true, message: '请选择状态' }]}>
        <Select options={(t ? taskMoves(t.status) : []).map((s) => ({ value: s, label: TASK_STATUS_LABELS[s] }))} />
      </Form.Item>
      <Form.Item name="result" label="办理情况">
        <Input.TextArea rows={4} maxLength={2000} placeholder="完成任务时须填写办理情况" />
      </Form.Item>
    </FormModal>
  );
}

/** 第二十六条: the matter's tasks with owners and deadlines; overdue ones are marked. */
export function MatterTasksTab({ matter, onChanged }: { matter: MatterView; onChanged: () => void }) {
  const [adding, setAdding] = useState(false);
  const [reporting, setReporting] = useState<MatterTask | null>(null);
  return (
    <>
      {matter.canWrite && (
        <Button icon={<PlusOutlined />} style={{ marginBottom: 12 }} onClick={() => setAdding(true)}>
          分派任务
        </Button>
      )}
      <Table<MatterTask>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={matter.tasks}
        locale={{ emptyText: '尚未分派任务' }}
        columns={[
          { title: '任务', dataIndex: 'title' },
          { title: '责任单位', dataIndex: 'owner_unit_name', width: 200 },
          {
            title: '完成期限',
            dataIndex: 'due_on',
            width: 150,
            render: (d: string | null, r) => (
              <>
                {d ?? '—'} {r.overdue && <Tag color="red">已逾期</Tag>}
              </>
            ),
          },
          { title: '状态', dataIndex: 'status', width: 90, render: (s: TaskStatus) => <TaskStatusTag status={s} /> },
          { title: '办理情况', dataIndex: 'result' },
          {
            title: '',
            key: 'op',
            width: 100,
            render: (_: unknown, r) =>
              (r.mine || matter.canWrite) &&
              matter.status !== 'archived' && (
                <Button size="small" onClick={() => setReporting(r)}>
                  更新进展
                </Button>
              ),
          },
        ]}
      />
      <FormModal<{ title: string; ownerUnitId: number; dueOn?: Dayjs }>
        title="分派任务"
        open={adding}
        onClose={() => setAdding(false)}
        onSubmit={async (v) => {
          await mattersApi.addTask(matter.id, {
            title: v.title,
            ownerUnitId: v.ownerUnitId,
            dueOn: v.dueOn?.format('YYYY-MM-DD'),
          });
          onChanged();
        }}
      >
        <Form.Item name="title" label="任务内容" rules={[{ required: true, message: '请填写任务内容' }]}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Form.Item name="ownerUnitId" label="责任单位" rules={[{ required: true, message: '请选择责任单位' }]}>
          <UnitSelect />
        </Form.Item>
        <Form.Item name="dueOn" label="完成期限">
          <DatePicker disabledDate={(d) => d.isBefore(dayjs(serverNow()), 'day')} />
        </Form.Item>
      </FormModal>
      <TaskReportModal
        task={reporting}
        onClose={() => setReporting(null)}
        onSubmit={async (b) => {
          await mattersApi.taskStatus(matter.id, reporting!.id, b);
          onChanged();
        }}
      />
    </>
  );
}
