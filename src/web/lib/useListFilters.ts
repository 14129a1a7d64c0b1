import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { ListFilters } from '../api/endpoints';
import { DEFAULT_TICKET_SORT, isTicketSort, type TicketSort } from '../../shared/domain/ticket-sort';

// Issue 14 "Every list": a list's filters live in the URL (?from=…&regionCode=…), so a filtered list can be
// bookmarked, sent to a colleague, and saved as a view; the server checks every value again. The list's order (sort,
// sorted by the server) lives there too and a saved view keeps it; it is not a filter ("清除筛选" leaves it).

/** The URL keys a ticket list's filters and order use (a saved view stores exactly these). */
export const FILTER_KEYS = [
  'status',
  'unitId',
  'from',
  'to',
  'categoryId',
  'regionCode',
  'channel',
  'deadline',
  'sort',
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

const positiveInt = (v: string | null) => (v && /^\d{1,12}$/.test(v) ? Number(v) : undefined);

export function useListFilters() {
  const [params, setParams] = useSearchParams();
  const filters: ListFilters & { status?: string; unitId?: number; sort?: TicketSort } = useMemo(
    () => ({
      status: params.get('status') ?? undefined,
      unitId: positiveInt(params.get('unitId')),
      from: params.get('from') ?? undefined,
      to: params.get('to') ?? undefined,
      categoryId: positiveInt(params.get('categoryId')),
      regionCode: params.get('regionCode') ?? undefined,
      channel: params.get('channel') ?? undefined,
      deadline: (params.get('deadline') as ListFilters['deadline']) ?? undefined,
      // an unknown order in a hand-edited URL is the default one, not a failing list
      sort: isTicketSort(params.get('sort')) ? (params.get('sort') as TicketSort) : undefined,
    }),
    [params],
  );
  /** Sets (or, with undefined/null/'', clears) some filters; the rest of the URL stays. */
  const set = useCallback(
    (patch: Partial<Record<FilterKey, string | number | null | undefined>>) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(patch)) {
            if (v === undefined || v === null || v === '') next.delete(k);
            else next.set(k, String(v));
          }
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  /** The filters as stored in a saved view: only the filter keys that are set. */
  const current = useMemo(() => {
    const out: Record<string, string> = {};
    for (const k of FILTER_KEYS) {
      const v = params.get(k);
      if (v) out[k] = v;
    }
    return out;
  }, [params]);
  /** Replaces every filter with a saved view's. */
  const apply = useCallback(
    (view: Record<string, string>) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const k of FILTER_KEYS) next.delete(k);
          for (const k of FILTER_KEYS) if (view[k]) next.set(k, view[k]);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  const active = Object.keys(current).some((k) => k !== 'status' && k !== 'sort');
  /** The list's order, and setting it (the default order leaves the URL without one). */
  const sort = filters.sort ?? DEFAULT_TICKET_SORT;
  const setSort = useCallback((s: TicketSort) => set({ sort: s === DEFAULT_TICKET_SORT ? null : s }), [set]);
  return { filters, set, current, apply, active, sort, setSort };
}
