import { sql, type Kysely } from 'kysely';

// 第二十八条(三)(四) 新兴诉求提醒: when the weekly ranking of 新兴诉求词 finds a matter rising, the units that already lead
// at least a few of its tickets are told on their workbench, until one of their people acknowledges it (已阅) — as
// 预案提醒 (forecast_reminders, 0040) tells them of a seasonal peak. Written in the transaction that stores the
// ranked list (one writer per list: its emerging_weeks row), never twice for the same matter within 26 weeks.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE TABLE emerging_reminders (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  unit_id integer NOT NULL REFERENCES units(id),
  week date NOT NULL,
  -- the list that found it: the city's own code, or a county's
  region_code text NOT NULL,
  term text NOT NULL,
  -- the group's words, the leading one first: a unit is not told again of a matter any of whose words it was told of
  words text[] NOT NULL,
  recent integer NOT NULL,
  baseline integer NOT NULL,
  ratio numeric,
  is_new boolean NOT NULL,
  -- of the word's newest recent tickets read (sampled), those the unit leads
  unit_tickets integer NOT NULL CHECK (unit_tickets > 0),
  sampled integer NOT NULL CHECK (sampled >= unit_tickets),
  categories jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at timestamptz NOT NULL,
  acknowledged_at timestamptz,
  acknowledged_by integer REFERENCES users(id),
  UNIQUE (unit_id, week, term)
);
-- a unit's reminders, newest first (the workbench, keyset by id), and what it was told of lately (the writer's
-- check); every unit's, newest first, is the primary key's order
CREATE INDEX emerging_reminders_unit ON emerging_reminders(unit_id, id DESC);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0057-emerging-reminders is not reversible');
}
