import { loadConfig } from './config.js';
import { systemClock } from './clock.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { sweepDeadlines } from './jobs/deadline-sweeper.js';
import { seedDemo, seedReferenceData } from './seed/seed.js';
import { DEMO_PASSWORD } from './seed/heze-organisation.js';
import { verifyAccessChain } from './modules/sharing/access-log.service.js';
import { createAdministrator, OperatorError, resetPasswordFromConsole } from './modules/auth/operator-accounts.js';
import { parseArgs } from 'node:util';
import { remaskStoredText } from './ops/pii-text-remask.js';
import { loadConfiguredPiiCipher } from './security/pii-key.js';

// Operational commands: `migrate`, `seed`, `sweep` (one deadline sweep, e.g. from cron), `audit:verify` (第三十条第二款:
// walks the access log's hash chain; exit code 1 and the first broken link when it does not verify).
// 等保 2.0 身份鉴别: `admin:create` (the first administrator of an empty database) and `user:reset-password` print a
// random one-time password, once, that must be changed at the first sign-in. 第六条: `pii:mask-text [--dry-run]`
// masks the names and household addresses in texts stored before they were masked at intake (ops/pii-text-remask.ts).
const command = process.argv[2];
const config = loadConfig();
const handle = await openDatabase({
  url: config.DATABASE_URL,
  dataDir: config.DATA_DIR,
  durable: config.PGLITE_FSYNC === 'on',
});
try {
  if (command === 'migrate') {
    const applied = await migrateToLatest(handle.db);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } else if (command === 'seed' && config.NODE_ENV === 'production') {
    // 等保 2.0: the demo's published password never reaches a production database
    console.error('refusing to seed demo data in production (NODE_ENV=production); use npm run admin:create');
    process.exitCode = 1;
  } else if (command === 'admin:create' || command === 'user:reset-password') {
    await operatorAccount(command);
  } else if (command === 'seed') {
    await migrateToLatest(handle.db);
    await seedReferenceData(handle.db);
    const ids = await seedDemo(handle.db, systemClock.now(), DEMO_PASSWORD, true);
    console.log(ids ? 'demo data seeded' : 'demo data already present');
  } else if (command === 'pii:mask-text') {
    await migrateToLatest(handle.db);
    const { cipher } = loadConfiguredPiiCipher(config);
    const dryRun = process.argv.slice(3).includes('--dry-run');
    const r = await remaskStoredText(handle.db, cipher, systemClock, { dryRun, log: (l) => console.log(l) });
    console.log(
      `${dryRun ? 'dry run: would mask' : 'masked'} ${r.tickets.masked} of ${r.tickets.read} tickets and ${r.contacts.masked} of ${r.contacts.read} contacts`,
    );
  } else if (command === 'sweep') {
    console.log(await sweepDeadlines(handle.db, systemClock));
  } else if (command === 'audit:verify') {
    await migrateToLatest(handle.db);
    const r = await verifyAccessChain(handle.db);
    if (r.ok)
      console.log(
        `access log chain intact: ${r.checked} rows verified${r.startsAfterId ? ` (after purged row ${r.startsAfterId})` : ''}`,
      );
    else {
      console.error(
        `access log chain BROKEN at row ${r.firstBroken!.id} (${r.firstBroken!.reason === 'hash' ? 'the row was changed' : 'a row before it was removed, inserted or reordered'}); ${r.checked} rows verified before it`,
      );
      process.exitCode = 1;
    }
  } else {
    console.error(
      'usage: cli.ts migrate | seed | sweep | audit:verify | pii:mask-text [--dry-run] | admin:create --username NAME [--display-name 姓名] [--unit-code CODE] | user:reset-password --username NAME',
    );
    process.exitCode = 2;
  }
} finally {
  await handle.close();
}

async function operatorAccount(cmd: 'admin:create' | 'user:reset-password') {
  let values: { username?: string; 'display-name'?: string; 'unit-code'?: string } = {};
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(3),
      options: {
        username: { type: 'string' },
        'display-name': { type: 'string' },
        'unit-code': { type: 'string' },
      },
      strict: true,
    }));
  } catch (err) {
    console.error((err as Error).message);
  }
  if (!values.username) {
    console.error(
      `usage: npm run ${cmd} -- --username NAME${cmd === 'admin:create' ? ' [--display-name 姓名] [--unit-code CODE]' : ''}`,
    );
    process.exitCode = 2;
    return;
  }
  await migrateToLatest(handle.db);
  await seedReferenceData(handle.db);
  try {
    let done: string;
    let password: string;
    if (cmd === 'admin:create') {
      const r = await createAdministrator(handle.db, systemClock, {
        username: values.username,
        displayName: values['display-name'],
        unitCode: values['unit-code'],
      });
      done = `已创建系统管理员 ${r.username}${r.unitCreated ? `（并创建了热线工作机构单位 ${r.unitCode}）` : ''}`;
      password = r.password;
    } else {
      const r = await resetPasswordFromConsole(handle.db, systemClock, values.username);
      done = `已为 ${r.username} 设置一次性密码${r.active ? '' : '（该账号已停用，须由管理员启用后才能登录）'}`;
      password = r.password;
    }
    console.log(`${done}\n一次性密码（只显示这一次）：${password}\n首次登录后须立即修改密码。`);
  } catch (err) {
    if (!(err instanceof OperatorError)) throw err;
    console.error(err.message);
    process.exitCode = 1;
  }
}
