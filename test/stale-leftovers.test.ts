import { mkdirSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import {
  creatorPid,
  processAlive,
  removeStaleLeftovers,
  seededDirPrefix,
  staleNames,
  throwAwayDatabaseName,
} from './helpers/stale-leftovers.js';

// "Each test run uses its own database and cleans up after itself" — also after a run that was killed before its
// teardown: the next run removes the throw-away databases and seeded copies whose creating process is gone.

// Above any pid_max: no live process has it. Each case says which pid is gone — "every process is dead" would also
// remove this very run's seeded copy and databases.
const DEAD = 999_999_999;

describe('leftovers of killed test runs', () => {
  it('reads the creating pid from the names the helpers give, and nothing else', () => {
    expect(creatorPid('hz_template_1234_deadbeef')).toBe(1234);
    expect(creatorPid('hz_bench_intake_25999_6100b748')).toBe(25999);
    expect(creatorPid('hz_test_7_00000000')).toBe(7);
    expect(creatorPid('hz-seeded-77-Ab3xYz')).toBe(77);
    // the names the helpers make are the names it reads (one file writes and reads the form)
    expect(creatorPid(throwAwayDatabaseName('hz_test'))).toBe(process.pid);
    expect(creatorPid(throwAwayDatabaseName('hz_template', 4321))).toBe(4321);
    expect(creatorPid(seededDirPrefix(55) + 'Ab3xYz')).toBe(55);
    for (const other of [
      'hotline',
      'postgres',
      'hz_template_12_xyz',
      'hz_template_12_deadbeef0',
      'hz-seeded-Ab3xYz',
      'HZ_T_1_deadbeef',
    ])
      expect(creatorPid(other), other).toBeNull();
  });

  it('keeps what a live process made, this process included', () => {
    const names = ['hz_test_10_aaaaaaaa', 'hz_test_11_bbbbbbbb', `hz_test_${process.pid}_cccccccc`, 'hotline'];
    expect(staleNames(names, (pid) => pid === 11)).toEqual(['hz_test_10_aaaaaaaa']);
    expect(processAlive(process.pid)).toBe(true);
  });

  it('removes a dead process’s seeded directory and, on the local PostgreSQL, its database — not a live one’s', async () => {
    const hex = () => randomBytes(4).toString('hex');
    const deadDir = join(tmpdir(), seededDirPrefix(DEAD) + hex());
    const liveDir = join(tmpdir(), seededDirPrefix() + hex());
    for (const d of [deadDir, liveDir]) mkdirSync(d);
    const url = inject('postgresUrl');
    const dead = throwAwayDatabaseName('hz_leftover', DEAD);
    const live = throwAwayDatabaseName('hz_leftover');
    const admin = url ? new pg.Client({ connectionString: url }) : null;
    await admin?.connect();
    try {
      for (const name of [dead, live]) await admin?.query(`CREATE DATABASE ${name}`);
      // only DEAD counts as gone: the run's other files' databases stay whatever their workers do
      const removed = await removeStaleLeftovers(url, (pid) => pid !== DEAD);
      expect(removed.directories).toEqual([deadDir.slice(tmpdir().length + 1)]);
      expect(existsSync(deadDir)).toBe(false);
      expect(existsSync(liveDir)).toBe(true);
      if (admin) {
        expect(removed.databases).toEqual([dead]);
        const { rows } = await admin.query<{ datname: string }>(
          'SELECT datname FROM pg_database WHERE datname = ANY($1)',
          [[dead, live]],
        );
        expect(rows.map((r) => r.datname)).toEqual([live]);
      } else expect(removed.databases).toEqual([]);
    } finally {
      rmSync(liveDir, { recursive: true, force: true });
      for (const name of [dead, live]) await admin?.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin?.end();
    }
  });

  it('leaves a PostgreSQL server on another host alone', async () => {
    // nothing to connect to: the remote URL must be refused before any connection is tried
    await expect(
      removeStaleLeftovers('postgres://postgres@db.example.invalid:5432/postgres', (pid) => pid !== DEAD),
    ).resolves.toMatchObject({ databases: [] });
  });
});
