import { parseArgs } from 'node:util';
import { loadStorageConfig } from '../config.js';
import { BackupError } from './backup-manifest.js';
import { createBackup } from './backup.js';
import { restoreBackup, verifyBackup } from './restore.js';

// npm run backup -- [--out DIR]                    (a new directory in DIR, default ./backups)
// npm run restore -- --from DIR [--check]          (--check: verify the backup only, change nothing)
// The database and DATA_DIR are the server's: DATABASE_URL (PostgreSQL) or DATA_DIR/pglite, and DATA_DIR/attachments.
// Exit code 0 when done, 1 when refused or failed (the message says why), 2 for a usage error.
// Its own entry point, not cli.ts: that one opens the database first, which for PGlite would create an empty one
// where a restore must find none.

const USAGE = 'usage: npm run backup -- [--out DIR]\n       npm run restore -- --from DIR [--check]';

const size = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} kB` : `${(n / 1024 ** 2).toFixed(1)} MB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  let args;
  try {
    args = parseArgs({
      args: rest,
      options: { out: { type: 'string' }, from: { type: 'string' }, check: { type: 'boolean' } },
      strict: true,
    }).values;
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const storage = loadStorageConfig();
  const databaseUrl = storage.DATABASE_URL || undefined;
  const durable = storage.PGLITE_FSYNC === 'on';

  if (command === 'backup' && !args.from && !args.check) {
    const r = await createBackup({ databaseUrl, dataDir: storage.DATA_DIR, outDir: args.out ?? './backups', durable });
    const m = r.manifest;
    const rows = Object.values(m.rowCounts).reduce((a, b) => a + b, 0);
    const dump = m.files[0]!;
    const atts = m.files.slice(1);
    console.log(
      `backup written: ${r.dir}\n` +
        `  database     ${m.database.kind} ${m.database.serverVersion}, schema ${m.schemaVersion} (${m.migrations.length} migrations), ` +
        `${Object.keys(m.rowCounts).length} tables, ${rows} rows — ${dump.path} ${size(dump.size)} in ${secs(r.ms.database)}\n` +
        `  attachments  ${atts.length} file${atts.length === 1 ? '' : 's'}, ${size(atts.reduce((a, f) => a + f.size, 0))} in ${secs(r.ms.attachments)}\n` +
        `  total        ${secs(r.ms.total)}\n` +
        m.warnings.map((w) => `  WARNING: ${w}\n`).join('') +
        '  The PII key is not in the backup, by design: keep PII_KEY (or DATA_DIR/pii.key) apart from it —\n' +
        '  without the key the personal data in this backup cannot be read.',
    );
    return 0;
  }
  if (command === 'restore' && args.from && !args.out) {
    if (args.check) {
      const m = await verifyBackup(args.from);
      console.log(
        `backup verified: ${args.from} — ${m.database.kind}, schema ${m.schemaVersion}, ${m.files.length} files, made ${m.createdAt}`,
      );
      return 0;
    }
    const r = await restoreBackup({ from: args.from, databaseUrl, dataDir: storage.DATA_DIR, durable });
    const rows = Object.values(r.rowCounts).reduce((a, b) => a + b, 0);
    console.log(
      `restored: ${args.from} (made ${r.manifest.createdAt}, schema ${r.manifest.schemaVersion})\n` +
        `  database     ${r.manifest.database.kind}: ${Object.keys(r.rowCounts).length} tables, ${rows} rows, row counts verified — ${secs(r.ms.database)}\n` +
        `  attachments  ${r.attachments} file${r.attachments === 1 ? '' : 's'}, checksums verified, into ${storage.DATA_DIR}/attachments\n` +
        `  total        ${secs(r.ms.total)}\n` +
        '  Start the server with the PII key the backup was made with.',
    );
    return 0;
  }
  console.error(USAGE);
  return 2;
}

let code: number;
try {
  code = await main();
} catch (err) {
  const verb = process.argv[2] === 'restore' ? 'restore' : 'backup';
  const refused = err instanceof BackupError && !err.code.endsWith('_failed');
  console.error(`${verb} ${refused ? 'refused' : 'failed'}: ${(err as Error).message}`);
  code = 1;
}
// Exit explicitly: a PGlite instance can leave its PostgreSQL's interval timer (setitimer, emulated with setTimeout)
// armed after close, re-arming itself every 10 s, which keeps Node alive when the work is long done.
process.exit(code);
