import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Clock } from '../clock.js';
import { queueDeadlineSms } from '../modules/notifications/deadline-sms.repository.js';

export interface SweepResult {
  warned: number;
  breached: number;
}

/**
 * Marks deadlines whose warning time or due time has passed and appends one event for each mark.
 * Rows are claimed with FOR UPDATE SKIP LOCKED inside small transactions, so any number of scheduler
 * processes on one PostgreSQL can sweep together without marking a deadline twice, and a handler's
 * transaction that is settling a deadline right now is skipped rather than waited for.
 *
 * A sweeper stops only on an empty batch, never on a short one: under READ COMMITTED a row another sweeper
 * has just marked is dropped from the LIMIT after its re-check, so a short batch does not mean the work is done.
 */
export async function sweepDeadlines(db: Kysely<DB>, clock: Clock, batchSize = 500): Promise<SweepResult> {
  const result: SweepResult = { warned: 0, breached: 0 };
  for (;;) {
    const n = await sweepBatch(db, clock.now(), 'breached', batchSize);
    result.breached += n;
    if (n === 0) break;
  }
  for (;;) {
    const n = await sweepBatch(db, clock.now(), 'warned', batchSize);
    result.warned += n;
    if (n === 0) break;
  }
  return result;
}

async function sweepBatch(db: Kysely<DB>, now: Date, mark: 'warned' | 'breached', batchSize: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const claimed =
      mark === 'breached'
        ? await sql<{ id: number; ticket_id: number; kind: string; unit_id: number | null; due_at: Date }>`
            UPDATE deadlines SET breached_at = ${now}
            WHERE id IN (
              SELECT id FROM deadlines
              WHERE met_at IS NULL AND cancelled_at IS NULL AND breached_at IS NULL AND due_at < ${now}
              ORDER BY due_at LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)
            RETURNING id, ticket_id, kind, unit_id, due_at`.execute(trx)
        : await sql<{ id: number; ticket_id: number; kind: string; unit_id: number | null; due_at: Date }>`
            UPDATE deadlines SET warned_at = ${now}
            WHERE id IN (
              SELECT id FROM deadlines
              WHERE met_at IS NULL AND cancelled_at IS NULL AND warned_at IS NULL AND breached_at IS NULL
                AND warn_at <= ${now} AND due_at >= ${now}
              ORDER BY warn_at LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)
            RETURNING id, ticket_id, kind, unit_id, due_at`.execute(trx);
    const rows = claimed.rows;
    if (rows.length === 0) return 0;
    await trx
      .insertInto('ticket_events')
      .values(
        rows.map((r) => ({
          ticket_id: r.ticket_id,
          kind: mark === 'breached' ? 'deadline_breached' : 'deadline_warned',
          at: now,
          actor_user_id: null,
          actor_unit_id: r.unit_id,
          data: JSON.stringify({ deadlineId: r.id, deadlineKind: r.kind, dueAt: r.due_at }),
        })),
      )
      .execute();
    // 第十五条 临期提醒: the lead unit's notification phone is told once, in this same transaction
    if (mark === 'warned')
      await queueDeadlineSms(
        trx,
        rows.map((r) => Number(r.id)),
        now,
      );
    return rows.length;
  });
}
