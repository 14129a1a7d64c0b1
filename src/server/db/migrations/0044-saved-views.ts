import { sql, type Kysely } from 'kysely';

// Issue 14 "Every list … saved views per user": a person's named filter sets for a list screen (the screen's URL
// query, as key → value), so a dispatcher's "牡丹区 即将超期" is one click each shift.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE TABLE saved_views (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users(id),
  screen text NOT NULL,
  name text NOT NULL,
  params jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  UNIQUE (user_id, screen, name)
);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0044-saved-views is not reversible');
}
