import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

// A test run that is killed (Ctrl-C twice, a CI timeout, an OOM) never reaches its teardown: its throw-away databases
// (`<prefix>_<pid>_<8 hex>`, throwAwayDatabaseName) and the run's seeded copy directory (`hz-seeded-<pid>-…`) stay behind,
// and a template database of ~20 MB a run adds up. The next run removes what a process that no longer exists made.
// A live process's leftovers — another run going on beside this one — are never touched.

const THROWAWAY_DB = /^hz_[a-z0-9_]+?_(\d+)_[0-9a-f]{8}$/;
const SEEDED_DIR = /^hz-seeded-(\d+)-/;

/** A throw-away database's name (pg-database.ts): its prefix, the creating process and 8 random hex digits. */
export const throwAwayDatabaseName = (prefix: string, pid = process.pid) =>
  `${prefix}_${pid}_${randomBytes(4).toString('hex')}`;

/** The start of the run's seeded copy directory's name (global-setup.ts): its pid, for a later run to read. */
export const seededDirPrefix = (pid = process.pid) => `hz-seeded-${pid}-`;

/** The pid that created a throw-away database or seeded directory, from its name; null for any other name. */
export function creatorPid(name: string): number | null {
  const m = THROWAWAY_DB.exec(name) ?? SEEDED_DIR.exec(name);
  const pid = m ? Number(m[1]) : NaN;
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
}

/** Whether a process with this pid exists on this machine (EPERM: it exists, under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The names whose creator is gone (pure: the caller says which pids are alive). */
export function staleNames(names: readonly string[], alive: (pid: number) => boolean): string[] {
  return names.filter((n) => {
    const pid = creatorPid(n);
    return pid !== null && pid !== process.pid && !alive(pid);
  });
}

/**
 * Drops the throw-away databases and removes the seeded directories of dead test processes. Only for a PostgreSQL
 * server on this machine: a pid says nothing about a process on another host. Returns what it removed.
 */
export async function removeStaleLeftovers(
  adminUrl: string | null,
  alive: (pid: number) => boolean = processAlive,
): Promise<{ databases: string[]; directories: string[] }> {
  const directories = staleNames(
    readdirSync(tmpdir()).filter((n) => SEEDED_DIR.test(n)),
    alive,
  );
  for (const d of directories) rmSync(join(tmpdir(), d), { recursive: true, force: true });
  const databases: string[] = [];
  if (adminUrl && isLocal(adminUrl)) {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE 'hz\\_%'`,
      );
      for (const name of staleNames(
        rows.map((r) => r.datname),
        alive,
      )) {
        // a stale name matched THROWAWAY_DB: letters, digits and underscores only
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        databases.push(name);
      }
    } finally {
      await client.end();
    }
  }
  return { databases, directories };
}

function isLocal(url: string): boolean {
  const { hostname, searchParams } = new URL(url);
  const host = searchParams.get('host') ?? hostname;
  return (
    host === '' ||
    host === 'localhost' ||
    host === '127.0.0.1' ||
    host === '::1' ||
    host === '[::1]' ||
    host.startsWith('/')
  );
}
