import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { addDays, localDateOf } from '../../domain/calendar.js';
import { localDayStart } from '../../domain/local-day.js';

// GB/T 33358-2016 service figures per local day, centre and channel, from the contacts: the telephone system's events
// are stored on the call's contact (meta.offeredAt / answeredAt / endedAt / durationSeconds, channels/cti.service.ts);
// a text contact (SMS, WeChat, Weibo, web form) is answered when an agent gives it a disposition.

export const TEXT_CHANNELS = ['sms', 'wechat', 'weibo', 'web'] as const;

/** Recomputes one local day's rows (one indexed range of contacts); idempotent. */
export async function rollupServiceDay(db: Kysely<DB>, day: string, now: Date): Promise<number> {
  const from = localDayStart(day);
  const to = localDayStart(day, 1);
  return db.transaction().execute(async (trx) => {
    const rows = await sql<{
      centre_unit_id: number;
      channel: string;
      offered: number;
      answered: number;
      answered_15s: number;
      abandoned: number;
      wait_seconds: number;
      talk_seconds: number;
      text_received: number;
      text_answered_3min: number;
    }>`
      WITH c AS (
        SELECT centre_unit_id, channel, received_at, disposed_at,
          coalesce((meta->>'offeredAt')::timestamptz, received_at) AS offered_at,
          (meta->>'answeredAt')::timestamptz AS answered_at,
          (meta->>'endedAt') IS NOT NULL AS ended,
          coalesce((meta->>'durationSeconds')::numeric, 0) AS talk
        FROM contacts
        WHERE received_at >= ${from} AND received_at < ${to} AND centre_unit_id IS NOT NULL
      )
      SELECT centre_unit_id, channel,
        count(*) FILTER (WHERE channel = 'phone')::int AS offered,
        count(*) FILTER (WHERE channel = 'phone' AND answered_at IS NOT NULL)::int AS answered,
        count(*) FILTER (WHERE channel = 'phone' AND answered_at IS NOT NULL
                           AND answered_at - offered_at <= interval '15 seconds')::int AS answered_15s,
        count(*) FILTER (WHERE channel = 'phone' AND answered_at IS NULL AND ended)::int AS abandoned,
        coalesce(round(sum(extract(epoch FROM answered_at - offered_at)) FILTER (
          WHERE channel = 'phone' AND answered_at IS NOT NULL)), 0)::bigint AS wait_seconds,
        coalesce(round(sum(talk) FILTER (WHERE channel = 'phone' AND answered_at IS NOT NULL)), 0)::bigint AS talk_seconds,
        count(*) FILTER (WHERE channel IN ('sms', 'wechat', 'weibo', 'web'))::int AS text_received,
        count(*) FILTER (WHERE channel IN ('sms', 'wechat', 'weibo', 'web') AND disposed_at IS NOT NULL
                           AND disposed_at - received_at <= interval '3 minutes')::int AS text_answered_3min
      FROM c GROUP BY centre_unit_id, channel`.execute(trx);
    await trx.deleteFrom('service_figures_daily').where('day', '=', day).execute();
    if (rows.rows.length)
      await trx
        .insertInto('service_figures_daily')
        .values(rows.rows.map((r) => ({ ...r, day, computed_at: now })))
        .execute();
    return rows.rows.length;
  });
}

/**
 * The scheduler's pass: every day from the last one rolled up (recomputed: it may have been partial) to today; on the
 * first run from the first contact's day (at most `maxDays` days per pass, so a large history catches up in steps).
 */
export async function rollupServiceFigures(db: Kysely<DB>, now: Date, maxDays = 60): Promise<{ rows: number }> {
  const today = localDateOf(now);
  const last = await db
    .selectFrom('service_figures_daily')
    .select((eb) => eb.fn.max('day').as('day'))
    .executeTakeFirst();
  let start: string;
  if (last?.day) start = addDays(String(last.day), -1);
  else {
    const first = await db
      .selectFrom('contacts')
      .select('received_at')
      .orderBy('received_at')
      .limit(1)
      .executeTakeFirst();
    if (!first) return { rows: 0 };
    start = localDateOf(first.received_at);
  }
  let rows = 0;
  for (let d = start, n = 0; d <= today && n < maxDays; d = addDays(d, 1), n++)
    rows += await rollupServiceDay(db, d, now);
  return { rows };
}
