import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

// PGlite is PostgreSQL in single-user mode inside this process: nothing stops a second process from opening the same
// data directory (its postmaster.pid holds a fixed fake pid, -42, and is neither checked nor removed on a crash), and
// two processes writing one directory corrupt it. So every process that opens an on-disk PGlite database holds this
// lock file next to the data directory — the server, the CLI commands, backup and restore — and a second one is
// refused with a message naming the holder. The file sits beside DATA_DIR/pglite, not in it, so a data-directory
// dump never carries it.

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

export class DataDirInUseError extends Error {
  constructor(
    readonly lockFile: string,
    readonly holder: LockHolder,
  ) {
    super(
      `the PGlite database under ${lockFile.replace(/\/pglite\.lock$/, '')} is in use by process ${holder.pid}` +
        ` on ${holder.host} (since ${holder.since}): PGlite allows one process at a time — stop the server` +
        ` (or the other command) first` +
        (holder.host === hostname() ? '' : `; if that process is gone, remove ${lockFile}`),
    );
  }
}

/** Lock files this process holds: a second handle on the same directory inside one process is refused too. */
const held = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): LockHolder | null {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    return typeof h.pid === 'number' && typeof h.host === 'string' && typeof h.since === 'string'
      ? (h as LockHolder)
      : null;
  } catch {
    return null; // vanished meanwhile, or a crash between creating and writing it
  }
}

/**
 * A lock left by a process that no longer runs on this host is stale. So is one naming this process's own pid that
 * this process does not hold: a previous incarnation with the same pid (a container's PID 1 restarted).
 */
function stale(h: LockHolder | null, file: string): boolean {
  if (!h) return true;
  if (h.host !== hostname()) return false; // a shared file system: the holder cannot be checked from here
  if (h.pid === process.pid) return !held.has(file);
  return !alive(h.pid);
}

/** Takes the lock of the PGlite database under dataDir; returns its release. Throws DataDirInUseError when held. */
export function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, 'pglite.lock');
  const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  // Two tries: the second after removing a stale lock. Two processes taking over the same stale lock at the same
  // instant could both succeed; that needs two starts racing right after a crash, which an operator does not do.
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readHolder(file);
      if (!stale(holder, file)) throw new DataDirInUseError(file, holder!);
      try {
        unlinkSync(file);
      } catch {
        /* removed by its holder meanwhile */
      }
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(me) + '\n');
    } finally {
      closeSync(fd);
    }
    held.add(file);
    return () => {
      held.delete(file);
      if (readHolder(file)?.pid === process.pid) unlinkSync(file);
    };
  }
  const holder = readHolder(file);
  throw new DataDirInUseError(file, holder ?? { pid: -1, host: 'unknown', since: 'unknown' });
}
