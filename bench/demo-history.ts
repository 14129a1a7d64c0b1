import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { seedDemoHistory } from '../src/server/demo/history.js';
import { PiiCipher } from '../src/server/security/pii-cipher.js';
import { DEMO_PASSWORD } from '../src/server/seed/heze-organisation.js';
import { seedDemo, seedReferenceData } from '../src/server/seed/seed.js';
import { createThrowawayPgDatabase } from '../test/helpers/pg-database.js';

// node --import tsx bench/demo-history.ts [--db pglite|postgres] [--tickets 4000]
// The demo history's full year (src/server/demo/history.ts), as `npm start` writes it on a fresh demo database:
// prints the generator's own progress lines and the total time, on an in-memory PGlite or a throw-away PostgreSQL.

const { values: args } = parseArgs({
  options: { db: { type: 'string', default: 'pglite' }, tickets: { type: 'string', default: '4000' } },
});
const pg =
  args.db === 'postgres'
    ? await createThrowawayPgDatabase(
        process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
        'bench_history',
      )
    : null;
const handle = await openDatabase({ url: pg?.url, dataDir: null });
try {
  await migrateToLatest(handle.db);
  await seedReferenceData(handle.db);
  const now = new Date();
  await seedDemo(handle.db, now, DEMO_PASSWORD, true);
  const r = await seedDemoHistory(handle.db, new PiiCipher(randomBytes(32)), now, {
    tickets: Number(args.tickets),
    log: (line) => console.log(line),
  });
  console.log(
    `${args.db}: a year of ${r.tickets} tickets (${r.events} events) in ${(r.ms / 1000).toFixed(1)} s, ` +
      `${((r.ms / r.tickets) * 1000).toFixed(0)} µs a ticket`,
  );
} finally {
  await handle.close();
  await pg?.drop();
}
