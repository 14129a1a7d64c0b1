import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

export async function findUserByUsername(db: Kysely<DB>, username: string) {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function findUserById(db: Kysely<DB>, id: number) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertSession(
  db: Kysely<DB>,
  row: { token_hash: string; user_id: number; created_at: Date; expires_at: Date; last_seen_at: Date },
) {
  await db.insertInto('sessions').values(row).execute();
}

/** 等保 2.0: the session was used now; written at most once a minute per session (the caller decides). */
export async function touchSession(db: Kysely<DB>, tokenHash: string, now: Date) {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('token_hash', '=', tokenHash).execute();
}

/** Every session of a user but one (a password change keeps the session it was made in). */
export async function deleteOtherSessions(db: Kysely<DB>, userId: number, keepTokenHash: string | null) {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepTokenHash) q = q.where('token_hash', '<>', keepTokenHash);
  await q.execute();
}

// The roles that need a second factor come with the user in the same query (one settings row, no extra round trip).
const totpRequiredRoles = () =>
  sql<string[]>`(SELECT totp_required_roles FROM security_settings WHERE id = 1)`.as('totp_required_roles');

export async function deleteSession(db: Kysely<DB>, tokenHash: string) {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

// Every authenticated request resolves its actor: the user and their unit's regions in one query.
const unitRegionsOfUser = () =>
  sql<string[]>`ARRAY(SELECT region_code FROM unit_regions WHERE unit_id = users.unit_id ORDER BY region_code)`.as(
    'unit_region_codes',
  );

/** The session's user, if the session has outlived neither its absolute lifetime nor its idle timeout. */
export async function findSessionUser(db: Kysely<DB>, tokenHash: string, now: Date, idleSince: Date) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select(unitRegionsOfUser)
    .select(totpRequiredRoles)
    .select(['sessions.last_seen_at', 'sessions.expires_at'])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', now)
    .where('sessions.last_seen_at', '>', idleSince)
    .where('users.active', '=', true)
    .executeTakeFirst();
}

export async function totpRequiredRolesNow(db: Kysely<DB>): Promise<string[]> {
  const row = await db
    .selectFrom('security_settings')
    .select('totp_required_roles')
    .where('id', '=', 1)
    .executeTakeFirst();
  return row?.totp_required_roles ?? [];
}

// ---- the second login step (TOTP) -------------------------------------------------------------------------

export async function insertLoginChallenge(
  db: Kysely<DB>,
  row: { token_hash: string; user_id: number; created_at: Date; expires_at: Date },
) {
  // a good moment to drop the challenges nobody finished
  await db.deleteFrom('login_challenges').where('expires_at', '<', row.created_at).execute();
  await db.insertInto('login_challenges').values(row).execute();
}

export async function findLoginChallenge(db: Kysely<DB>, tokenHash: string, now: Date) {
  return db
    .selectFrom('login_challenges')
    .innerJoin('users', 'users.id', 'login_challenges.user_id')
    .selectAll('users')
    .select(['login_challenges.failures as challenge_failures'])
    .where('login_challenges.token_hash', '=', tokenHash)
    .where('login_challenges.expires_at', '>', now)
    .where('users.active', '=', true)
    .executeTakeFirst();
}

/** Counts a wrong code against the challenge; the challenge ends at `max` wrong codes. */
export async function failLoginChallenge(db: Kysely<DB>, tokenHash: string, max: number) {
  const row = await db
    .updateTable('login_challenges')
    .set((eb) => ({ failures: eb('failures', '+', 1) }))
    .where('token_hash', '=', tokenHash)
    .returning('failures')
    .executeTakeFirst();
  if (row && row.failures >= max) await deleteLoginChallenge(db, tokenHash);
}

export async function deleteLoginChallenge(db: Kysely<DB>, tokenHash: string) {
  await db.deleteFrom('login_challenges').where('token_hash', '=', tokenHash).execute();
}

/**
 * Records the step of an accepted code, if no code of this or a later step was accepted before: two requests
 * racing with the same code cannot both win. Returns whether this one did.
 */
export async function claimTotpStep(db: Kysely<DB>, userId: number, step: number): Promise<boolean> {
  const row = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .returning('id')
    .executeTakeFirst();
  return !!row;
}

export async function findTokenUser(db: Kysely<DB>, tokenHash: string) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('users')
    .select(unitRegionsOfUser)
    .select('api_tokens.scopes as token_scopes')
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .where('users.active', '=', true)
    .executeTakeFirst();
}

export async function insertApiToken(
  db: Kysely<DB>,
  row: { token_hash: string; user_id: number; name: string; created_at: Date },
) {
  return db.insertInto('api_tokens').values(row).returning(['id', 'name', 'created_at']).executeTakeFirstOrThrow();
}

export async function unitRegionCodes(db: Kysely<DB>, unitId: number): Promise<string[]> {
  const rows = await db.selectFrom('unit_regions').select('region_code').where('unit_id', '=', unitId).execute();
  return rows.map((r) => r.region_code);
}
