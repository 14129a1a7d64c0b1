import { useMemo } from 'react';
import { api, type QueueParams } from '../api/endpoints';
import type { QueueDeadline, TicketListItem } from '../api/types';
import { useKeysetList } from './useKeysetList';

export interface QueueState {
  items: TicketListItem[];
  deadlines: Map<number, QueueDeadline>;
  loading: boolean;
  error: string | null;
  hasMore: boolean;
  loadMore: () => void;
  reload: () => void;
}

/** A work queue with keyset paging ("加载更多") and each ticket's most urgent deadline state for colouring. */
export function useQueue(params: QueueParams): QueueState {
  const key = JSON.stringify(params);
  const list = useKeysetList<{ ticket: TicketListItem; deadline: QueueDeadline | undefined }, string>(
    key,
    async (after) => {
      const page = await api.tickets.queue({ ...params, after });
      const dl = page.items.length ? await api.stats.queueDeadlines(page.items.map((t) => t.id)) : { items: [] };
      const byTicket = new Map(dl.items.map((d) => [d.ticketId, d]));
      return { items: page.items.map((ticket) => ({ ticket, deadline: byTicket.get(ticket.id) })), next: page.next };
    },
  );
  const items = useMemo(() => list.items.map((x) => x.ticket), [list.items]);
  const deadlines = useMemo(
    () => new Map(list.items.flatMap((x) => (x.deadline ? [[x.ticket.id, x.deadline] as const] : []))),
    [list.items],
  );
  return {
    items,
    deadlines,
    loading: list.loading,
    error: list.error,
    hasMore: list.hasMore,
    loadMore: list.loadMore,
    reload: list.reload,
  };
}
