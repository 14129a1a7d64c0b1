import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { PresenceState } from '../../../shared/domain/agent-presence.js';

// 坐席状态 rows (migration 0035): the current state per agent, its append-only log, and the agent's disposals.

export function currentPresence(db: Kysely<DB>, userId: number) {
  return db.selectFrom('agent_presence').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** Sets the state (upsert) and appends the change to the log, in the caller's transaction. */
export async function writePresence(
  trx: Transaction<DB>,
  userId: number,
  state: PresenceState,
  reason: string | null,
  now: Date,
) {
  await trx
    .insertInto('agent_presence')
    .values({ user_id: userId, state, reason, since: now, seen_at: now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ state, reason, since: now, seen_at: now }))
    .execute();
  await trx.insertInto('agent_presence_log').values({ user_id: userId, state, reason, at: now }).execute();
}

/** The console's heartbeat: only seen_at moves (no log row), so a live console never goes stale. */
export async function touchPresence(db: Kysely<DB>, userId: number, now: Date) {
  await db.updateTable('agent_presence').set({ seen_at: now }).where('user_id', '=', userId).execute();
}

/** The changes of one agent in [from, to] and the last one before `from` (the state carried into the window). */
export async function presenceLog(db: Kysely<DB>, userId: number, from: Date, to: Date) {
  const [before, changes] = await Promise.all([
    db
      .selectFrom('agent_presence_log')
      .select(['state', 'at'])
      .where('user_id', '=', userId)
      .where('at', '<', from)
      .orderBy('at', 'desc')
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom('agent_presence_log')
      .select(['state', 'at'])
      .where('user_id', '=', userId)
      .where('at', '>=', from)
      .where('at', '<=', to)
      .orderBy('at')
      .orderBy('id')
      // a shift of a few hundred changes at most; the cap only guards against a runaway client
      .limit(5000)
      .execute(),
  ]);
  return { before: before?.state ?? ('offline' as const), changes };
}

/** What an agent disposed since a time, by disposition, with the handling time of answered calls (contacts_disposed_by). */
export async function disposalsSince(db: Kysely<DB>, userId: number, since: Date) {
  return db
    .selectFrom('contacts')
    .select([
      'disposition',
      sql<number>`count(*)::int`.as('n'),
      sql<number>`count(*) FILTER (WHERE channel = 'phone')::int`.as('calls'),
      // from the answer (CTI) or, for a call recorded by hand, from when it was recorded, to the disposal
      sql<
        number | null
      >`avg(extract(epoch FROM disposed_at - coalesce((meta->>'answeredAt')::timestamptz, received_at)))
        FILTER (WHERE channel = 'phone')`.as('avg_call_seconds'),
    ])
    .where('disposed_by', '=', userId)
    .where('disposed_at', '>=', since)
    .groupBy('disposition')
    .execute();
}

/** The agents of a centre with their current row (null when they never set one). */
export function agentsOfUnit(db: Kysely<DB>, unitId: number) {
  return db
    .selectFrom('users as u')
    .leftJoin('agent_presence as p', 'p.user_id', 'u.id')
    .select(['u.id', 'u.display_name', 'p.state', 'p.reason', 'p.since', 'p.seen_at'])
    .where('u.unit_id', '=', unitId)
    .where('u.active', '=', true)
    .where(sql<boolean>`'agent' = ANY(u.roles)`)
    .orderBy('u.display_name')
    .limit(500)
    .execute();
}

/** Every agent with a presence row, for the CTI gateway's routing (username: the gateway's own key for agents). */
export function agentsForRouting(db: Kysely<DB>) {
  return db
    .selectFrom('agent_presence as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select(['u.username', 'u.unit_id', 'p.state', 'p.since', 'p.seen_at'])
    .where('u.active', '=', true)
    .orderBy('u.username')
    .limit(5000)
    .execute();
}
