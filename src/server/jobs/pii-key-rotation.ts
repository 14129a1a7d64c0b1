import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { DB } from '../db/schema.js';
import type { Clock } from '../clock.js';
import type { PiiCipher } from '../security/pii-cipher.js';
import { startRecurringJob } from './scheduler.js';
import { runRotationPass } from '../modules/pii-keys/rotation.worker.js';

/** Wall time one pass spends on batches before it lets the next tick continue (each batch is its own transaction). */
const PASS_BUDGET_MS = 10_000;

/**
 * 第六条 in the scheduler role: the running PII key rotation, batch after batch (modules/pii-keys). Idle, a pass is
 * one indexed look-up of the running rotation. Safe with several scheduler processes: a batch holds the rotation row
 * (FOR UPDATE SKIP LOCKED), so one batch runs at a time wherever it is, and a process killed mid-batch leaves
 * nothing behind but a rolled-back transaction.
 */
export function startPiiKeyRotation(
  db: Kysely<DB>,
  clock: Clock,
  cipher: PiiCipher,
  log: FastifyBaseLogger,
  opts: { intervalMs: number; batchSize: number },
) {
  let warned: number | null = null;
  return startRecurringJob('pii-key-rotation', opts.intervalMs, log, () =>
    runRotationPass(db, cipher, clock, {
      batchSize: opts.batchSize,
      budgetMs: PASS_BUDGET_MS,
      onOtherVersion: (targetVersion) => {
        if (warned === targetVersion) return;
        warned = targetVersion;
        log.warn(
          { targetVersion, currentVersion: cipher.currentVersion },
          'a PII key rotation to another version is running: this process was started with another current key ' +
            '(restart every process with the same PII_KEY / PII_KEY_VERSION / PII_KEYS_PREVIOUS)',
        );
      },
    }),
  );
}
