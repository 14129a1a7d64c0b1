import { loadConfig } from './config.js';
import { systemClock } from './clock.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { sweepDeadlines } from './jobs/deadline-sweeper.js';
import { seedDemo, seedReferenceData } from './seed/seed.js';
import { DEMO_PASSWORD } from './seed/heze-organisation.js';
import { verifyAccessChain } from './modules/sharing/access-log.service.js';

// Operational commands: `migrate`, `seed`, `sweep` (one deadline sweep, e.g. from cron), `audit:verify` (第三十条第二款:
// walks the access log's hash chain; exit code 1 and the first broken link when it does not verify).
const command = process.argv[2];
const config = loadConfig();
const handle = await openDatabase({
  url: config.DATABASE_URL,
  dataDir: config.DATA_DIR,
  durable: config.PGLITE_FSYNC === 'on',
});
try {
  if (command === 'migrate') {
    const applied = await migrateToLatest(handle.db);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } else if (command === 'seed') {
    await migrateToLatest(handle.db);
    await seedReferenceData(handle.db);
    const ids = await seedDemo(handle.db, systemClock.now(), DEMO_PASSWORD, true);
    console.log(ids ? 'demo data seeded' : 'demo data already present');
  } else if (command === 'sweep') {
    console.log(await sweepDeadlines(handle.db, systemClock));
  } else if (command === 'audit:verify') {
    await migrateToLatest(handle.db);
    const r = await verifyAccessChain(handle.db);
    if (r.ok)
      console.log(
        `access log chain intact: ${r.checked} rows verified${r.startsAfterId ? ` (after purged row ${r.startsAfterId})` : ''}`,
      );
    else {
      console.error(
        `access log chain BROKEN at row ${r.firstBroken!.id} (${r.firstBroken!.reason === 'hash' ? 'the row was changed' : 'a row before it was removed, inserted or reordered'}); ${r.checked} rows verified before it`,
      );
      process.exitCode = 1;
    }
  } else {
    console.error('usage: cli.ts migrate | seed | sweep | audit:verify');
    process.exitCode = 2;
  }
} finally {
  await handle.close();
}
