import { sql, type Kysely } from 'kysely';

// 第二十二条 热线督办: the triggers as rules that are data (versioned, with effective dates), the supervision cases they
// open or propose (one per cause: cause_key is unique, so several schedulers never open a case twice), the tickets a
// case is about, its history, the 黄牌/红牌 cards of overdue handling, and the job's cursors over the event tables.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE TABLE supervision_rules (
  id serial PRIMARY KEY,
  code text NOT NULL CHECK (code IN ('refusal','overdue','repeated','knowledge','negative','other')),
  version integer NOT NULL CHECK (version > 0),
  enabled boolean NOT NULL,
  -- 'case' opens a case at once; 'proposal' waits for a supervisor's confirmation
  mode text NOT NULL CHECK (mode IN ('case','proposal')),
  thresholds jsonb NOT NULL,
  effective_from timestamptz NOT NULL,
  effective_to timestamptz,
  note text,
  created_at timestamptz NOT NULL,
  created_by integer REFERENCES users(id),
  UNIQUE (code, version),
  CHECK (effective_to IS NULL OR effective_to > effective_from)
);

CREATE TABLE supervision_cases (
  id serial PRIMARY KEY,
  number text GENERATED ALWAYS AS ('DB' || lpad(id::text, 8, '0')) STORED UNIQUE,
  trigger text NOT NULL CHECK (trigger IN ('refusal','overdue','repeated','knowledge','negative','other')),
  -- what fired it, e.g. 'overdue:deadline:42': the same cause never opens a second case
  cause_key text NOT NULL UNIQUE,
  rule_id integer REFERENCES supervision_rules(id),
  status text NOT NULL CHECK (status IN ('proposed','open','answered','escalated','closed','dismissed')),
  method text CHECK (method IN ('phone','written','onsite','coordination')),
  level text NOT NULL CHECK (level IN ('county','city')),
  unit_id integer NOT NULL REFERENCES units(id),
  -- the region of the ticket (or of the unit): a county centre sees its county's cases
  region_code text NOT NULL REFERENCES regions(code),
  reason text NOT NULL,
  evidence jsonb NOT NULL,
  round integer NOT NULL DEFAULT 1,
  due_at timestamptz,
  answer text,
  answered_at timestamptz,
  answered_by integer REFERENCES users(id),
  decision text CHECK (decision IN ('close','supervise_again','escalate','dismiss')),
  decision_note text,
  decided_at timestamptz,
  decided_by integer REFERENCES users(id),
  created_at timestamptz NOT NULL,
  created_by integer REFERENCES users(id),
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1
);
-- the workbench and the unit's list: open cases by deadline, keyset (due_at, id)
CREATE INDEX supervision_cases_status_due ON supervision_cases(status, due_at, id);
CREATE INDEX supervision_cases_unit ON supervision_cases(unit_id, status, due_at, id);
CREATE INDEX supervision_cases_region ON supervision_cases(region_code text_pattern_ops, status);

CREATE TABLE supervision_case_tickets (
  case_id integer NOT NULL REFERENCES supervision_cases(id),
  ticket_id integer NOT NULL REFERENCES tickets(id),
  PRIMARY KEY (case_id, ticket_id)
);
CREATE INDEX supervision_case_tickets_ticket ON supervision_case_tickets(ticket_id);

CREATE TABLE supervision_case_events (
  id serial PRIMARY KEY,
  case_id integer NOT NULL REFERENCES supervision_cases(id),
  kind text NOT NULL,
  at timestamptz NOT NULL,
  actor_user_id integer REFERENCES users(id),
  actor_unit_id integer REFERENCES units(id),
  from_status text,
  to_status text,
  note text,
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  request_id text
);
CREATE INDEX supervision_case_events_case ON supervision_case_events(case_id, id);

-- 第二十二条(二): a deadline warned is a 黄牌, a deadline breached a 红牌, on the ticket and its unit (one card per
-- deadline and colour); 'cleared_at' is set when the step was done after all
CREATE TABLE supervision_cards (
  id serial PRIMARY KEY,
  ticket_id integer NOT NULL REFERENCES tickets(id),
  unit_id integer REFERENCES units(id),
  deadline_id integer NOT NULL REFERENCES deadlines(id),
  colour text NOT NULL CHECK (colour IN ('yellow','red')),
  deadline_kind text NOT NULL,
  due_at timestamptz NOT NULL,
  at timestamptz NOT NULL,
  UNIQUE (deadline_id, colour)
);
CREATE INDEX supervision_cards_ticket ON supervision_cards(ticket_id);
CREATE INDEX supervision_cards_unit ON supervision_cards(unit_id, at DESC);

-- the trigger job's watermarks (ticket_events and knowledge_notices by id), advanced in the transaction that acts
CREATE TABLE supervision_cursors (
  name text PRIMARY KEY,
  last_id bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL
);

INSERT INTO supervision_cursors (name, last_id, updated_at) VALUES
  ('ticket_events', 0, now()), ('knowledge_notices', 0, now());

-- the defaults, in force from the regulation's first day (2025-01-01); admins and supervisors change them as new versions
INSERT INTO supervision_rules (code, version, enabled, mode, thresholds, effective_from, note, created_at) VALUES
  ('refusal', 1, true, 'proposal', '{"repeatedApplications": 2, "answerDays": 3, "method": "written"}', '2025-01-01T00:00:00+08:00', '默认规则', now()),
  ('overdue', 1, true, 'case', '{"deadlineKinds": ["accept", "reply", "rework"], "answerDays": 2, "method": "written"}', '2025-01-01T00:00:00+08:00', '默认规则', now()),
  ('repeated', 1, true, 'proposal', '{"sameRequesterCount": 3, "distinctRequesters": 5, "windowDays": 7, "answerDays": 3, "method": "coordination"}', '2025-01-01T00:00:00+08:00', '默认规则', now()),
  ('knowledge', 1, true, 'proposal', '{"graceDays": 5, "answerDays": 5, "method": "written"}', '2025-01-01T00:00:00+08:00', '默认规则', now()),
  ('negative', 1, true, 'case', '{"answerDays": 2, "method": "onsite"}', '2025-01-01T00:00:00+08:00', '默认规则', now()),
  ('other', 1, true, 'case', '{"answerDays": 3, "method": "written"}', '2025-01-01T00:00:00+08:00', '默认规则', now());
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0026-supervision is not reversible');
}
