import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { ListFilters } from '../api/endpoints';

// Issue 14 "Every list": a list's filters live in the URL (?from=…&regionCode=…), so a filtered list can be
// bookmarked, sent to a colleague, and saved as a view; the server checks every value again.

/** The URL keys a ticket list's filters use (a saved view stores exactly these). */
export const FILTER_KEYS = [
  'status',
  'unitId',
  'from',
  'to',
  'categoryId',
  'regionCode',
  'channel',
  'deadline',
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

const positiveInt = (v: string | null) => (v && /^\d{1,12}$/.test(v) ? Number(v) : undefined);

export function useListFilters() {
  const [params, setParams] = useSearchParams();
  const filters: ListFilters & { status?: string; unitId?: number } = useMemo(
    () => ({
      status: params.get('status') ?? undefined,
      unitId: positiveInt(params.get('unitId')),
      from: params.get('from') ?? undefined,
      to: params.get('to') ?? undefined,
      categoryId: positiveInt(params.get('categoryId')),
      regionCode: params.get('regionCode') ?? undefined,
      channel: params.get('channel') ?? undefined,
      deadline: (params.get('deadline') as ListFilters['deadline']) ?? undefined,
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
  const active = Object.keys(current).some((k) => k !== 'status');
  return { filters, set, current, apply, active };
}
