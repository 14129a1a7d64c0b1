import { loadConfig } from './config.js';
import { systemClock } from './clock.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { sweepDeadlines } from './jobs/deadline-sweeper.js';
import { seedDemo, seedReferenceData } from './seed/seed.js';
import { DEMO_PASSWORD } from './seed/heze-organisation.js';

// Operational commands: `migrate`, `seed`, `sweep` (one deadline sweep, e.g. from cron).
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
  } else {
    console.error('usage: cli.ts migrate | seed | sweep');
    process.exitCode = 2;
  }
} finally {
  await handle.close();
}
