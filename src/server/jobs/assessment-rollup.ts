import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { hasSupervisionCases, refreshTicketFacts } from '../modules/assessment/assessment-facts.repository.js';
import { rollupServiceFigures } from '../modules/assessment/service-figures.repository.js';
import { followTicketEvents } from './ticket-event-cursor.js';

// 第二十四条: the assessment rollups follow ticket_events by id (ticket-event-cursor.ts, shared with the analytics
// rollup): each batch recomputes the facts of every ticket it touched and moves the daily counters by the difference,
// in the cursor's transaction; a replay recomputes the same facts (no double counting).

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
  const supervision = await hasSupervisionCases(db);
  return followTicketEvents(
    db,
    now,
    { table: 'assessment_cursors', name: 'ticket_events' },
    { batchSize: opts.batchSize ?? 2000, lagMs: opts.lagMs ?? 60_000, maxBatches: opts.maxBatches ?? 50 },
    async (trx, ids) => {
      let moved = 0;
      for (const id of ids) moved += await refreshTicketFacts(trx, id, supervision);
      return moved;
    },
  );
}

/** The scheduler's pass: assessment facts from new events, then the GB/T 33358 service figures of recent days. */
export async function assessmentRollupPass(db: Kysely<DB>, now: Date, opts: RollupOptions = {}) {
  const a = await rollupAssessment(db, now, opts);
  const s = await rollupServiceFigures(db, now);
  return { assessmentEvents: a.events, assessmentTickets: a.tickets, serviceFigureRows: s.rows };
}
