import { ticketSortSpec, type TicketSort } from '../../shared/domain/ticket-sort.js';

// Issue 14: the keyset cursor of a sorted ticket list — the last row's sort key and id, and the order it belongs to.
// Opaque to clients (base64url JSON). The key is carried as the database wrote it, to the microsecond (timestamptz
// has microseconds, a JS Date only milliseconds: a cursor rounded to the millisecond would hand the boundary row out
// again on the next page). A cursor of another order is refused, not followed: its position means nothing there.

export interface ListCursor {
  /** the sort key of the last row, an ISO instant in UTC with up to 6 decimals; null in the no-deadline tail */
  value: string | null;
  id: number;
}

export type ListCursorResult = { ok: true; cursor: ListCursor } | { ok: false; reason: 'malformed' | 'other_sort' };

const TAG = 'k1';
// years from 1900 on: nothing older is a ticket's, and PostgreSQL refuses year 0 that JS parses
const INSTANT = /^(19|[2-9]\d)\d{2}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

export function encodeListCursor(sort: TicketSort, value: string | null, id: number): string {
  return Buffer.from(JSON.stringify([TAG, sort, value, id]), 'utf8').toString('base64url');
}

/** A real instant: JS rolls 02-30 over to 03-02 and 24:00 to the next day, which PostgreSQL refuses (a 500). */
const validInstant = (v: unknown): v is string =>
  typeof v === 'string' &&
  INSTANT.test(v) &&
  !Number.isNaN(Date.parse(v)) &&
  new Date(v).toISOString().slice(0, 19) === v.slice(0, 19);
const validId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

export function decodeListCursor(cursor: string, sort: TicketSort): ListCursorResult {
  const malformed = { ok: false, reason: 'malformed' } as const;
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return malformed;
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return malformed;
  }
  if (!Array.isArray(v)) return malformed;
  const a = v as unknown[];
  let s: unknown, value: unknown, id: unknown;
  if (a.length === 4 && a[0] === TAG) [, s, value, id] = a;
  // the cursors given out before lists could be sorted: [due_at, id], the deadline order's
  else if (a.length === 2) [s, value, id] = ['deadline', a[0], a[1]];
  else return malformed;
  if (!validId(id) || !(value === null || validInstant(value))) return malformed;
  if (s !== sort) return { ok: false, reason: 'other_sort' };
  // a column that is never NULL has no NULL tail to be in
  if (value === null && !ticketSortSpec(sort).nullable) return malformed;
  return { ok: true, cursor: { value, id } };
}
