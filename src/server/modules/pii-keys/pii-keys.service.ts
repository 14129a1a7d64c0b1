import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import type { DB } from '../../db/schema.js';
import type { RotationProgress } from '../../db/schema-pii-keys.js';
import {
  initialProgress,
  keyVersionAdvice,
  missingVersions,
  overallPercent,
  ROTATION_TABLES,
  type RotationSummary,
  type RotationTable,
} from '../../domain/pii-rotation.js';
import { AppError } from '../../errors.js';
import type { PiiCipher } from '../../security/pii-cipher.js';
import { requireRole, type Actor } from '../auth/actor.js';
import { insertActorAudit } from '../audit/admin-audit.repository.js';
import { presentRotation } from './pii-keys.presenter.js';
import { estimateRows } from './rotation-tables.js';
import * as repo from './rotation.repository.js';

// 第六条 个人信息密钥 (admin): the keyring this process runs with, the rotations (running, past), which old key
// versions may be removed, and starting a rotation to the current version. The rotation itself runs in the
// scheduler role (jobs/pii-key-rotation.ts). No key material ever leaves the process: only version numbers.

const HISTORY = 20;

function summary(r: repo.RotationRow | undefined): RotationSummary | null {
  return r
    ? { targetVersion: r.target_version, status: r.status, finishedAt: r.finished_at, dependencies: r.dependencies }
    : null;
}

function runningConflict(r: repo.RotationRow | undefined) {
  return new AppError(
    'conflict',
    r
      ? `已有一次密钥轮换正在进行（目标密钥版本 ${r.target_version}，已完成 ${overallPercent(r.progress)}%），请待其完成后再开始新的轮换`
      : '已有一次密钥轮换正在进行，请待其完成后再开始新的轮换',
    r ? { rotationId: r.id, targetVersion: r.target_version } : undefined,
  );
}

export class PiiKeyService {
  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock; cipher: PiiCipher }) {}

  async status(actor: Actor) {
    requireRole(actor, 'admin');
    const { db, cipher } = this.deps;
    const [rows, forCurrent, latest] = await Promise.all([
      repo.listRotations(db, HISTORY),
      repo.latestCompleted(db, cipher.currentVersion),
      repo.latestCompleted(db),
    ]);
    const running = rows.find((r) => r.status === 'running') ?? (await repo.findRunning(db));
    return {
      currentVersion: cipher.currentVersion,
      previousVersions: cipher.previousVersions,
      running: running ? presentRotation(running) : null,
      // a rotation started by a process with another current key: the processes do not share one keyring
      runningOtherVersion: !!running && running.target_version !== cipher.currentVersion,
      history: rows.map(presentRotation),
      keys: keyVersionAdvice(
        cipher.currentVersion,
        cipher.previousVersions,
        summary(forCurrent),
        running ? { targetVersion: running.target_version } : null,
      ),
      missingVersions: missingVersions(summary(latest), cipher.versions),
      canStart: !running,
    };
  }

  /** Key versions the last completed rotation found still needed that this process was not given (start-up warning). */
  async missingVersions(): Promise<number[]> {
    return missingVersions(summary(await repo.latestCompleted(this.deps.db)), this.deps.cipher.versions);
  }

  /** Starts a rotation to the current key version, audited; 409 while one runs (whoever started it). */
  async start(actor: Actor) {
    requireRole(actor, 'admin');
    const { db, clock, cipher } = this.deps;
    const now = clock.now();
    try {
      return await db.transaction().execute(async (trx) => {
        const running = await trx
          .selectFrom('pii_key_rotations')
          .selectAll()
          .where('status', '=', 'running')
          .executeTakeFirst();
        if (running) throw runningConflict(running);
        const estimates = {} as Record<RotationTable, number>;
        for (const { table } of ROTATION_TABLES) estimates[table] = await estimateRows(trx, table);
        const progress = initialProgress(estimates) as RotationProgress;
        const row = await repo.insertRotation(trx, {
          targetVersion: cipher.currentVersion,
          progress,
          startedBy: actor.userId,
          at: now,
        });
        await insertActorAudit(trx, actor, {
          entity: 'pii_key_rotation',
          entityId: String(row.id),
          action: 'start',
          before: null,
          after: { targetVersion: row.target_version, previousVersions: cipher.previousVersions, estimates },
          at: now,
        });
        return presentRotation({ ...row, started_by_name: actor.displayName });
      });
    } catch (err) {
      // two admins at once: the unique index on the running rotation refused the second insert
      if ((err as { code?: string }).code === '23505') throw runningConflict(await repo.findRunning(db));
      throw err;
    }
  }
}
