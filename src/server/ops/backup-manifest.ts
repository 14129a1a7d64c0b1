import { createHash } from 'node:crypto';
import { z } from 'zod';

// The manifest of a backup (等保 2.0 数据备份恢复): what the directory holds and how to tell it is whole. Pure — the
// reading, hashing and writing are in backup.ts / restore.ts; everything that decides whether a backup may be
// restored is here, so it is tested exhaustively without a database or a disk.
//
// A backup directory:
//   manifest.json             this, written last (a directory without it is an interrupted or foreign one)
//   database.dump             PostgreSQL: pg_dump --format=custom (compressed)
//   database.pglite.tar.gz    PGlite: its data-directory dump (dumpDataDir)
//   attachments/…             every file under DATA_DIR/attachments, same relative paths (tickets' and knowledge's)

export const BACKUP_FORMAT = 'heze-12345-backup';
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const DUMP_FILE = { postgres: 'database.dump', pglite: 'database.pglite.tar.gz' } as const;
export const ATTACHMENTS_PREFIX = 'attachments/';

export type DatabaseKind = keyof typeof DUMP_FILE;

/** Why a backup or a restore was refused; the CLI prints the message and exits with 1. */
export type BackupErrorCode =
  | 'not_a_backup'
  | 'invalid_manifest'
  | 'manifest_checksum'
  | 'unsupported_format'
  | 'missing_file'
  | 'truncated'
  | 'size_mismatch'
  | 'checksum_mismatch'
  | 'unexpected_file'
  | 'version_older'
  | 'version_newer'
  | 'version_diverged'
  | 'kind_mismatch'
  | 'target_not_empty'
  | 'attachments_not_empty'
  | 'in_use'
  | 'no_database'
  | 'dump_failed'
  | 'restore_failed'
  | 'verify_failed'
  | 'out_exists';

export class BackupError extends Error {
  constructor(
    readonly code: BackupErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BackupError';
  }
}

// A path inside the backup: relative, '/'-separated, no empty, '.' or '..' segment, no backslash or NUL. Restore
// writes attachments to DATA_DIR/attachments/<path>, so a crafted manifest must not reach outside it.
const SAFE_SEGMENT = /^(?!\.{1,2}$)[^/\\\0]{1,255}$/;
export function isSafeRelativePath(p: string): boolean {
  return p.length > 0 && p.length <= 4096 && p.split('/').every((s) => SAFE_SEGMENT.test(s));
}

const fileSchema = z.strictObject({
  path: z.string().refine(isSafeRelativePath, 'not a safe relative path'),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'not a sha256 in hex'),
});

const migrationName = z.string().regex(/^[0-9]{4}-[a-z0-9-]+$/, 'not a migration name');

const bodySchema = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.number().int().min(1),
  createdAt: z.iso.datetime(),
  app: z.strictObject({ name: z.string(), version: z.string() }),
  database: z.strictObject({
    kind: z.enum(['postgres', 'pglite']),
    /** `SHOW server_version` of the database backed up (PGlite reports the PostgreSQL it embeds) */
    serverVersion: z.string(),
    /** pg_dump's --version, or the PGlite package and version */
    tool: z.string(),
  }),
  /** applied migrations, ascending; the last one is the schema version */
  migrations: z.array(migrationName).min(1),
  schemaVersion: migrationName,
  files: z.array(fileSchema),
  /** rows per table in schema public at the moment of the dump (the same snapshot); restore checks them */
  rowCounts: z.record(z.string(), z.number().int().min(0)),
  /** e.g. attachments the database names that were not on disk */
  warnings: z.array(z.string()),
});

export type BackupFile = z.infer<typeof fileSchema>;
export type ManifestBody = z.infer<typeof bodySchema>;
/** checksum: sha256 of the canonical JSON of every other field — catches damage to the manifest itself */
export type BackupManifest = ManifestBody & { checksum: string };

/** JSON with object keys sorted at every level, so the checksum does not depend on key order or whitespace. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

export function manifestChecksum(body: ManifestBody): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

export function sealManifest(body: ManifestBody): BackupManifest {
  return { ...body, checksum: manifestChecksum(body) };
}

/** The manifest as written: sealed, indented for a human reading it. */
export function renderManifest(m: BackupManifest): string {
  return JSON.stringify(m, null, 2) + '\n';
}

/**
 * Reads a manifest and checks everything it can say about itself: shape, format, its own checksum, that it lists
 * exactly one dump of its kind and otherwise only attachments, each path once, migrations ascending and ending at
 * the schema version. Throws BackupError; `where` names the file in messages.
 */
export function parseManifest(text: string, where = MANIFEST_FILE): BackupManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new BackupError('invalid_manifest', `${where} is not valid JSON (damaged or truncated)`);
  }
  if (
    typeof raw !== 'object' ||
    raw === null ||
    Array.isArray(raw) ||
    (raw as { format?: unknown }).format !== BACKUP_FORMAT
  )
    throw new BackupError(
      'not_a_backup',
      `${where} is not the manifest of a backup of this system (format "${BACKUP_FORMAT}" expected)`,
    );
  const version = (raw as { formatVersion?: unknown }).formatVersion;
  if (typeof version === 'number' && version > BACKUP_FORMAT_VERSION)
    throw new BackupError(
      'unsupported_format',
      `${where} has backup format version ${version}; this release reads version ${BACKUP_FORMAT_VERSION}: restore with the release that made the backup`,
    );
  const { checksum, ...rest } = raw as Record<string, unknown>;
  const parsed = bodySchema.safeParse(rest);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new BackupError(
      'invalid_manifest',
      `${where} is not a valid backup manifest: ${first.path.join('.') || '(top level)'}: ${first.message}`,
    );
  }
  const body = parsed.data;
  if (typeof checksum !== 'string' || checksum !== manifestChecksum(body))
    throw new BackupError(
      'manifest_checksum',
      `${where} was altered or damaged: its checksum does not match its content — do not restore from this backup`,
    );
  const problem = structuralProblem(body);
  if (problem) throw new BackupError('invalid_manifest', `${where} is not a valid backup manifest: ${problem}`);
  return { ...body, checksum };
}

function structuralProblem(b: ManifestBody): string | null {
  const dump = DUMP_FILE[b.database.kind];
  const seen = new Set<string>();
  for (const f of b.files) {
    if (seen.has(f.path)) return `file ${f.path} is listed twice`;
    seen.add(f.path);
    if (f.path !== dump && !f.path.startsWith(ATTACHMENTS_PREFIX))
      return `file ${f.path} is neither the ${b.database.kind} dump (${dump}) nor under ${ATTACHMENTS_PREFIX}`;
  }
  if (!seen.has(dump)) return `the database dump ${dump} is not listed`;
  for (let i = 1; i < b.migrations.length; i++)
    if (b.migrations[i - 1]! >= b.migrations[i]!) return 'migrations are not in ascending order without repeats';
  if (b.schemaVersion !== b.migrations[b.migrations.length - 1])
    return `schemaVersion ${b.schemaVersion} is not the last migration (${b.migrations[b.migrations.length - 1]})`;
  return null;
}

export type MigrationComparison =
  | { kind: 'same' }
  | { kind: 'older'; missing: string[] }
  | { kind: 'newer'; unknown: string[] }
  | { kind: 'diverged'; unknown: string[]; missing: string[] };

/** How the backup's applied migrations relate to the ones this code knows (both ascending). */
export function compareMigrations(backup: readonly string[], known: readonly string[]): MigrationComparison {
  const knownSet = new Set(known);
  const backupSet = new Set(backup);
  const unknown = backup.filter((m) => !knownSet.has(m));
  const missing = known.filter((m) => !backupSet.has(m));
  if (!unknown.length && !missing.length) return { kind: 'same' };
  // older: the backup's list is exactly the beginning of ours — what an earlier release left
  if (!unknown.length && known.slice(0, backup.length).every((m, i) => m === backup[i]))
    return { kind: 'older', missing };
  // newer: ours is exactly the beginning of the backup's — a later release made it
  if (!missing.length && backup.slice(0, known.length).every((m, i) => m === known[i]))
    return { kind: 'newer', unknown };
  return { kind: 'diverged', unknown, missing };
}

/**
 * A backup restores only into the release whose migrations are exactly the backup's. An older backup is not
 * migrated forward here: restore it with the release that made it, then upgrade the usual way (migrations run
 * forward when the new release starts), so a failure is plainly the backup's or plainly the upgrade's.
 */
export function assertSameSchema(m: BackupManifest, known: readonly string[]): void {
  const c = compareMigrations(m.migrations, known);
  const ours = known[known.length - 1] ?? '(none)';
  if (c.kind === 'same') return;
  if (c.kind === 'older')
    throw new BackupError(
      'version_older',
      `the backup's schema is older than this release's: backup at ${m.schemaVersion}, this release at ${ours} ` +
        `(${c.missing.length} migration${c.missing.length === 1 ? '' : 's'} newer: ${c.missing.join(', ')}). ` +
        `Restore it with the release that made it (app version ${m.app.version}), start that release once, ` +
        `then upgrade to this one — migrations run forward when the server starts.`,
    );
  if (c.kind === 'newer')
    throw new BackupError(
      'version_newer',
      `the backup was made by a newer release (app version ${m.app.version}, schema ${m.schemaVersion}); ` +
        `this release knows the schema up to ${ours} and not ${c.unknown.join(', ')}. ` +
        `Restore it with that release or a later one; a release cannot run a schema newer than itself.`,
    );
  const parts = [
    c.unknown.length ? `it has ${c.unknown.join(', ')}, which this release does not know` : '',
    c.missing.length ? `it lacks ${c.missing.join(', ')}` : '',
  ].filter(Boolean);
  throw new BackupError(
    'version_diverged',
    `the backup's migrations do not match this release's: ${parts.join('; ')}. It was made by a different line ` +
      `of releases (app version ${m.app.version}); restore it with that release.`,
  );
}

/** What was found on disk for one listed file: its size, and its sha256 when the size was right (hashing is I/O). */
export interface ObservedFile {
  size: number;
  sha256?: string;
}

/**
 * The first thing wrong with the files of a backup, or null: a listed file missing, shorter (truncated) or longer
 * than listed, or with another sha256; or a file in the directory the manifest does not list.
 */
export function fileProblem(
  listed: readonly BackupFile[],
  found: ReadonlyMap<string, ObservedFile>,
): BackupError | null {
  for (const f of listed) {
    const o = found.get(f.path);
    if (!o) return new BackupError('missing_file', `backup file missing: ${f.path} (listed in ${MANIFEST_FILE})`);
    if (o.size < f.size)
      return new BackupError(
        'truncated',
        `backup file truncated: ${f.path} has ${o.size} of its ${f.size} bytes — the backup is incomplete`,
      );
    if (o.size > f.size)
      return new BackupError(
        'size_mismatch',
        `backup file altered: ${f.path} has ${o.size} bytes, ${MANIFEST_FILE} says ${f.size}`,
      );
    if (o.sha256 !== undefined && o.sha256 !== f.sha256)
      return new BackupError(
        'checksum_mismatch',
        `backup file damaged or altered: ${f.path} does not match its sha256 in ${MANIFEST_FILE}`,
      );
  }
  const names = new Set(listed.map((f) => f.path));
  for (const p of found.keys())
    if (!names.has(p))
      return new BackupError(
        'unexpected_file',
        `backup directory holds ${p}, which ${MANIFEST_FILE} does not list — it was changed after the backup was made`,
      );
  return null;
}

/** Tables whose row count after a restore differs from the manifest's (a table missing on either side counts). */
export function rowCountDifferences(
  expected: Readonly<Record<string, number>>,
  actual: Readonly<Record<string, number>>,
): string[] {
  const tables = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  return tables
    .filter((t) => expected[t] !== actual[t])
    .map((t) => `${t}: ${expected[t] ?? 'absent'} in the backup, ${actual[t] ?? 'absent'} restored`);
}
