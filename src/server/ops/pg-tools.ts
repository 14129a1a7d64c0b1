import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BackupError, type BackupErrorCode } from './backup-manifest.js';

// Running PostgreSQL's own client tools (pg_dump, pg_restore) and naming versions for the manifest.

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}

/**
 * libpq takes the same URL, but a password on a command line is readable by every local user (ps, /proc): it goes
 * to the tool in PGPASSWORD instead.
 */
function toolConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (u.password) {
    env.PGPASSWORD = decodeURIComponent(u.password);
    u.password = '';
  }
  return { dbname: u.toString(), env };
}

/** Runs pg_dump or pg_restore against the database at url; rejects with a BackupError carrying its last words. */
export async function runPgTool(
  tool: 'pg_dump' | 'pg_restore',
  args: string[],
  url: string,
  failure: BackupErrorCode,
): Promise<void> {
  const { dbname, env } = toolConnection(url);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(tool, [...args, '--no-password', `--dbname=${dbname}`], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => {
      stderr = (stderr + b.toString()).slice(-4000);
    });
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        new BackupError(
          failure,
          err.code === 'ENOENT'
            ? `${tool} not found: install PostgreSQL's client tools of the server's major version or newer (Debian: apt-get install postgresql-client)`
            : `${tool} could not start: ${err.message}`,
        ),
      ),
    );
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new BackupError(
            failure,
            `${tool} failed (${signal ?? `exit code ${code}`}) on ${redactUrl(url)}: ${stderr.trim().split('\n').slice(-5).join(' | ') || 'no message'}`,
          ),
        );
    });
  });
}

export async function toolVersion(tool: 'pg_dump' | 'pg_restore'): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(tool, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.on('error', () => resolve(`${tool} (not found)`));
    child.on('close', () => resolve(out.trim()));
  });
}

function readPackage(path: string): { name: string; version: string } {
  const p = JSON.parse(readFileSync(path, 'utf8')) as { name: string; version: string };
  return { name: p.name, version: p.version };
}

/** This application's name and version (package.json). */
export function appVersion(): { name: string; version: string } {
  return readPackage(fileURLToPath(new URL('../../../package.json', import.meta.url)));
}

/** The PGlite package's version: its data directory format goes with the PostgreSQL it embeds. */
export function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  return `@electric-sql/pglite ${readPackage(join(dirname(entry), '..', 'package.json')).version}`;
}
