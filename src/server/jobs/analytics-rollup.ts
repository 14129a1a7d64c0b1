import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { refreshAnalyticsFacts } from '../modules/analytics/analytics.repository.js';
import { followTicketEvents } from './ticket-event-cursor.js';

// 第二十七条 热点分析: the analytics rollup follows ticket_events by id (ticket-event-cursor.ts, shared with the
// assessment rollup): each batch recomputes what every ticket it touched counts as and moves the daily, monthly and
// cube sums by the difference, in the cursor's transaction.
// A ticket's re-categorisation (event 'recategorized') or any later event moves its count to where it belongs now.

export interface AnalyticsRollupOptions {
  batchSize?: number;
  /** events younger than this wait for the next pass (a slow transaction may commit a lower id late) */
  lagMs?: number;
  maxBatches?: number;
}

export async function rollupAnalytics(db: Kysely<DB>, now: Date, opts: AnalyticsRollupOptions = {}) {
  const r = await followTicketEvents(
    db,
    now,
    { table: 'analytics_cursor', name: 'ticket_events' },
    { batchSize: opts.batchSize ?? 1000, lagMs: opts.lagMs ?? 60_000, maxBatches: opts.maxBatches ?? 100 },
    (trx, ids) => refreshAnalyticsFacts(trx, ids),
  );
  return { analyticsEvents: r.events, analyticsTickets: r.tickets, analyticsChanged: r.changed };
}
