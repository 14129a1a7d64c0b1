import { sql, type Kysely } from 'kysely';

// 第二十四条 热线工作考核 (docs/assessment.md).
//
// Figures read rollups, never the events: assessment_facts holds what each ticket counts for each unit (one row per
// ticket × lead unit, the drill-down's source), assessment_daily the sums per unit and local day; the scheduler keeps
// both from ticket_events by an id cursor (assessment_cursors), adding the difference of a ticket's recomputed facts
// in the same transaction as the cursor, so a pass is idempotent and resumes after a crash. A month's scores for all
// units sum (units × days) rows. Schemes are versioned rows with effective dates; a frozen result stores the inputs
// and the scheme it was computed with, so it can be recomputed identically; an accepted appeal makes a new version.
// GB/T 33358-2016 service figures are rolled up per local day from the contacts (call events live in contacts.meta).

const COUNTERS = [
  'accept_timely',
  'contact_timely',
  'ontime_completion',
  'completion',
  'resolution',
  'satisfaction',
  'rework',
  'unfounded_return',
  'extension',
  'supervision',
].flatMap((i) => [`${i}_num`, `${i}_den`]);

type Line = [string, number, number, number];
const rate = (indicator: string, weight: number, target: number, cutoff: number): Line => [
  indicator,
  weight,
  target,
  cutoff,
];
const DEFAULT_SCHEMES: Record<string, Line[]> = {
  department: [
    rate('accept_timely', 10, 95, 80),
    rate('contact_timely', 10, 95, 80),
    rate('ontime_completion', 15, 95, 80),
    rate('completion', 10, 95, 80),
    rate('resolution', 15, 90, 60),
    rate('satisfaction', 20, 90, 60),
    rate('rework', 5, 5, 20),
    rate('unfounded_return', 5, 2, 10),
    rate('extension', 5, 5, 20),
    rate('supervision', 3, 0, 3),
    rate('knowledge_timely', 2, 95, 60),
  ],
  county_government: [
    rate('accept_timely', 10, 95, 80),
    rate('contact_timely', 10, 95, 80),
    rate('ontime_completion', 15, 95, 80),
    rate('completion', 10, 95, 80),
    rate('resolution', 15, 90, 60),
    rate('satisfaction', 20, 90, 60),
    rate('rework', 5, 5, 20),
    rate('unfounded_return', 5, 2, 10),
    rate('extension', 5, 5, 20),
    rate('supervision', 3, 0, 3),
    rate('knowledge_timely', 2, 95, 60),
  ],
  town: [
    rate('accept_timely', 10, 95, 80),
    rate('contact_timely', 10, 95, 80),
    rate('ontime_completion', 15, 95, 80),
    rate('completion', 10, 95, 80),
    rate('resolution', 15, 90, 60),
    rate('satisfaction', 22, 90, 60),
    rate('rework', 5, 5, 20),
    rate('unfounded_return', 5, 2, 10),
    rate('extension', 5, 5, 20),
    rate('supervision', 3, 0, 3),
  ],
  utility: [
    rate('accept_timely', 15, 95, 80),
    rate('contact_timely', 15, 95, 80),
    rate('ontime_completion', 15, 95, 80),
    rate('completion', 10, 95, 80),
    rate('resolution', 15, 90, 60),
    rate('satisfaction', 20, 90, 60),
    rate('rework', 5, 5, 20),
    rate('supervision', 5, 0, 3),
  ],
};

export async function up(db: Kysely<unknown>): Promise<void> {
  const smallCols = sql.raw(COUNTERS.map((c) => `${c} smallint NOT NULL DEFAULT 0`).join(',\n  '));
  const intCols = sql.raw(COUNTERS.map((c) => `${c} integer NOT NULL DEFAULT 0`).join(',\n  '));
  await sql`
CREATE TABLE assessment_facts (
  ticket_id integer NOT NULL REFERENCES tickets(id),
  unit_id integer NOT NULL REFERENCES units(id),
  day date NOT NULL,
  ${smallCols},
  PRIMARY KEY (ticket_id, unit_id)
);
-- the drill-down: one unit's tickets of a period, keyset by ticket id
CREATE INDEX assessment_facts_unit_day ON assessment_facts(unit_id, day, ticket_id);

CREATE TABLE assessment_daily (
  unit_id integer NOT NULL REFERENCES units(id),
  day date NOT NULL,
  ${intCols},
  PRIMARY KEY (unit_id, day)
);
CREATE INDEX assessment_daily_day ON assessment_daily(day, unit_id);

-- one row per incremental feed: how far it has read (a row lock keeps two schedulers from reading at once)
CREATE TABLE assessment_cursors (
  name text PRIMARY KEY,
  last_id bigint NOT NULL DEFAULT 0,
  updated_at timestamptz
);
INSERT INTO assessment_cursors (name, last_id) VALUES ('ticket_events', 0);

CREATE TABLE assessment_schemes (
  id serial PRIMARY KEY,
  unit_group text NOT NULL CHECK (unit_group IN ('department','county_government','town','utility')),
  version integer NOT NULL,
  name text NOT NULL,
  effective_from date NOT NULL,
  effective_to date,
  -- [{indicator, weight, target, cutoff}]; weights add up to 100 (checked by the service, docs/assessment.md)
  indicators jsonb NOT NULL,
  note text,
  created_by integer REFERENCES users(id),
  created_at timestamptz NOT NULL,
  retired_by integer REFERENCES users(id),
  UNIQUE (unit_group, version),
  CHECK (effective_to IS NULL OR effective_to >= effective_from)
);

CREATE TABLE assessment_results (
  id serial PRIMARY KEY,
  period text NOT NULL,
  version integer NOT NULL,
  reason text NOT NULL,
  appeal_id integer,
  computed_at timestamptz NOT NULL,
  computed_by integer REFERENCES users(id),
  UNIQUE (period, version)
);

CREATE TABLE assessment_result_units (
  result_id integer NOT NULL REFERENCES assessment_results(id),
  unit_id integer NOT NULL REFERENCES units(id),
  unit_group text NOT NULL,
  scheme_id integer NOT NULL REFERENCES assessment_schemes(id),
  -- the counters the score was computed from: recomputing from them with the scheme gives the same score
  inputs jsonb NOT NULL,
  indicators jsonb NOT NULL,
  score numeric(7,2) NOT NULL,
  rank integer NOT NULL,
  PRIMARY KEY (result_id, unit_id)
);
CREATE INDEX assessment_result_units_unit ON assessment_result_units(unit_id, result_id);

CREATE TABLE assessment_appeals (
  id serial PRIMARY KEY,
  ticket_id integer NOT NULL REFERENCES tickets(id),
  unit_id integer NOT NULL REFERENCES units(id),
  indicator text NOT NULL,
  period text NOT NULL,
  reason text NOT NULL,
  materials jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- the ticket's counting when appealed (num, den), so an accepted appeal takes exactly that out of a frozen result
  counted jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('pending','accepted','rejected')),
  created_by integer NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL,
  decided_by integer REFERENCES users(id),
  decided_at timestamptz,
  decision_note text,
  -- one appeal per ticket, unit and indicator
  UNIQUE (ticket_id, unit_id, indicator)
);
CREATE INDEX assessment_appeals_status ON assessment_appeals(status, id);
CREATE INDEX assessment_appeals_unit ON assessment_appeals(unit_id, id);

CREATE TABLE assessment_settings (
  id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  appeal_window_working_days integer NOT NULL CHECK (appeal_window_working_days BETWEEN 0 AND 30),
  updated_at timestamptz,
  updated_by integer REFERENCES users(id)
);
INSERT INTO assessment_settings (id, appeal_window_working_days) VALUES (1, 5);

-- GB/T 33358-2016: per local day, centre and channel
CREATE TABLE service_figures_daily (
  day date NOT NULL,
  centre_unit_id integer NOT NULL REFERENCES units(id),
  channel text NOT NULL,
  offered integer NOT NULL DEFAULT 0,
  answered integer NOT NULL DEFAULT 0,
  answered_15s integer NOT NULL DEFAULT 0,
  abandoned integer NOT NULL DEFAULT 0,
  wait_seconds bigint NOT NULL DEFAULT 0,
  talk_seconds bigint NOT NULL DEFAULT 0,
  text_received integer NOT NULL DEFAULT 0,
  text_answered_3min integer NOT NULL DEFAULT 0,
  computed_at timestamptz NOT NULL,
  PRIMARY KEY (day, centre_unit_id, channel)
);
-- the daily service-figure pass reads one day of contacts
CREATE INDEX contacts_received_at ON contacts(received_at);
`.execute(db);
  for (const [group, lines] of Object.entries(DEFAULT_SCHEMES)) {
    const indicators = lines.map(([indicator, weight, target, cutoff]) => ({ indicator, weight, target, cutoff }));
    await sql`INSERT INTO assessment_schemes (unit_group, version, name, effective_from, indicators, note, created_at)
      VALUES (${group}, 1, '默认考核方案', '2025-01-01', ${JSON.stringify(indicators)}::jsonb,
              '系统内置：三率为主，签收、联系、按期办结为辅', now())`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('0027-assessment is not reversible');
}
