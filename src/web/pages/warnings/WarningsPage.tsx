import { useState } from 'react';
import { Button, Form, Select, Table } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import {
  WARNING_KIND_LABELS,
  WARNING_KINDS,
  WARNING_LEVEL_NAMES,
  WARNING_LEVELS,
  WARNING_STATUS_LABELS,
  WARNING_STATUSES,
  type WarningLevel,
  type WarningStatus,
} from '../../../shared/domain/warnings';
import { warningsApi, type WarningRow, type WarningsQuery } from '../../api/warnings';
import { useMe } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ServerExportMenu } from '../../components/ExportMenu';
import { FilterForm } from '../../components/FilterForm';
import { PageHeader } from '../../components/PageHeader';
import { CategoryCascader, RegionCascader } from '../../components/Pickers';
import { fmtDateTime } from '../../lib/format';
import { useKeysetList } from '../../lib/useKeysetList';
import { WarningDrawer } from './WarningDrawer';
import { WarningLevelTag, WarningStatusTag } from './warning-labels';
import { LoadMore } from '../../components/LoadMore';

const PAGE = 50;

/**
 * 风险预警 (第二十七条): the warnings the scheduler and intake raise — spikes of a category in a county against the
 * calendar-aware baseline, collective requests, sensitive-risk words — for the centre's supervisors and analysts
 * (a county centre: its county's). A row opens the drawer with the evidence and the steps 确认 / 指派 / 关联专题 / 关闭.
 */
export default function WarningsPage() {
  useMe();
  const [filters, setFilters] = useState<WarningsQuery>({ status: 'open' });
  const [open, setOpen] = useState<number | null>(null);
  const list = useKeysetList(filters, (before: number | null) =>
    warningsApi.list({ ...filters, limit: PAGE, ...(before !== null ? { before } : {}) }),
  );
  const rows = list.items;

  return (
    <>
      <PageHeader
        title="风险预警"
        sub="第二十七条：利用大数据对社情民意动态监测、综合分析，加强风险预警 — 诉求量突增（按工作日历比较）、集体诉求、敏感风险词"
        extra={
          <>
            <ServerExportMenu
              name="风险预警"
              testId="warnings-export"
              disabled={rows.length === 0}
              request={(format) => ({ url: warningsApi.exportUrl(filters, format) })}
            />
            <Button icon={<ReloadOutlined />} onClick={list.reload}>
              刷新
            </Button>
          </>
        }
      />
      <FilterForm<WarningsQuery>
        range={['开始日期', '结束日期']}
        initialValues={{ status: 'open' }}
        onSearch={setFilters}
      >
        <Form.Item name="kind">
          <Select
            allowClear
            placeholder="预警类型"
            aria-label="预警类型"
            style={{ width: 130 }}
            options={WARNING_KINDS.map((k) => ({ value: k, label: WARNING_KIND_LABELS[k] }))}
          />
        </Form.Item>
        <Form.Item name="level">
          <Select
            allowClear
            placeholder="级别"
            aria-label="级别"
            style={{ width: 100 }}
            options={WARNING_LEVELS.map((l) => ({ value: l, label: WARNING_LEVEL_NAMES[l] }))}
          />
        </Form.Item>
        <Form.Item name="status">
          <Select
            allowClear
            placeholder="状态"
            aria-label="状态"
            style={{ width: 120 }}
            options={[
              { value: 'open', label: '未关闭' },
              ...WARNING_STATUSES.map((s) => ({ value: s, label: WARNING_STATUS_LABELS[s] })),
            ]}
          />
        </Form.Item>
        <Form.Item name="regionCode" style={{ width: 200 }}>
          <RegionCascader aria-label="区域" />
        </Form.Item>
        <Form.Item name="categoryId" style={{ width: 200 }}>
          <CategoryCascader leafOnly={false} aria-label="事项分类" />
        </Form.Item>
      </FilterForm>
      <ErrorAlert message={list.error} onRetry={list.reload} />
      <Table<WarningRow>
        rowKey="id"
        size="middle"
        loading={list.loadingFirst}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: '暂无预警' }}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: '级别', dataIndex: 'level', width: 80, render: (l: WarningLevel) => <WarningLevelTag level={l} /> },
          { title: '类型', dataIndex: 'kindLabel', width: 110 },
          {
            title: '预警内容',
            dataIndex: 'title',
            render: (t: string, r) => (
              <a
                data-testid="warning-open"
                onClick={(ev) => {
                  ev.stopPropagation();
                  setOpen(r.id);
                }}
              >
                {t}
              </a>
            ),
          },
          { title: '区域', dataIndex: 'regionName', width: 110 },
          { title: '事项分类', dataIndex: 'categoryName', width: 110, render: (c: string | null) => c ?? '—' },
          {
            title: '状态',
            dataIndex: 'status',
            width: 90,
            render: (s: WarningStatus) => <WarningStatusTag status={s} />,
          },
          { title: '指派', dataIndex: 'assigneeName', width: 90, render: (n: string | null) => n ?? '—' },
          { title: '预警时间', dataIndex: 'raisedAt', width: 160, render: fmtDateTime },
        ]}
      />
      <LoadMore list={list} />
      <WarningDrawer id={open} onClose={() => setOpen(null)} onChanged={list.reload} />
    </>
  );
}
