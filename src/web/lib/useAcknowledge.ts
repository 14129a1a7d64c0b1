import { useState } from 'react';
import { message } from 'antd';
import { errorMessage } from '../api/client';

/**
 * 已阅 of a reminder (预案提醒, 新兴诉求提醒): the row being acknowledged (its button spins), then the list read again;
 * a refusal is said in a message, in Chinese.
 */
export function useAcknowledge(acknowledge: (id: number) => Promise<unknown>, reload: () => unknown, what: string) {
  const [busy, setBusy] = useState<number | null>(null);
  const ack = (id: number) => {
    setBusy(id);
    acknowledge(id)
      .then(() => {
        void message.success(`已确认${what}`);
        return reload();
      })
      .catch((e: unknown) => void message.error(`确认失败：${errorMessage(e)}`))
      .finally(() => setBusy(null));
  };
  return { busy, ack };
}
