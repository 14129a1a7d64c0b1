import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { openSeededDatabase, TEST_START } from './seeded-database.js';
import type { FastifyInstance } from 'fastify';
import { ManualClock } from '../../src/server/clock.js';
import { openDatabase, type Database, type DatabaseHandle } from '../../src/server/db/database.js';
import { buildApp } from '../../src/server/http/app.js';
import type { Services } from '../../src/server/http/services.js';
import { PiiCipher } from '../../src/server/security/pii-cipher.js';
import type { SeedIds } from '../../src/server/seed/seed.js';

export type DbKind = 'pglite' | 'postgres';

export interface TestEnv {
  kind: DbKind;
  db: Database;
  app: FastifyInstance;
  services: Services;
  clock: ManualClock;
  cipher: PiiCipher;
  ids: SeedIds;
  /** A second connection pool on the same database (PostgreSQL only): a second app instance. */
  openSecondHandle(): Promise<DatabaseHandle>;
  /** The throw-away database's URL (PostgreSQL only): for a child process working on the same database. */
  databaseUrl: string | null;
}

export { TEST_START };

export interface EachDbOptions {
  /** which databases to run on (default both); the fuzz test runs on PGlite only */
  kinds?: DbKind[];
  /** the app's pino level (default silent) */
  logLevel?: string;
  /** the web build the app serves (default the project's dist/web) */
  webRoot?: string;
}

/**
 * Runs the same suite once on PGlite and once on PostgreSQL, each with its own freshly migrated and seeded
 * database. Without a PostgreSQL server (outside CI) the PostgreSQL half is skipped with a notice.
 */
export function describeEachDb(
  title: string,
  body: (env: () => TestEnv, kind: DbKind) => void,
  opts: EachDbOptions = {},
) {
  const pgUrl = inject('postgresUrl');
  for (const kind of opts.kinds ?? (['pglite', 'postgres'] as const)) {
    const run = kind === 'pglite' || pgUrl !== null;
    (run ? describe : describe.skip)(`${title} [${kind}]`, () => {
      let env: TestEnv | undefined;
      let handle: DatabaseHandle | undefined;
      let drop: (() => Promise<void>) | undefined;
      const extraHandles: DatabaseHandle[] = [];
      let attachmentDir: string | undefined;
      beforeAll(async () => {
        const seeded = await openSeededDatabase({
          kind,
          adminUrl: pgUrl ?? undefined,
          start: TEST_START,
        });
        ({ handle, drop } = seeded);
        const { url, ids } = seeded;
        const clock = new ManualClock(TEST_START);
        const cipher = new PiiCipher(randomBytes(32));
        attachmentDir = mkdtempSync(join(tmpdir(), 'hz-att-'));
        const { app, services } = await buildApp({
          db: handle.db,
          clock,
          cipher,
          logLevel: opts.logLevel ?? 'silent',
          sessionTtlHours: 24 * 400,
          // tests move the clock by days between requests of one session; the idle timeout has its own tests
          sessionIdleMinutes: 24 * 400 * 60,
          attachmentDir,
          webRoot: opts.webRoot,
        });
        await app.ready();
        env = {
          kind,
          db: handle.db,
          app,
          services,
          clock,
          cipher,
          ids,
          databaseUrl: url ?? null,
          openSecondHandle: async () => {
            if (!url) throw new Error('a second handle needs PostgreSQL');
            const h = await openDatabase({ url });
            extraHandles.push(h);
            return h;
          },
        };
      });
      afterAll(async () => {
        await env?.app.close();
        for (const h of extraHandles) await h.close();
        await handle?.close();
        await drop?.();
        if (attachmentDir) rmSync(attachmentDir, { recursive: true, force: true });
      });
      body(() => {
        if (!env) throw new Error('test environment not ready');
        return env;
      }, kind);
    });
  }
}
