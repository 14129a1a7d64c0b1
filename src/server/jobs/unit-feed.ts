import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Clock } from '../clock.js';
import { eventGroupOf } from '../../shared/contracts/sharing.js';
import { CENTRE_ONLY_EVENT_KINDS } from '../../shared/domain/referrals.js';

// 第三十条: fans ticket events out to the units' feeds and queues a webhook delivery per matching subscription.
//
// Correctness rests on two things (migration 0020):
// - every event but `created` is queued by a trigger in its own transaction, so no writer is missed and nothing
//   is read before it commits;
// - one fan-out at a time (the lock row, FOR UPDATE SKIP LOCKED: a second scheduler skips its pass). Feed ids are
//   given out only while that lock is held, so they follow commit order, and a feed cursor (unit_feed.id) never
//   jumps past a row that commits later. Consuming the queue in event-id order keeps each ticket's events in
//   order: its steps are written under the ticket's row lock, so a later event never commits before an earlier.
//
// Which units: those with an assignment (lead or assisting) live at the event's time — dispatched at or before
// it, not ended before it. The lead's role wins when a unit is both.

export interface FanoutPass {
  events: number;
  feedRows: number;
  deliveries: number;
}

export async function fanOutOnce(db: Kysely<DB>, clock: Clock, batchSize = 500): Promise<FanoutPass | null> {
  return db.transaction().execute(async (trx) => {
    const lock = await trx
      .selectFrom('sharing_fanout_lock')
      .select('id')
      .where('id', '=', 1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!lock) return null; // another process is fanning out
    const queued = await sql<{ event_id: number }>`
      DELETE FROM sharing_event_queue WHERE event_id IN (
        SELECT event_id FROM sharing_event_queue ORDER BY event_id LIMIT ${batchSize})
      RETURNING event_id`.execute(trx);
    const ids = queued.rows.map((r) => Number(r.event_id)).sort((a, b) => a - b);
    if (ids.length === 0) return { events: 0, feedRows: 0, deliveries: 0 };
    const targets = await sql<{
      event_id: number;
      ticket_id: number;
      kind: string;
      at: Date;
      unit_id: number;
      role: 'lead' | 'assist';
    }>`
      SELECT DISTINCT ON (e.id, a.unit_id) e.id AS event_id, e.ticket_id, e.kind, e.at, a.unit_id, a.role
      FROM ticket_events e
      JOIN ticket_assignments a ON a.ticket_id = e.ticket_id
        AND a.dispatched_at <= e.at AND (a.ended_at IS NULL OR a.ended_at >= e.at)
      WHERE e.id = ANY(${sql.val(ids)}::bigint[])
        -- 第二十三条: referrals to the discipline body never reach the unit they are about (nor its webhooks)
        AND e.kind <> ALL(${sql.val([...CENTRE_ONLY_EVENT_KINDS])}::text[])
      ORDER BY e.id, a.unit_id, (a.role = 'lead') DESC`.execute(trx);
    const now = clock.now();
    const rows = targets.rows.map((t) => ({
      unit_id: t.unit_id,
      event_id: Number(t.event_id),
      ticket_id: Number(t.ticket_id),
      kind: t.kind,
      event_group: eventGroupOf(t.kind),
      role: t.role,
      at: t.at,
      created_at: now,
    }));
    if (rows.length === 0) return { events: ids.length, feedRows: 0, deliveries: 0 };
    // multi-row VALUES: ids are given in this (event id) order
    const feed = await trx
      .insertInto('unit_feed')
      .values(rows)
      .onConflict((oc) => oc.columns(['unit_id', 'event_id']).doNothing())
      .returning(['id', 'unit_id', 'event_id', 'ticket_id', 'kind', 'event_group'])
      .execute();
    feed.sort((a, b) => a.id - b.id);
    const units = [...new Set(feed.map((f) => f.unit_id))];
    const subs = units.length
      ? await trx
          .selectFrom('webhook_subscriptions')
          .select(['id', 'unit_id', 'event_groups'])
          .where('unit_id', 'in', units)
          .orderBy('id')
          .execute()
      : [];
    const deliveries = feed.flatMap((f) =>
      subs
        .filter((s) => s.unit_id === f.unit_id && s.event_groups.includes(f.event_group))
        .map((s) => ({
          subscription_id: s.id,
          feed_id: f.id,
          event_id: f.event_id,
          ticket_id: f.ticket_id,
          kind: f.kind,
          status: 'pending' as const,
          next_attempt_at: now,
          created_at: now,
        })),
    );
    for (let i = 0; i < deliveries.length; i += 1000)
      await trx
        .insertInto('webhook_deliveries')
        .values(deliveries.slice(i, i + 1000))
        .execute();
    await trx
      .updateTable('sharing_fanout_lock')
      .set({ passes: sql`passes + 1` })
      .where('id', '=', 1)
      .execute();
    return { events: ids.length, feedRows: feed.length, deliveries: deliveries.length };
  });
}

/** Drains the queue (bounded per call, so a backlog does not starve the other jobs of a pass). */
export async function fanOut(db: Kysely<DB>, clock: Clock, maxBatches = 20): Promise<FanoutPass> {
  const total: FanoutPass = { events: 0, feedRows: 0, deliveries: 0 };
  for (let i = 0; i < maxBatches; i++) {
    const r = await fanOutOnce(db, clock);
    if (!r || r.events === 0) break;
    total.events += r.events;
    total.feedRows += r.feedRows;
    total.deliveries += r.deliveries;
  }
  return total;
}
