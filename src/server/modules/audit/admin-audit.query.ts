import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

export interface AdminAuditFilter {
  userId?: number;
  entity?: string;
  entityId?: string;
  action?: string;
  from?: Date;
  to?: Date;
  before?: number;
}

/**
 * Newest first, keyset on id. The user and entity filters ride (user_id, id) and (entity, id), a date range
 * (at, id) — all from 0024 — so a page stays an index range however long the audit grows.
 */
export function filteredAdminAudit(db: Kysely<DB>, f: AdminAuditFilter) {
  let q = db
    .selectFrom('admin_audit as a')
    .leftJoin('users as u', 'u.id', 'a.user_id')
    // the account a row is about, by name (entity_id holds its id as text)
    .leftJoin('users as t', (j) =>
      j
        .on('a.entity', '=', 'user')
        // CASE: the cast runs only on a numeric id (AND gives no evaluation order in SQL)
        .on(sql<boolean>`t.id = CASE WHEN a.entity_id ~ '^[0-9]{1,9}$' THEN a.entity_id::int END`),
    )
    .select([
      'a.id',
      'a.at',
      'a.user_id',
      'a.entity',
      'a.entity_id',
      'a.action',
      'a.before',
      'a.after',
      'a.source_ip',
      'a.request_id',
      'u.username',
      'u.display_name',
      't.display_name as target_name',
    ]);
  if (f.userId) q = q.where('a.user_id', '=', f.userId);
  if (f.entity) q = q.where('a.entity', '=', f.entity);
  if (f.entityId) q = q.where('a.entity_id', '=', f.entityId);
  if (f.action) q = q.where('a.action', '=', f.action);
  if (f.from) q = q.where('a.at', '>=', f.from);
  if (f.to) q = q.where('a.at', '<', f.to);
  if (f.before) q = q.where('a.id', '<', f.before);
  return q.orderBy('a.id', 'desc');
}

export type AdminAuditRecord = Awaited<ReturnType<ReturnType<typeof filteredAdminAudit>['execute']>>[number];
