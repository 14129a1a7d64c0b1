import { useState } from 'react';
import { Button, Card, Col, Descriptions, Drawer, Row, Skeleton, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api/endpoints';
import type { TicketListItem } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { TicketTable } from '../../components/TicketTable';
import { CallbackForm } from '../../components/ticket/CallbackForm';
import { CallbackAttemptsCard } from '../../components/ticket/CallbackAttemptsCard';
import { RequesterInfo } from '../../components/ticket/RequesterInfo';
import { TicketRecords } from '../../components/ticket/TicketRecords';
import { fmtDateTime } from '../../lib/format';
import { useReference } from '../../lib/reference';
import { useAsync } from '../../lib/useAsync';
import { ListFilterBar } from '../../components/ListFilterBar';
import { useListFilters } from '../../lib/useListFilters';
import { useQueue } from '../../lib/useQueue';

function CallbackWorkspace({ id, onDone }: { id: number; onDone: () => void }) {
  const ref = useReference();
  const view = useAsync(() => api.tickets.view(id), [id]);
  const t = view.data;
  if (view.errorText && !t) return <ErrorAlert message={view.errorText} onRetry={() => void view.reload()} />;
  if (!t) return <Skeleton active />;
  const replied = [...t.events].reverse().find((e) => e.kind === 'replied');
  const solved = replied?.data.solved;
  return (
    <Row gutter={12}>
      <Col span={14}>
        <Card size="small" title="承办单位答复" data-testid="callback-reply">
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label="工单">
              {t.number} {t.title}
            </Descriptions.Item>
            <Descriptions.Item label="诉求人">
              <RequesterInfo ticket={t} />
            </Descriptions.Item>
            <Descriptions.Item label="诉求内容">
              <div className="pre-wrap">{t.content}</div>
            </Descriptions.Item>
            <Descriptions.Item label="承办单位">{ref.unitName(t.leadUnitId)}</Descriptions.Item>
            <Descriptions.Item label="办理结果">
              <div className="pre-wrap">{t.reply?.result ?? '—'}</div>
            </Descriptions.Item>
            {typeof solved === 'boolean' && (
              <Descriptions.Item label="单位自评">{solved ? '已解决' : '未能解决'}</Descriptions.Item>
            )}
            {t.reply?.explanation && (
              <Descriptions.Item label="解释说明">
                <div className="pre-wrap">{t.reply.explanation}</div>
              </Descriptions.Item>
            )}
            {t.reply?.unreachable && (
              <Descriptions.Item label="联系情况">
                <Typography.Text type="warning">{t.reply.unreachable.summary}</Typography.Text>
                <div className="pre-wrap">{t.reply.unreachable.note}</div>
              </Descriptions.Item>
            )}
            <Descriptions.Item label="答复时间">{fmtDateTime(t.repliedAt)}</Descriptions.Item>
            {t.reworkCount > 0 && (
              <Descriptions.Item label="重办">
                <Typography.Text type="warning">已重办 {t.reworkCount} 次</Typography.Text>
              </Descriptions.Item>
            )}
          </Descriptions>
        </Card>
        <Card size="small" style={{ marginTop: 12 }}>
          <TicketRecords ticket={t} />
        </Card>
      </Col>
      <Col span={10}>
        {t.status === 'replied' ? (
          <>
            <CallbackForm
              ticket={t}
              onDone={() => {
                onDone();
                void view.reload();
              }}
            />
            <CallbackAttemptsCard
              ticketId={t.id}
              onClosed={() => {
                onDone();
                void view.reload();
              }}
            />
          </>
        ) : (
          <Card size="small">
            <Typography.Text type="secondary">该工单已回访（{t.statusLabel}）。</Typography.Text>
          </Card>
        )}
      </Col>
    </Row>
  );
}

/** 回访员: replied tickets waiting for the callback; the reply is shown beside the callback form. */
export default function CallbackQueuePage() {
  // issue 14: the list's filters from the URL (status is this queue's own)
  const { filters } = useListFilters();
  const { status: _status, ...rest } = filters;
  const queue = useQueue({ view: 'centre', status: ['replied'], ...rest });
  const [open, setOpen] = useState<TicketListItem | null>(null);
  return (
    <>
      <PageHeader
        title="待回访"
        sub="回访诉求人，记录满意度；不满意且诉求合理的退回重办（第十七条）"
        extra={
          <Button icon={<ReloadOutlined />} onClick={queue.reload}>
            刷新
          </Button>
        }
      />
      <ListFilterBar screen="callback-queue" showUnit />
      <ErrorAlert message={queue.error} onRetry={queue.reload} />
      <TicketTable
        queue={queue}
        exportName="待回访"
        onOpen={setOpen}
        columns={['number', 'title', 'category', 'lead', 'deadline', 'created']}
        emptyText="没有待回访的工单"
        sortable
      />
      <Drawer
        open={!!open}
        onClose={() => setOpen(null)}
        width={1120}
        title={open ? `回访 · ${open.number}` : ''}
        destroyOnHidden
        styles={{ body: { background: '#f5f5f5', padding: 12 } }}
      >
        {open && <CallbackWorkspace id={open.id} onDone={queue.reload} />}
      </Drawer>
    </>
  );
}
