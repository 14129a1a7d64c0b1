import pg from 'pg';
import type { TestProject } from 'vitest/node';

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
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
}
