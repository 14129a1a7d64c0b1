import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ApiClient, expectStatus } from './helpers/api.js';
import { createTicket, loginAll, PHONE, type Clients } from './helpers/factories.js';
import { createThrowawayPgDatabase } from './helpers/pg-database.js';
import { TEST_START, type DbKind, type TestEnv } from './helpers/test-env.js';
import { ManualClock } from '../src/server/clock.js';
import { openDatabase, type Database, type DatabaseHandle } from '../src/server/db/database.js';
import { MIGRATION_NAMES, migrateToLatest } from '../src/server/db/migrate.js';
import { buildApp } from '../src/server/http/app.js';
import { PiiCipher } from '../src/server/security/pii-cipher.js';
import { DEMO_PASSWORD } from '../src/server/seed/heze-organisation.js';
import { seedDemo, seedReferenceData } from '../src/server/seed/seed.js';
import { createBackup, type BackupResult } from '../src/server/ops/backup.js';
import { restoreBackup } from '../src/server/ops/restore.js';
import {
  BackupError,
  MANIFEST_FILE,
  parseManifest,
  renderManifest,
  sealManifest,
  type BackupErrorCode,
  type ManifestBody,
} from '../src/server/ops/backup-manifest.js';
import { listFiles } from '../src/server/ops/backup-files.js';
import { clientQuery, publicRelations } from '../src/server/ops/database-facts.js';

// 等保 2.0 数据备份恢复 (issue 15): a populated database — the demo seed, tickets and contacts with pictures and voice
// through the API, a knowledge article's policy document — is backed up, restored into a fresh empty database and
// compared table by table, row by row, and file by file; then every refusal, each leaving the target untouched.

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const MP3 = Buffer.concat([Buffer.from('ID3'), Buffer.from([3, 0, 0, 0, 0, 0, 0]), Buffer.alloc(64, 0xff)]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

/** Every base table of schema public, rows ordered by primary key (or by the whole row), and every sequence. */
async function contents(db: Database) {
  const tables = (
    await sql<{ t: string }>`SELECT table_name AS t FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`.execute(db)
  ).rows.map((r) => r.t);
  const rows: Record<string, unknown[]> = {};
  for (const t of tables) {
    const pk = (
      await sql<{ c: string }>`SELECT a.attname AS c FROM pg_index i
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
        WHERE i.indrelid = ${`public."${t}"`}::regclass AND i.indisprimary
        ORDER BY array_position(i.indkey::int2[], a.attnum)`.execute(db)
    ).rows.map((r) => `x."${r.c}"`);
    const order = pk.length ? pk.join(', ') : 'x::text';
    rows[t] = (await sql.raw(`SELECT * FROM public."${t}" x ORDER BY ${order}`).execute(db)).rows;
  }
  const sequences: Record<string, unknown> = {};
  const seqs = (
    await sql<{ s: string }>`SELECT sequence_name AS s FROM information_schema.sequences
      WHERE sequence_schema = 'public' ORDER BY 1`.execute(db)
  ).rows;
  for (const { s } of seqs)
    sequences[s] = (await sql.raw(`SELECT last_value, is_called FROM public."${s}"`).execute(db)).rows[0];
  return { tables, rows, sequences };
}

/** A refusal's code and message (the promise must reject with a BackupError). */
async function refusal(p: Promise<unknown>): Promise<{ code: BackupErrorCode; message: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof BackupError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal, the operation succeeded');
}

/** `npm run <script> -- args` with the given environment: exit code and output. */
function npmRun(script: string, args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      'npm',
      ['run', '--silent', script, '--', ...args],
      { cwd: process.cwd(), env, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const pgUrl = inject('postgresUrl');

for (const kind of ['pglite', 'postgres'] as DbKind[]) {
  const run = kind === 'pglite' || pgUrl !== null;
  (run ? describe : describe.skip)(
    `等保 2.0 备份与恢复 backup → restore → compare, and every refusal [${kind}]`,
    () => {
      let root: string;
      let sourceDir: string; // the server's DATA_DIR
      let restoredDir: string;
      const drops: Array<() => Promise<void>> = [];
      let sourceUrl: string | undefined;
      let handle: DatabaseHandle | undefined;
      let app: FastifyInstance | undefined;
      let env: TestEnv;
      let c: Clients;
      let cipher: PiiCipher;
      let backup: BackupResult;
      let restoredUrl: string | undefined;
      let picture: { id: number; ticketId: number };
      const ticketIds: number[] = [];

      /** A fresh empty target: a new PostgreSQL database, or nothing (a PGlite DATA_DIR is created by restore). */
      async function emptyTarget(name: string): Promise<{ url?: string; dataDir: string }> {
        const dataDir = join(root, name);
        if (kind === 'pglite') return { dataDir };
        const t = await createThrowawayPgDatabase(pgUrl!, `hz_bk_${name.replace(/-/g, '_')}`);
        drops.push(t.drop);
        return { url: t.url, dataDir };
      }

      async function isUntouched(target: { url?: string; dataDir: string }) {
        if (target.url) {
          const client = new pg.Client({ connectionString: target.url });
          await client.connect();
          try {
            expect(await publicRelations(clientQuery(client))).toEqual([]);
          } finally {
            await client.end();
          }
        }
        // nothing written: no database, no attachments, no staging directory, no lock left behind
        expect(existsSync(target.dataDir) ? readdirSync(target.dataDir) : []).toEqual([]);
      }

      beforeAll(async () => {
        root = mkdtempSync(join(tmpdir(), `hz-backup-${kind}-`));
        sourceDir = join(root, 'source');
        restoredDir = join(root, 'restored');
        if (kind === 'postgres') {
          const src = await createThrowawayPgDatabase(pgUrl!, 'hz_bk_source');
          drops.push(src.drop);
          sourceUrl = src.url;
        }
        handle = await openDatabase({ url: sourceUrl, dataDir: sourceUrl ? null : sourceDir });
        await migrateToLatest(handle.db);
        await seedReferenceData(handle.db);
        const clock = new ManualClock(TEST_START);
        const ids = (await seedDemo(handle.db, clock.now(), DEMO_PASSWORD))!;
        cipher = new PiiCipher(randomBytes(32));
        const built = await buildApp({
          db: handle.db,
          clock,
          cipher,
          logLevel: 'silent',
          sessionTtlHours: 24 * 400,
          attachmentDir: join(sourceDir, 'attachments'),
        });
        app = built.app;
        await app.ready();
        env = {
          kind,
          db: handle.db,
          app,
          services: built.services,
          clock,
          cipher,
          ids,
          databaseUrl: sourceUrl ?? null,
          openSecondHandle: () => Promise.reject(new Error('not used')),
        };
        c = await loginAll(env);

        // tickets through the API, contacts with a picture and a voice message, one made into a ticket
        for (let i = 0; i < 3; i++)
          ticketIds.push((await createTicket(env, c.agent, { title: `和平路路灯不亮（第${i + 1}段）` })).id);
        const rec = await env.services.contacts.record({
          channel: 'wechat',
          externalId: 'backup-wechat-1',
          requester: { wechatOpenId: 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M' },
          content: '小区门口垃圾堆积，见图',
          files: [
            { data: PNG, name: '现场.png' },
            { data: MP3, name: 'voice.mp3' },
          ],
        });
        const d = expectStatus(
          await c.agent.post(`/api/contacts/${rec.id}/disposition`, {
            disposition: 'dispatched',
            requestType: 'complaint',
            categoryId: ids.categories['HB-LJ'],
            regionCode: '371702001',
            title: '小区门口垃圾堆积',
          }),
          200,
        );
        const att = await handle.db
          .selectFrom('attachments')
          .select('id')
          .where('contact_id', '=', rec.id)
          .where('mime', '=', 'image/png')
          .executeTakeFirstOrThrow();
        picture = { id: att.id, ticketId: d.ticketId };
        // a knowledge article's policy document
        const article = expectStatus(
          await c.handlerMd.post('/api/knowledge/articles', {
            title: '牡丹区城区供暖什么时候开始',
            aliases: ['暖气什么时候来'],
            answer: '牡丹区城区集中供暖期为每年11月15日至次年3月15日，以供热主管部门通知为准。',
            shortAnswer: '城区供暖期为每年11月15日至次年3月15日。',
            publicAnswer: '城区供暖期为每年11月15日至次年3月15日。',
            visibility: 'public',
            policyBasis: [{ document: '山东省供热条例', number: null, clause: '第二十二条' }],
            categoryIds: [ids.categories['CX-GN']],
            regionCodes: ['371702'],
            effectiveFrom: '2025-01-01',
            expiresOn: null,
          }),
          201,
        );
        expectStatus(
          await c.handlerMd.post(`/api/knowledge/articles/${article.id}/attachments`, {
            name: '供热条例.pdf',
            dataBase64: PDF.toString('base64'),
          }),
          201,
        );
      });

      afterAll(async () => {
        await app?.close();
        await handle?.close();
        for (const drop of drops) await drop();
        if (root) rmSync(root, { recursive: true, force: true });
      });

      if (kind === 'pglite')
        it('PGlite is one process: while the server holds the directory, backup refuses — in-process and from the CLI', async () => {
          const inProcess = await refusal(createBackup({ dataDir: sourceDir, outDir: join(root, 'refused') }));
          expect(inProcess.code).toBe('in_use');
          expect(inProcess.message).toContain(`is in use by process ${process.pid}`);
          expect(inProcess.message).toContain('A PGlite backup is taken with the server stopped');
          const environment: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: sourceDir };
          delete environment.DATABASE_URL;
          const cli = await npmRun('backup', ['--out', join(root, 'refused')], environment);
          expect(cli.code).toBe(1);
          expect(cli.stderr).toContain(`backup refused: the PGlite database under ${sourceDir} is in use by process`);
          expect(existsSync(join(root, 'refused')) ? readdirSync(join(root, 'refused')) : []).toEqual([]);
          // the server stops; now the backup may run
          await app!.close();
          await handle!.close();
          app = undefined;
          handle = undefined;
        });

      it(
        kind === 'postgres'
          ? 'backs up while the service runs (one snapshot), restores into a new empty database: every table, row and file identical'
          : 'backs up the stopped database, restores into a new empty DATA_DIR: every table, row and file identical',
        async () => {
          backup = await createBackup({ databaseUrl: sourceUrl, dataDir: sourceDir, outDir: join(root, 'backups') });
          const m = backup.manifest;
          expect(m.database.kind).toBe(kind);
          expect(m.migrations).toEqual([...MIGRATION_NAMES]);
          expect(m.schemaVersion).toBe(MIGRATION_NAMES[MIGRATION_NAMES.length - 1]);
          expect(m.warnings).toEqual([]);
          expect(m.files[0]!.path).toBe(kind === 'postgres' ? 'database.dump' : 'database.pglite.tar.gz');
          const sourceFiles = await listFiles(join(sourceDir, 'attachments'));
          expect(sourceFiles.length).toBe(3); // picture, voice, policy document
          expect(sourceFiles.filter((f) => f.startsWith('knowledge/'))).toHaveLength(1);
          expect(m.files.slice(1).map((f) => f.path)).toEqual(sourceFiles.map((f) => `attachments/${f}`));
          expect(parseManifest(readFileSync(join(backup.dir, MANIFEST_FILE), 'utf8'))).toEqual(m);
          expect(readdirSync(join(root, 'backups'))).toEqual([backup.dir.split('/').pop()]); // no .partial left

          const target = await emptyTarget('restored');
          restoredUrl = target.url;
          const r = await restoreBackup({ from: backup.dir, databaseUrl: target.url, dataDir: restoredDir });
          expect(r.rowCounts).toEqual(m.rowCounts);
          expect(r.attachments).toBe(3);

          const source = handle ?? (await openDatabase({ dataDir: sourceDir }));
          const restored = await openDatabase({ url: restoredUrl, dataDir: restoredUrl ? null : restoredDir });
          try {
            const before = await contents(source.db);
            const after = await contents(restored.db);
            expect(after.tables).toEqual(before.tables);
            expect(before.tables.length).toBeGreaterThan(40);
            for (const t of before.tables) expect(after.rows[t], t).toEqual(before.rows[t]);
            expect(after.sequences).toEqual(before.sequences);
            expect(before.rows.attachments).toHaveLength(2);
            expect(before.rows.knowledge_attachments).toHaveLength(1);
            expect(Object.values(m.rowCounts).reduce((a, b) => a + b, 0)).toBe(
              Object.values(before.rows).reduce((a, rows) => a + rows.length, 0),
            );
          } finally {
            if (source !== handle) await source.close();
            await restored.close();
          }
          expect(await listFiles(join(restoredDir, 'attachments'))).toEqual(sourceFiles);
          for (const f of sourceFiles)
            expect(
              readFileSync(join(restoredDir, 'attachments', f)).equals(readFileSync(join(sourceDir, 'attachments', f))),
              f,
            ).toBe(true);
        },
      );

      it('the restored system works: the same key decrypts the requester, the picture is served, a new ticket gets the next number', async () => {
        const h = await openDatabase({ url: restoredUrl, dataDir: restoredUrl ? null : restoredDir });
        const clock = new ManualClock(TEST_START);
        const built = await buildApp({
          db: h.db,
          clock,
          cipher,
          logLevel: 'silent',
          sessionTtlHours: 24 * 400,
          attachmentDir: join(restoredDir, 'attachments'),
        });
        try {
          const e2: TestEnv = { ...env, db: h.db, app: built.app, services: built.services, clock };
          const agent = await ApiClient.login(e2, 'agent');
          const got = await agent.bytes(`/api/attachments/${picture.id}`);
          expect(got.status).toBe(200);
          expect(got.data.equals(PNG)).toBe(true);
          const numbers = (await h.db.selectFrom('tickets').select('number').execute()).map((t) => t.number);
          const t = await createTicket(e2, agent, { title: '恢复后的第一张工单' });
          expect(numbers).not.toContain(t.number);
          // personal data written before the backup decrypts with the key it was written with
          const revealed = expectStatus(
            await agent.post(`/api/tickets/${ticketIds[0]}/requester/reveal`, { purpose: '恢复演练核对' }),
            200,
          );
          expect(JSON.stringify(revealed)).toContain('张秀英');
          expect(JSON.stringify(revealed)).toContain(PHONE);
        } finally {
          await built.app.close();
          await h.close();
        }
      });

      describe('refusals: each before anything is written, with a clear message', () => {
        let target: { url?: string; dataDir: string };
        let n = 0;
        /** A copy of the good backup, changed by `change`. */
        function copyOf(change: (dir: string) => void): string {
          const dir = join(root, `copy-${++n}`);
          cpSync(backup.dir, dir, { recursive: true });
          change(dir);
          return dir;
        }
        const dumpFile = () => (kind === 'postgres' ? 'database.dump' : 'database.pglite.tar.gz');
        const restoreInto = (from: string) =>
          refusal(restoreBackup({ from, databaseUrl: target.url, dataDir: target.dataDir }));
        /** Rewrites the manifest through `edit` and seals it again, so only the edit itself can be refused. */
        function resealed(dir: string, edit: (m: ManifestBody) => void) {
          const { checksum: _old, ...body } = parseManifest(readFileSync(join(dir, MANIFEST_FILE), 'utf8'));
          edit(body);
          writeFileSync(join(dir, MANIFEST_FILE), renderManifest(sealManifest(body)));
        }

        beforeAll(async () => {
          target = await emptyTarget('fault-target');
        });

        it('a truncated dump', async () => {
          const from = copyOf((d) => truncateSync(join(d, dumpFile()), 1000));
          const r = await restoreInto(from);
          expect(r.code).toBe('truncated');
          expect(r.message).toMatch(new RegExp(`^backup file truncated: ${dumpFile()} has 1000 of its \\d+ bytes`));
          await isUntouched(target);
        });

        it('a foreign directory: no manifest, or a manifest of something else', async () => {
          const none = await restoreInto(sourceDir);
          expect(none.code).toBe('not_a_backup');
          expect(none.message).toBe(
            `${sourceDir} is not a backup made by npm run backup: it has no manifest.json (an interrupted backup has none either)`,
          );
          const other = copyOf((d) =>
            writeFileSync(join(d, MANIFEST_FILE), '{"format":"pg_probackup","version":"2.5"}'),
          );
          expect(await restoreInto(other)).toMatchObject({ code: 'not_a_backup' });
          const missing = await restoreInto(join(root, 'no-such-dir'));
          expect(missing.message).toContain('is not a directory');
          await isUntouched(target);
        });

        it('a modified file (same size, another sum), a file added, a manifest edited without its checksum', async () => {
          const flipped = copyOf((d) => {
            const f = join(
              d,
              'attachments',
              readFileSync(join(d, MANIFEST_FILE), 'utf8').match(/"attachments\/([^"]+\.png)"/)![1]!,
            );
            const b = readFileSync(f);
            b.writeUInt8(b.readUInt8(b.length - 1) ^ 0xff, b.length - 1);
            writeFileSync(f, b);
          });
          const r = await restoreInto(flipped);
          expect(r.code).toBe('checksum_mismatch');
          expect(r.message).toMatch(
            /^backup file damaged or altered: attachments\/.+\.png does not match its sha256 in manifest.json$/,
          );
          const added = copyOf((d) => writeFileSync(join(d, 'attachments', 'planted.png'), PNG));
          expect(await restoreInto(added)).toMatchObject({
            code: 'unexpected_file',
            message:
              'backup directory holds attachments/planted.png, which manifest.json does not list — it was changed after the backup was made',
          });
          const edited = copyOf((d) => {
            const p = join(d, MANIFEST_FILE);
            writeFileSync(p, readFileSync(p, 'utf8').replace('"users": ', '"users": 1'));
          });
          expect(await restoreInto(edited)).toMatchObject({ code: 'manifest_checksum' });
          await isUntouched(target);
        });

        it('a target that is not empty: the database, or the attachment directory', async () => {
          const db = await refusal(
            restoreBackup({
              from: backup.dir,
              databaseUrl: sourceUrl,
              dataDir: kind === 'pglite' ? sourceDir : target.dataDir,
            }),
          );
          expect(db.code).toBe('target_not_empty');
          expect(db.message).toMatch(
            kind === 'postgres'
              ? /^the target database postgres:\/\/.+ is not empty \(\d+ relations in schema public, e\.g\. .+\): restore only into an empty database/
              : /pglite already holds a database: restore only into an empty DATA_DIR/,
          );
          const withFiles = join(root, 'with-files');
          mkdirSync(join(withFiles, 'attachments', 'old'), { recursive: true });
          writeFileSync(join(withFiles, 'attachments', 'old', 'a.png'), PNG);
          const files = await refusal(restoreBackup({ from: backup.dir, databaseUrl: target.url, dataDir: withFiles }));
          expect(files).toEqual({
            code: 'attachments_not_empty',
            message: `${withFiles}/attachments already holds 1 file (e.g. old/a.png): restore only into an empty attachment directory`,
          });
          expect(readdirSync(withFiles)).toEqual(['attachments']);
          await isUntouched(target);
        });

        it('a schema version this release does not have: older, newer', async () => {
          const older = copyOf((d) =>
            resealed(d, (m) => {
              m.migrations = m.migrations.slice(0, -1);
              m.schemaVersion = m.migrations[m.migrations.length - 1]!;
            }),
          );
          const o = await restoreInto(older);
          expect(o.code).toBe('version_older');
          expect(o.message).toContain(
            `backup at ${MIGRATION_NAMES[MIGRATION_NAMES.length - 2]}, this release at ${MIGRATION_NAMES[MIGRATION_NAMES.length - 1]}`,
          );
          expect(o.message).toContain('Restore it with the release that made it (app version 0.1.0)');
          const newer = copyOf((d) =>
            resealed(d, (m) => {
              m.migrations = [...m.migrations, '9999-from-a-later-release'];
              m.schemaVersion = '9999-from-a-later-release';
            }),
          );
          const w = await restoreInto(newer);
          expect(w.code).toBe('version_newer');
          expect(w.message).toContain('the backup was made by a newer release');
          expect(w.message).toContain('not 9999-from-a-later-release');
          await isUntouched(target);
        });

        it('the other kind of database', async () => {
          const r = await refusal(
            restoreBackup({
              from: backup.dir,
              databaseUrl: kind === 'pglite' ? (pgUrl ?? 'postgres://nowhere/db') : undefined,
              dataDir: target.dataDir,
            }),
          );
          expect(r.code).toBe('kind_mismatch');
          await isUntouched(target);
        });
      });

      if (kind === 'postgres')
        it('tickets keep coming during the backup: the manifest counts exactly the dump’s snapshot, and the restore verifies', async () => {
          let writing = true;
          let written = 0;
          const writer = (async () => {
            while (writing) {
              await createTicket(env, c.agent, { title: `备份期间受理的工单${++written}` });
            }
          })();
          const b = await createBackup({ databaseUrl: sourceUrl, dataDir: sourceDir, outDir: join(root, 'busy') });
          writing = false;
          await writer;
          const tickets = async (db: Database) =>
            (
              await db
                .selectFrom('tickets')
                .select((eb) => eb.fn.countAll<number>().as('n'))
                .executeTakeFirstOrThrow()
            ).n;
          expect(await tickets(handle!.db)).toBeGreaterThan(b.manifest.rowCounts.tickets!); // some came after the snapshot
          const target = await emptyTarget('busy-target');
          const r = await restoreBackup({ from: b.dir, databaseUrl: target.url, dataDir: target.dataDir });
          expect(r.rowCounts).toEqual(b.manifest.rowCounts);
        });

      if (kind === 'postgres')
        it('npm run backup and npm run restore: done (exit 0), refused (exit 1); a lost attachment is reported', async () => {
          // the voice message is gone from the disk (not by this system): the backup says so and goes on
          const voice = (await listFiles(join(sourceDir, 'attachments'))).find(
            (f) => !f.startsWith('knowledge/') && !f.endsWith('.png'),
          )!;
          renameSync(join(sourceDir, 'attachments', voice), join(root, 'voice.mp3'));
          const environment = { ...process.env, DATABASE_URL: sourceUrl, DATA_DIR: sourceDir };
          const b = await npmRun('backup', ['--out', join(root, 'cli-backups')], environment);
          renameSync(join(root, 'voice.mp3'), join(sourceDir, 'attachments', voice));
          expect(b.stderr).toBe('');
          expect(b.code).toBe(0);
          expect(b.stdout).toMatch(/^backup written: .+heze-12345-\d{8}T\d{6}Z-postgres\n/);
          expect(b.stdout).toContain(
            `  WARNING: 1 attachment named by the database was not under ${sourceDir}/attachments: ${voice}\n`,
          );
          const dir = join(root, 'cli-backups', readdirSync(join(root, 'cli-backups'))[0]!);
          const target = await emptyTarget('cli-target');
          const restoreEnv = { ...process.env, DATABASE_URL: target.url, DATA_DIR: target.dataDir };
          const r = await npmRun('restore', ['--from', dir], restoreEnv);
          expect(r.stderr).toBe('');
          expect(r.code).toBe(0);
          expect(r.stdout).toContain('row counts verified');
          const again = await npmRun('restore', ['--from', dir], restoreEnv);
          expect(again.code).toBe(1);
          expect(again.stderr).toContain('restore refused: the target database postgres://');
          expect(again.stderr).toContain('is not empty');
        });
      else
        it('npm run restore -- --check verifies a backup and changes nothing', async () => {
          const environment: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: join(root, 'never-written') };
          delete environment.DATABASE_URL;
          const r = await npmRun('restore', ['--from', backup.dir, '--check'], environment);
          expect(r.code).toBe(0);
          expect(r.stdout).toContain(
            `backup verified: ${backup.dir} — pglite, schema ${MIGRATION_NAMES[MIGRATION_NAMES.length - 1]}`,
          );
          expect(existsSync(join(root, 'never-written'))).toBe(false);
        });
    },
  );
}
