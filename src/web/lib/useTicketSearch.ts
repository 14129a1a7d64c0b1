import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/endpoints';
import { errorMessage } from '../api/client';
import type { QueueDeadline, TicketListItem, TicketSearchResult } from '../api/types';
import type { QueueState } from './useQueue';

export interface SearchState extends QueueState {
  kind: TicketSearchResult['kind'] | null;
  /** more matches than shown: the search should be narrowed */
  more: boolean;
}

const SHOWN = 50;

/** The centre's one-box ticket search, shaped like a queue so the same table shows it. Idle while `q` is empty. */
export function useTicketSearch(q: string): SearchState {
  const [items, setItems] = useState<TicketListItem[]>([]);
  const [deadlines, setDeadlines] = useState(new Map<number, QueueDeadline>());
  const [kind, setKind] = useState<SearchState['kind']>(null);
  const [more, setMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);

  const run = useCallback(async () => {
    const mine = ++seq.current;
    if (!q) {
      setItems([]);
      setKind(null);
      setError(null);
      setLoading(false);
      return;
    }
    setLoading(true);
    setError(null);
    try {
      const r = await api.tickets.search(q, SHOWN);
      const dl = r.items.length ? await api.stats.queueDeadlines(r.items.map((t) => t.id)) : { items: [] };
      if (mine !== seq.current) return;
      setItems(r.items);
      setKind(r.kind);
      setMore(r.more);
      setDeadlines(new Map(dl.items.map((d) => [d.ticketId, d])));
    } catch (e) {
      if (mine === seq.current) {
        setItems([]);
        setError(errorMessage(e));
      }
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, [q]);

  useEffect(() => {
    void run();
  }, [run]);

  return {
    items,
    deadlines,
    loading,
    error,
    hasMore: false,
    loadMore: () => undefined,
    reload: () => void run(),
    kind,
    more,
  };
}
