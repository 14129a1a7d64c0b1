import type { HTMLAttributes } from 'react';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { App, Button, Flex, Segmented, Table, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api/endpoints';
import type { ApplicationKind, PendingApplication } from '../../api/types';
import { useMe } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { ReviewModal, type ReviewTarget } from '../../components/ticket/ReviewModal';
import { fmtDateTime } from '../../lib/format';
import { APPLICATION_KIND_LABELS, TERMINATION_CASE_LABELS } from '../../lib/labels';
import { hasRole } from '../../lib/permissions';
import { useReference } from '../../lib/reference';
import { useAsync } from '../../lib/useAsync';

const KIND_COLORS: Record<ApplicationKind, string> = { return: 'orange', extension: 'blue', termination: 'red', dispute: 'purple' };

/** 申请审核: return, extension, termination and dispute applications waiting for the centre, oldest first. */
export default function ReviewQueuePage() {
  const me = useMe();
  const ref = useReference();
  const { message } = App.useApp();
  const [kind, setKind] = useState<ApplicationKind | 'all'>('all');
  const [pages, setPages] = useState<number[]>([]);
  const [target, setTarget] = useState<ReviewTarget | null>(null);
  const canReview = hasRole(me, 'dispatcher');
  const list = useAsync(async () => {
    const items: PendingApplication[] = [];
    let after: number | null = null;
    let next: number | null = null;
    for (let i = 0; i <= pages.length; i++) {
      const page = await api.applications.pending({ kind: kind === 'all' ? undefined : kind, after, limit: 50 });
      items.push(...page.items);
      next = page.next;
      after = page.next;
      if (!after) break;
    }
    return { items, next };
  }, [kind, pages.length]);

  const open = (a: PendingApplication) => setTarget({
    id: a.id, kind: a.kind, ticketNumber: a.ticket_number, ticketTitle: a.ticket_title, unitId: a.unit_id, reason: a.reason, materials: a.materials,
    requestedDays: a.requested_days, progress: a.progress, terminationCase: a.termination_case, createdAt: a.created_at,
  });

  return (
    <>
      <PageHeader
        title="申请审核"
        sub={canReview ? '审核承办单位的退单、延期、终止办理申请，组织职责争议会商' : '查看待审核的申请（审核由派单员进行）'}
        extra={<Button icon={<ReloadOutlined />} onClick={() => void list.reload()}>刷新</Button>}
      />
      <Flex style={{ marginBottom: 12 }}>
        <Segmented
          value={kind}
          onChange={(v) => { setKind(v as ApplicationKind | 'all'); setPages([]); }}
          options={[{ value: 'all', label: '全部' }, ...Object.entries(APPLICATION_KIND_LABELS).map(([value, label]) => ({ value, label }))]}
        />
      </Flex>
      <ErrorAlert message={list.errorText} onRetry={() => void list.reload()} />
      <Table<PendingApplication>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ y: 'calc(100vh - 300px)' }}
        locale={{ emptyText: '没有待审核的申请' }}
        onRow={(a) => ({ 'data-application-kind': a.kind, 'data-ticket-number': a.ticket_number } as HTMLAttributes<HTMLElement>)}
        columns={[
          { title: '类型', dataIndex: 'kind', width: 120, render: (k: ApplicationKind) => <Tag color={KIND_COLORS[k]}>{APPLICATION_KIND_LABELS[k]}</Tag> },
          { title: '工单', dataIndex: 'ticket_number', width: 240, render: (n: string, a) => <div><Link to={`/tickets/${a.ticket_id}`}>{n}</Link><div><Typography.Text type="secondary" ellipsis style={{ maxWidth: 220 }}>{a.ticket_title}</Typography.Text></div></div> },
          { title: '申请单位', dataIndex: 'unit_name', width: 180, ellipsis: true },
          {
            title: '理由与材料', key: 'reason',
            render: (_, a) => (
              <div className="pre-wrap">
                {a.reason}
                {a.requested_days ? <div><Typography.Text type="secondary">延期：</Typography.Text>{a.requested_days} 个工作日</div> : null}
                {a.progress ? <div><Typography.Text type="secondary">阶段性情况：</Typography.Text>{a.progress}</div> : null}
                {a.termination_case ? <div><Typography.Text type="secondary">情形：</Typography.Text>{TERMINATION_CASE_LABELS[a.termination_case]}</div> : null}
                <div><Typography.Text type="secondary">材料：</Typography.Text>{a.materials.length ? a.materials.map((m) => m.name).join('、') : '无'}</div>
              </div>
            ),
          },
          { title: '区域', dataIndex: 'region_code', width: 110, render: (c: string) => ref.regionName(c) },
          { title: '提交时间', dataIndex: 'created_at', width: 140, render: fmtDateTime },
          ...(canReview ? [{ title: '操作', key: 'op', width: 90, render: (_: unknown, a: PendingApplication) => <Button type="primary" size="small" onClick={() => open(a)}>{a.kind === 'dispute' ? '处理' : '审核'}</Button> }] : []),
        ]}
      />
      {list.data?.next && <Flex justify="end" style={{ marginTop: 8 }}><Button onClick={() => setPages((p) => [...p, 1])}>加载更多</Button></Flex>}
      <ReviewModal target={target} onClose={() => setTarget(null)} onDone={(msg) => { message.success(msg); void list.reload(); }} />
    </>
  );
}
