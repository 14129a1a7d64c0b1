import { sql, type Kysely } from 'kysely';

// Sessions past their absolute lifetime can never be used again (auth.repository.ts findSessionUser), but nothing
// removed them: every sign-in of a 24-hour centre left a row behind for good. jobs/session-purge.ts deletes them in
// small batches; this index finds them without reading the live ones.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX sessions_expires ON sessions(expires_at)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0050-session-purge is not reversible');
}
