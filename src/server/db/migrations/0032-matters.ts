import { sql, type Kysely } from 'kysely';

// 第二十五、二十六条 专题治理: a long-running or hard matter registered from a cluster of tickets, studied and
// coordinated across the city, county and town tiers; its tasks, consultation minutes (会商记录), policy measures
// and every step's history.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE TABLE matters (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  title text NOT NULL,
  description text NOT NULL,
  category_id integer REFERENCES categories(id),
  -- the region the matter concerns; the scope check is a prefix match of the actor's regions, as for tickets
  region_code text NOT NULL REFERENCES regions(code),
  status text NOT NULL DEFAULT 'registered'
    CHECK (status IN ('registered','studying','advancing','resolved','archived')),
  lead_unit_id integer NOT NULL REFERENCES units(id),
  -- the centre that registered it (第二十五条: 市、县（区）)
  centre_unit_id integer NOT NULL REFERENCES units(id),
  plan text,
  keywords text,
  created_by integer NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  resolved_at timestamptz,
  archived_at timestamptz,
  -- links held now (kept in step with matter_tickets in the same transaction; the list shows it without a count)
  ticket_count integer NOT NULL DEFAULT 0,
  version integer NOT NULL DEFAULT 1
);
-- the register: newest first by keyset, narrowed by scope prefix, status or lead unit
CREATE INDEX matters_region ON matters(region_code text_pattern_ops, id DESC);
CREATE INDEX matters_status ON matters(status, id DESC);
CREATE INDEX matters_lead ON matters(lead_unit_id, id DESC);

-- 第二十六条 三级协同联动: the coordinating units, each with its tier and what it is responsible for
CREATE TABLE matter_units (
  matter_id bigint NOT NULL REFERENCES matters(id),
  unit_id integer NOT NULL REFERENCES units(id),
  tier text NOT NULL CHECK (tier IN ('city','county','town')),
  role text NOT NULL,
  added_by integer NOT NULL REFERENCES users(id),
  added_at timestamptz NOT NULL,
  PRIMARY KEY (matter_id, unit_id)
);
-- "the matters my unit coordinates on"
CREATE INDEX matter_units_unit ON matter_units(unit_id, matter_id DESC);

-- the tickets of the matter: a link is never deleted, an unlink records who and when. A ticket is held by at most
-- one open matter: matter_open is false once its matter is archived (set in the archive's transaction), and the
-- partial unique index refuses a second live link.
CREATE TABLE matter_tickets (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  matter_id bigint NOT NULL REFERENCES matters(id),
  ticket_id bigint NOT NULL REFERENCES tickets(id),
  linked_by integer NOT NULL REFERENCES users(id),
  linked_at timestamptz NOT NULL,
  unlinked_by integer REFERENCES users(id),
  unlinked_at timestamptz,
  unlink_reason text,
  matter_open boolean NOT NULL DEFAULT true,
  -- the ticket's creation time, copied: the monthly figures group the links without joining tickets
  ticket_created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX matter_tickets_one_open ON matter_tickets(ticket_id) WHERE unlinked_at IS NULL AND matter_open;
-- "the matter of ticket X" and "is this ticket already in a matter" (the candidates exclude those)
CREATE INDEX matter_tickets_ticket ON matter_tickets(ticket_id) WHERE unlinked_at IS NULL;
CREATE INDEX matter_tickets_matter ON matter_tickets(matter_id, ticket_created_at) WHERE unlinked_at IS NULL;

CREATE TABLE matter_tasks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  matter_id bigint NOT NULL REFERENCES matters(id),
  title text NOT NULL,
  owner_unit_id integer NOT NULL REFERENCES units(id),
  due_on date,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','in_progress','done')),
  result text,
  created_by integer NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL,
  updated_by integer REFERENCES users(id),
  updated_at timestamptz NOT NULL,
  done_at timestamptz,
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX matter_tasks_matter ON matter_tasks(matter_id, id);
-- a unit's 专题任务: its open ones first by deadline
CREATE INDEX matter_tasks_owner ON matter_tasks(owner_unit_id, status, due_on, id);

-- 会商记录: a consultation, the units that took part, what was decided
CREATE TABLE matter_minutes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  matter_id bigint NOT NULL REFERENCES matters(id),
  held_on date NOT NULL,
  unit_ids integer[] NOT NULL CHECK (cardinality(unit_ids) BETWEEN 1 AND 50),
  summary text NOT NULL,
  decisions text NOT NULL,
  created_by integer NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL
);
CREATE INDEX matter_minutes_matter ON matter_minutes(matter_id, held_on DESC, id DESC);

-- 第二十五条 完善政策措施: a measure adopted, with the day it took effect (the figures compare before and after)
CREATE TABLE matter_measures (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  matter_id bigint NOT NULL REFERENCES matters(id),
  title text NOT NULL,
  content text NOT NULL,
  issued_by text,
  effective_on date NOT NULL,
  created_by integer NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL
);
CREATE INDEX matter_measures_matter ON matter_measures(matter_id, effective_on, id);

-- every step, as the matter's page shows it (the admin audit keeps the before/after as well)
CREATE TABLE matter_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  matter_id bigint NOT NULL REFERENCES matters(id),
  action text NOT NULL,
  from_status text,
  to_status text,
  note text,
  data jsonb,
  actor_user_id integer REFERENCES users(id),
  at timestamptz NOT NULL
);
CREATE INDEX matter_events_matter ON matter_events(matter_id, id);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0032-matters is not reversible');
}
