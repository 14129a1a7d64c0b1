import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/client';

export interface KeysetList<T> {
  items: T[];
  /** a page is on its way (the first or a further one) */
  loading: boolean;
  /** the first page is on its way: the table waits */
  loadingFirst: boolean;
  /** a further page is on its way ("加载更多"): the rows shown stay, only the button waits */
  loadingMore: boolean;
  error: string | null;
  hasMore: boolean;
  loadMore: () => void;
  reload: () => void;
}

/**
 * A list paged by an API's keyset cursor ("加载更多"): `fetch(cursor)` answers `{ items, next }`; a change of
 * `key` (compared by identity: a string, or a filters object that a new search replaces even with equal values, so
 * 查询 reloads) starts again from the first page, and an answer to a superseded request is dropped.
 */
export function useKeysetList<T, C = number>(
  key: unknown,
  fetch: (cursor: C | null) => Promise<{ items: T[]; next: C | null }>,
): KeysetList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<C | null>(null);
  const [pending, setPending] = useState<'first' | 'more' | null>('first');
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  const fetchRef = useRef(fetch);
  fetchRef.current = fetch;

  const fetchPage = useCallback(
    async (cursor: C | null, append: boolean) => {
      const mine = ++seq.current;
      setPending(append ? 'more' : 'first');
      setError(null);
      try {
        const page = await fetchRef.current(cursor);
        if (mine !== seq.current) return;
        setItems((prev) => (append ? [...prev, ...page.items] : page.items));
        setNext(page.next);
      } catch (e) {
        if (mine === seq.current) setError(errorMessage(e));
      } finally {
        if (mine === seq.current) setPending(null);
      }
    },
    // A new key must give a new fetchPage: that is what restarts the list from its first page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  );

  useEffect(() => {
    void fetchPage(null, false);
  }, [fetchPage]);

  return {
    items,
    loading: pending !== null,
    loadingFirst: pending === 'first',
    loadingMore: pending === 'more',
    error,
    hasMore: next !== null,
    loadMore: () => void fetchPage(next, true),
    reload: () => void fetchPage(null, false),
  };
}

/**
 * A page of an API that answers a bare list, newest first, and takes `before` (the last row's id): a full page may
 * have more after it, a short one is the end. A full last page costs one empty request, after which 加载更多 goes.
 */
export function pageByLastId<T extends { id: number }>(items: T[], limit: number): { items: T[]; next: number | null } {
  return { items, next: items.length === limit ? items[items.length - 1]!.id : null };
}
