import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { RotationProgress } from '../../db/schema-pii-keys.js';
import type { Clock } from '../../clock.js';
import { addDependencies, nextTable, type RotationTable } from '../../domain/pii-rotation.js';
import { PiiKeyNotConfiguredError, type PiiCipher } from '../../security/pii-cipher.js';
import { rotateBatch } from './rotation-tables.js';
import * as repo from './rotation.repository.js';

/** Failed batches in a row after which the rotation stops as failed (the admin starts a new one). */
export const MAX_BATCH_ERRORS = 5;
/** Keys of damaged rows kept per table for the admin (the count is complete). */
const UNREADABLE_KEYS_KEPT = 20;

export type BatchOutcome =
  | { state: 'idle' }
  /** a rotation to another version runs: this process has another current key and leaves it alone */
  | { state: 'other_version'; rotationId: number; targetVersion: number }
  | {
      state: 'batch';
      rotationId: number;
      table: RotationTable | null;
      rows: number;
      reencrypted: number;
      completed: boolean;
    }
  | { state: 'error'; rotationId: number; message: string; fatal: boolean };

/**
 * One batch of the running rotation in one short transaction: the rotation row locked (SKIP LOCKED: another
 * process's batch means nothing to do here now), the next rows of the current table rewritten, the cursor and
 * counts saved. A kill at any moment loses at most this uncommitted batch, which the next one redoes.
 */
export async function runRotationBatch(
  db: Kysely<DB>,
  cipher: PiiCipher,
  clock: Clock,
  batchSize: number,
): Promise<BatchOutcome> {
  // the rotation a failed batch was working on (set inside the transaction, read after its rollback)
  const locked: { id: number | null } = { id: null };
  try {
    return await db.transaction().execute(async (trx): Promise<BatchOutcome> => {
      const rot = await repo.lockRunning(trx);
      if (!rot) return { state: 'idle' };
      locked.id = rot.id;
      if (rot.target_version !== cipher.currentVersion)
        return { state: 'other_version', rotationId: rot.id, targetVersion: rot.target_version };
      const progress: RotationProgress = { ...rot.progress };
      const table = nextTable(progress);
      const now = clock.now();
      if (!table) {
        await repo.saveBatch(trx, rot.id, {
          progress,
          dependencies: rot.dependencies,
          reencrypted: 0,
          at: now,
          completed: true,
        });
        return { state: 'batch', rotationId: rot.id, table: null, rows: 0, reencrypted: 0, completed: true };
      }
      const p = progress[table]!;
      const r = await rotateBatch(trx, cipher, table, p.cursor, batchSize);
      progress[table] = {
        ...p,
        cursor: r.cursor,
        done: r.done,
        scanned: p.scanned + r.scanned,
        reencrypted: p.reencrypted + r.reencrypted,
        rehashed: p.rehashed + r.rehashed,
        unreadable: p.unreadable + r.unreadable.length,
        unreadableKeys: [...p.unreadableKeys, ...r.unreadable].slice(0, UNREADABLE_KEYS_KEPT),
      };
      const completed = nextTable(progress) === null;
      await repo.saveBatch(trx, rot.id, {
        progress,
        dependencies: addDependencies(rot.dependencies, r.dependencies),
        reencrypted: r.reencrypted,
        at: now,
        completed,
      });
      return { state: 'batch', rotationId: rot.id, table, rows: r.scanned, reencrypted: r.reencrypted, completed };
    });
  } catch (err) {
    const rotationId = locked.id;
    if (rotationId === null) throw err;
    // the batch rolled back; say why on the rotation (a missing key version cannot heal by retrying)
    const fatal = err instanceof PiiKeyNotConfiguredError;
    const message = fatal
      ? `存在以密钥版本 ${err.version} 加密的数据，但未配置该版本的密钥（PII_KEYS_PREVIOUS）`
      : `批次失败：${(err as Error).message}`;
    await repo.recordError(db, rotationId, { message, fatal, at: clock.now(), maxErrors: MAX_BATCH_ERRORS });
    return { state: 'error', rotationId, message, fatal };
  }
}

/**
 * Batches back to back until the rotation is done, nothing runs, or `budgetMs` of wall time has passed (the next
 * pass continues). Each batch is its own transaction, so other work interleaves between them.
 */
export async function runRotationPass(
  db: Kysely<DB>,
  cipher: PiiCipher,
  clock: Clock,
  opts: { batchSize: number; budgetMs: number; onOtherVersion?: (targetVersion: number) => void },
): Promise<{ batches: number; rows: number; reencrypted: number; errors: number }> {
  const start = performance.now();
  const out = { batches: 0, rows: 0, reencrypted: 0, errors: 0 };
  while (performance.now() - start < opts.budgetMs) {
    const r = await runRotationBatch(db, cipher, clock, opts.batchSize);
    if (r.state === 'idle') break;
    if (r.state === 'other_version') {
      opts.onOtherVersion?.(r.targetVersion);
      break;
    }
    if (r.state === 'error') {
      out.errors++;
      break;
    }
    out.batches++;
    out.rows += r.rows;
    out.reencrypted += r.reencrypted;
    if (r.completed) break;
    // let requests waiting for a connection (PGlite has one) go first
    await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}
