import type { ColumnType, Generated } from 'kysely';

// Kysely types of migration 0023 (PII key rotation, 第六条).
type Ts = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

/** One table's place in a rotation: where the next batch starts and what the batches so far did. */
export interface RotationTableProgress {
  /** the last primary key done (ids as numbers, text keys as strings); null before the first batch */
  cursor: number | string | null;
  done: boolean;
  /** rows read up to the cursor */
  scanned: number;
  /** rows rewritten with the target key */
  reencrypted: number;
  /** keyed hashes recomputed with the target key */
  rehashed: number;
  /** rows the table held when the rotation started (pg_class.reltuples, or the highest id) */
  estimate: number;
  /** values that could not be decrypted (damaged), and the first few keys of their rows */
  unreadable: number;
  unreadableKeys: Array<number | string>;
}
export type RotationProgress = Record<string, RotationTableProgress>;
/** Rows still depending on an older key after the rotation: kind → version → rows. */
export type RotationDependencies = Record<string, Record<string, number>>;

export interface PiiKeyRotationsTable {
  id: Generated<number>;
  target_version: number;
  status: 'running' | 'completed' | 'failed';
  progress: Json<RotationProgress>;
  dependencies: ColumnType<RotationDependencies, string | undefined, string>;
  rows_reencrypted: Generated<number>;
  batches: Generated<number>;
  started_at: Ts;
  started_by: number | null;
  finished_at: Ts | null;
  last_batch_at: Ts | null;
  error: string | null;
  error_count: Generated<number>;
}

export interface PiiKeyTables {
  pii_key_rotations: PiiKeyRotationsTable;
}
