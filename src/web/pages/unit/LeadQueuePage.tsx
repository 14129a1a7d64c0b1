import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Button, Flex, Segmented, Space, Tag } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import type { TicketStatus } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { TicketTable } from '../../components/TicketTable';
import { DEADLINE_COLORS } from '../../components/Tags';
import { ListFilterBar } from '../../components/ListFilterBar';
import { useListFilters } from '../../lib/useListFilters';
import { useQueue } from '../../lib/useQueue';
import { useMe } from '../../auth/session';
import { hasRole } from '../../lib/permissions';
import { SignoffQueue } from '../../components/unit-workflow/SignoffQueue';
import { api } from '../../api/endpoints';
import { SubDispatchTable } from './SubDispatchQueuePage';
import { EmergingReminderAlert } from '../../components/EmergingReminderAlert';
import { ForecastReminderAlert } from '../../components/ForecastReminderAlert';

const MINE: TicketStatus[] = ['dispatched', 'in_progress'];
const FILTERS: Record<string, { label: string; status: TicketStatus[] }> = {
  todo: { label: '在办', status: ['dispatched', 'in_progress'] },
  dispatched: { label: '待签收', status: ['dispatched'] },
  in_progress: { label: '办理中', status: ['in_progress'] },
  replied: { label: '已答复待回访', status: ['replied'] },
  done: { label: '已办结', status: ['closed', 'terminated'] },
};

/** 承办单位: tickets my unit leads, most urgent deadline first, coloured by deadline state. */
export default function LeadQueuePage() {
  const [filter, setFilter] = useState('todo');
  // 第十五条 审核: the unit manager's 待审核 (replies of the unit's handlers) is one more view of the queue
  const me = useMe();
  const manager = hasRole(me, 'unit_manager');
  const signoffView = filter === 'signoff';
  // 二级派单: the sub-units' progress (status, sub-deadline, overdue) on what this unit passed down
  const subView = filter === 'sub';
  // 「我的」: the tickets the unit manager named me for; a handler who has any sees them first
  // issue 14: the list's filters from the URL (the tabs above choose the status)
  const { filters: listFilters } = useListFilters();
  const { status: _status, unitId: _unit, ...narrow } = listFilters;
  const queue = useQueue({
    view: filter === 'mine' ? 'mine' : 'lead',
    status: filter === 'mine' ? MINE : (FILTERS[filter]?.status ?? FILTERS.todo!.status),
    ...narrow,
  });
  const touched = useRef(false);
  useEffect(() => {
    if (manager) return;
    let live = true;
    api.tickets
      .queue({ view: 'mine', status: MINE, limit: 1 })
      .then((p) => {
        if (live && p.items.length && !touched.current) setFilter('mine');
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [manager]);
  const nav = useNavigate();
  return (
    <>
      <PageHeader
        title="本单位工单"
        sub="本单位主办的工单，默认按时限先后排列"
        extra={
          <>
            <Space size={4}>
              <Tag color={DEADLINE_COLORS.ok}>正常</Tag>
              <Tag color={DEADLINE_COLORS.warning}>临期预警</Tag>
              <Tag color={DEADLINE_COLORS.breached}>已超期</Tag>
            </Space>
            <Button icon={<ReloadOutlined />} onClick={queue.reload}>
              刷新
            </Button>
          </>
        }
      />
      {/* 第二十八条(二): before a seasonal peak */}
      <ForecastReminderAlert />
      {/* 第二十八条(三)(四): a new matter rising, of which the unit leads tickets */}
      <EmergingReminderAlert />
      <Flex style={{ marginBottom: 12 }}>
        <Segmented
          value={filter}
          onChange={(v) => {
            touched.current = true;
            setFilter(String(v));
          }}
          options={[
            { value: 'mine', label: '我的' },
            ...Object.entries(FILTERS).map(([value, f]) => ({ value, label: f.label })),
            ...(manager ? [{ value: 'signoff', label: '待审核答复' }] : []),
            { value: 'sub', label: '转派下级' },
          ]}
        />
      </Flex>
      {signoffView && <SignoffQueue />}
      {subView && <SubDispatchTable view="sent" />}
      {!signoffView && !subView && <ListFilterBar screen="unit-lead-queue" />}
      {!signoffView && !subView && <ErrorAlert message={queue.error} onRetry={queue.reload} />}
      {!signoffView && !subView && (
        <TicketTable
          queue={queue}
          exportName="本单位工单"
          onOpen={(t) => nav(`/tickets/${t.id}`)}
          columns={['number', 'title', 'category', 'region', 'urgency', 'status', 'deadline', 'created']}
          emptyText={filter === 'todo' ? '本单位暂无在办工单' : '暂无工单'}
          sortable
        />
      )}
    </>
  );
}
