import { sql, type Kysely } from 'kysely';

// 第十五条: a reply given although the requester could not be reached (failed attempts, or an anonymous requester)
// carries its explanation, shown at callback; and the admin's setting of how much trying that takes. One row
// (id = 1), audited in admin_audit like the other reference data. The column is nullable without a default, so
// adding it to a large tickets table is a catalogue change only.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
ALTER TABLE tickets ADD COLUMN reply_unreachable jsonb;
CREATE TABLE reply_contact_policy (
  id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  min_attempts integer NOT NULL CHECK (min_attempts BETWEEN 1 AND 20),
  min_distinct_days integer NOT NULL CHECK (min_distinct_days BETWEEN 1 AND 20 AND min_distinct_days <= min_attempts),
  updated_at timestamptz,
  updated_by integer REFERENCES users(id)
);
INSERT INTO reply_contact_policy (id, min_attempts, min_distinct_days) VALUES (1, 3, 2);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0016-unreachable-reply is not reversible');
}
