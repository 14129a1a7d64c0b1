import type { HTMLAttributes } from 'react';
import { Flex, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { signoffApi, type SignoffQueueItem } from '../../api/unit-workflow';
import { downloadTable } from '../../lib/csv';
import { fmtDateTime } from '../../lib/format';
import { useKeysetList } from '../../lib/useKeysetList';
import { ErrorAlert } from '../ErrorAlert';
import { ExportMenu } from '../ExportMenu';
import { LoadMore } from '../LoadMore';

/** 第十五条 审核: the unit manager's 待审核 — replies the unit's handlers submitted, oldest first. */
export function SignoffQueue() {
  const list = useKeysetList(null, (after: number | null) => signoffApi.queue(after ?? undefined));
  const items = list.items;
  const header = ['工单编号', '标题', '提交人', '提交时间', '答复时限', '是否解决', '办理结果'];
  return (
    <>
      <ErrorAlert message={list.error} onRetry={list.reload} />
      <Table<SignoffQueueItem>
        rowKey="id"
        size="middle"
        data-testid="signoff-queue"
        loading={list.loadingFirst}
        dataSource={items}
        pagination={false}
        scroll={{ y: 'calc(100vh - 330px)' }}
        locale={{ emptyText: '没有待审核的答复' }}
        onRow={(r) => ({ 'data-ticket-number': r.ticketNumber }) as HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: '工单编号',
            dataIndex: 'ticketNumber',
            width: 170,
            render: (n: string, r) => <Link to={`/tickets/${r.ticketId}`}>{n}</Link>,
          },
          { title: '标题', dataIndex: 'ticketTitle', ellipsis: true },
          { title: '提交人', dataIndex: 'submittedByName', width: 100 },
          { title: '提交时间', dataIndex: 'submittedAt', width: 140, render: (v: string) => fmtDateTime(v) },
          { title: '答复时限', dataIndex: 'dueAt', width: 140, render: (v: string | null) => fmtDateTime(v) },
          {
            title: '是否解决',
            dataIndex: 'solved',
            width: 90,
            render: (v: boolean) => (v ? <Tag color="green">已解决</Tag> : <Tag color="orange">未能解决</Tag>),
          },
          {
            title: '办理结果',
            dataIndex: 'result',
            ellipsis: true,
            render: (v: string) => <Typography.Text title={v}>{v}</Typography.Text>,
          },
        ]}
      />
      <Flex justify="space-between" align="center" style={{ marginTop: 8 }}>
        <Flex gap={8} align="center">
          <Typography.Text type="secondary">已加载 {items.length} 件</Typography.Text>
          <ExportMenu
            size="small"
            label="导出已加载"
            disabled={!items.length}
            onExport={(format) =>
              downloadTable(
                format,
                '待审核答复',
                header,
                items.map((r) => [
                  r.ticketNumber,
                  r.ticketTitle,
                  r.submittedByName,
                  fmtDateTime(r.submittedAt),
                  fmtDateTime(r.dueAt),
                  r.solved ? '已解决' : '未能解决',
                  r.result,
                ]),
                { loaded: items.length },
              )
            }
          />
        </Flex>
        <LoadMore list={list} inline />
      </Flex>
    </>
  );
}
