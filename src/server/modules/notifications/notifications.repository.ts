import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { DEADLINE_EVENT_KINDS, NOTIFIED_EVENT_KINDS } from '../../../shared/domain/notifications.js';

// Issue 14: the SQL of the units' notifications. A unit's notifications are rows of its feed (unit_feed) of the
// notified kinds; every read walks the partial index unit_feed_notified (unit_id, id DESC) from the newest row and
// stops at the page size or the count's cap, so it costs the same at ten million tickets as at ten.

// Literals, not parameters: the planner proves the partial index's predicate only from constants.
const kindIn = (kinds: readonly string[]) => sql`f.kind IN (${sql.join(kinds.map((k) => sql.lit(k)))})`;
const NOTIFIED = kindIn(NOTIFIED_EVENT_KINDS);
const DEADLINE = kindIn(DEADLINE_EVENT_KINDS);

/**
 * A deadline mark is the business of the unit whose deadline it is (the event's unit), not of every unit on the
 * ticket. Needs `ticket_events e` joined on f.event_id: a join (one primary-key look-up per feed row walked), not
 * EXISTS, which the planner may turn into a hashed scan of every event of the unit.
 */
const forUnit = (unitId: number) =>
  sql`${NOTIFIED} AND f.unit_id = ${unitId} AND (NOT (${DEADLINE}) OR e.actor_unit_id = ${unitId})`;

export interface NotificationRow {
  id: number;
  ticket_id: number;
  kind: string;
  role: 'lead' | 'assist';
  at: Date;
  data: unknown;
  number: string;
  title: string;
  request_type: string;
  reported_unit_id: number | null;
  unit_text: string | null;
}

/** The unit's notifications, newest first, older than `before` (keyset). */
export async function notificationPage(db: Kysely<DB>, unitId: number, before: number | undefined, limit: number) {
  const r = await sql<NotificationRow>`
    SELECT f.id, f.ticket_id, f.kind, f.role, f.at, e.data, t.number, t.title, t.request_type, t.reported_unit_id,
      t.unit_text
    FROM unit_feed f
    JOIN ticket_events e ON e.id = f.event_id
    JOIN tickets t ON t.id = f.ticket_id
    WHERE ${forUnit(unitId)} ${before === undefined ? sql`` : sql`AND f.id < ${before}`}
    ORDER BY f.id DESC
    LIMIT ${limit}`.execute(db);
  return r.rows.map((x) => ({ ...x, id: Number(x.id), ticket_id: Number(x.ticket_id) }));
}

/** How many notifications are newer than the cursor, counted up to `cap` + 1 rows at most (never a full count). */
export async function unreadCount(db: Kysely<DB>, unitId: number, afterId: number, cap: number): Promise<number> {
  const r = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM (
      SELECT 1 FROM unit_feed f JOIN ticket_events e ON e.id = f.event_id
      WHERE ${forUnit(unitId)} AND f.id > ${afterId}
      ORDER BY f.id DESC LIMIT ${cap + 1}
    ) x`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/** The user's read cursor in this unit (0: nothing read yet). */
export async function readCursor(db: Kysely<DB>, userId: number, unitId: number): Promise<number> {
  const row = await db
    .selectFrom('notification_read_cursors')
    .select('last_read_feed_id')
    .where('user_id', '=', userId)
    .where('unit_id', '=', unitId)
    .executeTakeFirst();
  return row ? Number(row.last_read_feed_id) : 0;
}

/** The unit's newest feed row: a cursor is never moved past it, so rows that commit later are never skipped. */
export async function latestFeedId(db: Kysely<DB>, unitId: number): Promise<number> {
  const row = await db
    .selectFrom('unit_feed')
    .select('id')
    .where('unit_id', '=', unitId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? Number(row.id) : 0;
}

/** Moves the cursor forward only (a stale tab marking an older page read never un-reads newer ones). */
export async function advanceReadCursor(
  trx: Transaction<DB>,
  userId: number,
  unitId: number,
  upTo: number,
  now: Date,
): Promise<number> {
  const row = await trx
    .insertInto('notification_read_cursors')
    .values({ user_id: userId, unit_id: unitId, last_read_feed_id: upTo, updated_at: now })
    .onConflict((oc) =>
      oc.columns(['user_id', 'unit_id']).doUpdateSet({
        last_read_feed_id: sql<number>`GREATEST(notification_read_cursors.last_read_feed_id, excluded.last_read_feed_id)`,
        updated_at: now,
      }),
    )
    .returning('last_read_feed_id')
    .executeTakeFirstOrThrow();
  return Number(row.last_read_feed_id);
}
