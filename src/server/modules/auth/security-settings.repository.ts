import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Role } from './actor.js';

/** The admin-edited identification settings (migration 0022, one row). */
export interface SecuritySettings {
  passwordMinLength: number;
  passwordHistory: number;
  totpRequiredRoles: Role[];
  updatedAt: Date | null;
  updatedBy: number | null;
}

export async function readSecuritySettings(db: Kysely<DB>): Promise<SecuritySettings> {
  const row = await db.selectFrom('security_settings').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  return {
    passwordMinLength: row.password_min_length,
    passwordHistory: row.password_history,
    totpRequiredRoles: row.totp_required_roles as Role[],
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

export async function lockSecuritySettings(db: Kysely<DB>) {
  return db.selectFrom('security_settings').selectAll().where('id', '=', 1).forUpdate().executeTakeFirstOrThrow();
}

export async function writeSecuritySettings(
  db: Kysely<DB>,
  s: { passwordMinLength: number; passwordHistory: number; totpRequiredRoles: string[] },
  at: Date,
  by: number,
) {
  await db
    .updateTable('security_settings')
    .set({
      password_min_length: s.passwordMinLength,
      password_history: s.passwordHistory,
      totp_required_roles: s.totpRequiredRoles,
      updated_at: at,
      updated_by: by,
    })
    .where('id', '=', 1)
    .execute();
}

/** Whether a user of these roles must have a second factor under these settings. */
export const totpRequiredFor = (roles: readonly string[], required: readonly string[]) =>
  roles.some((r) => required.includes(r));
