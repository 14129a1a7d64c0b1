import { sql, type Kysely } from 'kysely';

// Frozen in time: never edit a released migration, add a new one.
// Designed for ten million tickets: every queue has an index matching its filter and sort, keyset
// pagination everywhere, and deadline sweeps read partial indexes that only hold open rows.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- 行政区划: city (level 1) → county/district (2) → town/street (3) → community/grid (4).
CREATE TABLE regions (
  code text PRIMARY KEY,
  name text NOT NULL,
  level smallint NOT NULL CHECK (level BETWEEN 1 AND 4),
  parent_code text REFERENCES regions(code),
  CHECK ((level = 1) = (parent_code IS NULL))
);
CREATE INDEX regions_parent ON regions(parent_code);

-- 承办单位 and 热线工作机构 (centre). is_24x7: 第二十条 water/power/gas/heating/telecom utilities.
CREATE TABLE units (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('centre','department','town','utility','other')),
  tier text NOT NULL CHECK (tier IN ('city','county','town')),
  parent_id integer REFERENCES units(id),
  is_24x7 boolean NOT NULL DEFAULT false,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL
);
CREATE TABLE unit_regions (
  unit_id integer NOT NULL REFERENCES units(id),
  region_code text NOT NULL REFERENCES regions(code),
  PRIMARY KEY (unit_id, region_code)
);
CREATE INDEX unit_regions_region ON unit_regions(region_code);

CREATE TABLE users (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username text NOT NULL UNIQUE,
  display_name text NOT NULL,
  password_hash text NOT NULL,
  unit_id integer NOT NULL REFERENCES units(id),
  roles text[] NOT NULL,
  -- 'unit': tickets of the user's own unit; 'region': every ticket in the user's centre's regions.
  scope text NOT NULL CHECK (scope IN ('unit','region')),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL
);
CREATE INDEX users_unit ON users(unit_id);

CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE api_tokens (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  token_hash text NOT NULL UNIQUE,
  user_id integer NOT NULL REFERENCES users(id),
  name text NOT NULL,
  created_at timestamptz NOT NULL,
  revoked_at timestamptz
);

-- Matter taxonomy (事项分类), any depth.
CREATE TABLE categories (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  parent_id integer REFERENCES categories(id),
  level smallint NOT NULL,
  active boolean NOT NULL DEFAULT true
);
CREATE INDEX categories_parent ON categories(parent_id);

-- 派单目录 (第十二条): category × region × tier → lead unit (+ default assisting units).
CREATE TABLE catalogue_rules (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  category_id integer REFERENCES categories(id),
  region_code text REFERENCES regions(code),
  tier text NOT NULL CHECK (tier IN ('city','county','town')),
  basis text NOT NULL CHECK (basis IN ('statutory','territorial','tiered')),
  lead_unit_id integer NOT NULL REFERENCES units(id),
  assist_unit_ids integer[] NOT NULL DEFAULT '{}',
  priority integer NOT NULL DEFAULT 0,
  note text,
  active boolean NOT NULL DEFAULT true
);
CREATE INDEX catalogue_rules_category ON catalogue_rules(category_id) WHERE active;

-- Working calendar overrides: statutory holidays and make-up working days (调休).
CREATE TABLE calendar_days (
  date date PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('holiday','workday')),
  name text
);

-- Time limits as data: the most specific row for (step, category, urgency, unit kind, clock) wins.
CREATE TABLE time_limits (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  step text NOT NULL CHECK (step IN ('accept','return_window','first_contact','reply','extension_max','callback','rework','assist')),
  category_id integer REFERENCES categories(id),
  urgency text CHECK (urgency IN ('normal','urgent')),
  unit_kind text CHECK (unit_kind IN ('centre','department','town','utility','other')),
  clock text CHECK (clock IN ('calendar','round_the_clock')),
  amount numeric NOT NULL CHECK (amount > 0),
  unit text NOT NULL CHECK (unit IN ('working_days','working_hours','clock_hours')),
  UNIQUE NULLS NOT DISTINCT (step, category_id, urgency, unit_kind, clock)
);

-- 诉求人: personal data only encrypted (AES-256-GCM); phone_hash is a keyed hash for look-ups (第六条).
CREATE TABLE requesters (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name_enc text,
  phone_enc text,
  phone_hash text,
  created_at timestamptz NOT NULL
);
CREATE INDEX requesters_phone_hash ON requesters(phone_hash) WHERE phone_hash IS NOT NULL;

CREATE TABLE ticket_number_counters (
  day date PRIMARY KEY,
  last integer NOT NULL
);

CREATE TABLE tickets (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  number text NOT NULL UNIQUE,
  request_type text NOT NULL CHECK (request_type IN ('consult','help','complaint','report','suggestion','praise')),
  category_id integer NOT NULL REFERENCES categories(id),
  urgency text NOT NULL CHECK (urgency IN ('normal','urgent')),
  region_code text NOT NULL REFERENCES regions(code),
  address_enc text,
  title text NOT NULL,
  content text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending_dispatch','dispatched','in_progress','replied','closed','terminated')),
  version integer NOT NULL DEFAULT 1,
  requester_id bigint REFERENCES requesters(id),
  centre_unit_id integer NOT NULL REFERENCES units(id),
  lead_unit_id integer REFERENCES units(id),
  dispatch_rule_id integer REFERENCES catalogue_rules(id),
  channel text NOT NULL DEFAULT 'phone',
  created_by integer NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  dispatched_at timestamptz,
  accepted_at timestamptz,
  first_contact_at timestamptz,
  replied_at timestamptz,
  closed_at timestamptz,
  -- the deadline of the step the ticket is in now; queues sort on it
  due_at timestamptz,
  return_until timestamptz,
  extension_days integer NOT NULL DEFAULT 0,
  rework_count integer NOT NULL DEFAULT 0,
  reply_result text,
  reply_explanation text,
  satisfaction text CHECK (satisfaction IN ('satisfied','basically_satisfied','unsatisfied')),
  resolved boolean
);
-- Work queues: a unit's tickets in a state, ordered by deadline then id (keyset pagination).
CREATE INDEX tickets_unit_queue ON tickets(lead_unit_id, status, due_at, id);
-- Centre queues: tickets in a state across a region prefix, ordered by deadline.
CREATE INDEX tickets_status_queue ON tickets(status, due_at, id);
CREATE INDEX tickets_region ON tickets(region_code text_pattern_ops, created_at);
CREATE INDEX tickets_requester ON tickets(requester_id, created_at DESC);
CREATE INDEX tickets_created ON tickets(created_at, id);

-- Lead and assisting units (第十六条). A returned or superseded assignment stays as history.
CREATE TABLE ticket_assignments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ticket_id bigint NOT NULL REFERENCES tickets(id),
  unit_id integer NOT NULL REFERENCES units(id),
  role text NOT NULL CHECK (role IN ('lead','assist')),
  status text NOT NULL CHECK (status IN ('active','submitted','ended')),
  dispatched_at timestamptz NOT NULL,
  accepted_at timestamptz,
  result text,
  submitted_at timestamptz,
  ended_at timestamptz
);
CREATE INDEX ticket_assignments_ticket ON ticket_assignments(ticket_id);
CREATE INDEX ticket_assignments_unit_active ON ticket_assignments(unit_id, role, ticket_id) WHERE status = 'active';

-- The immutable event history: the audit trail and the source of every figure.
CREATE TABLE ticket_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ticket_id bigint NOT NULL REFERENCES tickets(id),
  kind text NOT NULL,
  at timestamptz NOT NULL,
  actor_user_id integer REFERENCES users(id),
  actor_unit_id integer REFERENCES units(id),
  from_status text,
  to_status text,
  reason text,
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  request_id text
);
CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id, id);
CREATE INDEX ticket_events_kind_at ON ticket_events(kind, at);

CREATE FUNCTION forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER ticket_events_append_only BEFORE UPDATE OR DELETE ON ticket_events
  FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- Applications reviewed by the centre: 退单 (第十四条), 延期 (第十六条), 终止 (第十五条), 职责争议 (第十六条).
CREATE TABLE applications (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ticket_id bigint NOT NULL REFERENCES tickets(id),
  kind text NOT NULL CHECK (kind IN ('return','extension','termination','dispute')),
  unit_id integer NOT NULL REFERENCES units(id),
  applicant_id integer NOT NULL REFERENCES users(id),
  reason text NOT NULL,
  materials jsonb NOT NULL DEFAULT '[]'::jsonb,
  requested_days integer,
  progress text,
  termination_case text CHECK (termination_case IN ('refused_information','unreasonable_request')),
  status text NOT NULL CHECK (status IN ('pending','approved','rejected')),
  reviewer_id integer REFERENCES users(id),
  review_note text,
  created_at timestamptz NOT NULL,
  decided_at timestamptz
);
CREATE INDEX applications_pending ON applications(kind, created_at, id) WHERE status = 'pending';
CREATE INDEX applications_ticket ON applications(ticket_id);
CREATE UNIQUE INDEX applications_one_pending_per_kind ON applications(ticket_id, kind) WHERE status = 'pending';

-- 会商 record deciding the unit in a duty dispute (第十六条).
CREATE TABLE consultations (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ticket_id bigint NOT NULL REFERENCES tickets(id),
  application_id bigint REFERENCES applications(id),
  participant_unit_ids integer[] NOT NULL,
  record text NOT NULL,
  decided_unit_id integer NOT NULL REFERENCES units(id),
  assist_unit_ids integer[] NOT NULL DEFAULT '{}',
  organiser_id integer NOT NULL REFERENCES users(id),
  held_at timestamptz NOT NULL
);

-- 回访 (第十七条).
CREATE TABLE callbacks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ticket_id bigint NOT NULL REFERENCES tickets(id),
  agent_id integer NOT NULL REFERENCES users(id),
  satisfaction text NOT NULL CHECK (satisfaction IN ('satisfied','basically_satisfied','unsatisfied')),
  resolved boolean NOT NULL,
  reasonable boolean,
  outcome text NOT NULL CHECK (outcome IN ('closed','rework')),
  note text,
  at timestamptz NOT NULL
);
CREATE INDEX callbacks_ticket ON callbacks(ticket_id);

-- Deadlines are rows: one per step, settled (met) or swept (warned, breached) — never deleted.
CREATE TABLE deadlines (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ticket_id bigint NOT NULL REFERENCES tickets(id),
  unit_id integer REFERENCES units(id),
  kind text NOT NULL CHECK (kind IN ('accept','first_contact','reply','assist','callback','rework','review')),
  starts_at timestamptz NOT NULL,
  due_at timestamptz NOT NULL,
  warn_at timestamptz NOT NULL,
  warned_at timestamptz,
  breached_at timestamptz,
  met_at timestamptz,
  cancelled_at timestamptz
);
CREATE INDEX deadlines_ticket ON deadlines(ticket_id);
CREATE INDEX deadlines_open_due ON deadlines(due_at) WHERE met_at IS NULL AND cancelled_at IS NULL AND breached_at IS NULL;
-- every open deadline, breached or not: overviews of what is late right now
CREATE INDEX deadlines_open ON deadlines(due_at) WHERE met_at IS NULL AND cancelled_at IS NULL;
CREATE INDEX deadlines_open_warn ON deadlines(warn_at) WHERE met_at IS NULL AND cancelled_at IS NULL AND warned_at IS NULL AND breached_at IS NULL;

-- Every disclosure of personal data (第六、三十条).
CREATE TABLE pii_access_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users(id),
  ticket_id bigint REFERENCES tickets(id),
  requester_id bigint REFERENCES requesters(id),
  fields text[] NOT NULL,
  purpose text NOT NULL,
  at timestamptz NOT NULL,
  request_id text
);
CREATE INDEX pii_access_log_user ON pii_access_log(user_id, at);
CREATE INDEX pii_access_log_ticket ON pii_access_log(ticket_id);
CREATE TRIGGER pii_access_log_append_only BEFORE UPDATE OR DELETE ON pii_access_log
  FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- Changes to configuration (catalogue, calendar, limits, users) with before/after.
CREATE TABLE admin_audit (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id integer REFERENCES users(id),
  entity text NOT NULL,
  entity_id text NOT NULL,
  action text NOT NULL,
  before jsonb,
  after jsonb,
  at timestamptz NOT NULL
);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0001-core is not reversible');
}
