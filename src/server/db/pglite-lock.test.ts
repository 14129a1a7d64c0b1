import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirInUseError, lockDataDir } from './pglite-lock.js';

describe('PGlite data directory lock: one process per directory', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const d = mkdtempSync(join(tmpdir(), 'hz-lock-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const holder = (dir: string) => JSON.parse(readFileSync(join(dir, 'pglite.lock'), 'utf8')) as { pid: number };

  it('is held until released, also against this same process; released, it can be taken again', () => {
    const dir = fresh();
    const release = lockDataDir(dir);
    expect(holder(dir).pid).toBe(process.pid);
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    expect(() => lockDataDir(dir)).toThrow(`is in use by process ${process.pid} on ${hostname()}`);
    release();
    expect(existsSync(join(dir, 'pglite.lock'))).toBe(false);
    lockDataDir(dir)();
  });

  it('takes over the lock of a process that is gone (kill -9), of an earlier self with the same pid, or a torn file', () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    for (const content of [
      { pid: dead, host: hostname(), since: '2025-03-03T01:00:00.000Z' },
      { pid: process.pid, host: hostname(), since: '2025-03-03T01:00:00.000Z' },
      null,
    ]) {
      const dir = fresh();
      writeFileSync(join(dir, 'pglite.lock'), content ? JSON.stringify(content) : '');
      const release = lockDataDir(dir);
      expect(holder(dir).pid).toBe(process.pid);
      release();
    }
  });

  it("refuses a live process's lock, and one from another host it cannot check, saying what to do", () => {
    const dir = fresh();
    writeFileSync(join(dir, 'pglite.lock'), JSON.stringify({ pid: process.ppid, host: hostname(), since: 'x' }));
    expect(() => lockDataDir(dir)).toThrow(`is in use by process ${process.ppid}`);
    writeFileSync(join(dir, 'pglite.lock'), JSON.stringify({ pid: 4242, host: 'other-host', since: 'x' }));
    expect(() => lockDataDir(dir)).toThrow(`if that process is gone, remove ${join(dir, 'pglite.lock')}`);
  });
});
