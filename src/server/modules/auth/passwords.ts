import { randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { PASSWORD_POLICY, passwordViolations, reusedPassword } from '../../../shared/domain/password-policy.js';
import { readSecuritySettings } from './security-settings.repository.js';

// 第六条, 等保 2.0 身份鉴别: every password set through the API or the CLI (a user's creation, an admin's reset, a
// user's own change, admin:create) passes the same policy (src/shared/domain/password-policy.ts) with the admin's
// settings, and may not be one of the user's last N. Seeded demo users are not set through here.

export const hashPassword = (plain: string) => hash(plain);

/**
 * Refuses (400, with the field and every broken rule in Chinese) a password the policy does not allow for this
 * user. Runs outside any transaction: argon2 is slow on purpose and must not hold a lock.
 */
export async function assertAcceptablePassword(
  db: Kysely<DB>,
  input: { userId: number | null; username: string; password: string; field?: string },
): Promise<void> {
  const settings = await readSecuritySettings(db);
  const field = input.field ?? 'password';
  const broken = passwordViolations(input.password, {
    minLength: settings.passwordMinLength,
    username: input.username,
  });
  if (!broken.length && input.userId !== null) {
    const hashes = await recentHashes(db, input.userId, settings.passwordHistory);
    for (const h of hashes) {
      if (await verify(h, input.password).catch(() => false)) {
        broken.push(reusedPassword(settings.passwordHistory));
        break;
      }
    }
  }
  if (broken.length)
    throw new AppError('bad_request', broken[0]!.message, {
      field,
      rules: broken.map((b) => b.rule),
      issues: broken.map((b) => ({ path: field, message: b.message })),
    });
}

/** The current hash and the n − 1 before it: the last n passwords of the user. */
async function recentHashes(db: Kysely<DB>, userId: number, n: number): Promise<string[]> {
  const user = await db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst();
  const older = await db
    .selectFrom('password_history')
    .select('password_hash')
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .limit(Math.max(0, n - 1))
    .execute();
  return [user?.password_hash, ...older.map((r) => r.password_hash)].filter((h): h is string => !!h && h !== '!');
}

/**
 * Replaces a user's password inside the caller's transaction: the old hash goes to the history (which keeps as
 * many as the highest setting could ask for), the change is dated, and the forced-change flag set as told.
 */
export async function storeNewPassword(
  trx: Transaction<DB>,
  userId: number,
  newHash: string,
  at: Date,
  mustChange: boolean,
): Promise<void> {
  const user = await trx
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
  if (!user) throw new AppError('not_found', '用户不存在');
  // a machine account's '!' is no password: nothing to remember
  if (user.password_hash && user.password_hash !== '!')
    await trx
      .insertInto('password_history')
      .values({ user_id: userId, password_hash: user.password_hash, replaced_at: at })
      .execute();
  await trx
    .updateTable('users')
    .set({ password_hash: newHash, password_changed_at: at, must_change_password: mustChange })
    .where('id', '=', userId)
    .execute();
  const keep = await trx
    .selectFrom('password_history')
    .select('id')
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .offset(PASSWORD_POLICY.maxHistory)
    .limit(1)
    .executeTakeFirst();
  if (keep) await trx.deleteFrom('password_history').where('user_id', '=', userId).where('id', '<=', keep.id).execute();
}

/** A one-time password the policy accepts: `length` characters with all four classes, no look-alike characters. */
export function randomPassword(username: string, length = 16): string {
  const sets = ['abcdefghijkmnpqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '!#%+-=?@_'];
  const all = sets.join('');
  for (;;) {
    const chars = sets.map((s) => s[randomInt(s.length)]!);
    while (chars.length < length) chars.push(all[randomInt(all.length)]!);
    for (let i = chars.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [chars[i], chars[j]] = [chars[j]!, chars[i]!];
    }
    const pw = chars.join('');
    if (!passwordViolations(pw, { username, minLength: length }).length) return pw;
  }
}
