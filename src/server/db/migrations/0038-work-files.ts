import { sql, type Kysely } from 'kysely';

// 第十四、十五、二十四条 (issues 10 and 14): files a unit's staff upload as the materials of an application (退单、延期、
// 终止办理), the photos of a reply's result and the evidence of an assessment appeal. A file is uploaded first, for
// the uploader's unit, and belongs to nobody; the application, reply or appeal that names it then claims it, once.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE work_files (
    id serial PRIMARY KEY,
    unit_id integer NOT NULL REFERENCES units(id),
    uploaded_by integer NOT NULL REFERENCES users(id),
    owner_kind text CHECK (owner_kind IN ('application', 'reply', 'reply_signoff', 'appeal')),
    owner_id integer,
    ticket_id integer REFERENCES tickets(id),
    original_name text NOT NULL,
    mime text NOT NULL,
    size integer NOT NULL CHECK (size > 0),
    sha256 text NOT NULL,
    storage_key text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    claimed_at timestamptz,
    CHECK ((owner_kind IS NULL) = (owner_id IS NULL)),
    CHECK ((owner_kind IS NULL) = (claimed_at IS NULL))
  )`.execute(db);
  // the files of one application / reply / appeal, and of one ticket (its timeline)
  await sql`CREATE INDEX work_files_owner ON work_files(owner_kind, owner_id) WHERE owner_kind IS NOT NULL`.execute(db);
  await sql`CREATE INDEX work_files_ticket ON work_files(ticket_id) WHERE ticket_id IS NOT NULL`.execute(db);
  // a unit's uploads not yet used (clean-up, and the form's own list)
  await sql`CREATE INDEX work_files_unclaimed ON work_files(unit_id, id) WHERE owner_kind IS NULL`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0038-work-files is not reversible');
}
