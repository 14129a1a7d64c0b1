import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase } from '../db/database.js';
import { DataDirInUseError } from '../db/pglite-lock.js';
import {
  ATTACHMENTS_PREFIX,
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  BackupError,
  DUMP_FILE,
  MANIFEST_FILE,
  renderManifest,
  sealManifest,
  type BackupFile,
  type BackupManifest,
  type DatabaseKind,
} from './backup-manifest.js';
import { copyWithHash, DIR_MODE, exists, fsyncPath, hashFile, listFiles, writeFileSynced } from './backup-files.js';
import {
  appliedMigrations,
  rowCounts,
  serverVersion,
  storageKeys,
  type DatabaseFacts,
  clientQuery,
  type Query,
} from './database-facts.js';
import { appVersion, pgliteVersion, redactUrl, runPgTool, toolVersion } from './pg-tools.js';

// npm run backup (等保 2.0 数据备份恢复): the database and every attachment into one new directory with a manifest of
// sizes and sha256 sums (backup-manifest.ts), written under a ".partial" name and renamed when complete, so a
// directory that looks finished is finished.
//
// PostgreSQL: online. One REPEATABLE READ transaction exports its snapshot; pg_dump --snapshot dumps exactly that
// snapshot while the same transaction counts the rows and lists the attachment keys, so the manifest describes the
// dump precisely however busy the service is. Attachments are copied after the snapshot: files are written before
// the rows naming them commit and are never changed, so every file the dump names is already on disk.
//
// PGlite: offline. It is PostgreSQL inside the server's process and a second process cannot open the directory
// safely (pglite-lock.ts refuses it), so the backup opens the directory itself — the server must be stopped —
// checkpoints and dumps the data directory (dumpDataDir). PGlite is for a single small installation; production
// runs PostgreSQL (docs/operations.md).

export interface BackupOptions {
  /** PostgreSQL when set (as the server: DATABASE_URL), else PGlite under dataDir */
  databaseUrl?: string;
  /** DATA_DIR: PGlite's database under pglite/, attachments under attachments/ */
  dataDir: string;
  /** the directory a new backup directory is created in */
  outDir: string;
  /** PGlite: open with fsync on, as the server does with PGLITE_FSYNC=on */
  durable?: boolean;
  now?: Date;
}

export interface BackupResult {
  dir: string;
  manifest: BackupManifest;
  ms: { database: number; attachments: number; total: number };
}

interface DumpOutcome extends DatabaseFacts {
  keys: string[];
  tool: string;
}

function stamp(d: Date): string {
  return d
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

export async function createBackup(opts: BackupOptions): Promise<BackupResult> {
  const t0 = performance.now();
  const now = opts.now ?? new Date();
  const kind: DatabaseKind = opts.databaseUrl ? 'postgres' : 'pglite';
  const dir = join(opts.outDir, `heze-12345-${stamp(now)}-${kind}`);
  const partial = `${dir}.partial`;
  if ((await exists(dir)) || (await exists(partial)))
    throw new BackupError('out_exists', `${dir} already exists: one backup per second and directory`);
  const createdOut = await mkdir(opts.outDir, { recursive: true, mode: DIR_MODE }); // the first one it made, if any
  await mkdir(partial, { mode: DIR_MODE });
  try {
    const dumpPath = join(partial, DUMP_FILE[kind]);
    const db =
      kind === 'postgres'
        ? await dumpPostgres(opts.databaseUrl!, dumpPath)
        : await dumpPglite(opts.dataDir, dumpPath, opts.durable === true);
    const t1 = performance.now();
    const files: BackupFile[] = [{ path: DUMP_FILE[kind], ...(await hashFile(dumpPath)) }];

    const root = join(opts.dataDir, 'attachments');
    const copied = new Set<string>();
    for (const rel of await listFiles(root)) {
      const path = ATTACHMENTS_PREFIX + rel;
      try {
        files.push({ path, ...(await copyWithHash(join(root, rel), join(partial, path))) });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        // removed since it was listed: an upload whose transaction failed takes its file back (PostgreSQL runs on)
        await rm(join(partial, path), { force: true });
        continue;
      }
      copied.add(rel);
    }
    const missing = db.keys.filter((k) => !copied.has(k));
    const warnings = missing.length
      ? [
          `${missing.length} attachment${missing.length === 1 ? '' : 's'} named by the database ${missing.length === 1 ? 'was' : 'were'} not under ${root}: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`,
        ]
      : [];
    const t2 = performance.now();

    const manifest = sealManifest({
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      createdAt: now.toISOString(),
      app: appVersion(),
      database: { kind, serverVersion: db.serverVersion, tool: db.tool },
      migrations: db.migrations,
      schemaVersion: db.migrations[db.migrations.length - 1]!,
      files,
      rowCounts: db.rowCounts,
      warnings,
    });
    await writeFileSynced(join(partial, MANIFEST_FILE), renderManifest(manifest));
    await fsyncPath(partial);
    await rename(partial, dir);
    await fsyncPath(opts.outDir);
    return {
      dir,
      manifest,
      ms: { database: t1 - t0, attachments: t2 - t1, total: performance.now() - t0 },
    };
  } catch (err) {
    await rm(partial, { recursive: true, force: true });
    if (createdOut) await rm(createdOut, { recursive: true, force: true }); // made for this backup: empty again
    throw err;
  }
}

function noSchema(where: string): BackupError {
  return new BackupError(
    'no_database',
    `${where} has no kysely_migration table: it is not a database of this system, or it was never migrated`,
  );
}

async function dumpPostgres(url: string, file: string): Promise<DumpOutcome> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (err) {
    throw new BackupError('dump_failed', `cannot connect to ${redactUrl(url)}: ${(err as Error).message}`);
  }
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshot = (await client.query<{ s: string }>('SELECT pg_export_snapshot() AS s')).rows[0]!.s;
    const q = clientQuery(client);
    const migrations = await appliedMigrations(q);
    if (!migrations?.length) throw noSchema(redactUrl(url));
    const facts = { serverVersion: await serverVersion(q), migrations, rowCounts: await rowCounts(q) };
    const keys = await storageKeys(q);
    await runPgTool('pg_dump', ['--format=custom', `--snapshot=${snapshot}`, `--file=${file}`], url, 'dump_failed');
    await client.query('COMMIT');
    return { ...facts, keys, tool: await toolVersion('pg_dump') };
  } finally {
    await client.end();
  }
}

async function dumpPglite(dataDir: string, file: string, durable: boolean): Promise<DumpOutcome> {
  const where = join(dataDir, 'pglite');
  if (!(await exists(join(where, 'PG_VERSION'))))
    throw new BackupError(
      'no_database',
      `no PGlite database under ${where}: set DATA_DIR to the server's, or DATABASE_URL for PostgreSQL`,
    );
  let handle;
  try {
    handle = await openDatabase({ dataDir, durable });
  } catch (err) {
    if (err instanceof DataDirInUseError)
      throw new BackupError(
        'in_use',
        `${err.message}. A PGlite backup is taken with the server stopped: stop it, run npm run backup, start it again`,
      );
    throw err;
  }
  try {
    const lite = handle.pglite!;
    // everything in the data files, so the copy needs no WAL replay when it is opened
    await lite.exec('CHECKPOINT');
    const q: Query = async <R>(text: string) => (await lite.query<R>(text)).rows;
    const migrations = await appliedMigrations(q);
    if (!migrations?.length) throw noSchema(where);
    const facts = { serverVersion: await serverVersion(q), migrations, rowCounts: await rowCounts(q) };
    const keys = await storageKeys(q);
    const dump = await lite.dumpDataDir('gzip');
    await writeFileSynced(file, new Uint8Array(await dump.arrayBuffer()));
    return { ...facts, keys, tool: pgliteVersion() };
  } finally {
    await handle.close();
  }
}
