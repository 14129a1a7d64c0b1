import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { PiiKeyRotationsTable, RotationDependencies, RotationProgress } from '../../db/schema-pii-keys.js';

// Rows of pii_key_rotations (migration 0023). The running rotation is the lease: a batch locks it FOR UPDATE SKIP
// LOCKED, so with several scheduler processes one batch runs at a time and the others pass by without waiting.

export type RotationRow = Selectable<PiiKeyRotationsTable>;

export async function findRunning(db: Kysely<DB>): Promise<RotationRow | undefined> {
  return db.selectFrom('pii_key_rotations').selectAll().where('status', '=', 'running').executeTakeFirst();
}

/** The running rotation, locked for one batch; undefined when there is none or another process holds it. */
export async function lockRunning(trx: Transaction<DB>): Promise<RotationRow | undefined> {
  return trx
    .selectFrom('pii_key_rotations')
    .selectAll()
    .where('status', '=', 'running')
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
}

/** The newest rotations first, with the name of who started each. */
export async function listRotations(db: Kysely<DB>, limit: number) {
  return db
    .selectFrom('pii_key_rotations as r')
    .leftJoin('users as u', 'u.id', 'r.started_by')
    .selectAll('r')
    .select(['u.display_name as started_by_name'])
    .orderBy('r.id', 'desc')
    .limit(limit)
    .execute();
}

/** The newest completed rotation, to the given version if one is given. */
export async function latestCompleted(db: Kysely<DB>, targetVersion?: number): Promise<RotationRow | undefined> {
  let q = db.selectFrom('pii_key_rotations').selectAll().where('status', '=', 'completed');
  if (targetVersion !== undefined) q = q.where('target_version', '=', targetVersion);
  return q.orderBy('id', 'desc').executeTakeFirst();
}

export async function insertRotation(
  trx: Transaction<DB>,
  row: { targetVersion: number; progress: RotationProgress; startedBy: number; at: Date },
): Promise<RotationRow> {
  return trx
    .insertInto('pii_key_rotations')
    .values({
      target_version: row.targetVersion,
      status: 'running',
      progress: JSON.stringify(row.progress),
      started_at: row.at,
      started_by: row.startedBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** One batch's outcome, in the batch's transaction: the cursor moves exactly when the rows are committed. */
export async function saveBatch(
  trx: Transaction<DB>,
  id: number,
  s: {
    progress: RotationProgress;
    dependencies: RotationDependencies;
    reencrypted: number;
    at: Date;
    completed: boolean;
  },
) {
  await trx
    .updateTable('pii_key_rotations')
    .set({
      progress: JSON.stringify(s.progress),
      dependencies: JSON.stringify(s.dependencies),
      rows_reencrypted: sql<number>`rows_reencrypted + ${s.reencrypted}`,
      batches: sql<number>`batches + 1`,
      last_batch_at: s.at,
      error_count: 0,
      ...(s.completed ? { status: 'completed' as const, finished_at: s.at } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/**
 * A batch that failed (rolled back): the message is kept for the admin; a fatal error (a key version not configured)
 * or `maxErrors` failures in a row end the rotation as failed. Messages carry no personal data (decryption and
 * constraint errors name keys and constraints, never values).
 */
export async function recordError(
  db: Kysely<DB>,
  id: number,
  e: { message: string; fatal: boolean; at: Date; maxErrors: number },
) {
  const fail = sql<boolean>`(${e.fatal} OR error_count + 1 >= ${e.maxErrors})`;
  await db
    .updateTable('pii_key_rotations')
    .set({
      error: e.message.slice(0, 500),
      error_count: sql<number>`error_count + 1`,
      status: sql<'running' | 'failed'>`CASE WHEN ${fail} THEN 'failed' ELSE status END`,
      finished_at: sql<Date | null>`CASE WHEN ${fail} THEN ${e.at}::timestamptz ELSE finished_at END`,
    })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .execute();
}
