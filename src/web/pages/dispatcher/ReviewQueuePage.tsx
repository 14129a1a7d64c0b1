import type { HTMLAttributes } from 'react';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { App, Button, Flex, Segmented, Table, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api/endpoints';
import type { ApplicationKind, PendingApplication } from '../../api/types';
import { useMe } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ExportMenu } from '../../components/ExportMenu';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { ApplicationReason } from '../../components/ticket/ApplicationReason';
import { ReviewModal, type ReviewTarget } from '../../components/ticket/ReviewModal';
import { downloadTable } from '../../lib/csv';
import { fmtDateTime } from '../../lib/format';
import { APPLICATION_KIND_LABELS } from '../../lib/labels';
import { hasRole } from '../../lib/permissions';
import { useReference } from '../../lib/reference';
import { useKeysetList } from '../../lib/useKeysetList';

const KIND_COLORS: Record<ApplicationKind, string> = {
  return: 'orange',
  extension: 'blue',
  termination: 'red',
  dispute: 'purple',
};

/** 申请审核: return, extension, termination and dispute applications waiting for the centre, oldest first. */
export default function ReviewQueuePage() {
  const me = useMe();
  const ref = useReference();
  const { message } = App.useApp();
  const [kind, setKind] = useState<ApplicationKind | 'all'>('all');
  const [target, setTarget] = useState<ReviewTarget | null>(null);
  const canReview = hasRole(me, 'dispatcher');
  const list = useKeysetList(kind, (after: number | null) =>
    api.applications.pending({ kind: kind === 'all' ? undefined : kind, after, limit: 50 }),
  );
  const items = list.items;
  const open = (a: PendingApplication) => setTarget(a);

  return (
    <>
      <PageHeader
        title="申请审核"
        sub={
          canReview
            ? '审核承办单位的退单、延期、终止办理申请，组织职责争议会商'
            : '查看待审核的申请（审核由派单员进行）'
        }
        extra={
          <>
            <ExportMenu
              testId="review-export"
              disabled={!items.length}
              onExport={(format) =>
                downloadTable(
                  format,
                  '申请审核',
                  [
                    '类型',
                    '工单编号',
                    '工单标题',
                    '申请单位',
                    '理由',
                    '申请延期天数',
                    '阶段性进展',
                    '区域',
                    '提交时间',
                  ],
                  items.map((a) => [
                    APPLICATION_KIND_LABELS[a.kind],
                    a.ticketNumber,
                    a.ticketTitle,
                    a.unitName,
                    a.reason,
                    a.requestedDays,
                    a.progress,
                    ref.regionName(a.regionCode),
                    fmtDateTime(a.createdAt),
                  ]),
                  { kind: kind === 'all' ? null : kind, loaded: items.length },
                )
              }
            />
            <Button icon={<ReloadOutlined />} onClick={list.reload}>
              刷新
            </Button>
          </>
        }
      />
      <Flex style={{ marginBottom: 12 }}>
        <Segmented
          value={kind}
          onChange={(v) => {
            setKind(v as ApplicationKind | 'all');
          }}
          options={[
            { value: 'all', label: '全部' },
            ...Object.entries(APPLICATION_KIND_LABELS).map(([value, label]) => ({ value, label })),
          ]}
        />
      </Flex>
      <ErrorAlert message={list.error} onRetry={list.reload} />
      <Table<PendingApplication>
        rowKey="id"
        size="middle"
        loading={list.loadingFirst}
        dataSource={items}
        pagination={false}
        scroll={{ y: 'calc(100vh - 300px)' }}
        locale={{ emptyText: '没有待审核的申请' }}
        onRow={(a) =>
          ({ 'data-application-kind': a.kind, 'data-ticket-number': a.ticketNumber }) as HTMLAttributes<HTMLElement>
        }
        columns={[
          {
            title: '类型',
            dataIndex: 'kind',
            width: 120,
            render: (k: ApplicationKind) => <Tag color={KIND_COLORS[k]}>{APPLICATION_KIND_LABELS[k]}</Tag>,
          },
          {
            title: '工单',
            dataIndex: 'ticketNumber',
            width: 240,
            render: (n: string, a) => (
              <div>
                <Link to={`/tickets/${a.ticketId}`}>{n}</Link>
                <div>
                  <Typography.Text type="secondary" ellipsis style={{ maxWidth: 220 }}>
                    {a.ticketTitle}
                  </Typography.Text>
                </div>
              </div>
            ),
          },
          { title: '申请单位', dataIndex: 'unitName', width: 180, ellipsis: true },
          {
            title: '理由与材料',
            key: 'reason',
            render: (_, a) => <ApplicationReason a={a} noMaterialsText="无" />,
          },
          { title: '区域', dataIndex: 'regionCode', width: 110, render: (c: string) => ref.regionName(c) },
          { title: '提交时间', dataIndex: 'createdAt', width: 140, render: fmtDateTime },
          ...(canReview
            ? [
                {
                  title: '操作',
                  key: 'op',
                  width: 90,
                  render: (_: unknown, a: PendingApplication) => (
                    <Button type="primary" size="small" onClick={() => open(a)}>
                      {a.kind === 'dispute' ? '处理' : '审核'}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <LoadMore list={list} />
      <ReviewModal
        target={target}
        onClose={() => setTarget(null)}
        onDone={(msg) => {
          message.success(msg);
          list.reload();
        }}
      />
    </>
  );
}
