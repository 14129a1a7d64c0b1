import type { HTMLAttributes } from 'react';
import { Flex, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useNavigate } from 'react-router-dom';
import type { QueueDeadline, TicketListItem } from '../api/types';
import { fmtDateTime } from '../lib/format';
import { openableRow } from '../lib/row-keyboard';
import { downloadTable } from '../lib/csv';
import { REQUEST_TYPE_LABELS, STATUS_LABELS, URGENCY_LABELS } from '../lib/labels';
import { useReference } from '../lib/reference';
import type { QueueState } from '../lib/useQueue';
import { useListFilters } from '../lib/useListFilters';
import {
  columnOrderOf,
  sortOfColumn,
  TICKET_SORT_LABELS,
  type ColumnOrder,
  type SortColumn,
} from '../../shared/domain/ticket-sort';
import { ExportMenu } from './ExportMenu';
import { LoadMore } from './LoadMore';
import { DeadlineTag, StatusTag, UrgencyTag } from './Tags';

type Col = 'number' | 'title' | 'type' | 'category' | 'region' | 'urgency' | 'status' | 'lead' | 'deadline' | 'created';

/**
 * A work queue, coloured by each ticket's deadline state. A `sortable` list (issue 14) is sorted by the server: the
 * 时限 and 受理时间 headers set the URL's sort (useListFilters) and the list reloads from its first page — sorting
 * the loaded rows in the browser would be wrong with keyset pages. Search results keep the search's own order.
 */
export function TicketTable({
  queue,
  columns = ['number', 'title', 'type', 'category', 'region', 'urgency', 'status', 'deadline', 'created'],
  onOpen,
  emptyText,
  rowLink = true,
  exportName,
  rowSelection,
  sortable = false,
}: {
  queue: QueueState;
  columns?: Col[];
  onOpen?: (t: TicketListItem) => void;
  emptyText?: string;
  rowLink?: boolean;
  /** issue 10: the queue's loaded rows export as CSV or Excel under this name (the columns shown, as text) */
  exportName?: string;
  /** issue 14 批量派单: rows can be selected */
  rowSelection?: TableProps<TicketListItem>['rowSelection'];
  /** issue 14: the 时限 and 受理时间 headers sort the list on the server (the order lives in the URL) */
  sortable?: boolean;
}) {
  const ref = useReference();
  const { sort, setSort } = useListFilters();
  const current = columnOrderOf(sort);
  // antd's sorter, controlled: the header shows the URL's order and a click asks the server for another
  const sorterOf = (column: SortColumn, directions: ColumnOrder[]) =>
    sortable
      ? {
          key: column,
          sorter: true,
          sortOrder: current.column === column ? current.order : null,
          sortDirections: directions,
        }
      : {};
  const navigate = useNavigate();
  const dl = (t: TicketListItem): QueueDeadline | undefined => queue.deadlines.get(t.id);
  const all: Record<Col, ColumnsType<TicketListItem>[number]> = {
    number: {
      title: '工单编号',
      dataIndex: 'number',
      width: 170,
      render: (n: string, t) =>
        onOpen ? (
          <a
            onClick={(e) => {
              e.stopPropagation();
              onOpen(t);
            }}
          >
            {n}
          </a>
        ) : rowLink ? (
          <Link to={`/tickets/${t.id}`}>{n}</Link>
        ) : (
          n
        ),
    },
    title: {
      title: '标题',
      dataIndex: 'title',
      ellipsis: true,
      render: (v: string, t) => (
        <div style={{ minWidth: 0 }}>
          <Typography.Text title={v} ellipsis style={{ display: 'block' }}>
            {/* 第十七条: a ticket sent back by the callback is marked in every queue */}
            {t.reworkCount > 0 && (
              <Tag color="volcano" data-testid="rework-tag">
                重办{t.reworkCount > 1 ? ` ×${t.reworkCount}` : ''}
              </Tag>
            )}
            {v}
          </Typography.Text>
          {t.excerpt && (
            <Typography.Text
              type="secondary"
              title={t.excerpt}
              ellipsis
              style={{ display: 'block', fontSize: 12 }}
              data-testid="ticket-excerpt"
            >
              {t.excerpt}
            </Typography.Text>
          )}
          {t.unreachable && (
            <Typography.Text
              type="warning"
              title={`${t.unreachable.summary}。${t.unreachable.note}`}
              ellipsis
              style={{ display: 'block', fontSize: 12 }}
              data-testid="ticket-unreachable"
            >
              {t.unreachable.summary}
            </Typography.Text>
          )}
        </div>
      ),
    },
    type: {
      title: '类型',
      dataIndex: 'requestType',
      width: 64,
      render: (v: TicketListItem['requestType']) => REQUEST_TYPE_LABELS[v],
    },
    category: {
      title: '分类',
      dataIndex: 'categoryId',
      width: 150,
      ellipsis: true,
      render: (v: number) => ref.categoryPath(v),
    },
    region: {
      title: '区域',
      dataIndex: 'regionCode',
      width: 120,
      ellipsis: true,
      render: (v: string) => ref.regionName(v),
    },
    urgency: {
      title: '紧急程度',
      dataIndex: 'urgency',
      width: 84,
      render: (v: TicketListItem['urgency']) => <UrgencyTag urgency={v} />,
    },
    status: {
      title: '状态',
      dataIndex: 'status',
      width: 84,
      render: (v: TicketListItem['status']) => <StatusTag status={v} />,
    },
    lead: {
      title: '主办单位',
      dataIndex: 'leadUnitId',
      width: 190,
      ellipsis: true,
      render: (v: number | null) => (v ? ref.unitName(v) : '—'),
    },
    deadline: {
      title: '时限',
      key: 'deadline',
      width: 200,
      // soonest first, then latest first; tickets without a deadline stay last either way (server order)
      ...sorterOf('deadline', ['ascend', 'descend']),
      render: (_: unknown, t) => {
        const d = dl(t);
        // Without an open deadline (e.g. waiting for dispatch) there is nothing to count down; due_at is then only a sort key.
        if (!d) return <Typography.Text type="secondary">—</Typography.Text>;
        return (
          <Flex gap={4} align="center">
            <DeadlineTag state={d.state} label={d.stateLabel} dueAt={d.dueAt} kindLabel={d.kindLabel} />
            <span style={{ fontSize: 12 }}>{fmtDateTime(d.dueAt)}</span>
          </Flex>
        );
      },
    },
    created: {
      title: '受理时间',
      dataIndex: 'createdAt',
      width: 140,
      render: (v: string) => fmtDateTime(v),
      // the first click shows the newest first: what people sort 受理时间 for
      ...sorterOf('created', ['descend', 'ascend']),
    },
  };
  // what a cell shows, as text for a file (the tags and links of the screen carry the same words)
  const cellText = (c: Col, t: TicketListItem): string => {
    switch (c) {
      case 'number':
        return t.number;
      case 'title':
        return t.title;
      case 'type':
        return REQUEST_TYPE_LABELS[t.requestType];
      case 'category':
        return ref.categoryPath(t.categoryId);
      case 'region':
        return ref.regionName(t.regionCode);
      case 'urgency':
        return URGENCY_LABELS[t.urgency];
      case 'status':
        return STATUS_LABELS[t.status];
      case 'lead':
        return t.leadUnitId ? ref.unitName(t.leadUnitId) : '';
      case 'deadline': {
        const d = dl(t);
        return d ? `${d.stateLabel} ${fmtDateTime(d.dueAt)}` : '';
      }
      case 'created':
        return fmtDateTime(t.createdAt);
    }
  };
  return (
    <>
      <Table<TicketListItem>
        rowKey="id"
        size="middle"
        columns={columns.map((c) => all[c])}
        dataSource={queue.items}
        loading={queue.loading}
        pagination={false}
        scroll={{ y: 'calc(100vh - 290px)' }}
        locale={{ emptyText: emptyText ?? '暂无工单' }}
        onChange={(_pagination, _filters, sorter, extra) => {
          if (!sortable || extra.action !== 'sort') return;
          const one = Array.isArray(sorter) ? sorter[0] : sorter;
          setSort(sortOfColumn(one?.columnKey as SortColumn | undefined, one?.order));
        }}
        rowSelection={
          rowSelection && {
            ...rowSelection,
            // 无障碍: each row's checkbox has a name ("选择 HZ…"), not an unlabelled box
            getCheckboxProps: (t) =>
              ({ ...rowSelection.getCheckboxProps?.(t), 'aria-label': `选择 ${t.number}` }) as ReturnType<
                NonNullable<NonNullable<TableProps<TicketListItem>['rowSelection']>['getCheckboxProps']>
              >,
          }
        }
        // 无障碍: every queue row is a Tab stop that opens on Enter or Space as on a click (lib/row-keyboard.ts)
        onRow={(t) =>
          ({
            ...(onOpen
              ? openableRow(onOpen)(t)
              : rowLink
                ? openableRow((r: TicketListItem) => navigate(`/tickets/${r.id}`), undefined, { click: false })(t)
                : {}),
            'data-ticket-number': t.number,
          }) as HTMLAttributes<HTMLElement>
        }
      />
      <Flex justify="space-between" align="center" style={{ marginTop: 8 }}>
        <Flex gap={8} align="center">
          <Typography.Text type="secondary" data-testid="queue-loaded">
            已加载 {queue.items.length} 件{sortable ? `，${TICKET_SORT_LABELS[sort]}` : ''}
          </Typography.Text>
          {exportName && (
            <ExportMenu
              size="small"
              label="导出已加载"
              testId="queue-export"
              disabled={!queue.items.length}
              onExport={(format) =>
                downloadTable(
                  format,
                  exportName,
                  columns.map((c) => {
                    const title = all[c].title;
                    return typeof title === 'string' ? title : c;
                  }),
                  queue.items.map((t) => columns.map((c) => cellText(c, t))),
                  { loaded: queue.items.length },
                )
              }
            />
          )}
        </Flex>
        <LoadMore list={queue} inline />
      </Flex>
    </>
  );
}
