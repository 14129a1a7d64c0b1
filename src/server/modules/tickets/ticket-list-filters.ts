import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { regionPrefix } from '../auth/actor.js';
import type { TicketListFilters } from '../../../shared/contracts/tickets.js';

// Issue 14 "Every list": the filters of a ticket list, checked and resolved once (a category to its subtree, China
// days to instants) so the queue, its export and any later list read the same rows.

/** The longest created-date range a list accepts: a year and a day, like the search's "近一年". */
export const MAX_FILTER_SPAN_DAYS = 366;

export interface ResolvedTicketFilters {
  fromAt?: Date;
  toAt?: Date;
  categoryIds?: number[];
  regionPrefix?: string;
  channel?: string;
  deadline?: 'overdue' | 'warning';
  now: Date;
}

const DAY_MS = 86_400_000;
/** Heze keeps China time all year: a day starts at 00:00 +08:00. */
const chinaDayStart = (day: string) => new Date(`${day}T00:00:00+08:00`);

export async function resolveTicketFilters(
  db: Kysely<DB>,
  f: TicketListFilters,
  now: Date,
): Promise<ResolvedTicketFilters> {
  const out: ResolvedTicketFilters = { now };
  if (f.from) out.fromAt = chinaDayStart(f.from);
  if (f.to) out.toAt = new Date(chinaDayStart(f.to).getTime() + DAY_MS);
  if (out.fromAt && out.toAt) {
    if (out.fromAt >= out.toAt) throw new AppError('bad_request', '开始日期不能晚于结束日期', { field: 'from' });
    if (out.toAt.getTime() - out.fromAt.getTime() > MAX_FILTER_SPAN_DAYS * DAY_MS)
      throw new AppError('bad_request', `日期范围不能超过 ${MAX_FILTER_SPAN_DAYS} 天`, { field: 'to' });
  }
  if (f.categoryId !== undefined) {
    // the categories are a few hundred rows: the subtree is found in memory, then an IN list on the index
    const rows = await db.selectFrom('categories').select(['id', 'parent_id']).execute();
    if (!rows.some((r) => r.id === f.categoryId))
      throw new AppError('bad_request', '事项分类不存在', { field: 'categoryId' });
    const children = new Map<number, number[]>();
    for (const r of rows)
      if (r.parent_id !== null) children.set(r.parent_id, [...(children.get(r.parent_id) ?? []), r.id]);
    const ids: number[] = [];
    const stack = [f.categoryId];
    while (stack.length) {
      const id = stack.pop()!;
      ids.push(id);
      stack.push(...(children.get(id) ?? []));
    }
    out.categoryIds = ids;
  }
  if (f.regionCode !== undefined) {
    const known = await db.selectFrom('regions').select('code').where('code', '=', f.regionCode).executeTakeFirst();
    if (!known) throw new AppError('bad_request', '区域不存在', { field: 'regionCode' });
    // region codes nest by prefix (371702 → 371702001): the subtree is a prefix range on the index
    out.regionPrefix = regionPrefix(f.regionCode);
  }
  if (f.channel) out.channel = f.channel;
  if (f.deadline) out.deadline = f.deadline;
  return out;
}

export const hasFilters = (f: ResolvedTicketFilters) =>
  !!(f.fromAt || f.toAt || f.categoryIds || f.regionPrefix || f.channel || f.deadline);
