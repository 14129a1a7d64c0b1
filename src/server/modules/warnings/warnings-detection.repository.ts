import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { ALL, grainsFor } from '../../domain/analytics.js';

// 第二十七条 风险预警: what the scheduler's detection reads. The spike pass reads the analytics rollup (the cube's
// day × county × top-level category grain), never tickets; the collective pass reads one range of the
// tickets_created index (the last hours only).

/** The job's lease: its state row locked FOR UPDATE SKIP LOCKED (null when another scheduler holds it). */
export async function lockJobState(trx: Transaction<DB>, name: 'spike' | 'collective') {
  const r = await sql<{ last_day: string | null; last_run_at: Date | null }>`
    SELECT last_day::text AS last_day, last_run_at FROM warning_job_state WHERE name = ${name} FOR UPDATE SKIP LOCKED`.execute(
    trx,
  );
  return r.rows[0] ?? null;
}

export async function saveJobState(
  trx: Transaction<DB>,
  name: 'spike' | 'collective',
  lastDay: string | null,
  now: Date,
) {
  await trx
    .updateTable('warning_job_state')
    .set({ ...(lastDay ? { last_day: lastDay } : {}), last_run_at: now })
    .where('name', '=', name)
    .execute();
}

/**
 * Whether the analytics rollup has read every ticket event before `until` (its cursor past them): the spike pass
 * waits until then, so a fresh start judges the rollup the first pass fills, not an empty one. Reads from the
 * cursor onwards by primary key and stops at the first such event.
 */
export async function rollupBehind(trx: Transaction<DB>, until: Date): Promise<boolean> {
  const r = await sql<{ behind: boolean }>`
    SELECT EXISTS (
      SELECT 1 FROM ticket_events e
      WHERE e.id > coalesce((SELECT last_id FROM analytics_cursor WHERE name = 'ticket_events'), 0) AND e.at < ${until}
    ) AS behind`.execute(trx);
  return !!r.rows[0]?.behind;
}

/**
 * The daily counts of the `limit` busiest series (county × top-level category) over the period, from the cube's
 * day grain (channels and types summed out): one row per series and day that has tickets.
 */
export async function busiestDailySeries(trx: Transaction<DB>, from: string, to: string, limit: number) {
  const grain = grainsFor(2, 1).day!;
  const r = await sql<{ region_code: string; category_id: number; day: string; tickets: number }>`
    WITH rows AS (
      SELECT region_code, category_id, period, tickets FROM analytics_cube
      WHERE grain = ${grain} AND channel = ${ALL} AND request_type = ${ALL} AND period >= ${from} AND period <= ${to}
    ), top AS (
      SELECT region_code, category_id FROM rows GROUP BY 1, 2
      ORDER BY sum(tickets) DESC, region_code, category_id LIMIT ${limit}
    )
    SELECT rows.region_code, rows.category_id, rows.period::text AS day, rows.tickets
    FROM rows JOIN top USING (region_code, category_id)
    ORDER BY 1, 2, 3`.execute(trx);
  return r.rows.map((x) => ({ ...x, category_id: Number(x.category_id), tickets: Number(x.tickets) }));
}

/**
 * Groups of the tickets created since `since` by category and town with at least `min` distinct requesters, each
 * with its tickets and their requesters (id order). One range of tickets_created; a requester-less (anonymous)
 * ticket does not count.
 */
export async function collectiveGroups(trx: Transaction<DB>, since: Date, until: Date, min: number) {
  const r = await sql<{
    category_id: number;
    town: string;
    ids: number[];
    requesters: number[];
    first_at: Date;
    last_at: Date;
  }>`
    SELECT category_id, left(region_code, 9) AS town,
      array_agg(id::int ORDER BY id) AS ids, array_agg(requester_id::int ORDER BY id) AS requesters,
      min(created_at) AS first_at, max(created_at) AS last_at
    FROM tickets
    WHERE created_at >= ${since} AND created_at <= ${until} AND requester_id IS NOT NULL
    GROUP BY 1, 2
    HAVING count(DISTINCT requester_id) >= ${min}`.execute(trx);
  return r.rows.map((x) => ({
    categoryId: Number(x.category_id),
    town: x.town,
    ids: x.ids.map(Number),
    requesters: x.requesters.map(Number),
    firstAt: new Date(x.first_at),
    lastAt: new Date(x.last_at),
  }));
}

/** The highest ticket id the last closed warning of a cause covered (a new one counts only the tickets after it). */
export async function lastClosedCover(trx: Transaction<DB>, causeKey: string): Promise<number> {
  const r = await trx
    .selectFrom('warnings')
    .select(sql<number | null>`(evidence->>'maxTicketId')::int`.as('max_id'))
    .where('cause_key', '=', causeKey)
    .where('status', '=', 'closed')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return Number(r?.max_id ?? 0);
}
