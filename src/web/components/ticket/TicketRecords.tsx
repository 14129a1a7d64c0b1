import { Empty, Table, Tabs, Tag } from 'antd';
import type { TicketView } from '../../api/types';
import { fmtDateTime, yesNo } from '../../lib/format';
import {
  APPLICATION_KIND_LABELS,
  APPLICATION_STATUS_LABELS,
  ASSIGNMENT_ROLE_LABELS,
  ASSIGNMENT_STATUS_LABELS,
  SATISFACTION_LABELS,
} from '../../lib/labels';
import { useReference } from '../../lib/reference';
import { ApplicationReason } from './ApplicationReason';
import { EventTimeline } from './EventTimeline';

const APP_STATUS_COLORS = { pending: 'gold', approved: 'green', rejected: 'red' } as const;

/** The ticket's history in tabs: timeline, units, applications, callbacks, consultations. */
export function TicketRecords({ ticket }: { ticket: TicketView }) {
  const ref = useReference();
  const count = (n: number) => (n ? ` (${n})` : '');
  return (
    <Tabs
      size="small"
      items={[
        {
          key: 'events',
          label: `处理记录${count(ticket.events.length)}`,
          children: <EventTimeline events={ticket.events} />,
        },
        {
          key: 'assignments',
          label: `承办单位${count(ticket.assignments.length)}`,
          children: (
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={ticket.assignments}
              locale={{ emptyText: '尚未派单' }}
              columns={[
                { title: '单位', dataIndex: 'unitName' },
                {
                  title: '角色',
                  dataIndex: 'role',
                  width: 70,
                  render: (v: 'lead' | 'assist') => (
                    <Tag color={v === 'lead' ? 'blue' : 'default'}>{ASSIGNMENT_ROLE_LABELS[v]}</Tag>
                  ),
                },
                {
                  title: '状态',
                  dataIndex: 'status',
                  width: 100,
                  render: (v: 'active' | 'submitted' | 'ended') => ASSIGNMENT_STATUS_LABELS[v],
                },
                { title: '派单', dataIndex: 'dispatchedAt', width: 140, render: fmtDateTime },
                { title: '签收', dataIndex: 'acceptedAt', width: 140, render: fmtDateTime },
                {
                  title: '协办结果',
                  dataIndex: 'result',
                  render: (v: string | null) => (v ? <span className="pre-wrap">{v}</span> : '—'),
                },
                { title: '结束', dataIndex: 'endedAt', width: 140, render: fmtDateTime },
              ]}
            />
          ),
        },
        {
          key: 'applications',
          label: `申请${count(ticket.applications.length)}`,
          children: ticket.applications.length ? (
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={ticket.applications}
              columns={[
                {
                  title: '类型',
                  dataIndex: 'kind',
                  width: 110,
                  render: (v: keyof typeof APPLICATION_KIND_LABELS) => APPLICATION_KIND_LABELS[v],
                },
                { title: '申请单位', dataIndex: 'unitId', width: 170, render: (v: number) => ref.unitName(v) },
                {
                  title: '理由与材料',
                  key: 'reason',
                  render: (_, a) => <ApplicationReason a={a} />,
                },
                {
                  title: '状态',
                  dataIndex: 'status',
                  width: 80,
                  render: (v: 'pending' | 'approved' | 'rejected') => (
                    <Tag color={APP_STATUS_COLORS[v]}>{APPLICATION_STATUS_LABELS[v]}</Tag>
                  ),
                },
                {
                  title: '审核意见',
                  dataIndex: 'reviewNote',
                  render: (v: string | null) => (v ? <span className="pre-wrap">{v}</span> : '—'),
                },
                { title: '提交', dataIndex: 'createdAt', width: 140, render: fmtDateTime },
              ]}
            />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有退单、延期、终止或争议申请" />
          ),
        },
        {
          key: 'callbacks',
          label: `回访${count(ticket.callbacks.length)}`,
          children: (
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={ticket.callbacks}
              locale={{ emptyText: '暂无回访记录' }}
              columns={[
                { title: '回访时间', dataIndex: 'at', width: 140, render: fmtDateTime },
                {
                  title: '满意度',
                  dataIndex: 'satisfaction',
                  width: 90,
                  render: (v: keyof typeof SATISFACTION_LABELS) => SATISFACTION_LABELS[v],
                },
                {
                  title: '是否解决',
                  dataIndex: 'resolved',
                  width: 80,
                  render: (v: boolean) => yesNo(v, '已解决', '未解决'),
                },
                {
                  title: '诉求合理',
                  dataIndex: 'reasonable',
                  width: 80,
                  render: (v: boolean | null) => yesNo(v, '合理', '不合理'),
                },
                {
                  title: '结果',
                  dataIndex: 'outcome',
                  width: 90,
                  render: (v: 'closed' | 'rework') =>
                    v === 'closed' ? <Tag>办结</Tag> : <Tag color="orange">退回重办</Tag>,
                },
                { title: '记录', dataIndex: 'note', render: (v: string | null) => v ?? '—' },
              ]}
            />
          ),
        },
        ...(ticket.consultations.length
          ? [
              {
                key: 'consultations',
                label: `会商${count(ticket.consultations.length)}`,
                children: (
                  <Table
                    rowKey="id"
                    size="small"
                    pagination={false}
                    dataSource={ticket.consultations}
                    columns={[
                      { title: '时间', dataIndex: 'heldAt', width: 140, render: fmtDateTime },
                      {
                        title: '参会单位',
                        dataIndex: 'participantUnitIds',
                        render: (v: number[]) => v.map((id) => ref.unitName(id)).join('、'),
                      },
                      { title: '确定承办单位', dataIndex: 'decidedUnitId', render: (v: number) => ref.unitName(v) },
                      {
                        title: '会商纪要',
                        dataIndex: 'record',
                        render: (v: string) => <span className="pre-wrap">{v}</span>,
                      },
                    ]}
                  />
                ),
              },
            ]
          : []),
      ]}
    />
  );
}
