import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, Form, Select, Table, Tag, Typography } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { REFERRAL_CONDUCTS, REFERRAL_STATUSES, type ReferralStatus } from '../../../shared/domain/referrals';
import { referralsApi, type ReferralRow, type ReferralsQuery } from '../../api/referrals';
import { useMe } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilterForm } from '../../components/FilterForm';
import { PageHeader } from '../../components/PageHeader';
import { UnitSelect } from '../../components/Pickers';
import { downloadTable } from '../../lib/csv';
import { ExportMenu } from '../../components/ExportMenu';
import { fmtDateTime } from '../../lib/format';
import { hasRole } from '../../lib/permissions';
import { useReference } from '../../lib/reference';
import { pageByLastId, useKeysetList } from '../../lib/useKeysetList';
import { ReferralCreateModal } from './ReferralCreateModal';
import {
  conductShort,
  disciplineBodyOf,
  REFERRAL_STATUS_COLORS,
  REFERRAL_STATUS_LABELS,
  SUBJECT_KIND_LABELS,
} from './referral-labels';
import { LoadMore } from '../../components/LoadMore';

const PAGE = 50;

/**
 * 问责移送 (第二十三、三十二条): the problems the centre handed to the discipline inspection body, and what the body
 * did with them. Supervisors refer and record the steps; auditors read. Units never see this screen.
 */
export default function ReferralsPage() {
  const me = useMe();
  const ref = useReference();
  const nav = useNavigate();
  const [filters, setFilters] = useState<ReferralsQuery>({});
  const [creating, setCreating] = useState(false);
  const list = useKeysetList(filters, async (before: number | null) =>
    pageByLastId(await referralsApi.list({ ...filters, limit: PAGE, ...(before ? { before } : {}) }), PAGE),
  );
  const rows = list.items;
  const writer = hasRole(me, 'supervisor');

  const exportRows = (format: 'csv' | 'xlsx') =>
    downloadTable(
      format,
      '问责移送',
      [
        '编号',
        '移交时间',
        '对象',
        '单位',
        '工作人员',
        '问题情形',
        '接收机关',
        '状态',
        '受理日期',
        '处理结果日期',
        '工单数',
        '移送人',
      ],
      rows.map((r) => [
        r.id,
        fmtDateTime(r.transferred_at),
        SUBJECT_KIND_LABELS[r.subject_kind],
        r.unit_name,
        r.staff,
        r.conducts.map(conductShort).join('；'),
        r.body_name,
        REFERRAL_STATUS_LABELS[r.status],
        r.accepted_on,
        r.result_on,
        r.ticket_count,
        r.created_by_name,
      ]),
      {
        status: filters.status ?? null,
        conduct: filters.conduct ?? null,
        unitId: filters.unitId ?? null,
        from: filters.from ?? null,
        to: filters.to ?? null,
      },
    );

  return (
    <>
      <PageHeader
        title="问责移送"
        sub="第二十三条：推诿扯皮、弄虚作假、不作为、乱作为、工作作风粗暴、服务质量差等问题线索移交同级纪检监察机关；第三十二条各项情形"
        extra={
          <>
            {writer && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                新建移送
              </Button>
            )}
            <ExportMenu onExport={exportRows} disabled={rows.length === 0} />
            <Button icon={<ReloadOutlined />} onClick={list.reload}>
              刷新
            </Button>
          </>
        }
      />
      <FilterForm<ReferralsQuery> range={['移交日期起', '止']} onSearch={setFilters}>
        <Form.Item name="status">
          <Select
            allowClear
            placeholder="状态"
            aria-label="状态"
            style={{ width: 130 }}
            options={REFERRAL_STATUSES.map((s) => ({ value: s, label: REFERRAL_STATUS_LABELS[s] }))}
          />
        </Form.Item>
        <Form.Item name="conduct">
          <Select
            allowClear
            placeholder="问题情形"
            aria-label="问题情形"
            style={{ width: 220 }}
            options={REFERRAL_CONDUCTS.map((c) => ({ value: c, label: conductShort(c) }))}
          />
        </Form.Item>
        <Form.Item name="unitId" style={{ width: 220 }}>
          <UnitSelect placeholder="单位" aria-label="单位" />
        </Form.Item>
      </FilterForm>
      <ErrorAlert message={list.error} onRetry={list.reload} />
      <Table<ReferralRow>
        rowKey="id"
        size="middle"
        loading={list.loadingFirst}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: '没有问责移送记录' }}
        onRow={(r) => ({ onDoubleClick: () => nav(`/supervision/referrals/${r.id}`) })}
        columns={[
          {
            title: '编号',
            dataIndex: 'id',
            width: 80,
            render: (id: number) => <Link to={`/supervision/referrals/${id}`}>#{id}</Link>,
          },
          { title: '移交时间', dataIndex: 'transferred_at', width: 140, render: fmtDateTime },
          {
            title: '对象',
            key: 'subject',
            width: 240,
            render: (_: unknown, r) => (
              <>
                {r.unit_name}
                {r.subject_kind === 'staff' && (
                  <div>
                    <Typography.Text type="secondary">工作人员：{r.staff}</Typography.Text>
                  </div>
                )}
              </>
            ),
          },
          {
            title: '问题情形',
            dataIndex: 'conducts',
            render: (cs: string[]) => cs.map((c) => <Tag key={c}>{conductShort(c)}</Tag>),
          },
          { title: '接收机关', dataIndex: 'body_name', width: 140 },
          {
            title: '状态',
            dataIndex: 'status',
            width: 120,
            render: (s: ReferralStatus) => <Tag color={REFERRAL_STATUS_COLORS[s]}>{REFERRAL_STATUS_LABELS[s]}</Tag>,
          },
          { title: '工单', dataIndex: 'ticket_count', width: 60 },
          { title: '移送人', dataIndex: 'created_by_name', width: 90 },
        ]}
      />
      <LoadMore list={list} />
      <ReferralCreateModal
        open={creating}
        onClose={() => setCreating(false)}
        defaultBody={disciplineBodyOf(ref.unitName(me.unitId))}
        onCreated={(id) => nav(`/supervision/referrals/${id}`)}
      />
    </>
  );
}
