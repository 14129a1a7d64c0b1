import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type QueueParams } from '../api/endpoints';
import { errorMessage } from '../api/client';
import type { QueueDeadline, TicketListItem } from '../api/types';

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
  const [items, setItems] = useState<TicketListItem[]>([]);
  const [deadlines, setDeadlines] = useState(new Map<number, QueueDeadline>());
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);

  const fetchPage = useCallback(async (after: string | null, append: boolean) => {
    const mine = ++seq.current;
    setLoading(true);
    setError(null);
    try {
      const p: QueueParams = JSON.parse(key);
      const page = await api.tickets.queue({ ...p, after });
      const dl = page.items.length ? await api.stats.queueDeadlines(page.items.map((t) => t.id)) : { items: [] };
      if (mine !== seq.current) return;
      setItems((prev) => (append ? [...prev, ...page.items] : page.items));
      setDeadlines((prev) => {
        const m = new Map(append ? prev : []);
        for (const d of dl.items) m.set(d.ticketId, d);
        return m;
      });
      setNext(page.next);
    } catch (e) {
      if (mine === seq.current) setError(errorMessage(e));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, [key]);

  useEffect(() => {
    void fetchPage(null, false);
  }, [fetchPage]);

  return {
    items, deadlines, loading, error, hasMore: next !== null,
    loadMore: () => void fetchPage(next, true),
    reload: () => void fetchPage(null, false),
  };
}
