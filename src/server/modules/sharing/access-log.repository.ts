import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { chainHash, GENESIS_HASH, type ChainedRow } from '../../domain/access-chain.js';

// The only place that writes access_log (第三十条第二款). Appends are serialised by a transaction-scoped advisory
// lock, held only for "read the last hash, insert": concurrent writers queue for milliseconds instead of forking
// the chain (two rows naming the same predecessor).

const APPEND_LOCK = 73_0020;
/** A read that delivered more tickets than this is recorded with its filter and count, not every id. */
export const MAX_LOGGED_TICKET_IDS = 1000;

export type AccessEntry = Omit<ChainedRow, 'ticketIds'> & { ticketIds?: number[] };

export async function appendAccess(db: Kysely<DB>, entry: AccessEntry): Promise<{ id: number; hash: string }> {
  return (await appendAccessRows(db, [entry]))[0]!;
}

/** Appends rows in this order under one lock (a worker recording a batch of deliveries). */
export async function appendAccessRows(
  db: Kysely<DB>,
  entries: AccessEntry[],
): Promise<Array<{ id: number; hash: string }>> {
  if (entries.length === 0) return [];
  const rows: ChainedRow[] = entries.map((entry) => {
    const ids = entry.ticketIds ?? [];
    return {
      ...entry,
      ticketIds: ids.length > MAX_LOGGED_TICKET_IDS ? [] : [...new Set(ids)].sort((a, b) => a - b),
      filter: entry.filter ?? {},
    };
  });
  const write = async (trx: Kysely<DB>) => {
    await sql`SELECT pg_advisory_xact_lock(${APPEND_LOCK})`.execute(trx);
    const last = await trx.selectFrom('access_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
    let prev = last?.hash ?? (await chainStart(trx)).hash;
    const values = rows.map((row) => {
      const hash = chainHash(prev, row);
      const v = {
        at: row.at,
        user_id: row.userId,
        unit_id: row.unitId,
        actor_kind: row.actorKind as 'person' | 'system',
        actor_label: row.actorLabel,
        kind: row.kind,
        ticket_ids: row.ticketIds,
        filter: JSON.stringify(row.filter),
        row_count: row.rowCount,
        content_sha256: row.contentSha256,
        request_id: row.requestId,
        prev_hash: prev,
        hash,
      };
      prev = hash;
      return v;
    });
    // multi-row VALUES: ids are given in this order, which is the chain's order
    const inserted = await trx.insertInto('access_log').values(values).returning(['id', 'hash']).execute();
    return inserted.sort((a, b) => a.id - b.id);
  };
  return db.isTransaction ? write(db) : db.transaction().execute(write);
}

/** Where the chain starts: the genesis, or the last purged row's hash after a retention purge. */
export async function chainStart(db: Kysely<DB>): Promise<{ hash: string; afterId: number }> {
  const s = await db
    .selectFrom('access_log_settings')
    .select(['purged_through_id', 'purged_through_hash'])
    .where('id', '=', 1)
    .executeTakeFirst();
  return { hash: s?.purged_through_hash ?? GENESIS_HASH, afterId: s?.purged_through_id ?? 0 };
}

export const ACCESS_COLUMNS = [
  'access_log.id',
  'access_log.at',
  'access_log.user_id',
  'access_log.unit_id',
  'access_log.actor_kind',
  'access_log.actor_label',
  'access_log.kind',
  'access_log.ticket_ids',
  'access_log.filter',
  'access_log.row_count',
  'access_log.content_sha256',
  'access_log.request_id',
  'access_log.prev_hash',
  'access_log.hash',
] as const;

export async function readChainBatch(db: Kysely<DB>, afterId: number, limit: number) {
  return db
    .selectFrom('access_log')
    .select(ACCESS_COLUMNS)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export interface AccessFilter {
  userId?: number;
  unitId?: number;
  ticketId?: number;
  kind?: string;
  from?: Date;
  to?: Date;
  before?: number;
}

/** Newest first, keyset on id; each filter is an index (user, unit, kind, GIN on ticket ids, at). */
export function filteredAccess(db: Kysely<DB>, f: AccessFilter) {
  let q = db
    .selectFrom('access_log')
    .leftJoin('users', 'users.id', 'access_log.user_id')
    .leftJoin('units', 'units.id', 'access_log.unit_id')
    .select(ACCESS_COLUMNS)
    .select(['users.display_name as user_name', 'units.name as unit_name']);
  if (f.userId) q = q.where('access_log.user_id', '=', f.userId);
  if (f.unitId) q = q.where('access_log.unit_id', '=', f.unitId);
  if (f.kind) q = q.where('access_log.kind', '=', f.kind);
  if (f.ticketId) q = q.where(sql<boolean>`access_log.ticket_ids @> ARRAY[${f.ticketId}]::bigint[]`);
  if (f.from) q = q.where('access_log.at', '>=', f.from);
  if (f.to) q = q.where('access_log.at', '<', f.to);
  if (f.before) q = q.where('access_log.id', '<', f.before);
  return q.orderBy('access_log.id', 'desc');
}

export async function retention(db: Kysely<DB>) {
  return db.selectFrom('access_log_settings').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
}

/**
 * Deletes a run of the oldest rows older than the cutoff (never a gap: only ids below the first row that must be
 * kept) and records the last deleted row's hash, so the remaining chain still verifies from its first row.
 */
export async function purgeBefore(db: Kysely<DB>, cutoff: Date, batch: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${APPEND_LOCK})`.execute(trx);
    // the oldest rows, in id order; the run to delete ends before the first one that is still kept
    const head = await trx.selectFrom('access_log').select(['id', 'at', 'hash']).orderBy('id').limit(batch).execute();
    let last: { id: number; hash: string } | undefined;
    for (const r of head) {
      if (r.at >= cutoff) break;
      last = r;
    }
    if (!last) return 0;
    await sql`SET LOCAL hz.access_log_purge = 'on'`.execute(trx);
    const res = await trx.deleteFrom('access_log').where('id', '<=', last.id).executeTakeFirst();
    await trx
      .updateTable('access_log_settings')
      .set({ purged_through_id: last.id, purged_through_hash: last.hash })
      .where('id', '=', 1)
      .execute();
    return Number(res.numDeletedRows);
  });
}
