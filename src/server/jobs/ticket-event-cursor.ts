import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';

// The rollups that follow ticket_events by id (第二十四条 assessment, 第二十七条 analytics) share this loop. Each batch
// runs in one transaction that locks the rollup's cursor row (FOR UPDATE SKIP LOCKED: a second scheduler skips the
// pass instead of reading the same events), hands the touched tickets to the rollup, which recomputes what each counts
// as and moves its sums by the difference, and advances the cursor: a crash rolls the whole batch back and a replay
// recomputes the same facts (no double counting). Events younger than the lag wait for the next pass: an event id is
// taken when its transaction inserts it, so a slow transaction can commit a lower id after a higher one was read.

export interface EventCursor {
  /** the table holding the cursor row (name, last_id, updated_at) */
  table: 'assessment_cursors' | 'analytics_cursor';
  name: string;
}

export interface EventCursorOptions {
  batchSize: number;
  lagMs: number;
  maxBatches: number;
  /** only events of these kinds (a rollup of new tickets reads their 'created' events); absent, every event */
  kinds?: readonly string[];
}

export interface EventCursorPass {
  events: number;
  tickets: number;
  changed: number;
}

/**
 * Reads new ticket events from `cursor` in batches and calls `apply` with the ids of the tickets they touched
 * (ascending, so concurrent writers lock in one order); `apply` returns how many rollup rows it changed.
 */
export async function followTicketEvents(
  db: Kysely<DB>,
  now: Date,
  cursor: EventCursor,
  opts: EventCursorOptions,
  apply: (trx: Transaction<DB>, ticketIds: number[]) => Promise<number>,
): Promise<EventCursorPass> {
  const cutoff = new Date(now.getTime() - opts.lagMs);
  const total: EventCursorPass = { events: 0, tickets: 0, changed: 0 };
  for (let b = 0; b < opts.maxBatches; b++) {
    const r = await db.transaction().execute(async (trx) => {
      const row = await sql<{ last_id: number }>`
        SELECT last_id FROM ${sql.table(cursor.table)} WHERE name = ${cursor.name} FOR UPDATE SKIP LOCKED`.execute(trx);
      if (row.rows.length === 0) return null; // another scheduler holds it
      let query = trx
        .selectFrom('ticket_events')
        .select(['id', 'ticket_id', 'at'])
        .where('id', '>', Number(row.rows[0]!.last_id));
      if (opts.kinds) query = query.where('kind', 'in', [...opts.kinds]);
      const batch = await query.orderBy('id').limit(opts.batchSize).execute();
      const ready = [];
      for (const e of batch) {
        if (e.at > cutoff) break;
        ready.push(e);
      }
      if (ready.length === 0) return { events: 0, tickets: 0, changed: 0, full: false };
      const ids = [...new Set(ready.map((e) => Number(e.ticket_id)))].sort((x, y) => x - y);
      const changed = await apply(trx, ids);
      await sql`UPDATE ${sql.table(cursor.table)} SET last_id = ${ready[ready.length - 1]!.id}, updated_at = ${now}
        WHERE name = ${cursor.name}`.execute(trx);
      return { events: ready.length, tickets: ids.length, changed, full: ready.length === opts.batchSize };
    });
    if (!r) break;
    total.events += r.events;
    total.tickets += r.tickets;
    total.changed += r.changed;
    if (!r.full) break;
    // let requests in between batches: on PGlite the database shares this thread (a fresh demo's first pass is long)
    await new Promise((resolve) => setImmediate(resolve));
  }
  return total;
}
