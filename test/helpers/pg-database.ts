import pg from 'pg';
import { throwAwayDatabaseName } from './stale-leftovers.js';

/**
 * A throw-away PostgreSQL database (tests and benchmarks): created now — empty, or a copy of `template` — and dropped
 * with `drop()`.
 */
export async function createThrowawayPgDatabase(
  adminUrl: string,
  prefix: string,
  template?: string,
): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  return createPgDatabase(adminUrl, throwAwayDatabaseName(prefix), template);
}

/**
 * A PostgreSQL database named `name` on the server of `adminUrl`, and how to drop it. Tests want
 * createThrowawayPgDatabase(), whose names the suite's clean-up of killed runs recognises (stale-leftovers.ts); a
 * benchmark keeping its database for later runs gives a name of its own so that clean-up leaves it alone.
 */
export async function createPgDatabase(
  adminUrl: string,
  name: string,
  template?: string,
): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
