import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Flex, Input, Segmented, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import type { TicketStatus } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ServerExportMenu } from '../../components/ExportMenu';
import { PageHeader } from '../../components/PageHeader';
import { TicketTable } from '../../components/TicketTable';
import { ListFilterBar } from '../../components/ListFilterBar';
import { STATUS_LABELS } from '../../lib/labels';
import { useListFilters } from '../../lib/useListFilters';
import { useQueue } from '../../lib/useQueue';
import { useTicketSearch } from '../../lib/useTicketSearch';
import { AnalyticsDrillList } from '../analytics/AnalyticsDrillList';

const STATUSES = Object.keys(STATUS_LABELS) as TicketStatus[];
const KIND_LABELS = {
  number: '按工单号',
  reference: '按网上留言编号（留言受理后形成的工单）',
  phone: '按来电号码（已记入个人信息访问审计）',
  text: '按关键词（近一年，须包含全部关键词）',
} as const;
// no region column: at 1366 px it would squeeze the title and excerpt, which tell the matter
const COLUMNS = ['number', 'title', 'category', 'lead', 'status', 'deadline', 'created'] as const;

/**
 * 工单查询 for centre staff. One box finds a ticket by the number a citizen reads out, the number they call from,
 * or words of the matter (第九条); without a search, the centre's tickets by status and lead unit, most urgent first
 * or in the order the user chose (issue 14, sorted by the server; the export follows it).
 */
export default function TicketSearchPage() {
  // issue 14: status and the other filters live in the URL (bookmarkable, saved as views)
  const { filters, set } = useListFilters();
  const { status: statusParam, unitId, ...rest } = filters;
  const status: TicketStatus | 'open' = STATUSES.includes(statusParam as TicketStatus)
    ? (statusParam as TicketStatus)
    : 'open';
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const statuses: TicketStatus[] =
    status === 'open' ? ['pending_dispatch', 'dispatched', 'in_progress', 'replied'] : [status];
  const queue = useQueue({ view: 'centre', status: statuses, unitId, ...rest });
  const found = useTicketSearch(q);
  const nav = useNavigate();
  const searching = q !== '';
  // 第二十七条 热点分析 下钻: a figure's tickets, the filter in the URL (/tickets?drill=analytics&from=…)
  const [params] = useSearchParams();
  if (params.get('drill') === 'analytics') return <AnalyticsDrillList params={params} />;
  return (
    <>
      <PageHeader
        title="工单查询"
        sub="本中心负责区域内的工单"
        extra={
          <>
            {/* issue 10: every matching ticket (not only the 50 shown), filtered as on screen, streamed by the server */}
            <ServerExportMenu
              name="工单查询"
              testId="ticket-export"
              request={(format) => ({
                url: '/api/exports/tickets',
                body: searching ? { format, q } : { format, status: statuses, unitId, ...rest },
              })}
            />
            <Button icon={<ReloadOutlined />} onClick={searching ? found.reload : queue.reload}>
              刷新
            </Button>
          </>
        }
      />
      <Input.Search
        style={{ width: 480, marginBottom: 12, display: 'block' }}
        allowClear
        enterButton="查询"
        aria-label="工单查询"
        placeholder="工单号、留言编号、来电号码或关键词"
        value={text}
        maxLength={100}
        onChange={(e) => {
          setText(e.target.value);
          if (!e.target.value) setQ('');
        }}
        onSearch={(v) => setQ(v.trim())}
        loading={found.loading}
      />
      {!searching && (
        <>
          <Segmented
            style={{ marginBottom: 12 }}
            value={status}
            onChange={(v) => set({ status: v === 'open' ? null : v })}
            options={[
              { value: 'open', label: '全部在办' },
              ...STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] })),
            ]}
          />
          <ListFilterBar screen="ticket-search" showUnit />
        </>
      )}
      {searching ? (
        <>
          <ErrorAlert message={found.error} onRetry={found.reload} />
          {found.kind && !found.error && (
            <Flex gap={8} align="center" style={{ marginBottom: 8 }} data-testid="search-kind" data-kind={found.kind}>
              <Typography.Text type="secondary">{KIND_LABELS[found.kind]}，最新的在前</Typography.Text>
              <Button
                size="small"
                type="link"
                onClick={() => {
                  setText('');
                  setQ('');
                }}
              >
                返回工单列表
              </Button>
            </Flex>
          )}
          {found.more && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 8 }}
              message="匹配的工单较多，仅显示最新的 50 件，请补充关键词缩小范围"
            />
          )}
          <TicketTable
            queue={found}
            onOpen={(t) => nav(`/tickets/${t.id}`)}
            columns={[...COLUMNS]}
            emptyText="没有找到匹配的工单"
          />
        </>
      ) : (
        <>
          <ErrorAlert message={queue.error} onRetry={queue.reload} />
          <TicketTable queue={queue} onOpen={(t) => nav(`/tickets/${t.id}`)} columns={[...COLUMNS]} sortable />
        </>
      )}
    </>
  );
}
