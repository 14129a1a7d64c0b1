import { useNavigate } from 'react-router-dom';
import { Button } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { TicketTable } from '../../components/TicketTable';
import { useListFilters } from '../../lib/useListFilters';
import { useQueue } from '../../lib/useQueue';

/** 协办任务: tickets my unit assists on and has not yet submitted its result for. */
export default function AssistQueuePage() {
  // issue 14: the order chosen on the table's headers, from the URL (sorted by the server)
  const { sort } = useListFilters();
  const queue = useQueue({ view: 'assist', status: ['dispatched', 'in_progress'], sort });
  const nav = useNavigate();
  return (
    <>
      <PageHeader
        title="协办任务"
        sub="在协办时限内向主办单位提交协办结果（第十六条）"
        extra={
          <Button icon={<ReloadOutlined />} onClick={queue.reload}>
            刷新
          </Button>
        }
      />
      <ErrorAlert message={queue.error} onRetry={queue.reload} />
      <TicketTable
        queue={queue}
        exportName="协办任务"
        onOpen={(t) => nav(`/tickets/${t.id}`)}
        columns={['number', 'title', 'category', 'lead', 'status', 'deadline', 'created']}
        emptyText="暂无协办任务"
        sortable
      />
    </>
  );
}
