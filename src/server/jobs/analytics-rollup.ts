import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { refreshAnalyticsFacts } from '../modules/analytics/analytics.repository.js';

// 第二十七条 热点分析: the analytics rollup follows ticket_events by id, like the assessment rollup. Each batch runs in
// one transaction that locks the cursor row (a second scheduler skips the pass instead of reading the same events),
// recomputes what every ticket the batch touched counts as, moves the daily and monthly sums by the difference and
// advances the cursor: a crash rolls the whole batch back, and a replay recomputes the same facts (no double counting).
// A ticket's re-categorisation (event 'recategorized') or any later event moves its count to where it belongs now.

export interface AnalyticsRollupOptions {
  batchSize?: number;
  /** events younger than this wait for the next pass (a slow transaction may commit a lower id late) */
  lagMs?: number;
  maxBatches?: number;
}

export async function rollupAnalytics(db: Kysely<DB>, now: Date, opts: AnalyticsRollupOptions = {}) {
  const batchSize = opts.batchSize ?? 5000;
  const cutoff = new Date(now.getTime() - (opts.lagMs ?? 60_000));
  let events = 0;
  let tickets = 0;
  let changed = 0;
  for (let b = 0; b < (opts.maxBatches ?? 100); b++) {
    const r = await db.transaction().execute(async (trx) => {
      const cursor = await sql<{ last_id: number }>`
        SELECT last_id FROM analytics_cursor WHERE name = 'ticket_events' FOR UPDATE SKIP LOCKED`.execute(trx);
      if (cursor.rows.length === 0) return null; // another scheduler holds it
      const from = Number(cursor.rows[0]!.last_id);
      const batch = await trx
        .selectFrom('ticket_events')
        .select(['id', 'ticket_id', 'at'])
        .where('id', '>', from)
        .orderBy('id')
        .limit(batchSize)
        .execute();
      const ready = [];
      for (const e of batch) {
        if (e.at > cutoff) break;
        ready.push(e);
      }
      if (ready.length === 0) return { events: 0, tickets: 0, changed: 0, full: false };
      const ids = [...new Set(ready.map((e) => Number(e.ticket_id)))];
      const moved = await refreshAnalyticsFacts(trx, ids);
      await sql`UPDATE analytics_cursor SET last_id = ${ready[ready.length - 1]!.id}, updated_at = ${now}
        WHERE name = 'ticket_events'`.execute(trx);
      return { events: ready.length, tickets: ids.length, changed: moved, full: ready.length === batchSize };
    });
    if (!r) break;
    events += r.events;
    tickets += r.tickets;
    changed += r.changed;
    if (!r.full) break;
  }
  return { analyticsEvents: events, analyticsTickets: tickets, analyticsChanged: changed };
}
