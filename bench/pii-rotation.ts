import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { ManualClock } from '../src/server/clock.js';
import { openDatabase } from '../src/server/db/database.js';
import type { DB } from '../src/server/db/schema.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { initialProgress, ROTATION_TABLES, type RotationTable } from '../src/server/domain/pii-rotation.js';
import { runRotationBatch } from '../src/server/modules/pii-keys/rotation.worker.js';
import { PiiCipher } from '../src/server/security/pii-cipher.js';
import { createThrowawayPgDatabase } from '../test/helpers/pg-database.js';

// npx tsx bench/pii-rotation.ts [--pg postgres://postgres@127.0.0.1:5432/postgres] [--rows 20000] [--batch 500]
// How long one PII key rotation batch takes (第六条, docs/operations.md): requesters (two ciphertexts, three keyed
// hashes), contacts (a ciphertext and JSON fields) and outbound messages (one ciphertext), `rows` of each written
// under key version 1, then rotated to version 2 in batches of `batch` rows. Prints per table the median and p95
// milliseconds of a batch and the rows per second. Without --pg it runs on an in-memory PGlite.

const { values: args } = parseArgs({
  options: {
    pg: { type: 'string', default: '' },
    rows: { type: 'string', default: '20000' },
    batch: { type: 'string', default: '500' },
  },
});
const ROWS = Number(args.rows);
const BATCH = Number(args.batch);

const v1 = new PiiCipher(randomBytes(32));
const v2 = v1.withNewCurrentKey(2, randomBytes(32));

async function populate(db: Kysely<DB>) {
  const now = new Date('2025-03-03T09:00:00+08:00');
  for (let from = 0; from < ROWS; from += 2000) {
    const n = Math.min(2000, ROWS - from);
    const i = Array.from({ length: n }, (_, k) => from + k);
    const phones = i.map((k) => `139${String(k).padStart(8, '0')}`);
    await sql`INSERT INTO requesters (name_enc, phone_enc, phone_hash, key_version, created_at)
      SELECT * FROM unnest(${sql.val(i.map((k) => v1.encrypt(`诉求人${k}`)))}::text[],
        ${sql.val(phones.map((p) => v1.encrypt(p)))}::text[], ${sql.val(phones.map((p) => v1.phoneHash(p)))}::text[],
        ${sql.val(i.map(() => 1))}::integer[], ${sql.val(i.map(() => now))}::timestamptz[])`.execute(db);
    await sql`INSERT INTO contacts (channel, received_at, content, content_enc, meta)
      SELECT 'web', ${now}::timestamptz, '和平路路灯不亮，电话 139****0000', c, m::jsonb
      FROM unnest(${sql.val(i.map((k) => v1.encrypt(`和平路路灯不亮，电话 139${String(k).padStart(8, '0')}`)))}::text[],
        ${sql.val(i.map((k) => JSON.stringify({ category: null, address: '和平路**', addressEnc: v1.encrypt(`和平路 ${k} 号`) })))}::text[]) AS u(c, m)`.execute(
      db,
    );
    await sql`INSERT INTO outbound_messages (channel, to_enc, purpose, body, created_at, status)
      SELECT 'sms', t, 'receipt', '【菏泽12345】您的诉求已受理', ${now}::timestamptz, 'sent'
      FROM unnest(${sql.val(phones.map((p) => v1.encrypt(p)))}::text[]) AS u(t)`.execute(db);
  }
  await sql`ANALYZE requesters`.execute(db);
  await sql`ANALYZE contacts`.execute(db);
  await sql`ANALYZE outbound_messages`.execute(db);
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

const pg = args.pg ? await createThrowawayPgDatabase(args.pg, 'hz_bench_rot') : null;
const handle = await openDatabase(pg ? { url: pg.url } : { dataDir: null });
try {
  const db = handle.db;
  await migrateToLatest(db);
  await populate(db);
  const estimates = Object.fromEntries(ROTATION_TABLES.map(({ table }) => [table, ROWS])) as Record<
    RotationTable,
    number
  >;
  await db
    .insertInto('pii_key_rotations')
    .values({
      target_version: 2,
      status: 'running',
      progress: JSON.stringify(initialProgress(estimates)),
      started_at: new Date(),
      started_by: null,
    })
    .execute();
  const times: Record<string, number[]> = {};
  const rows: Record<string, number> = {};
  const clock = new ManualClock('2025-03-04T09:00:00+08:00');
  for (;;) {
    const t0 = performance.now();
    const r = await runRotationBatch(db, v2, clock, BATCH);
    const ms = performance.now() - t0;
    if (r.state !== 'batch') throw new Error(JSON.stringify(r));
    if (r.table && r.rows > 0) {
      (times[r.table] ??= []).push(ms);
      rows[r.table] = (rows[r.table] ?? 0) + r.rows;
    }
    if (r.completed) break;
  }
  console.log(
    `${handle.kind}, ${ROWS} rows per table, batches of ${BATCH}, load ${loadavg()[0]!.toFixed(2)} (${new Date().toISOString()})`,
  );
  for (const [table, ts] of Object.entries(times)) {
    const total = ts.reduce((a, b) => a + b, 0);
    console.log(
      `  ${table.padEnd(24)} ${String(ts.length).padStart(4)} batches  median ${pct(ts, 0.5).toFixed(1)} ms  p95 ${pct(ts, 0.95).toFixed(1)} ms  ${Math.round((rows[table]! / total) * 1000)} rows/s`,
    );
  }
} finally {
  await handle.close();
  await pg?.drop();
}
