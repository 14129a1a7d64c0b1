import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Badge, Button, Form, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { PlusOutlined, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import {
  METHOD_LABELS,
  STATUS_LABELS,
  SUPERVISION_STATUSES,
  SUPERVISION_TRIGGERS,
  TRIGGER_LABELS,
  type SupervisionTrigger,
} from '../../../shared/domain/supervision';
import { serverNow } from '../../api/client';
import { supervisionApi, type CaseListQuery, type SupervisionCaseRow } from '../../api/supervision';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { UnitSelect } from '../../components/Pickers';
import { downloadTable } from '../../lib/csv';
import { ExportMenu } from '../../components/ExportMenu';
import { fmtDateTime } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';
import { useKeysetList } from '../../lib/useKeysetList';
import { ManualCaseModal } from './ManualCaseModal';
import { SupervisionRulesPanel } from './SupervisionRulesPanel';
import { CaseStatusTag, isCaseOverdue } from './supervision-labels';
import { LoadMore } from '../../components/LoadMore';

const PAGE = 50;

interface Filters {
  status?: string;
  trigger?: SupervisionTrigger;
  unitId?: number;
  overdue?: boolean;
}

/**
 * 督办工作台 (第二十二条): what the triggers proposed, the cases by the unit's answer deadline, the 黄牌/红牌 board and
 * the rules. The county centre's supervisor sees only its county (the server decides).
 */
export default function SupervisionWorkbenchPage() {
  const [tab, setTab] = useState('cases');
  const proposals = useAsync(() => supervisionApi.cases({ status: 'proposed', limit: 1 }), []);
  return (
    <>
      <PageHeader
        title="督办工作台"
        sub="第二十二条：拒不接收、超期未办结、多次或集中反映未解决、知识库更新不及时、办理不力造成负面影响及其他需要督办的事项"
      />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          { key: 'cases', label: '督办件', children: <CasesTab /> },
          {
            key: 'proposals',
            label: (
              <Badge count={proposals.data?.items.length ? '!' : 0} size="small" offset={[6, -2]}>
                待确认的督办建议
              </Badge>
            ),
            children: <CasesTab fixed={{ status: 'proposed' }} />,
          },
          { key: 'cards', label: '黄牌红牌', children: <CardsTab /> },
          { key: 'rules', label: '触发规则', children: <SupervisionRulesPanel /> },
        ]}
      />
    </>
  );
}

function CasesTab({ fixed }: { fixed?: Partial<CaseListQuery> }) {
  const nav = useNavigate();
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<CaseListQuery>({ status: fixed?.status ?? 'active' });
  const [creating, setCreating] = useState(false);
  const list = useKeysetList(filters, (after: string | null) =>
    supervisionApi.cases({ ...filters, ...fixed, ...(after ? { after } : {}), limit: PAGE }),
  );
  const rows = list.items;
  const now = serverNow();
  const exportRows = (format: 'csv' | 'xlsx') =>
    downloadTable(
      format,
      fixed?.status === 'proposed' ? '督办建议' : '督办件',
      ['督办编号', '督办情形', '被督办单位', '督办方式', '层级', '轮次', '状态', '反馈期限', '立案时间', '督办事由'],
      rows.map((r) => [
        r.number,
        TRIGGER_LABELS[r.trigger],
        r.unit_name,
        r.method ? METHOD_LABELS[r.method] : '',
        r.level === 'city' ? '市级' : '县（区）级',
        r.round,
        STATUS_LABELS[r.status],
        fmtDateTime(r.due_at),
        fmtDateTime(r.created_at),
        r.reason,
      ]),
      {
        status: filters.status ?? null,
        trigger: filters.trigger ?? null,
        unitId: filters.unitId ?? null,
        overdue: filters.overdue ?? null,
      },
    );
  return (
    <>
      <Form<Filters>
        form={form}
        layout="inline"
        style={{ marginBottom: 12, rowGap: 8 }}
        initialValues={{ status: fixed?.status ? undefined : 'active' }}
        onFinish={(v) =>
          setFilters({
            status: v.status,
            trigger: v.trigger,
            unitId: v.unitId,
            overdue: v.overdue ? 'true' : undefined,
          })
        }
      >
        {!fixed?.status && (
          <Form.Item name="status">
            <Select
              allowClear
              placeholder="状态"
              aria-label="状态"
              style={{ width: 140 }}
              options={[
                { value: 'active', label: '未办结（全部）' },
                ...SUPERVISION_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] })),
              ]}
            />
          </Form.Item>
        )}
        <Form.Item name="trigger">
          <Select
            allowClear
            placeholder="督办情形"
            aria-label="督办情形"
            style={{ width: 260 }}
            options={SUPERVISION_TRIGGERS.map((t) => ({ value: t, label: TRIGGER_LABELS[t] }))}
          />
        </Form.Item>
        <Form.Item name="unitId" style={{ width: 220 }}>
          <UnitSelect placeholder="被督办单位" aria-label="被督办单位" />
        </Form.Item>
        {!fixed?.status && (
          <Form.Item name="overdue">
            <Select
              allowClear
              placeholder="是否逾期反馈"
              aria-label="是否逾期反馈"
              style={{ width: 140 }}
              options={[{ value: true, label: '已逾期未反馈' }]}
            />
          </Form.Item>
        )}
        <Form.Item>
          <Space>
            <Button htmlType="submit" icon={<SearchOutlined />}>
              查询
            </Button>
            <ExportMenu onExport={exportRows} disabled={rows.length === 0} />
            <Button icon={<ReloadOutlined />} onClick={list.reload}>
              刷新
            </Button>
            {!fixed?.status && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                手动督办
              </Button>
            )}
          </Space>
        </Form.Item>
      </Form>
      <ErrorAlert message={list.error} onRetry={list.reload} />
      <Table<SupervisionCaseRow>
        rowKey="id"
        size="middle"
        loading={list.loadingFirst}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: fixed?.status === 'proposed' ? '没有待确认的督办建议' : '没有督办件' }}
        onRow={(r) => ({ onDoubleClick: () => nav(`/supervision/cases/${r.id}`) })}
        columns={[
          {
            title: '督办编号',
            dataIndex: 'number',
            width: 130,
            render: (n: string, r) => <Link to={`/supervision/cases/${r.id}`}>{n}</Link>,
          },
          {
            title: '督办情形',
            dataIndex: 'trigger',
            width: 230,
            render: (t: SupervisionTrigger) => TRIGGER_LABELS[t],
          },
          { title: '被督办单位', dataIndex: 'unit_name', width: 190 },
          {
            title: '督办事由',
            dataIndex: 'reason',
            render: (s: string) => (
              <Typography.Paragraph ellipsis={{ rows: 2, tooltip: s }} style={{ margin: 0 }}>
                {s}
              </Typography.Paragraph>
            ),
          },
          {
            title: '方式',
            dataIndex: 'method',
            width: 100,
            render: (m: SupervisionCaseRow['method'], r) => (
              <>
                {m ? METHOD_LABELS[m] : '—'}
                {r.round > 1 && <Tag style={{ marginLeft: 4 }}>第{r.round}轮</Tag>}
              </>
            ),
          },
          {
            title: '反馈期限',
            dataIndex: 'due_at',
            width: 150,
            render: (d: string | null, r) =>
              isCaseOverdue(r, now) ? (
                <Typography.Text type="danger">{fmtDateTime(d)}（已逾期）</Typography.Text>
              ) : (
                fmtDateTime(d)
              ),
          },
          {
            title: '状态',
            dataIndex: 'status',
            width: 100,
            render: (s: SupervisionCaseRow['status'], r) => (
              <>
                <CaseStatusTag status={s} />
                {r.level === 'city' && s !== 'proposed' && <Tag>市级</Tag>}
              </>
            ),
          },
          { title: '立案时间', dataIndex: 'created_at', width: 140, render: fmtDateTime },
        ]}
      />
      <LoadMore list={list} />
      <ManualCaseModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(c) => nav(`/supervision/cases/${c.id}`)}
      />
    </>
  );
}

function CardsTab() {
  const [days, setDays] = useState(30);
  const board = useAsync(() => supervisionApi.cardBoard(days), [days]);
  const rows = board.data?.units ?? [];
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Select
          value={days}
          onChange={setDays}
          aria-label="统计期间"
          style={{ width: 140 }}
          options={[7, 30, 90, 365].map((d) => ({ value: d, label: `近 ${d} 天` }))}
        />
        <ExportMenu
          disabled={rows.length === 0}
          onExport={(format) =>
            downloadTable(
              format,
              '黄牌红牌',
              ['单位', '黄牌（临期预警）', '红牌（超期）'],
              rows.map((r) => [r.unit_name, r.yellow, r.red]),
              { days },
            )
          }
        />
        <Typography.Text type="secondary">
          黄牌：办理时限到期前预警；红牌：超出办理时限（第二十二条第二项）
        </Typography.Text>
      </Space>
      <ErrorAlert message={board.errorText} onRetry={() => void board.reload()} />
      <Table
        rowKey="unit_id"
        size="middle"
        loading={board.loading}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: '期间内没有黄牌或红牌' }}
        columns={[
          { title: '单位', dataIndex: 'unit_name' },
          {
            title: '黄牌',
            dataIndex: 'yellow',
            width: 120,
            sorter: (a, b) => a.yellow - b.yellow,
            render: (n: number) => <Tag color="gold">{n}</Tag>,
          },
          {
            title: '红牌',
            dataIndex: 'red',
            width: 120,
            sorter: (a, b) => a.red - b.red,
            defaultSortOrder: 'descend',
            render: (n: number) => <Tag color="red">{n}</Tag>,
          },
        ]}
      />
    </>
  );
}
