import { sql, type Kysely } from 'kysely';

// 第二十八条(三)(四) 新业态、新领域问题: the words of new tickets counted per week and county (term_weeks, with each
// week's ticket total beside them), kept KEEP_WEEKS weeks, read once a week to rank the words that rose (emerging_*).
// The counts follow ticket_events' 'created' events with their own cursor row, like the analytics rollup: a batch and
// its cursor move in one transaction, so a replay never counts a ticket twice. Requests read the ranked lists only.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE TABLE term_weeks (
  week date NOT NULL,
  region_code text NOT NULL,
  term text NOT NULL,
  tickets integer NOT NULL CHECK (tickets > 0),
  PRIMARY KEY (week, region_code, term)
);
CREATE TABLE term_week_totals (
  week date NOT NULL,
  region_code text NOT NULL,
  tickets integer NOT NULL CHECK (tickets > 0),
  PRIMARY KEY (week, region_code)
);
-- one row per computed week and region (the city's own code for the whole city, or a county): the claim that keeps
-- two schedulers from computing a week twice, and the screen's list of weeks
CREATE TABLE emerging_weeks (
  week date NOT NULL,
  region_code text NOT NULL,
  computed_at timestamptz NOT NULL,
  recent_tickets integer NOT NULL,
  baseline_tickets integer NOT NULL,
  -- short_history: the baseline held too few tickets to compare with
  status text NOT NULL CHECK (status IN ('ok', 'short_history')),
  PRIMARY KEY (region_code, week)
);
CREATE TABLE emerging_terms (
  week date NOT NULL,
  region_code text NOT NULL,
  rank smallint NOT NULL CHECK (rank > 0),
  term text NOT NULL,
  recent integer NOT NULL,
  baseline integer NOT NULL,
  last_year integer NOT NULL,
  ratio numeric,
  score numeric NOT NULL,
  is_new boolean NOT NULL,
  seasonal boolean NOT NULL,
  -- words that rose in mostly the same tickets (one matter told in several words), shown beside the leading one
  related text[] NOT NULL DEFAULT '{}',
  -- tickets a week with the word, the baseline's first week to the computed week
  series integer[] NOT NULL,
  PRIMARY KEY (region_code, week, rank),
  FOREIGN KEY (region_code, week) REFERENCES emerging_weeks(region_code, week) ON DELETE CASCADE
);
INSERT INTO analytics_cursor (name, last_id) VALUES ('emerging_terms', 0);
`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0056-emerging-terms is not reversible');
}
