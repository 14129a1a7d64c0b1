import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createPgTemplate, writePgliteDump, type SeededCopies } from './helpers/seeded-database.js';
import { removeStaleLeftovers, seededDirPrefix } from './helpers/stale-leftovers.js';

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
    seededCopies: SeededCopies;
  }
}

// Decides once per run whether the PostgreSQL half of the suite runs. Without a reachable server it is
// skipped with a notice on a developer machine; under CI its absence fails the run.
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  let reachable = false;
  try {
    await client.connect();
    await client.query('select 1');
    reachable = true;
  } catch (err) {
    const msg = `PostgreSQL at ${url.replace(/\/\/[^@]*@/, '//***@')} is not reachable (${(err as Error).message})`;
    if (process.env.CI === 'true' || process.env.REQUIRE_POSTGRES === 'true')
      throw new Error(`${msg}; CI requires it`, { cause: err });
    console.warn(`\n⚠ ${msg}: the PostgreSQL half of the suite is SKIPPED.\n`);
  } finally {
    await client.end().catch(() => {});
  }
  project.provide('postgresUrl', reachable ? url : null);

  // what killed runs left behind (helpers/stale-leftovers.ts); never a reason to fail this run
  try {
    const { databases: d, directories: f } = await removeStaleLeftovers(reachable ? url : null);
    if (d.length + f.length)
      console.warn(
        `removed what killed test runs left: ${d.length} database${d.length === 1 ? '' : 's'}, ${f.length} seeded cop${f.length === 1 ? 'y' : 'ies'}`,
      );
  } catch (err) {
    console.warn(`⚠ leftovers of earlier runs not removed: ${(err as Error).message}`);
  }

  // the seeded database every file starts from, built once (helpers/seeded-database.ts); a copy that cannot be made
  // only costs time — each file then builds its own — so a failure here is a warning, not a failed run
  // the pid in the name lets a later run tell a killed run's copy from a running one's
  const dir = mkdtempSync(join(tmpdir(), seededDirPrefix()));
  const dumpFile = join(dir, 'pglite.tar');
  const [dump, template] = await Promise.allSettled([
    writePgliteDump(dumpFile),
    reachable ? createPgTemplate(url) : Promise.reject(new Error('no PostgreSQL')),
  ]);
  if (dump.status === 'rejected') console.warn(`⚠ no seeded PGlite copy: ${(dump.reason as Error).message}`);
  if (template.status === 'rejected' && reachable)
    console.warn(`⚠ no seeded PostgreSQL template: ${(template.reason as Error).message}`);
  project.provide('seededCopies', {
    pgliteDump: dump.status === 'fulfilled' ? dumpFile : null,
    pgTemplate: template.status === 'fulfilled' ? template.value.name : null,
  });
  return async () => {
    rmSync(dir, { recursive: true, force: true });
    if (template.status === 'fulfilled') await template.value.drop();
  };
}
