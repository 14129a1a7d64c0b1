import {
  dependencyList,
  overallPercent,
  ROTATION_TABLES,
  tablePercent,
  type TableProgress,
} from '../../domain/pii-rotation.js';
import type { RotationRow } from './rotation.repository.js';

const STATUS_LABELS = { running: '进行中', completed: '已完成', failed: '已失败' } as const;

/** A rotation as the admin screen shows it: overall and per-table progress, what still needs an old key. */
export function presentRotation(r: RotationRow & { started_by_name?: string | null }) {
  return {
    id: r.id,
    targetVersion: r.target_version,
    status: r.status,
    statusLabel: STATUS_LABELS[r.status],
    startedAt: r.started_at.toISOString(),
    startedBy: r.started_by === null ? null : { id: r.started_by, name: r.started_by_name ?? null },
    finishedAt: r.finished_at?.toISOString() ?? null,
    lastBatchAt: r.last_batch_at?.toISOString() ?? null,
    rowsReencrypted: Number(r.rows_reencrypted),
    batches: r.batches,
    percent: overallPercent(r.progress),
    error: r.error,
    tables: ROTATION_TABLES.filter(({ table }) => r.progress[table]).map(({ table, label }) => {
      const p = r.progress[table] as TableProgress;
      return {
        table,
        label,
        done: p.done,
        scanned: p.scanned,
        estimate: p.estimate,
        reencrypted: p.reencrypted,
        rehashed: p.rehashed,
        unreadable: p.unreadable,
        unreadableKeys: p.unreadableKeys.map(String),
        percent: tablePercent(p),
      };
    }),
    dependencies: dependencyList(r.dependencies),
  };
}
export type RotationView = ReturnType<typeof presentRotation>;
