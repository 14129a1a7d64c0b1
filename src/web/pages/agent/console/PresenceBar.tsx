import { useEffect, useState } from 'react';
import { App, Button, Dropdown, Segmented, Space, Tag, Typography } from 'antd';
import { CoffeeOutlined } from '@ant-design/icons';
import { BREAK_REASONS, type BreakReason, type SettableState } from '../../../../shared/domain/agent-presence';
import { presenceApi, type Presence } from '../../../api/presence';
import { errorMessage, serverNow } from '../../../api/client';

/** How long ago, in whole minutes (the bar is looked at, not timed). */
export function minutesSince(since: string | null): string {
  if (!since) return '';
  const m = Math.max(0, Math.floor((serverNow().getTime() - new Date(since).getTime()) / 60_000));
  return m < 60 ? `${m} 分钟` : `${Math.floor(m / 60)} 小时 ${m % 60} 分钟`;
}

const COLORS: Record<string, string> = { available: 'green', busy: 'orange', break: 'blue', offline: 'default' };
/** The console's beat: well inside the server's 3-minute staleness (PRESENCE_STALE_MS). */
const BEAT_MS = 60_000;

/**
 * 示闲 / 示忙 / 小休 (issue 14): whether the CTI may put calls through to this agent. The bar also beats for the
 * console, so a closed tab stops being offered calls by itself.
 */
export function PresenceBar({ onChanged }: { onChanged?: () => void }) {
  const { message } = App.useApp();
  const [p, setP] = useState<Presence | null>(null);
  const [busy, setBusy] = useState(false);
  const [, tick] = useState(0);
  useEffect(() => {
    let live = true;
    const beat = () =>
      presenceApi.mine().then(
        (x) => live && setP(x),
        () => undefined,
      );
    void beat();
    const t = setInterval(() => {
      void beat();
      tick((n) => n + 1);
    }, BEAT_MS);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, []);
  const change = (state: SettableState, reason?: BreakReason) => {
    setBusy(true);
    presenceApi
      .set(state, reason)
      .then((x) => {
        setP(x);
        onChanged?.();
      })
      .catch((e: unknown) => void message.error(`状态未能切换：${errorMessage(e)}`))
      .finally(() => setBusy(false));
  };
  const value = p?.state === 'break' || p?.state === 'busy' || p?.state === 'available' ? p.state : null;
  return (
    <Space size={8} data-testid="presence-bar" data-state={p?.state ?? 'loading'} wrap>
      <Segmented
        aria-label="坐席状态"
        // on a break neither is selected: the 小休 button and the tag say so
        value={value === 'break' ? '' : (value ?? '')}
        disabled={busy}
        onChange={(v) => {
          if (v === 'available' || v === 'busy') change(v);
        }}
        options={[
          { value: 'available', label: '示闲' },
          { value: 'busy', label: '示忙' },
        ]}
      />
      <Dropdown
        trigger={['click']}
        disabled={busy}
        menu={{
          items: BREAK_REASONS.map((r) => ({ key: r, label: r })),
          onClick: ({ key }) => change('break', key as BreakReason),
        }}
      >
        <Button icon={<CoffeeOutlined />} data-testid="presence-break">
          小休
        </Button>
      </Dropdown>
      {p && (
        <Typography.Text type="secondary" data-testid="presence-status">
          <Tag color={COLORS[p.state]}>
            {p.label}
            {p.reason ? `（${p.reason}）` : ''}
          </Tag>
          {p.state === 'offline'
            ? '不接入来电，请示闲'
            : p.state === 'available'
              ? `可接入来电 · ${minutesSince(p.since)}`
              : `暂不接入来电 · ${minutesSince(p.since)}`}
        </Typography.Text>
      )}
    </Space>
  );
}
