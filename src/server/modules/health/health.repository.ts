import { hostname } from 'node:os';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

// The queries behind /metrics and /readyz. They run on every scrape and every load-balancer probe, so each is
// bounded whatever the backlog: counts stop at BACKLOG_CAP rows (read through the partial indexes of the open rows:
// outbound_due/outbound_leased, webhook_deliveries_open, deadlines_open_due), and an age reads one index entry.

/** Counts stop here: past it the number is "at least this many", which is all an alert needs. */
export const BACKLOG_CAP = 100_000;

/** The outbound channels of outbound_messages (its CHECK constraint); each gets its series even when empty. */
export const OUTBOX_CHANNELS = ['sms', 'wechat', 'weibo'] as const;
export type OutboxChannel = (typeof OUTBOX_CHANNELS)[number];

export interface Backlog {
  /** rows waiting (capped at BACKLOG_CAP) */
  count: number;
  /** when the oldest waiting row was written; null when none waits */
  oldest: Date | null;
}

const asDate = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));

/**
 * Messages not yet delivered per channel: pending (due or backing off) and sending (claimed). The oldest is exact
 * below the cap; above it, the oldest of the rows counted.
 */
export async function outboxBacklog(db: Kysely<DB>, cap = BACKLOG_CAP): Promise<Record<OutboxChannel, Backlog>> {
  const channels = sql.join(OUTBOX_CHANNELS.map((c) => sql`(${c})`));
  const r = await sql<{ channel: OutboxChannel; n: number; oldest: Date | string | null }>`
    SELECT c.channel, s.n, s.oldest
    FROM (VALUES ${channels}) AS c(channel)
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS n, min(o.created_at) AS oldest
      FROM (SELECT created_at FROM outbound_messages
            WHERE status IN ('pending', 'sending') AND channel = c.channel LIMIT ${cap}) AS o
    ) AS s`.execute(db);
  const out = Object.fromEntries(OUTBOX_CHANNELS.map((c) => [c, { count: 0, oldest: null }])) as Record<
    OutboxChannel,
    Backlog
  >;
  for (const row of r.rows) out[row.channel] = { count: row.n, oldest: asDate(row.oldest) };
  return out;
}

/** 第三十条 webhook deliveries not yet delivered (pending or being sent), all subscriptions together. */
export async function webhookBacklog(db: Kysely<DB>, cap = BACKLOG_CAP): Promise<Backlog> {
  const r = await sql<{ n: number; oldest: Date | string | null }>`
    SELECT count(*)::int AS n, min(created_at) AS oldest
    FROM (SELECT created_at FROM webhook_deliveries WHERE status IN ('pending', 'sending') LIMIT ${cap}) AS d`.execute(
    db,
  );
  const row = r.rows[0];
  return { count: row?.n ?? 0, oldest: asDate(row?.oldest ?? null) };
}

/**
 * The deadline sweeper's lag: the due time of the oldest deadline that has passed but is not yet marked breached
 * (one entry of deadlines_open_due). Null when the sweeper is up to date.
 */
export async function oldestUnsweptDeadline(db: Kysely<DB>, now: Date): Promise<Date | null> {
  const r = await sql<{ due_at: Date | string | null }>`
    SELECT min(due_at) AS due_at FROM deadlines
    WHERE met_at IS NULL AND cancelled_at IS NULL AND breached_at IS NULL AND due_at < ${now}`.execute(db);
  return asDate(r.rows[0]?.due_at ?? null);
}

const INSTANCE = `${hostname()}:${process.pid}`;

/** A scheduler process completed a pass of `job` at `at` (upsert of the job's one row). */
export async function recordHeartbeat(db: Kysely<DB>, job: string, at: Date, intervalMs: number): Promise<void> {
  await db
    .insertInto('scheduler_heartbeats')
    .values({ job, last_run_at: at, interval_ms: intervalMs, instance: INSTANCE })
    // several schedulers: the row keeps the latest pass, whichever process writes last
    .onConflict((oc) =>
      oc.column('job').doUpdateSet({
        last_run_at: sql<Date>`greatest(scheduler_heartbeats.last_run_at, excluded.last_run_at)`,
        interval_ms: intervalMs,
        instance: INSTANCE,
      }),
    )
    .execute();
}

export async function heartbeat(db: Kysely<DB>, job: string) {
  return db
    .selectFrom('scheduler_heartbeats')
    .select(['last_run_at', 'interval_ms', 'instance'])
    .where('job', '=', job)
    .executeTakeFirst();
}

/** Names of the migrations the database has applied (Kysely's own table; empty before the first migration). */
export async function appliedMigrations(db: Kysely<DB>): Promise<string[]> {
  const r = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
  return r.rows.map((row) => row.name);
}

export async function ping(db: Kysely<DB>): Promise<void> {
  await sql`SELECT 1`.execute(db);
}
