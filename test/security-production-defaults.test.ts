import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/server/clock.js';
import { loadConfig } from '../src/server/config.js';
import { openDatabase } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { createAdministrator } from '../src/server/modules/auth/operator-accounts.js';
import { PiiCipher } from '../src/server/security/pii-cipher.js';
import {
  accountsWithPassword,
  demoSeedDecision,
  piiKeyProblem,
  productionConfigProblems,
} from '../src/server/security/production-checks.js';
import { seedReferenceData } from '../src/server/seed/seed.js';

// 等保 2.0 and 第六条: a production start runs on nothing the repository publishes — no demo data whatever SEED_DEMO
// says, no development key or channel secret — and its first administrator comes from the console (admin:create)
// with a one-time password. The checks as pure functions over env objects, and once as operators run it: the real
// entry points in child processes on a temporary data directory.

describe('生产环境默认安全 (configuration)', () => {
  const goodKey = PiiCipher.generateKey();
  const prod = (over: Record<string, string | undefined> = {}) => ({
    NODE_ENV: 'production',
    PII_KEY: goodKey,
    ...over,
  });

  it('a random key and unset channel secrets pass; outside production nothing is checked', () => {
    expect(productionConfigProblems(prod())).toEqual([]);
    expect(productionConfigProblems({ NODE_ENV: 'development', PII_KEY: Buffer.alloc(32).toString('base64') })).toEqual(
      [],
    );
    expect(productionConfigProblems({ NODE_ENV: 'test' })).toEqual([]);
  });

  it('refuses the keys of the repository, all-zero, repeated, short or malformed keys', () => {
    for (const bad of [
      Buffer.alloc(32).toString('base64'),
      Buffer.alloc(32, 7).toString('base64'),
      Buffer.alloc(32, 8).toString('base64'),
      Buffer.alloc(32, 0xab).toString('base64'),
      Buffer.from('0123456789abcdef0123456789abcdef').toString('base64'), // typed, 16 distinct bytes at most
      Buffer.alloc(16, 1).toString('base64'),
      'not base64 at all',
    ]) {
      const problems = productionConfigProblems(prod({ PII_KEY: bad }));
      expect(problems, bad).toHaveLength(1);
      expect(problems[0]).toMatch(/^PII_KEY/);
      expect(problems[0]).not.toContain(bad);
    }
    expect(piiKeyProblem(Buffer.alloc(32, 7).toString('base64'))).toContain('published in the repository');
    expect(productionConfigProblems({ NODE_ENV: 'production' })).toEqual([
      'PII_KEY is required in production (openssl rand -base64 32)',
    ]);
  });

  it('refuses the development WeChat token and the test channel secrets', () => {
    expect(productionConfigProblems(prod({ WECHAT_TOKEN: 'heze12345dev' }))[0]).toMatch(
      /^WECHAT_TOKEN is the development default/,
    );
    expect(productionConfigProblems(prod({ WECHAT_TOKEN: 'QDG6eK' }))).toHaveLength(1);
    expect(productionConfigProblems(prod({ WECHAT_TOKEN: 'MyAccountToken2025' }))).toEqual([]);
    expect(
      productionConfigProblems(prod({ WECHAT_ENCODING_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' })),
    ).toHaveLength(1);
    expect(productionConfigProblems(prod({ WECHAT_APPSECRET: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' }))).toHaveLength(1);
    // everything wrong at once: every line, no value
    const all = productionConfigProblems(
      prod({
        PII_KEY: Buffer.alloc(32).toString('base64'),
        WECHAT_TOKEN: 'heze12345dev',
        WECHAT_APPSECRET: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      }),
    );
    expect(all).toHaveLength(3);
    expect(all.join('\n')).not.toMatch(/heze12345dev|a1b2c3d4/);
  });

  it('no demo data in production whatever SEED_DEMO says (with a notice when it was asked for); demo by default elsewhere', () => {
    const decide = (env: Record<string, string>) => demoSeedDecision(loadConfig(env));
    expect(decide({ NODE_ENV: 'production', PII_KEY: goodKey })).toEqual({ seed: false, notice: null });
    const asked = decide({ NODE_ENV: 'production', PII_KEY: goodKey, SEED_DEMO: 'true' });
    expect(asked.seed).toBe(false);
    expect(asked.notice).toContain('SEED_DEMO=true is ignored in production');
    expect(decide({ NODE_ENV: 'production', PII_KEY: goodKey, SEED_DEMO: 'false' })).toEqual({
      seed: false,
      notice: null,
    });
    expect(decide({})).toEqual({ seed: true, notice: null });
    expect(decide({ SEED_DEMO: 'false' })).toEqual({ seed: false, notice: null });
    expect(loadConfig({}).SESSION_IDLE_MINUTES).toBe(30);
    expect(loadConfig({}).SESSION_TTL_HOURS).toBe(12);
    expect(() => loadConfig({ SESSION_IDLE_MINUTES: '0' })).toThrow('SESSION_IDLE_MINUTES');
    // the PostgreSQL pool of a process: 10 unless set, and a value that could not be a pool refused by name
    expect(loadConfig({}).DATABASE_POOL_SIZE).toBe(10);
    expect(loadConfig({ DATABASE_POOL_SIZE: '25' }).DATABASE_POOL_SIZE).toBe(25);
    for (const bad of ['0', '-1', '2.5', 'ten', '100000'])
      expect(() => loadConfig({ DATABASE_POOL_SIZE: bad }), bad).toThrow('DATABASE_POOL_SIZE');
  });

  it('admin:create on an empty database creates the city centre with its region, then the administrator', async () => {
    const handle = await openDatabase({ dataDir: null });
    try {
      await migrateToLatest(handle.db);
      await seedReferenceData(handle.db);
      const clock = new ManualClock('2025-03-03T09:00:00+08:00');
      expect(await handle.db.selectFrom('units').select('id').execute()).toEqual([]);
      const r = await createAdministrator(handle.db, clock, { username: 'first_admin', displayName: '张管理' });
      expect(r).toMatchObject({ unitCode: 'centre', unitCreated: true });
      const unit = await handle.db.selectFrom('units').selectAll().executeTakeFirstOrThrow();
      expect(unit).toMatchObject({
        code: 'centre',
        kind: 'centre',
        tier: 'city',
        name: '菏泽市12345政务服务便民热线工作机构',
      });
      expect(await handle.db.selectFrom('unit_regions').select('region_code').execute()).toEqual([
        { region_code: '371700' },
      ]);
      const user = await handle.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
      expect(user).toMatchObject({
        username: 'first_admin',
        display_name: '张管理',
        roles: ['admin'],
        must_change_password: true,
      });
      expect(await accountsWithPassword(handle.db, r.password)).toEqual(['first_admin']);
      const audit = await handle.db
        .selectFrom('admin_audit')
        .select(['entity', 'action', 'user_id'])
        .orderBy('id')
        .execute();
      expect(audit).toEqual([
        { entity: 'unit', action: 'create', user_id: null },
        { entity: 'user', action: 'create', user_id: null },
      ]);
      // a second administrator joins the same unit
      expect(await createAdministrator(handle.db, clock, { username: 'second_admin' })).toMatchObject({
        unitCreated: false,
      });
    } finally {
      await handle.close();
    }
  });
});

/** Runs a server entry point as `npm start` / `npm run …` would, with this environment; resolves at exit or when `until` shows. */
function runEntry(script: string, args: string[], env: Record<string, string>, until?: string) {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  return new Promise<{ code: number | null; out: string; err: string }>((ok) => {
    proc.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (until && out.includes(until)) proc.kill('SIGTERM');
    });
    proc.stderr.on('data', (b: Buffer) => (err += b.toString()));
    proc.on('exit', (code) => ok({ code, out, err }));
  });
}

describe('生产环境默认安全 (a production start, as operators run it)', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('refuses a development key before opening anything; admin:create makes the first administrator of an empty database; the server then starts without demo data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hz-prod-'));
    dirs.push(dir);
    const prod = { NODE_ENV: 'production', DATA_DIR: dir, LOG_LEVEL: 'info', ROLES: '' };
    const refused = await runEntry('src/server/main.ts', [], { ...prod, PII_KEY: Buffer.alloc(32).toString('base64') });
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('Refusing to start in production');
    expect(refused.err).toContain('PII_KEY is a key published in the repository');
    expect(existsSync(join(dir, 'pglite'))).toBe(false);

    const key = PiiCipher.generateKey();
    const created = await runEntry(
      'src/server/cli.ts',
      ['admin:create', '--username', 'ops_admin', '--display-name', '运维管理员'],
      {
        ...prod,
        PII_KEY: key,
      },
    );
    expect(created.err).toBe('');
    expect(created.code).toBe(0);
    expect(created.out).toContain('已创建系统管理员 ops_admin（并创建了热线工作机构单位 centre）');
    const password = /一次性密码（只显示这一次）：(\S+)/.exec(created.out)![1]!;
    const again = await runEntry('src/server/cli.ts', ['admin:create', '--username', 'ops_admin'], {
      ...prod,
      PII_KEY: key,
    });
    expect(again.code).toBe(1);
    expect(again.err).toContain('用户名 ops_admin 已存在');

    const started = await runEntry(
      'src/server/main.ts',
      [],
      { ...prod, PII_KEY: key, SEED_DEMO: 'true' },
      'database ready',
    );
    expect(started.out).toContain('SEED_DEMO=true is ignored in production');
    expect(started.out).toContain('"demoSeeded":false');
    const h = await openDatabase({ dataDir: dir });
    try {
      const users = await h.db.selectFrom('users').select(['username', 'must_change_password']).execute();
      expect(users).toEqual([{ username: 'ops_admin', must_change_password: true }]);
      expect(await accountsWithPassword(h.db, password)).toEqual(['ops_admin']);
    } finally {
      await h.close();
    }
  }, 180_000);
});
