import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/server/clock.js';
import { openDatabase } from '../src/server/db/database.js';
import { buildApp } from '../src/server/http/app.js';
import { loadPiiCipher } from '../src/server/security/pii-key.js';

// One app process of bench/intake.ts --processes N: what main.ts runs with ROLES=http (the HTTP API only, no
// scheduler or outbox), on an already migrated and seeded database. Env: DATABASE_URL, PII_KEY (base64, the same
// for every process of the deployment), PORT (0: any free port). Prints "listening <url>" once ready; stops on
// SIGTERM/SIGINT or when the parent closes stdin (so a killed benchmark leaves no server behind).

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required');
const handle = await openDatabase({ url, poolSize: Number(process.env.POOL_SIZE ?? 10) });
const { cipher } = loadPiiCipher({ key: process.env.PII_KEY, dataDir: '', production: true });
const attachmentDir = mkdtempSync(join(tmpdir(), 'hz-bench-server-att-'));
const { app } = await buildApp({
  db: handle.db,
  clock: systemClock,
  cipher,
  logLevel: process.env.LOG_LEVEL ?? 'silent',
  // as main.ts by default (config.ts SESSION_CACHE_SECONDS)
  sessionCacheSeconds: Number(process.env.SESSION_CACHE_SECONDS ?? 5),
  attachmentDir,
});
const address = await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.stdout.write(`listening ${address.replace('localhost', '127.0.0.1')}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await app.close().catch(() => {});
  await handle.close().catch(() => {});
  rmSync(attachmentDir, { recursive: true, force: true });
  process.exit(0); // --cpu-prof writes its profile on this exit
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.on('error', () => void stop());
process.stdin.resume();
