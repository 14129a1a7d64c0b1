import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App, Button, Form, Input, Select, Table, Tag, Tooltip, Typography } from 'antd';
import { ReloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { ACCESS_KINDS, ACCESS_KIND_LABELS } from '../../../shared/contracts/sharing';
import { sharingApi, type AccessEntry, type AccessQuery, type ChainReport } from '../../api/sharing';
import { errorMessage } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ServerExportMenu } from '../../components/ExportMenu';
import { FilterForm } from '../../components/FilterForm';
import { PageHeader } from '../../components/PageHeader';
import { UnitSelect, UserSelect } from '../../components/Pickers';
import { fmtDateTime } from '../../lib/format';
import { useKeysetList } from '../../lib/useKeysetList';
import { LoadMore } from '../../components/LoadMore';

type Filters = Omit<AccessQuery, 'before' | 'limit'>;

const PAGE = 50;

/** 数据访问日志 (第三十条第二款): every read of hotline data beyond the work screens, chained and verifiable. */
export default function AccessLogPage() {
  const { message } = App.useApp();
  const [filters, setFilters] = useState<Filters>({});
  const [chain, setChain] = useState<ChainReport | null>(null);
  const [verifying, setVerifying] = useState(false);
  const list = useKeysetList(filters, (before: number | null) =>
    sharingApi.accessLog({ ...filters, ...(before ? { before } : {}), limit: PAGE }),
  );
  const verify = async () => {
    setVerifying(true);
    try {
      setChain(await sharingApi.verifyChain());
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setVerifying(false);
    }
  };

  return (
    <>
      <PageHeader
        title="数据访问日志"
        sub="查询、导出、个人信息查看、对接接口读取与数据推送的留痕，逐条哈希链接、不可篡改（第三十条第二款）"
        extra={
          <>
            <Button icon={<SafetyCertificateOutlined />} onClick={() => void verify()} loading={verifying}>
              校验完整性
            </Button>
            <ServerExportMenu
              name="数据访问日志"
              testId="access-export"
              request={(format) => ({
                url: sharingApi.accessCsvUrl(filters).replace('/access.csv', `/access.${format}`),
              })}
            />
            <Button icon={<ReloadOutlined />} onClick={list.reload}>
              刷新
            </Button>
          </>
        }
      />
      {chain && (
        <Alert
          style={{ marginBottom: 12 }}
          showIcon
          type={chain.ok ? 'success' : 'error'}
          closable
          onClose={() => setChain(null)}
          message={
            chain.ok
              ? `哈希链完整：已校验 ${chain.checked} 条记录${chain.startsAfterId ? `（第 ${chain.startsAfterId} 条及以前已按保存期限清理）` : ''}`
              : `哈希链在第 ${chain.firstBroken!.id} 条记录处断开（${chain.firstBroken!.reason === 'hash' ? '该记录内容被修改' : '其前的记录被删除、插入或调换'}），此前 ${chain.checked} 条完整`
          }
        />
      )}
      <FilterForm<Filters> range={['开始日期', '结束日期']} onSearch={setFilters}>
        <Form.Item name="userId">
          <UserSelect placeholder="人员" />
        </Form.Item>
        <Form.Item name="unitId" style={{ width: 180 }}>
          <UnitSelect placeholder="单位" aria-label="单位" />
        </Form.Item>
        <Form.Item name="ticketNumber">
          <Input allowClear placeholder="工单号 HZ…" aria-label="工单号" style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="kind">
          <Select
            allowClear
            placeholder="访问类型"
            aria-label="访问类型"
            style={{ width: 140 }}
            options={ACCESS_KINDS.map((k) => ({ value: k, label: ACCESS_KIND_LABELS[k] }))}
          />
        </Form.Item>
      </FilterForm>
      <ErrorAlert message={list.error} onRetry={list.reload} />
      <Table<AccessEntry>
        rowKey="id"
        size="middle"
        loading={list.loadingFirst}
        dataSource={list.items}
        pagination={false}
        scroll={{ y: 'calc(100vh - 360px)' }}
        locale={{ emptyText: '没有符合条件的访问记录' }}
        columns={[
          { title: '时间', dataIndex: 'at', width: 140, render: fmtDateTime },
          { title: '类型', dataIndex: 'kindLabel', width: 130, render: (l: string) => <Tag>{l}</Tag> },
          {
            title: '人员或系统',
            dataIndex: 'actorLabel',
            width: 200,
            render: (l: string, r) => (
              <span>
                {l}
                {r.actorKind === 'system' && (
                  <Tag color="purple" style={{ marginInlineStart: 6 }}>
                    系统
                  </Tag>
                )}
              </span>
            ),
          },
          { title: '单位', dataIndex: 'unitName', width: 170, render: (n: string | null) => n ?? '—' },
          {
            title: '工单',
            dataIndex: 'ticketIds',
            width: 170,
            render: (ids: number[], r) =>
              ids.length === 0 ? (
                '—'
              ) : ids.length === 1 ? (
                <Link to={`/tickets/${ids[0]}`}>{r.ticketNumbers[0] ?? `#${ids[0]}`}</Link>
              ) : (
                `${ids.length} 件`
              ),
          },
          {
            title: '条件',
            dataIndex: 'filter',
            ellipsis: true,
            render: (f: Record<string, unknown>) => {
              const text = describeFilter(f);
              return (
                <Tooltip title={text}>
                  <Typography.Text type="secondary">{text}</Typography.Text>
                </Tooltip>
              );
            },
          },
          { title: '条数', dataIndex: 'rowCount', width: 70 },
          {
            title: '内容摘要',
            dataIndex: 'contentSha256',
            width: 110,
            render: (h: string | null) =>
              h ? (
                <Tooltip title={`SHA-256：${h}`}>
                  <Typography.Text code>{h.slice(0, 8)}</Typography.Text>
                </Tooltip>
              ) : (
                '—'
              ),
          },
        ]}
      />
      <LoadMore list={list} />
    </>
  );
}

const FILTER_LABELS: Record<string, string> = {
  screen: '页面',
  log: '日志',
  q: '查询内容',
  searchKind: '查询方式',
  limit: '条数上限',
  fields: '查看字段',
  purpose: '事由',
  target: '对象',
  after: '游标之后',
  format: '格式',
  outcome: '结果',
  httpStatus: '应答',
  attempt: '尝试次数',
  subscriptionId: '订阅',
  deliveryId: '推送记录',
  eventId: '事件',
  unitId: '单位',
  contactId: '来电来信',
  kind: '类型',
  from: '起',
  to: '止',
  ticketNumber: '工单号',
  userId: '人员',
  ticketId: '工单',
};
const VALUE_LABELS: Record<string, string> = {
  admin_audit: '操作审计',
  number: '工单号',
  phone: '来电号码',
  text: '关键词',
  delivered: '送达',
  failed: '失败',
  ticket_requester: '工单诉求人',
  contact: '来电来信',
  name: '姓名',
  address: '地址',
  message: '原文',
};

function describeFilter(f: Record<string, unknown>): string {
  // what happened first (outcome, what was searched), then the details
  const rank = (k: string) => {
    const i = ['outcome', 'httpStatus', 'searchKind', 'q', 'purpose', 'fields'].indexOf(k);
    return i < 0 ? 99 : i;
  };
  return Object.entries(f)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([k, v]) => {
      const val = Array.isArray(v)
        ? v.map((x) => VALUE_LABELS[String(x)] ?? String(x)).join('、')
        : (VALUE_LABELS[String(v)] ?? String(v));
      return `${FILTER_LABELS[k] ?? k}：${val}`;
    })
    .join('；');
}
