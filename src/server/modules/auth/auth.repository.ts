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
  row: { token_hash: string; user_id: number; created_at: Date; expires_at: Date },
) {
  await db.insertInto('sessions').values(row).execute();
}

export async function deleteSession(db: Kysely<DB>, tokenHash: string) {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

// Every authenticated request resolves its actor: the user and their unit's regions in one query.
const unitRegionsOfUser = () =>
  sql<string[]>`ARRAY(SELECT region_code FROM unit_regions WHERE unit_id = users.unit_id ORDER BY region_code)`.as(
    'unit_region_codes',
  );

export async function findSessionUser(db: Kysely<DB>, tokenHash: string, now: Date) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select(unitRegionsOfUser)
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', now)
    .where('users.active', '=', true)
    .executeTakeFirst();
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
