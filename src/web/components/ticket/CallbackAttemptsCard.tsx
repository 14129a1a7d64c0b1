import { useState } from 'react';
import { Alert, App, Button, Card, Input, Popconfirm, Space, Timeline, Typography } from 'antd';
import { CALLBACK_ATTEMPT_LABELS, CALLBACK_ATTEMPT_RULE } from '../../../shared/domain/callback-attempts';
import { callbackAttemptsApi } from '../../api/callback-attempts';
import { errorMessage } from '../../api/client';
import { fmtDateTime } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';

/**
 * 第十七条 回访未果 (issue 14): record a call that did not reach the requester (未接通) or that the requester declined
 * (拒绝回访), see when to try next, and end the callback without an evaluation once the rule allows it.
 */
export function CallbackAttemptsCard({ ticketId, onClosed }: { ticketId: number; onClosed: () => void }) {
  const { message } = App.useApp();
  const plan = useAsync(() => callbackAttemptsApi.plan(ticketId), [ticketId]);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const p = plan.data;
  const run = (work: () => Promise<unknown>, done: string, after?: () => void) => {
    setBusy(true);
    work()
      .then(() => {
        message.success(done);
        setNote('');
        void plan.reload();
        after?.();
      })
      .catch((e: unknown) => void message.error(errorMessage(e)))
      .finally(() => setBusy(false));
  };
  const r = CALLBACK_ATTEMPT_RULE;
  return (
    <Card size="small" title="回访未果" style={{ marginTop: 12 }} data-testid="callback-attempts">
      {p && p.attempts.length > 0 && (
        <Timeline
          style={{ marginBottom: 0 }}
          items={p.attempts.map((a) => ({
            color: a.outcome === 'refused' ? 'red' : 'gray',
            children: (
              <span>
                {CALLBACK_ATTEMPT_LABELS[a.outcome]} · {fmtDateTime(a.at)} · {a.agentName}
                {a.note ? `：${a.note}` : ''}
              </span>
            ),
          }))}
        />
      )}
      {p?.nextTryAt && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 8 }}
          data-testid="callback-next-try"
          message={`下次回访：${fmtDateTime(p.nextTryAt)}（已未接通 ${p.unreached} 次）`}
        />
      )}
      <Space direction="vertical" style={{ width: '100%' }}>
        <Input
          value={note}
          onChange={(e) => setNote(e.target.value)}
          maxLength={500}
          placeholder="说明（可选），如：无人接听、关机、空号"
          aria-label="回访未果说明"
        />
        <Space wrap>
          <Button
            disabled={busy}
            onClick={() =>
              run(() => callbackAttemptsApi.record(ticketId, 'unreached', note.trim() || undefined), '已记录未接通')
            }
          >
            未接通
          </Button>
          <Button
            danger
            disabled={busy}
            onClick={() =>
              run(() => callbackAttemptsApi.record(ticketId, 'refused', note.trim() || undefined), '已记录拒绝回访')
            }
          >
            拒绝回访
          </Button>
          <Popconfirm
            title="按未能回访办结？"
            description="工单将办结且不记录满意度，不计入满意率。"
            okText="办结"
            cancelText="取消"
            disabled={!p?.closableAs}
            onConfirm={() =>
              run(
                () => callbackAttemptsApi.closeWithout(ticketId, note.trim() || undefined),
                '已按未能回访办结',
                onClosed,
              )
            }
          >
            <Button type="primary" disabled={busy || !p?.closableAs} data-testid="callback-close-unreached">
              未能回访办结
            </Button>
          </Popconfirm>
        </Space>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          诉求人拒绝回访的可即办结；未接通的须在不同的 {r.distinctDays} 天内共 {r.attempts}{' '}
          次联系未果方可办结，不记录满意度。
        </Typography.Text>
      </Space>
    </Card>
  );
}
