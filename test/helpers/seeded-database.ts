import { readFileSync, writeFileSync } from 'node:fs';
import { inject } from 'vitest';
import { openDatabase, type Database, type DatabaseHandle } from '../../src/server/db/database.js';
import { migrateToLatest } from '../../src/server/db/migrate.js';
import { seedDemo, seedReferenceData, type SeedIds } from '../../src/server/seed/seed.js';
import { DEMO_PASSWORD } from '../../src/server/seed/heze-organisation.js';
import { createThrowawayPgDatabase } from './pg-database.js';

// Nearly every test file starts from the same database: migrated, reference data, the Heze demo organisation seeded
// at TEST_START. Building it takes seconds (an embedded PGlite runs initdb each time it starts empty), so the run
// builds it once (global-setup.ts) — a PGlite data-directory dump and a PostgreSQL template database — and each file
// starts from a copy of its own. A file that asks for another start instant, or a run without the copies, builds its
// own as before.

export const TEST_START = '2025-03-03T09:00:00+08:00'; // a Monday, an ordinary working day

export interface SeededCopies {
  /** a file holding the PGlite data-directory dump (uncompressed tar), or null */
  pgliteDump: string | null;
  /** the PostgreSQL template database's name, or null */
  pgTemplate: string | null;
}

async function seed(db: Database, start: string): Promise<SeedIds> {
  await migrateToLatest(db);
  await seedReferenceData(db);
  return (await seedDemo(db, new Date(start), DEMO_PASSWORD))!;
}

/** The run's copies (global-setup.ts); none outside a test run (scripts/screenshots.ts starts the e2e server). */
export function seededCopies(): SeededCopies | undefined {
  try {
    return inject('seededCopies');
  } catch {
    return undefined;
  }
}

/** The ids seedDemo returns, read back from a copy of a database it seeded (that holds no other rows). */
export async function readSeedIds(db: Database): Promise<SeedIds> {
  const [units, users, categories] = await Promise.all([
    db.selectFrom('units').select(['id', 'code']).execute(),
    db.selectFrom('users').select(['id', 'username']).execute(),
    db.selectFrom('categories').select(['id', 'code']).execute(),
  ]);
  return {
    units: Object.fromEntries(units.map((u) => [u.code, u.id])),
    users: Object.fromEntries(users.map((u) => [u.username, u.id])),
    categories: Object.fromEntries(categories.map((c) => [c.code, c.id])),
  };
}

/** global-setup: the PGlite dump, written to `file`. */
export async function writePgliteDump(file: string): Promise<void> {
  const h = await openDatabase({ dataDir: null });
  try {
    await seed(h.db, TEST_START);
    const dump = await h.pglite!.dumpDataDir('none');
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  } finally {
    await h.close();
  }
}

/** global-setup: a seeded PostgreSQL database to copy from; `drop` removes it at the end of the run. */
export async function createPgTemplate(adminUrl: string): Promise<{ name: string; drop: () => Promise<void> }> {
  const t = await createThrowawayPgDatabase(adminUrl, 'hz_template');
  const h = await openDatabase({ url: t.url, poolSize: 2 });
  try {
    await seed(h.db, TEST_START);
  } finally {
    await h.close(); // CREATE DATABASE … TEMPLATE needs the template without connections
  }
  return { name: t.name, drop: t.drop };
}

/**
 * A database of a test file's own, migrated and seeded at `start`: a copy of the run's when there is one for this
 * engine and instant, else built here. PostgreSQL: a new throw-away database on `adminUrl` (dropped by `drop`).
 */
export async function openSeededDatabase(opts: {
  kind: 'pglite' | 'postgres';
  adminUrl?: string;
  start: string;
}): Promise<{ handle: DatabaseHandle; ids: SeedIds; url?: string; drop?: () => Promise<void> }> {
  const fromCopy = opts.start === TEST_START ? seededCopies() : undefined;
  if (opts.kind === 'pglite') {
    if (fromCopy?.pgliteDump) {
      const handle = await openDatabase({ dataDir: null, loadDataDir: new Blob([readFileSync(fromCopy.pgliteDump)]) });
      return { handle, ids: await readSeedIds(handle.db) };
    }
    const handle = await openDatabase({ dataDir: null });
    return { handle, ids: await seed(handle.db, opts.start) };
  }
  const { url, drop } = await createThrowawayPgDatabase(opts.adminUrl!, 'hz_test', fromCopy?.pgTemplate ?? undefined);
  const handle = await openDatabase({ url });
  try {
    const ids = fromCopy?.pgTemplate ? await readSeedIds(handle.db) : await seed(handle.db, opts.start);
    return { handle, ids, url, drop };
  } catch (err) {
    await handle.close();
    await drop();
    throw err;
  }
}
