import { sql, type Kysely } from 'kysely';

// 第六条: the PII key can be rotated. Ciphertexts name their key version themselves ("v<n>."), so only what a
// keyed hash cannot say needs a column, and a rotation needs a row to resume from. Frozen once released.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
-- One rotation: re-encrypting every personal field under the target (current) key version, table by table in
-- primary-key order. progress holds each table's cursor and counts, committed with every batch, so a process
-- killed at any moment resumes where the last batch ended. dependencies: rows that still need an older key
-- after the rotation (keyed hashes whose plaintext is not stored), by kind and version.
CREATE TABLE pii_key_rotations (
  id bigserial PRIMARY KEY,
  target_version integer NOT NULL CHECK (target_version > 0),
  status text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
  progress jsonb NOT NULL,
  dependencies jsonb NOT NULL DEFAULT '{}'::jsonb,
  rows_reencrypted bigint NOT NULL DEFAULT 0,
  batches integer NOT NULL DEFAULT 0,
  started_at timestamptz NOT NULL,
  started_by integer REFERENCES users(id),
  finished_at timestamptz,
  last_batch_at timestamptz,
  error text,
  error_count integer NOT NULL DEFAULT 0
);
-- At most one running rotation, whichever process starts it: a second start fails here (409 to the admin).
CREATE UNIQUE INDEX pii_key_rotations_one_running ON pii_key_rotations ((true)) WHERE status = 'running';

-- The key version of keyed hashes that cannot be recomputed by a rotation (or only sometimes), so the admin screen
-- can say how many rows still depend on an old key. NULL is version 1: every hash made before this migration was,
-- and no table is rewritten to say so (ADD COLUMN without a default is instant on ten million rows).
-- requesters: the oldest version any of the row's hashes or ciphertexts was made with.
ALTER TABLE requesters ADD COLUMN key_version integer;
ALTER TABLE tickets ADD COLUMN tracking_key_version integer;
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0023-pii-key-rotation is not reversible');
}
