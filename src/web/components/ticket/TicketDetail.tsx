import { useState, type ReactNode } from 'react';
import { App, Button, Card, Col, Flex, List, Result, Row, Skeleton, Tag } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api/endpoints';
import { ApiError } from '../../api/client';
import type { TicketView } from '../../api/types';
import { useMe } from '../../auth/session';
import { APPLICATION_KIND_LABELS } from '../../lib/labels';
import { ticketActions } from '../../lib/permissions';
import { useAsync } from '../../lib/useAsync';
import { ErrorAlert } from '../ErrorAlert';
import { CallbackForm } from './CallbackForm';
import { DeadlineList } from './DeadlineList';
import { DispatchPanel } from './DispatchPanel';
import { DispatcherClassification } from '../classification/DispatcherClassification';
import { MergePanel } from './MergePanel';
import { UnmergePanel } from './UnmergePanel';
import { ReviewModal, type ReviewTarget } from './ReviewModal';
import { TicketInfo } from './TicketInfo';
import { TicketRecords } from './TicketRecords';
import { UnitActions } from './UnitActions';
import { RecallPanel } from '../unit-workflow/RecallPanel';
import { ReworkBanner } from '../unit-workflow/ReworkBanner';
import { SignoffPanel, useReplySignoffs } from '../unit-workflow/ReplySignoff';
import { HandlerPanel } from '../unit-workflow/HandlerPanel';
import { SubDispatchPanel } from './SubDispatchPanel';

/** The units a dispute application proposed, as its 'dispute_applied' event recorded them. */
function proposedUnits(ticket: TicketView, applicationId: number): number[] | null {
  const e = ticket.events.find((x) => x.kind === 'dispute_applied' && Number(x.data?.applicationId) === applicationId);
  const ids = e?.data?.proposedUnitIds;
  return Array.isArray(ids) ? ids.map(Number) : null;
}

/** Pending applications on this ticket, for the dispatcher to review from the ticket itself. */
function PendingApplications({ ticket, onDone }: { ticket: TicketView; onDone: () => void }) {
  const { message } = App.useApp();
  const [target, setTarget] = useState<ReviewTarget | null>(null);
  const pending = ticket.applications.filter((a) => a.status === 'pending');
  return (
    <Card size="small" title="待审核申请">
      <List
        size="small"
        dataSource={pending}
        renderItem={(a) => (
          <List.Item
            actions={[
              <Button
                key="r"
                size="small"
                type="primary"
                onClick={() =>
                  setTarget({
                    id: a.id,
                    kind: a.kind,
                    ticketNumber: ticket.number,
                    ticketTitle: ticket.title,
                    unitId: a.unitId,
                    reason: a.reason,
                    materials: a.materials,
                    requestedDays: a.requestedDays,
                    progress: a.progress,
                    terminationCase: a.terminationCase,
                    createdAt: a.createdAt,
                    proposedUnitIds: proposedUnits(ticket, a.id),
                  })
                }
              >
                审核
              </Button>,
            ]}
          >
            <Tag color="gold">{APPLICATION_KIND_LABELS[a.kind]}</Tag>
            {a.reason}
          </List.Item>
        )}
      />
      <ReviewModal
        target={target}
        onClose={() => setTarget(null)}
        onDone={(msg) => {
          message.success(msg);
          onDone();
        }}
      />
    </Card>
  );
}

/**
 * Everything about one ticket and the actions this user may take on it. `onChanged` lets a queue refresh
 * after an action; the view reloads itself.
 */
export function TicketDetail({
  id,
  onChanged,
  compact = false,
  above,
  below,
}: {
  id: number;
  onChanged?: () => void;
  compact?: boolean;
  /** shown above / under the ticket once it has loaded (never for a ticket this user may not see: no requests in vain) */
  above?: ReactNode;
  /** or, given the loaded ticket, what to show under it */
  below?: ReactNode | ((t: TicketView) => ReactNode);
}) {
  const me = useMe();
  const view = useAsync(() => api.tickets.view(id), [id]);
  const t = view.data;
  // 第十五条 审核: whether this unit's reply goes to its manager first, and a submission waiting
  const signoff = useReplySignoffs(t, me);
  const done = () => {
    void view.reload();
    onChanged?.();
  };

  if (view.error && !t) {
    const e = view.error;
    if (e instanceof ApiError && (e.status === 404 || e.status === 403)) {
      return (
        <div data-testid="ticket-not-found">
          <Result
            status={e.status === 404 ? '404' : '403'}
            title={e.message}
            subTitle="请确认工单编号，或从本人的工作队列进入。"
          />
        </div>
      );
    }
    return <ErrorAlert message={view.errorText} onRetry={() => void view.reload()} />;
  }
  if (!t) return <Skeleton active paragraph={{ rows: 12 }} />;
  const actions = ticketActions(me, t);

  return (
    <div data-testid="ticket-detail" data-status={t.status}>
      {above}
      {view.errorText && <ErrorAlert message={view.errorText} onRetry={() => void view.reload()} />}
      <Row gutter={[12, 12]}>
        <Col span={compact ? 14 : 16}>
          <Flex vertical gap={12}>
            <ReworkBanner ticket={t} />
            <TicketInfo ticket={t} />
            <Card
              size="small"
              extra={
                <Button
                  size="small"
                  type="text"
                  icon={<ReloadOutlined />}
                  onClick={() => void view.reload()}
                  loading={view.loading}
                >
                  刷新
                </Button>
              }
            >
              <TicketRecords ticket={t} />
            </Card>
          </Flex>
        </Col>
        <Col span={compact ? 10 : 8}>
          <Flex vertical gap={12}>
            {actions.has('dispatch') && <DispatchPanel ticket={t} onDone={done} />}
            {actions.has('dispatch') && <DispatcherClassification ticket={t} onDone={done} />}
            {actions.has('review') && <PendingApplications ticket={t} onDone={done} />}
            {actions.has('recall') && <RecallPanel ticket={t} onDone={done} />}
            {actions.has('merge') && <MergePanel ticket={t} onDone={done} />}
            {actions.has('unmerge') && <UnmergePanel ticket={t} onDone={done} />}
            <SignoffPanel ticket={t} state={signoff} me={me} onDone={done} />
            <HandlerPanel ticket={t} me={me} onDone={done} />
            {me && <SubDispatchPanel ticket={t} me={me} onDone={done} />}
            <UnitActions ticket={t} actions={actions} onDone={done} signoff={signoff} />
            {actions.has('callback') && <CallbackForm ticket={t} onDone={done} />}
            <Card size="small" title="办理时限">
              <DeadlineList deadlines={t.deadlines} />
            </Card>
          </Flex>
        </Col>
      </Row>
      {typeof below === 'function' ? below(t) : below}
    </div>
  );
}
