import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';

// The only place that writes SQL for saved views (migration 0044).

export function listViews(db: Kysely<DB>, userId: number, screen: string) {
  return db
    .selectFrom('saved_views')
    .select(['id', 'name', 'params', 'created_at'])
    .where('user_id', '=', userId)
    .where('screen', '=', screen)
    .orderBy('name')
    .execute();
}

export async function countViews(trx: Transaction<DB>, userId: number, screen: string) {
  const r = await trx
    .selectFrom('saved_views')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('screen', '=', screen)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Inserts or, for a name the person already uses on that screen, replaces the view's filters. */
export function upsertView(
  trx: Transaction<DB>,
  v: { userId: number; screen: string; name: string; params: Record<string, string>; at: Date },
) {
  return trx
    .insertInto('saved_views')
    .values({ user_id: v.userId, screen: v.screen, name: v.name, params: JSON.stringify(v.params), created_at: v.at })
    .onConflict((oc) => oc.columns(['user_id', 'screen', 'name']).doUpdateSet({ params: JSON.stringify(v.params) }))
    .returning(['id', 'name', 'params', 'created_at'])
    .executeTakeFirstOrThrow();
}

export function deleteOwnView(trx: Transaction<DB>, userId: number, id: number) {
  return trx
    .deleteFrom('saved_views')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .returning(['id', 'screen', 'name', 'params'])
    .executeTakeFirst();
}
