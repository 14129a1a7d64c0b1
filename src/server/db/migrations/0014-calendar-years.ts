import { sql, type Kysely } from 'kysely';

// 第八条: the working calendar must not silently run out. A year counts as covered once an admin has confirmed
// its holiday arrangement (the days themselves stay in calendar_days); deadlines counted over an unconfirmed year
// say so. The new deadlines column has a constant default, so adding it does not rewrite the table.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE TABLE calendar_years (
  year integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
  source text NOT NULL CHECK (source IN ('builtin','manual','import')),
  confirmed_by integer NOT NULL REFERENCES users(id),
  confirmed_at timestamptz NOT NULL
);
ALTER TABLE deadlines ADD COLUMN calendar_unconfirmed boolean NOT NULL DEFAULT false;
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0014-calendar-years is not reversible');
}
