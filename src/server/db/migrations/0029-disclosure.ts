import { sql, type Kysely } from 'kysely';

// 第二十一条 信息公开 (docs/disclosure.md): the monthly report of a centre (the city, or a county for its county).
//
// One row per version of a month and region. A draft holds the figures generated from the aggregates (figures)
// and the reviewer's text and picked cases (cases keep the ticket id for the staff; the published snapshot never
// does). Publishing stores the whole public report as `snapshot`; from then on the row is immutable — the database
// refuses UPDATE and DELETE of a published version (and TRUNCATE), whatever the code does. A correction is a new
// version of the same month with a mandatory note; older versions stay readable and downloadable.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE TABLE disclosure_reports (
  id serial PRIMARY KEY,
  month text NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  region_code text NOT NULL REFERENCES regions(code),
  version integer NOT NULL CHECK (version >= 1),
  status text NOT NULL CHECK (status IN ('draft','in_review','published')),
  figures jsonb NOT NULL,
  foreword text NOT NULL DEFAULT '',
  -- [{ticketId, title, category, unit, summary}]: the staff-written public summaries of 典型案例
  cases jsonb NOT NULL DEFAULT '[]'::jsonb,
  correction_note text,
  review_note text,
  snapshot jsonb,
  created_by integer NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  submitted_by integer REFERENCES users(id),
  submitted_at timestamptz,
  published_by integer REFERENCES users(id),
  published_at timestamptz,
  UNIQUE (region_code, month, version),
  -- a correction says why; a published version has its snapshot and its publisher
  CHECK (version = 1 OR correction_note IS NOT NULL),
  CHECK (status <> 'published' OR (snapshot IS NOT NULL AND published_by IS NOT NULL AND published_at IS NOT NULL))
);
-- at most one unpublished version of a month and region at a time
CREATE UNIQUE INDEX disclosure_reports_open ON disclosure_reports(region_code, month) WHERE status <> 'published';
-- the portal: the published months of a region, newest first
CREATE INDEX disclosure_reports_published ON disclosure_reports(region_code, month DESC, version DESC)
  WHERE status = 'published';

CREATE FUNCTION disclosure_published_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'published' THEN
    RAISE EXCEPTION 'disclosure report % version % is published and immutable', OLD.month, OLD.version;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER disclosure_reports_immutable BEFORE UPDATE OR DELETE ON disclosure_reports
  FOR EACH ROW EXECUTE FUNCTION disclosure_published_guard();
CREATE TRIGGER disclosure_reports_no_truncate BEFORE TRUNCATE ON disclosure_reports
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_truncate();
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0029-disclosure is not reversible');
}
