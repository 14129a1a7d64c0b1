import { sql, type Kysely } from 'kysely';

// 第二十七条 风险预警 (docs/warnings.md): the early-warning feed. A warning is raised by the scheduler (a spike of a
// category × county against its calendar-aware baseline, or a collective request: many requesters, one category, one
// town, within hours) or at intake (a sensitive-risk word in a new ticket). Staff acknowledge it, assign it, link it
// to a matter (专题) and close it with a note; every step is a warning_events row and an admin_audit row.
//
// Dedupe: cause_key names the cause (spike:<category>:<county>, collective:<category>:<town>, sensitive:<ticket>);
// the partial unique index keeps at most one open warning per cause, so several schedulers or a rerun never raise a
// second one. dedupe_key (the cause and the day / first ticket) is unique over all rows: a cause closed and raised
// again later is a new warning, the same occurrence never is.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE TABLE warnings (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('spike','collective','sensitive')),
  level text NOT NULL CHECK (level IN ('yellow','orange','red')),
  -- the county (spike), the town (collective) or the ticket's region (sensitive): scope is a prefix match, as for tickets
  region_code text NOT NULL REFERENCES regions(code),
  category_id integer REFERENCES categories(id),
  window_start timestamptz NOT NULL,
  window_end timestamptz NOT NULL,
  -- a summary line made by the system: category, place, counts, matched word, ticket number — never personal data
  title text NOT NULL,
  evidence jsonb NOT NULL,
  status text NOT NULL DEFAULT 'new' CHECK (status IN ('new','acknowledged','assigned','closed')),
  assignee_user_id integer REFERENCES users(id),
  matter_id bigint REFERENCES matters(id),
  closing_note text,
  cause_key text NOT NULL,
  dedupe_key text NOT NULL UNIQUE,
  raised_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  acknowledged_by integer REFERENCES users(id),
  acknowledged_at timestamptz,
  assigned_at timestamptz,
  closed_by integer REFERENCES users(id),
  closed_at timestamptz,
  version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX warnings_open_cause ON warnings(cause_key) WHERE status <> 'closed';
-- the last closed warning of a cause (a collective request counts only the tickets after it)
CREATE INDEX warnings_cause ON warnings(cause_key, id);
-- the feed: newest first by keyset (id), narrowed by scope prefix, status, kind or raising time
CREATE INDEX warnings_region ON warnings(region_code text_pattern_ops, id DESC);
CREATE INDEX warnings_status ON warnings(status, id DESC);
CREATE INDEX warnings_kind ON warnings(kind, id DESC);
CREATE INDEX warnings_raised ON warnings(raised_at, id);
CREATE INDEX warnings_matter ON warnings(matter_id) WHERE matter_id IS NOT NULL;

CREATE TABLE warning_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  warning_id bigint NOT NULL REFERENCES warnings(id),
  action text NOT NULL,
  from_status text,
  to_status text,
  note text,
  data jsonb,
  -- null: the system (the scheduler's job, the intake hook)
  actor_user_id integer REFERENCES users(id),
  at timestamptz NOT NULL
);
CREATE INDEX warning_events_warning ON warning_events(warning_id, id);

-- 敏感风险词: the list the intake hook matches new tickets against; edited by admins, every change audited
CREATE TABLE warning_words (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  word text NOT NULL UNIQUE CHECK (char_length(word) BETWEEN 1 AND 20),
  level text NOT NULL DEFAULT 'orange' CHECK (level IN ('yellow','orange','red')),
  active boolean NOT NULL DEFAULT true,
  created_by integer REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_by integer REFERENCES users(id),
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO warning_words (word, level) VALUES
  ('跳楼', 'red'), ('自杀', 'red'), ('轻生', 'red'), ('爆炸', 'red'), ('自焚', 'red'), ('同归于尽', 'red'),
  ('讨薪', 'orange'), ('欠薪', 'orange'), ('堵路', 'orange'), ('上访', 'orange'), ('围堵', 'orange'),
  ('拉横幅', 'orange'), ('静坐', 'orange'), ('集体', 'yellow'), ('群体', 'yellow');

-- the thresholds (one row, edited by admins, audited)
CREATE TABLE warning_settings (
  id smallint PRIMARY KEY CHECK (id = 1),
  collective_requesters integer NOT NULL DEFAULT 5 CHECK (collective_requesters BETWEEN 2 AND 100),
  collective_hours integer NOT NULL DEFAULT 24 CHECK (collective_hours BETWEEN 1 AND 168),
  spike_series integer NOT NULL DEFAULT 200 CHECK (spike_series BETWEEN 1 AND 2000),
  version integer NOT NULL DEFAULT 1,
  updated_by integer REFERENCES users(id),
  updated_at timestamptz
);
INSERT INTO warning_settings (id) VALUES (1);

-- the job's lease and watermark: the last day the spike pass judged (a row lock keeps two schedulers apart)
CREATE TABLE warning_job_state (
  name text PRIMARY KEY,
  last_day date,
  last_run_at timestamptz
);
INSERT INTO warning_job_state (name) VALUES ('spike'), ('collective');
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0039-warnings is not reversible');
}
