import { describe, expect, it } from 'vitest';
import {
  assertSameSchema,
  BackupError,
  canonicalJson,
  compareMigrations,
  fileProblem,
  isSafeRelativePath,
  parseManifest,
  renderManifest,
  rowCountDifferences,
  sealManifest,
  type BackupErrorCode,
  type ManifestBody,
  type ObservedFile,
} from './backup-manifest.js';

const SUM = (c: string) => c.repeat(64);
const KNOWN = ['0001-core', '0002-intake', '0003-open311'];

function body(over: Partial<ManifestBody> = {}): ManifestBody {
  return {
    format: 'heze-12345-backup',
    formatVersion: 1,
    createdAt: '2025-03-03T01:00:00.000Z',
    app: { name: 'heze-12345', version: '0.1.0' },
    database: { kind: 'postgres', serverVersion: '15.20', tool: 'pg_dump (PostgreSQL) 15.20' },
    migrations: KNOWN,
    schemaVersion: '0003-open311',
    files: [
      { path: 'database.dump', size: 1000, sha256: SUM('a') },
      { path: 'attachments/2025/03/03/x.png', size: 68, sha256: SUM('b') },
      { path: 'attachments/knowledge/2025/03/03/y.pdf', size: 70, sha256: SUM('c') },
    ],
    rowCounts: { tickets: 3, users: 20 },
    warnings: [],
    ...over,
  };
}

/** The manifest text as backup writes it, resealed after a change so only the change itself can be refused. */
const text = (over: Partial<ManifestBody> = {}) => renderManifest(sealManifest(body(over)));

function refusal(fn: () => unknown): { code: BackupErrorCode; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof BackupError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('not refused');
}

describe('等保 2.0 备份与恢复: the backup manifest', () => {
  it('reads back what backup writes, whatever the key order or indentation', () => {
    const m = parseManifest(text());
    expect(m.schemaVersion).toBe('0003-open311');
    expect(m.files).toHaveLength(3);
    const shuffled = JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(text()) as object).reverse()));
    expect(parseManifest(shuffled).checksum).toBe(m.checksum);
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }] })).toBe('{"a":[{"c":null,"d":2}],"b":1}');
  });

  it('refuses what is not JSON, not a manifest of this system, or from a newer backup format', () => {
    expect(refusal(() => parseManifest(text().slice(0, 200))).code).toBe('invalid_manifest');
    expect(refusal(() => parseManifest('')).message).toContain('not valid JSON');
    expect(refusal(() => parseManifest('[]')).code).toBe('not_a_backup');
    expect(refusal(() => parseManifest('{"format":"pg_probackup","files":[]}')).code).toBe('not_a_backup');
    const future = refusal(() => parseManifest(text({ formatVersion: 2 })));
    expect(future.code).toBe('unsupported_format');
    expect(future.message).toContain('format version 2');
  });

  it('refuses a manifest changed without its checksum, or without a checksum', () => {
    const raw = JSON.parse(text()) as Record<string, unknown>;
    const changed = { ...raw, rowCounts: { tickets: 4, users: 20 } };
    const r = refusal(() => parseManifest(JSON.stringify(changed)));
    expect(r.code).toBe('manifest_checksum');
    expect(r.message).toContain('altered or damaged');
    const { checksum: _drop, ...unsealed } = raw;
    expect(refusal(() => parseManifest(JSON.stringify(unsealed))).code).toBe('manifest_checksum');
  });

  it('refuses a malformed manifest even when sealed: fields, paths, listing, migrations', () => {
    const cases: Array<[Partial<ManifestBody>, string]> = [
      [{ createdAt: 'yesterday' }, 'createdAt'],
      [{ database: { kind: 'mysql' as never, serverVersion: '8', tool: 'x' } }, 'database.kind'],
      [{ migrations: [] }, 'migrations'],
      [{ migrations: ['core'], schemaVersion: 'core' }, 'migrations.0'],
      [{ files: [{ path: 'database.dump', size: -1, sha256: SUM('a') }] }, 'files.0.size'],
      [{ files: [{ path: 'database.dump', size: 1, sha256: 'abc' }] }, 'files.0.sha256'],
      [{ files: [{ path: 'attachments/../../etc/passwd', size: 1, sha256: SUM('a') }] }, 'files.0.path'],
      [{ files: [{ path: '/etc/passwd', size: 1, sha256: SUM('a') }] }, 'files.0.path'],
      [{ files: [{ path: 'attachments/a.png', size: 1, sha256: SUM('a') }] }, 'database.dump is not listed'],
      [
        { files: [{ path: 'database.pglite.tar.gz', size: 1, sha256: SUM('a') }] },
        'neither the postgres dump (database.dump) nor under attachments/',
      ],
      [
        {
          files: [
            { path: 'database.dump', size: 1, sha256: SUM('a') },
            { path: 'database.dump', size: 1, sha256: SUM('a') },
          ],
        },
        'listed twice',
      ],
      [
        {
          files: [
            { path: 'database.dump', size: 1, sha256: SUM('a') },
            { path: 'notes.txt', size: 1, sha256: SUM('a') },
          ],
        },
        'notes.txt',
      ],
      [{ migrations: ['0002-intake', '0001-core'], schemaVersion: '0001-core' }, 'ascending'],
      [{ schemaVersion: '0001-core' }, 'not the last migration'],
    ];
    for (const [over, says] of cases) {
      const r = refusal(() => parseManifest(text(over)));
      expect(r.code, says).toBe('invalid_manifest');
      expect(r.message).toContain(says);
    }
    const extra = { ...(JSON.parse(text()) as object), signedBy: 'x' };
    expect(refusal(() => parseManifest(JSON.stringify(extra))).code).toBe('invalid_manifest');
  });

  it('knows a safe relative path', () => {
    for (const p of ['database.dump', 'attachments/2025/03/03/0b7c.png', 'attachments/knowledge/a b.pdf', 'a/.hidden'])
      expect(isSafeRelativePath(p), p).toBe(true);
    for (const p of ['', '/x', 'a//b', 'a/./b', '../x', 'a/..', 'a\\b', 'a\0b', 'a/', `${'x'.repeat(256)}`])
      expect(isSafeRelativePath(p), JSON.stringify(p)).toBe(false);
  });

  it('compares the backup migrations with the ones this code knows', () => {
    expect(compareMigrations(KNOWN, KNOWN)).toEqual({ kind: 'same' });
    expect(compareMigrations(KNOWN.slice(0, 2), KNOWN)).toEqual({ kind: 'older', missing: ['0003-open311'] });
    expect(compareMigrations([...KNOWN, '0004-x'], KNOWN)).toEqual({ kind: 'newer', unknown: ['0004-x'] });
    expect(compareMigrations(['0001-core', '0003-open311'], KNOWN)).toEqual({
      kind: 'diverged',
      unknown: [],
      missing: ['0002-intake'],
    });
    expect(compareMigrations(['0001-core', '0002-other'], KNOWN)).toEqual({
      kind: 'diverged',
      unknown: ['0002-other'],
      missing: ['0002-intake', '0003-open311'],
    });
  });

  it('restores only the schema this release knows, and says what to do otherwise', () => {
    expect(() => assertSameSchema(parseManifest(text()), KNOWN)).not.toThrow();
    const older = refusal(() =>
      assertSameSchema(parseManifest(text({ migrations: KNOWN.slice(0, 2), schemaVersion: '0002-intake' })), KNOWN),
    );
    expect(older.code).toBe('version_older');
    expect(older.message).toContain('backup at 0002-intake, this release at 0003-open311');
    expect(older.message).toContain('Restore it with the release that made it (app version 0.1.0)');
    const newer = refusal(() =>
      assertSameSchema(
        parseManifest(
          text({
            migrations: [...KNOWN, '0004-x'],
            schemaVersion: '0004-x',
            app: { name: 'heze-12345', version: '0.2.0' },
          }),
        ),
        KNOWN,
      ),
    );
    expect(newer.code).toBe('version_newer');
    expect(newer.message).toContain('newer release (app version 0.2.0, schema 0004-x)');
    const diverged = refusal(() =>
      assertSameSchema(parseManifest(text({ migrations: ['0001-core', '0003-open311'] })), KNOWN),
    );
    expect(diverged.code).toBe('version_diverged');
    expect(diverged.message).toContain('it lacks 0002-intake');
  });

  it('names the first file problem: missing, truncated, longer, another sum, or not listed', () => {
    const listed = body().files;
    const whole = () => new Map<string, ObservedFile>(listed.map((f) => [f.path, { size: f.size, sha256: f.sha256 }]));
    expect(fileProblem(listed, whole())).toBeNull();
    const sizesOnly = new Map<string, ObservedFile>(listed.map((f) => [f.path, { size: f.size }]));
    expect(fileProblem(listed, sizesOnly)).toBeNull();

    const missing = whole();
    missing.delete('attachments/2025/03/03/x.png');
    expect(fileProblem(listed, missing)).toMatchObject({ code: 'missing_file' });

    const truncated = whole();
    truncated.set('database.dump', { size: 512 });
    const t = fileProblem(listed, truncated)!;
    expect(t.code).toBe('truncated');
    expect(t.message).toBe('backup file truncated: database.dump has 512 of its 1000 bytes — the backup is incomplete');

    const longer = whole();
    longer.set('database.dump', { size: 1001 });
    expect(fileProblem(listed, longer)).toMatchObject({ code: 'size_mismatch' });

    const altered = whole();
    altered.set('attachments/knowledge/2025/03/03/y.pdf', { size: 70, sha256: SUM('d') });
    expect(fileProblem(listed, altered)?.message).toBe(
      'backup file damaged or altered: attachments/knowledge/2025/03/03/y.pdf does not match its sha256 in manifest.json',
    );

    const extra = whole();
    extra.set('attachments/planted.png', { size: 1 });
    expect(fileProblem(listed, extra)).toMatchObject({ code: 'unexpected_file' });
  });

  it('lists row count differences table by table', () => {
    expect(rowCountDifferences({ a: 1, b: 2 }, { b: 2, a: 1 })).toEqual([]);
    expect(rowCountDifferences({ a: 1, b: 2 }, { a: 0, c: 5 })).toEqual([
      'a: 1 in the backup, 0 restored',
      'b: 2 in the backup, absent restored',
      'c: absent in the backup, 5 restored',
    ]);
  });
});
