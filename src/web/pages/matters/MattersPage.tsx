import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, Form, Progress, Select, Table } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  JOINT_FIELD_LABELS,
  JOINT_FIELDS,
  MATTER_STATUS_LABELS,
  MATTER_STATUSES,
  type MatterStatus,
} from '../../../shared/domain/matters';
import { mattersApi, type MatterRow, type MattersQuery } from '../../api/matters';
import { useMe } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ExportMenu } from '../../components/ExportMenu';
import { FilterForm } from '../../components/FilterForm';
import { PageHeader } from '../../components/PageHeader';
import { RegionCascader, UnitSelect } from '../../components/Pickers';
import { downloadTable } from '../../lib/csv';
import { fmtDate } from '../../lib/format';
import { hasRole, isCentre } from '../../lib/permissions';
import { pageByLastId, useKeysetList } from '../../lib/useKeysetList';
import { JointFieldTag, MatterStatusTag } from './matter-labels';
import { LoadMore } from '../../components/LoadMore';

const PAGE = 50;

/**
 * 专题治理 (第二十五、二十六条): the register of long-running and hard matters under special study — a county centre
 * sees its county's, a unit those it leads or coordinates on. Supervisors register new ones from similar tickets.
 */
export default function MattersPage() {
  const me = useMe();
  const nav = useNavigate();
  const [filters, setFilters] = useState<MattersQuery>({});
  const list = useKeysetList(filters, async (before: number | null) =>
    pageByLastId(await mattersApi.list({ ...filters, limit: PAGE, ...(before ? { before } : {}) }), PAGE),
  );
  const rows = list.items;
  const writer = isCentre(me) && hasRole(me, 'supervisor');

  const exportRows = (format: 'csv' | 'xlsx') =>
    downloadTable(
      format,
      '专题治理',
      [
        '编号',
        '专题名称',
        '联合协调处置',
        '状态',
        '区域',
        '事项分类',
        '牵头单位',
        '关联工单',
        '任务完成',
        '任务总数',
        '立项日期',
      ],
      rows.map((r) => [
        r.id,
        r.title,
        r.joint_field ? JOINT_FIELD_LABELS[r.joint_field] : '',
        MATTER_STATUS_LABELS[r.status],
        r.region_name,
        r.category_name,
        r.lead_unit_name,
        r.ticket_count,
        r.tasks_done,
        r.task_count,
        fmtDate(r.created_at),
      ]),
      {
        status: filters.status ?? null,
        regionCode: filters.regionCode ?? null,
        leadUnitId: filters.leadUnitId ?? null,
        jointField: filters.jointField ?? null,
      },
    );

  return (
    <>
      <PageHeader
        title="专题治理"
        sub="第二十五条：对持续时间长、解决难度大的诉求事项开展专题研究、会商研判、制定方案、完善政策措施；第二十六条：市、县（区）、乡镇（街道）三级协同联动，公益诉讼、矛盾纠纷多元化解、行政执法监督等领域联合协调处置"
        extra={
          <>
            {writer && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => nav('/matters/new')}>
                新建专题
              </Button>
            )}
            <ExportMenu onExport={exportRows} disabled={rows.length === 0} />
            <Button icon={<ReloadOutlined />} onClick={list.reload}>
              刷新
            </Button>
          </>
        }
      />
      <FilterForm<MattersQuery> onSearch={setFilters}>
        <Form.Item name="status">
          <Select
            allowClear
            placeholder="状态"
            aria-label="状态"
            style={{ width: 140 }}
            options={[
              { value: 'open', label: '未归档' },
              ...MATTER_STATUSES.map((s) => ({ value: s, label: MATTER_STATUS_LABELS[s] })),
            ]}
          />
        </Form.Item>
        {isCentre(me) && (
          <Form.Item name="regionCode" style={{ width: 220 }}>
            <RegionCascader aria-label="所在区域" />
          </Form.Item>
        )}
        <Form.Item name="leadUnitId" style={{ width: 240 }}>
          <UnitSelect placeholder="牵头单位" aria-label="牵头单位" />
        </Form.Item>
        <Form.Item name="jointField">
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder="联合协调处置"
            aria-label="联合协调处置领域"
            style={{ width: 190 }}
            options={[
              { value: 'any', label: '全部联合协调处置' },
              ...JOINT_FIELDS.map((f) => ({ value: f, label: JOINT_FIELD_LABELS[f] })),
            ]}
          />
        </Form.Item>
      </FilterForm>
      <ErrorAlert message={list.error} onRetry={list.reload} />
      <Table<MatterRow>
        rowKey="id"
        size="middle"
        loading={list.loadingFirst}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: '暂无专题' }}
        onRow={(r) => ({ onDoubleClick: () => nav(`/matters/${r.id}`) })}
        columns={[
          {
            title: '编号',
            dataIndex: 'id',
            width: 70,
            render: (id: number) => <Link to={`/matters/${id}`}>#{id}</Link>,
          },
          {
            title: '专题名称',
            dataIndex: 'title',
            render: (t: string, r) => (
              <>
                <Link to={`/matters/${r.id}`}>{t}</Link>
                {r.joint_field && <JointFieldTag field={r.joint_field} />}
              </>
            ),
          },
          {
            title: '状态',
            dataIndex: 'status',
            width: 100,
            render: (s: MatterStatus) => <MatterStatusTag status={s} />,
          },
          { title: '区域', dataIndex: 'region_name', width: 140 },
          { title: '事项分类', dataIndex: 'category_name', width: 110 },
          { title: '牵头单位', dataIndex: 'lead_unit_name', width: 200 },
          { title: '关联工单', dataIndex: 'ticket_count', width: 90, align: 'right' },
          {
            title: '任务进度',
            key: 'progress',
            width: 150,
            render: (_: unknown, r) =>
              r.task_count ? (
                <Progress
                  size="small"
                  aria-label="任务完成进度"
                  percent={Math.round((r.tasks_done * 100) / r.task_count)}
                  format={() => `${r.tasks_done}/${r.task_count}`}
                />
              ) : (
                '—'
              ),
          },
          { title: '立项日期', dataIndex: 'created_at', width: 110, render: fmtDate },
        ]}
      />
      <LoadMore list={list} />
    </>
  );
}
