import { useState } from 'react';
import { App, Button, Card, Select, Space, Typography } from 'antd';
import { errorMessage } from '../../api/client';
import type { Me, TicketView } from '../../api/types';
import { handlerApi } from '../../api/unit-workflow';
import { fmtDateTime } from '../../lib/format';
import { hasRole, isUnitStaff } from '../../lib/permissions';
import { useAsync } from '../../lib/useAsync';

/** The handler the unit manager named last, from the ticket's events. */
function currentHandler(t: TicketView) {
  const e = [...t.events].reverse().find((x) => x.kind === 'handler_assigned' && x.actorUnitId === t.leadUnitId);
  if (!e) return null;
  return {
    id: Number(e.data?.handlerId),
    name: typeof e.data?.handlerName === 'string' ? e.data.handlerName : '',
    at: e.at,
  };
}

/**
 * 单位内部分办: the lead unit's staff see who handles the ticket; the unit manager names (or changes) the handler,
 * who then finds it under 「我的」.
 */
export function HandlerPanel({
  ticket,
  me,
  onDone,
}: {
  ticket: TicketView;
  me: Me | null | undefined;
  onDone: () => void;
}) {
  const { message } = App.useApp();
  const manager = hasRole(me, 'unit_manager');
  const shown =
    isUnitStaff(me) &&
    ticket.leadUnitId === me?.unitId &&
    (ticket.status === 'dispatched' || ticket.status === 'in_progress');
  const people = useAsync(
    () => (shown && manager ? handlerApi.handlers() : Promise.resolve({ items: [] })),
    [shown, manager],
  );
  const [choice, setChoice] = useState<number | undefined>();
  const [busy, setBusy] = useState(false);
  if (!shown) return null;
  const current = currentHandler(ticket);
  const assign = async () => {
    if (!choice) return;
    setBusy(true);
    try {
      await handlerApi.assign(ticket.id, choice, ticket.version);
      message.success(`已指定承办人：${people.data?.items.find((p) => p.id === choice)?.name ?? ''}`);
      setChoice(undefined);
      onDone();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" title="承办人" data-testid="handler-panel">
      <Typography.Paragraph style={{ marginBottom: manager ? 8 : 0 }} data-testid="current-handler">
        {current ? (
          <>
            <Typography.Text strong>{current.name}</Typography.Text>
            <Typography.Text type="secondary">（{fmtDateTime(current.at)} 指定）</Typography.Text>
            {current.id === me?.userId && (
              <Typography.Text type="success" style={{ marginLeft: 8 }}>
                本人承办
              </Typography.Text>
            )}
          </>
        ) : (
          <Typography.Text type="secondary">尚未指定承办人</Typography.Text>
        )}
      </Typography.Paragraph>
      {manager && (
        <Space.Compact style={{ width: '100%' }}>
          <Select
            aria-label="指定承办人"
            placeholder="选择本单位承办人"
            style={{ width: '100%' }}
            loading={people.loading}
            value={choice}
            onChange={setChoice}
            options={(people.data?.items ?? [])
              .filter((p) => p.id !== current?.id)
              .map((p) => ({ value: p.id, label: p.name, title: p.name }))}
          />
          <Button type="primary" disabled={!choice} loading={busy} onClick={() => void assign()}>
            {current ? '改为此人' : '指定'}
          </Button>
        </Space.Compact>
      )}
    </Card>
  );
}
