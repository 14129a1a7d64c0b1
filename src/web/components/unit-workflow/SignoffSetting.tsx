import { useState } from 'react';
import { App, Switch } from 'antd';
import { errorMessage } from '../../api/client';
import type { Unit } from '../../api/types';
import { signoffApi } from '../../api/unit-workflow';
import { useAsync } from '../../lib/useAsync';

/** 第十五条 审核, the admin's per-unit setting in 单位与区划: the units whose replies need the manager's sign-off. */
export function useSignoffSettings() {
  const s = useAsync(() => signoffApi.settings(), []);
  return { ids: new Set(s.data?.replySignoffUnitIds ?? []), loaded: !!s.data, reload: () => void s.reload() };
}

export function SignoffSwitch({ unit, settings }: { unit: Unit; settings: ReturnType<typeof useSignoffSettings> }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  if (unit.kind === 'centre') return <>—</>;
  const on = settings.ids.has(unit.id);
  return (
    <Switch
      size="small"
      checked={on}
      loading={busy || !settings.loaded}
      checkedChildren="须审核"
      unCheckedChildren="否"
      aria-label={`${unit.name}答复须经单位负责人审核`}
      data-testid={`signoff-switch-${unit.code}`}
      onChange={async (v) => {
        setBusy(true);
        try {
          await signoffApi.setSetting(unit.id, v);
          message.success(v ? `${unit.name}的答复须经单位负责人审核` : `${unit.name}的答复无需审核`);
          settings.reload();
        } catch (e) {
          message.error(errorMessage(e));
        } finally {
          setBusy(false);
        }
      }}
    />
  );
}
