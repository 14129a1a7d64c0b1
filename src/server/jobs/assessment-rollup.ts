import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { hasSupervisionCases, refreshTicketFacts } from '../modules/assessment/assessment-facts.repository.js';
import { rollupServiceFigures } from '../modules/assessment/service-figures.repository.js';

// 第二十四条: the assessment rollups follow ticket_events by id. Each batch runs in one transaction that locks the
// cursor row (a second scheduler skips the pass instead of reading the same events), recomputes the facts of every
// ticket the batch touched, moves the daily counters by the difference and advances the cursor: a crash rolls the
// whole batch back, and a replay recomputes the same facts (no double counting).

export interface RollupOptions {
  batchSize?: number;
  /**
   * Events younger than this are left for the next pass: an event id is taken when its transaction inserts it, so a
   * slow transaction can commit a lower id after a higher one has been read. A ticket's facts are recomputed from its
   * whole state, so any later event of the ticket repairs a miss; the lag makes one unlikely in the first place.
   */
  lagMs?: number;
  maxBatches?: number;
}

export async function rollupAssessment(db: Kysely<DB>, now: Date, opts: RollupOptions = {}) {
  const batchSize = opts.batchSize ?? 2000;
  const cutoff = new Date(now.getTime() - (opts.lagMs ?? 60_000));
  const supervision = await hasSupervisionCases(db);
  let events = 0;
  let tickets = 0;
  let changed = 0;
  for (let b = 0; b < (opts.maxBatches ?? 50); b++) {
    const r = await db.transaction().execute(async (trx) => {
      const cursor = await sql<{ last_id: number }>`
        SELECT last_id FROM assessment_cursors WHERE name = 'ticket_events' FOR UPDATE SKIP LOCKED`.execute(trx);
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
      if (ready.length === 0) return { events: 0, tickets: 0, changed: 0 };
      const ids = [...new Set(ready.map((e) => e.ticket_id))].sort((x, y) => x - y);
      let moved = 0;
      for (const id of ids) moved += await refreshTicketFacts(trx, id, supervision);
      await trx
        .updateTable('assessment_cursors')
        .set({ last_id: ready[ready.length - 1]!.id, updated_at: now })
        .where('name', '=', 'ticket_events')
        .execute();
      return { events: ready.length, tickets: ids.length, changed: moved, full: ready.length === batchSize };
    });
    if (!r) break;
    events += r.events;
    tickets += r.tickets;
    changed += r.changed;
    if (!('full' in r) || !r.full) break;
  }
  return { events, tickets, changed };
}

/** The scheduler's pass: assessment facts from new events, then the GB/T 33358 service figures of recent days. */
export async function assessmentRollupPass(db: Kysely<DB>, now: Date, opts: RollupOptions = {}) {
  const a = await rollupAssessment(db, now, opts);
  const s = await rollupServiceFigures(db, now);
  return { assessmentEvents: a.events, assessmentTickets: a.tickets, serviceFigureRows: s.rows };
}
