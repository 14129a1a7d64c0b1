import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import type { DB } from '../../db/schema.js';
import { PASSWORD_POLICY } from '../../../shared/domain/password-policy.js';
import { REGIONS, UNITS } from '../../seed/heze-organisation.js';
import { insertAdminAudit } from '../audit/admin-audit.repository.js';
import { hashPassword, randomPassword, storeNewPassword } from './passwords.js';
import { readSecuritySettings } from './security-settings.repository.js';

// 等保 2.0 身份鉴别, for the operator at the server's console (cli.ts): the first administrator of an empty production
// database, and a one-time password for an account whose owner is locked out. The password is random, printed once,
// and must be changed at the first sign-in; each is audited as done by the system (no acting user, source "cli").

/** A refusal the CLI prints as it is (exit code 1). */
export class OperatorError extends Error {}

const USERNAME = /^[a-z0-9_]{3,50}$/;

/** The centre's own unit of the Heze reference (code "centre"), the unit a first administrator belongs to. */
const CITY_CENTRE = UNITS.find((u) => u.code === 'centre')!;

export async function createAdministrator(
  db: Kysely<DB>,
  clock: Clock,
  input: { username: string; displayName?: string; unitCode?: string },
): Promise<{ userId: number; username: string; password: string; unitCode: string; unitCreated: boolean }> {
  if (!USERNAME.test(input.username)) throw new OperatorError('用户名须为 3–50 位小写字母、数字或下划线 (--username)');
  const displayName = (input.displayName ?? '系统管理员').trim();
  if (!displayName || displayName.length > 50) throw new OperatorError('姓名须为 1–50 个字 (--display-name)');
  const settings = await readSecuritySettings(db);
  const password = randomPassword(input.username, Math.max(16, settings.passwordMinLength));
  const passwordHash = await hashPassword(password);
  const now = clock.now();
  return db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('users').select('id').where('username', '=', input.username).executeTakeFirst();
    if (taken) throw new OperatorError(`用户名 ${input.username} 已存在，未做任何修改`);
    const unit = await resolveUnit(trx, input.unitCode, now);
    const user = await trx
      .insertInto('users')
      .values({
        username: input.username,
        display_name: displayName,
        password_hash: passwordHash,
        unit_id: unit.id,
        roles: ['admin'],
        scope: 'region',
        active: true,
        created_at: now,
        password_changed_at: now,
        must_change_password: true,
      })
      .returning(['id', 'username', 'display_name', 'unit_id', 'roles', 'scope', 'active', 'created_at'])
      .executeTakeFirstOrThrow();
    await insertAdminAudit(trx, {
      userId: null,
      entity: 'user',
      entityId: String(user.id),
      action: 'create',
      before: null,
      after: { ...user, mustChangePassword: true, source: 'cli:admin:create', unitCreated: unit.created },
      at: now,
    });
    return { userId: user.id, username: user.username, password, unitCode: unit.code, unitCreated: unit.created };
  });
}

/**
 * The unit of a new administrator: the one named, else the city centre; on an empty database (no unit at all) the
 * city centre of the Heze reference is created with its region, so the first administrator can sign in and build
 * the rest through the screens.
 */
async function resolveUnit(trx: Kysely<DB>, unitCode: string | undefined, now: Date) {
  if (unitCode) {
    const u = await trx
      .selectFrom('units')
      .select(['id', 'code', 'active'])
      .where('code', '=', unitCode)
      .executeTakeFirst();
    if (!u || !u.active) throw new OperatorError(`单位代码 ${unitCode} 不存在或已停用 (--unit-code)`);
    return { id: u.id, code: u.code, created: false };
  }
  const centre = await trx
    .selectFrom('units')
    .select(['id', 'code'])
    .where('code', '=', CITY_CENTRE.code)
    .where('active', '=', true)
    .executeTakeFirst();
  if (centre) return { id: centre.id, code: centre.code, created: false };
  const any = await trx.selectFrom('units').select('id').limit(1).executeTakeFirst();
  if (any) throw new OperatorError('已有单位但没有代码为 centre 的热线工作机构：请用 --unit-code 指定管理员所属单位');
  for (const code of CITY_CENTRE.regions) {
    const r = REGIONS.find((x) => x.code === code)!;
    await trx
      .insertInto('regions')
      .values({ code: r.code, name: r.name, level: r.level, parent_code: r.parent })
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
  }
  const unit = await trx
    .insertInto('units')
    .values({
      code: CITY_CENTRE.code,
      name: CITY_CENTRE.name,
      kind: CITY_CENTRE.kind,
      tier: CITY_CENTRE.tier,
      is_24x7: false,
      parent_id: null,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('unit_regions')
    .values(CITY_CENTRE.regions.map((c) => ({ unit_id: unit.id, region_code: c })))
    .execute();
  await insertAdminAudit(trx, {
    userId: null,
    entity: 'unit',
    entityId: String(unit.id),
    action: 'create',
    before: null,
    after: { ...unit, region_codes: CITY_CENTRE.regions, source: 'cli:admin:create' },
    at: now,
  });
  return { id: unit.id, code: unit.code, created: true };
}

/**
 * A one-time password for an existing person's account (a forgotten password, the only administrator locked out,
 * or demo accounts a production start refuses): must be changed at the next sign-in; the account's sessions end.
 */
export async function resetPasswordFromConsole(
  db: Kysely<DB>,
  clock: Clock,
  username: string,
): Promise<{ userId: number; username: string; password: string; active: boolean }> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'username', 'password_hash', 'active'])
    .where('username', '=', username)
    .executeTakeFirst();
  if (!user) throw new OperatorError(`用户 ${username} 不存在`);
  if (user.password_hash === '!') throw new OperatorError(`${username} 是对接系统账号，使用 API 令牌，没有密码`);
  const settings = await readSecuritySettings(db);
  const password = randomPassword(
    user.username,
    Math.max(16, settings.passwordMinLength, PASSWORD_POLICY.minLengthFloor),
  );
  const passwordHash = await hashPassword(password);
  const now = clock.now();
  await db.transaction().execute(async (trx) => {
    await storeNewPassword(trx, user.id, passwordHash, now, true);
    await trx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
    await trx.deleteFrom('login_challenges').where('user_id', '=', user.id).execute();
    await insertAdminAudit(trx, {
      userId: null,
      entity: 'user',
      entityId: String(user.id),
      action: 'reset_password',
      before: { username: user.username },
      after: {
        username: user.username,
        passwordChanged: true,
        mustChangePassword: true,
        source: 'cli:user:reset-password',
      },
      at: now,
    });
  });
  return { userId: user.id, username: user.username, password, active: user.active };
}
