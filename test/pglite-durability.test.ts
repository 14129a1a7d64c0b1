import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/server/db/database.js';

// The embedded PGlite and power loss: PGlite starts PostgreSQL with fsync off and its Node filesystem has no
// fsync, so by default a commit reaches the OS page cache only (it survives kill -9, not a power cut). The
// durable mode (PGLITE_FSYNC=on, src/server/db/pglite-pool.ts) makes every commit fsync its WAL to the disk.
describe('PGlite durability', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'hz-durable-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const settings = (db: Kysely<any>) =>
    sql<{
      fsync: string;
      wal_sync_method: string;
      synchronous_commit: string;
    }>`SELECT current_setting('fsync') AS fsync, current_setting('wal_sync_method') AS wal_sync_method, current_setting('synchronous_commit') AS synchronous_commit`.execute(
      db,
    );

  it('durable mode: fsync on, and every commit reaches fsync(2); the data is there after reopening', async () => {
    const dir = tempDir();
    let fsyncs = 0;
    const h = await openDatabase({ dataDir: dir, durable: true, onFsync: () => fsyncs++ });
    expect((await settings(h.db)).rows[0]).toEqual({ fsync: 'on', wal_sync_method: 'fsync', synchronous_commit: 'on' });
    await sql`CREATE TABLE t (id serial PRIMARY KEY, v text)`.execute(h.db);
    for (let i = 0; i < 5; i++) {
      const before = fsyncs;
      await h.db.transaction().execute((trx) => sql`INSERT INTO t (v) VALUES (${`row ${i}`})`.execute(trx));
      expect(fsyncs - before, `commit ${i}`).toBeGreaterThanOrEqual(1);
    }
    // a read-only transaction writes no WAL and needs no fsync
    const before = fsyncs;
    await h.db.transaction().execute((trx) => sql`SELECT count(*) FROM t`.execute(trx));
    expect(fsyncs).toBe(before);
    await h.close();
    const again = await openDatabase({ dataDir: dir, durable: true });
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM t`.execute(again.db)).rows[0]!.n).toBe(5);
    await again.close();
  });

  it('default mode keeps PGlite as it ships (fsync off); in memory there is nothing to make durable', async () => {
    const h = await openDatabase({ dataDir: tempDir() });
    expect((await settings(h.db)).rows[0]!.fsync).toBe('off');
    await h.close();
    const mem = await openDatabase({ dataDir: null, durable: true });
    expect((await settings(mem.db)).rows[0]!.fsync).toBe('off');
    await mem.close();
  });

  // A process killed with SIGKILL right after its commits returned: what was committed is there on reopening, in
  // both modes (the page cache outlives the process). What only durable mode survives — a power cut — cannot be
  // produced in a test; the fsync count above is its evidence.
  it.each([false, true])(
    'committed rows survive kill -9 of the process (durable: %s)',
    async (durable) => {
      const dir = tempDir();
      const writer = resolve('test/fixtures/pglite-writer.ts');
      const proc = spawn(
        process.execPath,
        ['--import', 'tsx', writer, join(dir, 'data'), durable ? 'durable' : 'default'],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      await new Promise<void>((ok, fail) => {
        let out = '';
        proc.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          if (out.includes('committed')) ok();
        });
        proc.on('exit', (code) => fail(new Error(`writer exited early with ${code}`)));
      });
      const exited = new Promise((ok) => proc.on('exit', ok));
      proc.kill('SIGKILL');
      await exited;
      const h = await openDatabase({ dataDir: join(dir, 'data') });
      expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM t`.execute(h.db)).rows[0]!.n).toBe(20);
      await h.close();
    },
    120_000,
  );

  it('a database written without fsync opens in durable mode and back', async () => {
    const dir = tempDir();
    const a = await openDatabase({ dataDir: dir });
    await sql`CREATE TABLE t (v text); INSERT INTO t VALUES ('a')`.execute(a.db);
    await a.close();
    const b = await openDatabase({ dataDir: dir, durable: true });
    await sql`INSERT INTO t VALUES ('b')`.execute(b.db);
    await b.close();
    const c = await openDatabase({ dataDir: dir });
    expect((await sql<{ v: string }>`SELECT v FROM t ORDER BY v`.execute(c.db)).rows.map((r) => r.v)).toEqual([
      'a',
      'b',
    ]);
    await c.close();
  });
});
